"""The map of the organisation tree on the dashboard, and the admissions rank among
peers drawn as a chart ("rank 3 of 67")."""

import datetime as dt
import random
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from serment.admissions import actions as admission_actions
from serment.admissions import queries as admission_queries
from serment.admissions.actions import PeerRow
from serment.core.actors import SYSTEM
from serment.home import dashboard, treemap
from serment.home.charts import RankChart

AS_OF = dt.date(2023, 6, 30)


def _section(board, key):
    return next((s for s in board.sections if s.key == key), None)


def _boxes(board):
    (chart,) = _section(board, "tree").charts
    return {b.organisation.code: b for b in chart.boxes}


def test_the_map_sizes_each_child_by_members_and_colours_it_by_good_or_better(province):
    w = province
    board = dashboard.dashboard(viewer=w.admin, org=w.P, year=2023, as_of=AS_OF)
    boxes = _boxes(board)
    # D1: alice, bob (C2), new1; D2: carol, new2. 2023: alice and bob good, carol not completed
    assert {code: (b.members, b.rated, b.good_or_better) for code, b in boxes.items()} == {
        "D1": (3, 2, 2),
        "D2": (2, 1, 0),
    }
    assert _section(board, "tree").values == {"D1": (3, 2, 2), "D2": (2, 1, 0)}
    d1, d2 = boxes["D1"], boxes["D2"]
    assert d1.w * d1.h / (d2.w * d2.h) == pytest.approx(3 / 2)
    assert d1.w * d1.h + d2.w * d2.h == pytest.approx(treemap.WIDTH * treemap.HEIGHT)
    assert d1.fill == treemap.BANDS[0][1]  # 100%
    assert d2.fill == treemap.BANDS[-1][1]  # 0%, under 87%


def test_a_child_without_decided_ratings_is_grey(province):
    w = province
    board = dashboard.dashboard(viewer=w.admin, org=w.P, year=2021, as_of=AS_OF)
    assert {b.fill for b in _boxes(board).values()} == {treemap.NO_DATA[0]}


def test_each_box_links_to_that_organisations_dashboard(province, client):
    w = province
    client.force_login(w.admin)
    html = client.get(reverse("home"), {"year": 2023, "as_of": AS_OF.isoformat()}).content.decode()
    tree = html[html.index('id="area-tree"') :]
    link = f"/dashboard/?org={w.D1.pk}&amp;year=2023&amp;as_of=2023-06-30"
    assert f'<a href="{link}"><g>' in tree  # the box
    assert f'<a href="{link}">Huyện ủy 1</a>' in tree  # the table's row
    assert "<svg" in tree and "As a table" in tree
    page = client.get(link.replace("&amp;", "&"))
    assert page.context["board"].organisation == w.D1
    assert set(_boxes(page.context["board"])) == {"G1"}  # GC1 has no member


def test_a_scoped_user_sees_only_their_subtree_on_the_map(province, client):
    w = province
    board = dashboard.dashboard(viewer=w.d1_staff, org=w.D1, year=2023, as_of=AS_OF)
    assert {c: (b.members, b.rated, b.good_or_better) for c, b in _boxes(board).items()} == {"G1": (3, 2, 2)}
    client.force_login(w.outsider)  # D2's staff
    assert client.get(reverse("home:dashboard"), {"org": w.D1.pk}).status_code == 404


def test_a_grassroots_staff_dashboard_counts_only_their_subtree(province):
    w = province
    board = dashboard.dashboard(
        viewer=w.g1_staff, org=dashboard.default_organisation(w.g1_staff), year=2023, as_of=AS_OF
    )
    assert board.organisation == w.G1
    oath, ratings = _section(board, "oath"), _section(board, "ratings")
    assert (oath.values["cells_held"], oath.values["cells"]) == (1, 2)
    assert oath.values["members_expected"] == 3  # alice, new1 (C1), bob (C2); not carol, new2 (C3)
    assert ratings.values["members.rated"] == 2  # alice and bob; carol is under D2
    assert {c: b.members for c, b in _boxes(board).items()} == {"C1": 2, "C2": 1}


def test_a_cell_has_no_map(province):
    board = dashboard.dashboard(viewer=province.admin, org=province.C1, year=2023, as_of=AS_OF)
    assert _section(board, "tree") is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_squarify_fills_the_drawing_without_overlap(seed):
    rng = random.Random(seed)
    sizes = sorted((rng.randint(1, 5000) for _ in range(rng.randint(1, 30))), reverse=True)
    rects = treemap.squarify(sizes, 0, 0, 360, 240)
    assert len(rects) == len(sizes)
    total = sum(sizes)
    for size, (x, y, w, h) in zip(sizes, rects, strict=True):
        assert w * h == pytest.approx(size / total * 360 * 240)
        assert -1e-6 <= x and x + w <= 360 + 1e-6 and -1e-6 <= y and y + h <= 240 + 1e-6
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            overlap_w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
            overlap_h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
            assert overlap_w <= 1e-6 or overlap_h <= 1e-6


@pytest.fixture
def peers(province):
    admission_actions.replace_peer_figures(
        by=SYSTEM,
        organisation=province.P,
        rows=[
            PeerRow("Tỉnh A", 2023, 900, 1000, Decimal("90")),
            PeerRow("Tỉnh B", 2023, 100, 1000, Decimal("10")),
            PeerRow("Tỉnh C", 2023, 50, 1000, Decimal("5")),
        ],
    )
    return province


def test_the_rank_among_peers_is_charted(peers, client):
    w = peers
    report = admission_queries.admission_report(viewer=w.admin, org=w.P, year=2023, as_of=AS_OF)
    board = dashboard.dashboard(viewer=w.admin, org=w.P, year=2023, as_of=AS_OF)
    (chart,) = [c for c in _section(board, "admissions").charts if isinstance(c, RankChart)]
    assert (chart.rank, chart.count) == (report.peer_rank, report.peer_count) == (2, 4)
    assert [c.rank for c in chart.columns] == [1, 2, 3, 4]
    assert [c.label for c in chart.columns if c.is_self] == ["Tỉnh ủy"]
    heights = [c.height for c in chart.columns]
    assert heights == sorted(heights, reverse=True) and heights[0] > heights[-1] > 0
    client.force_login(w.admin)
    html = client.get(reverse("home"), {"year": 2023, "as_of": AS_OF.isoformat()}).content.decode()
    admissions = html[html.index('id="area-admissions"') :]
    assert re.search(r'<rect class="bar own"[^>]*><title>2\. Tỉnh ủy: ', admissions)
    assert "rank 2 of 4: " in admissions


def test_no_rank_chart_without_peer_figures(province):
    board = dashboard.dashboard(viewer=province.admin, org=province.P, year=2023, as_of=AS_OF)
    assert not [c for c in _section(board, "admissions").charts if isinstance(c, RankChart)]

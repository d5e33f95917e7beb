"""The dashboard's figures are the reports' figures, for the same organisation and
date, and a scoped viewer's dashboard counts only their subtree."""

from django.urls import reverse
from django.utils import timezone

from serment.admissions.reports import admissions_cli
from serment.home import dashboard
from serment.oath.reports import oath_coverage
from serment.ratings.reports import ratings

from .conftest import AS_OF


def _sections(board):
    return {s.key: s for s in board.sections}


def test_oath_figures_equal_the_coverage_report(province):
    w = province
    board = dashboard.dashboard(viewer=w.admin, org=w.P, year=2023, as_of=AS_OF)
    oath = _sections(board)["oath"].values
    total = oath_coverage(viewer=w.admin, org=w.P, options={"as_of": AS_OF}).data["total"]
    assert (oath["cells_held"], oath["cells"]) == (total["cells_held"], total["cells"]) == (1, 4)
    assert (oath["members_reported"], oath["members_expected"]) == (
        total["members_reported"],
        total["members_expected"],
    )
    assert float(oath["members_percent"]) == total["members_percent"]
    assert oath["members_not_reported"] == total["not_reported"]


def test_rating_figures_equal_the_rating_report(province):
    w = province
    board = dashboard.dashboard(viewer=w.admin, org=w.P, year=2023, as_of=AS_OF)
    values = _sections(board)["ratings"].values
    table = ratings(viewer=w.admin, org=w.P, options={"year": 2023}).data
    groups = {g["group"]: g for g in table["groups"]}
    for key in ("grassroots", "members", "higher"):
        assert values[f"{key}.rated"] == groups[key]["rated"]
        assert values[f"{key}.good_or_better"] == groups[key]["good_or_better"]
        assert float(values[f"{key}.good_or_better_percent"] or 0) == (
            groups[key]["good_or_better_percent"] or 0
        )
    assert values["grassroots.rated"] == 3
    assert values["members.good_or_better"] == 2
    assert values["not_completed_twice"] == table["members_not_completed_two_years_running"]


def test_admission_figures_equal_the_admission_report(province):
    w = province
    board = dashboard.dashboard(viewer=w.admin, org=w.P, year=2023, as_of=AS_OF)
    values = _sections(board)["admissions"].values
    data = admissions_cli(viewer=w.admin, org=w.P, options={"year": 2023, "as_of": AS_OF}).data
    assert values["admitted"] == data["admitted"] == 2
    assert values["target"] == data["target"] == 4
    assert float(values["admitted_of_target_pct"]) == data["admitted_of_target_pct"] == 50.0
    assert values["members_at_start_of_year"] == data["members_at_start_of_year"]


def test_a_district_staff_dashboard_counts_only_their_subtree(province, client):
    w = province
    board = dashboard.dashboard(
        viewer=w.d1_staff, org=dashboard.default_organisation(w.d1_staff), year=2023, as_of=AS_OF
    )
    sections = _sections(board)
    assert board.organisation == w.D1
    assert (sections["oath"].values["cells_held"], sections["oath"].values["cells"]) == (1, 3)
    assert sections["oath"].values["members_expected"] == 3  # alice, bob, new1; not carol or new2
    assert sections["admissions"].values["admitted"] == 1  # new1 in C1, not new2 in C3
    client.force_login(w.d1_staff)
    page = client.get(reverse("home:dashboard"), {"year": 2023, "as_of": AS_OF.isoformat()})
    assert page.status_code == 200
    assert page.context["board"].organisation == w.D1
    assert client.get(reverse("home:dashboard"), {"org": w.P.pk}).status_code == 404
    assert client.get(reverse("home:dashboard"), {"org": w.D2.pk}).status_code == 404


def test_each_figure_links_to_the_records_behind_it(province, client):
    w = province
    client.force_login(w.admin)
    page = client.get(reverse("home"), {"org": w.P.pk, "year": 2023, "as_of": AS_OF.isoformat()})
    html = page.content.decode()
    cells = reverse("oath:coverage_list", args=[w.campaign_2023.pk, "cells"])
    assert f"{cells}?category=held&amp;org={w.P.pk}&amp;as_of=2023-06-30" in html
    assert "1 / 4 = 25.0%" in html
    records = reverse("ratings:records")
    assert f"{records}?group=members&amp;year=2023&amp;org={w.P.pk}&amp;good_or_better=1" in html
    admitted = reverse("admissions:drilldown", args=["admitted"])
    assert f"{admitted}?org={w.P.pk}&amp;year=2023" in html
    followed = client.get(f"{cells}?category=held&org={w.P.pk}&as_of=2023-06-30")
    assert w.C1.name in followed.content.decode()


def test_charts_are_svg_with_a_table_fallback(province, client):
    w = province
    client.force_login(w.leader)
    html = client.get(reverse("home"), {"year": 2023, "as_of": AS_OF.isoformat()}).content.decode()
    assert '<svg viewBox="0 0 360' in html
    assert "Members who reported, by organisation" in html
    assert "<summary>As a table</summary>" in html
    assert "<script" not in html.split("<body", 1)[1]  # the charts need no script


def test_a_bad_period_shows_a_field_error_and_the_defaults(province, client):
    client.force_login(province.admin)
    page = client.get(reverse("home:dashboard"), {"year": "abc", "as_of": "2023-13-45"})
    assert page.status_code == 200
    assert page.context["period_form"].errors.keys() == {"year", "as_of"}
    assert page.context["board"].as_of == timezone.localdate()
    assert page.context["board"].organisation == province.P


def test_figures_read_as_the_readers_language_writes_numbers():
    from decimal import Decimal

    from django.utils import translation

    from serment.home.charts import number, percent_text

    with translation.override("vi"):
        assert (number(42022), percent_text(Decimal("92.5"))) == ("42.022", "92,5%")
    with translation.override("en"):
        assert (number(42022), percent_text(Decimal("92.5"))) == ("42,022", "92.5%")

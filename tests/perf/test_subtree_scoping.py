"""Issue 14, goal 1: a subtree is an index range, and selects the same rows as before."""

import re
from pathlib import Path

import pytest
from django.db import connection

from serment.core.actors import SYSTEM
from serment.core.db import refresh_statistics
from serment.core.scoping import subtree_bounds
from serment.members.importers import import_members
from serment.members.models import Member
from serment.members.queries import search_members
from serment.organisations.models import Organisation

from .. import factories as f
from ..imports.conftest import member_csv, member_row

SRC = Path(__file__).resolve().parents[2] / "src" / "serment"


def test_subtree_bounds_enclose_exactly_the_paths_below():
    low, high = subtree_bounds("1/14/")
    assert (low, high) == ("1/14/", "1/140")
    inside = ["1/14/", "1/14/3/", "1/14/999/7/"]
    outside = ["1/140/", "1/141/", "1/13/", "1/1/", "1/2/", "2/14/"]
    assert [p for p in inside + outside if low <= p < high] == inside


def test_the_subtree_lookup_selects_what_startswith_selected(world):
    paths = list(Organisation.objects.values_list("path", flat=True))
    for org in Organisation.objects.all():
        expected = sorted(p for p in paths if p.startswith(org.path))
        got = sorted(Organisation.objects.filter(path__subtree=org.path).values_list("path", flat=True))
        assert got == expected, org.code
        members = sorted(
            m.pk
            for m in Member.objects.select_related("organisation")
            if m.organisation.path.startswith(org.path)
        )
        assert sorted(
            Member.objects.filter(organisation__path__subtree=org.path).values_list("pk", flat=True)
        ) == (members)


def test_each_role_sees_the_same_members_as_before(world):
    everyone = {m.pk: m.organisation.path for m in Member.objects.select_related("organisation")}
    assert sorted(search_members(viewer=world.g1_staff).values_list("full_name", flat=True)) == [
        "Lê Văn Bob",
        "Trần Thị Alice",
    ]
    assert sorted(search_members(viewer=world.outsider).values_list("pk", flat=True)) == sorted(
        pk for pk, path in everyone.items() if path.startswith(world.D2.path)
    )
    assert sorted(search_members(viewer=world.admin).values_list("pk", flat=True)) == sorted(everyone)
    assert list(search_members(viewer=world.alice_user).values_list("pk", flat=True)) == [world.alice.pk]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # a handful of rows: the planner rightly prefers a scan; ask whether the index can serve
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
        return plan


@pytest.fixture
def wide_province(db):
    """A province of 3 districts x 3 grassroots committees x 4 cells, 1,200 members
    imported (so their statistics are current), and a grassroots staff user."""
    province = f.org("province", code="WP")
    cells = []
    for d in range(3):
        district = f.org("district_committee", province, code=f"WD{d}")
        for g in range(3):
            grassroots = f.org("grassroots_committee", district, code=f"WG{d}{g}")
            cells += [f.org("cell", grassroots, code=f"WC{d}{g}{c}") for c in range(4)]
    rows = [
        member_row(
            name=f"Đảng viên {i}", card=f"W{i:05d}", cid=f"0602{i:08d}", cell=cells[i % len(cells)].code
        )
        for i in range(1200)
    ]
    report = import_members(by=SYSTEM, data=member_csv(*rows), filename="m.csv", dry_run=False)
    assert report.created == 1200
    refresh_statistics()  # as the organisation import and each demo step leave them
    staff = f.user("grassroots_staff")
    f.role(staff, cells[0].parent, "org_staff")
    return staff


@pytest.mark.slow
def test_a_grassroots_member_list_reads_the_organisation_path_index(wide_province):
    members = search_members(viewer=wide_province)
    assert (
        members.count() == 4 * 34
    )  # 4 of the 36 cells; 1,200 members dealt round-robin, 34 to each of these
    plan = _plan(members.order_by())  # the page's count (its rows: the name index, LIMIT 50)
    if connection.vendor == "sqlite":
        # SEARCH organisations_organisation USING INDEX organisations_organisation_path_… (path>? AND path<?)
        assert re.search(
            r"SEARCH \S*organisations_organisation USING (COVERING )?INDEX \S*path\S* \(path>\? AND path<\?\)",
            plan,
        ), plan
    else:
        # Index Cond: (((path)::text ~>=~ '1/2/'::text) AND ((path)::text ~<~ '1/20'::text)) on the _like index
        assert re.search(
            r"(Index (Only )?Scan using|Bitmap Index Scan on) \S*organisation_path\S*_like", plan
        ), plan
        assert "~>=~" in plan and "~<~" in plan, plan


def test_no_code_selects_a_subtree_with_startswith():
    """``path__startswith`` is a full scan on SQLite: use ``path__subtree``."""
    offenders = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"path__(i?startswith)\b", line)
    ]
    assert offenders == []


def test_the_whole_tree_is_every_row(world):
    assert Organisation.objects.filter(path__subtree="").count() == Organisation.objects.count()

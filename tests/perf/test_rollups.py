"""Issue 14, goal 3: the roll-ups are set-based, and count what the records say.

The coverage counts (joins of sets on PostgreSQL, membership tests on SQLite) must
agree with the lists behind each figure (``coverage_members``, ``coverage_cells``),
for every level of the tree, with members who moved, were exempt, transferred out,
absent or presented twice; and no plan may fall back to a subquery run per row."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from serment.core.actors import SYSTEM
from serment.core.db import refresh_statistics
from serment.members.actions import exempt_member, transfer_member, transfer_temporarily
from serment.oath import actions as oath_actions
from serment.oath import queries as oath_queries
from serment.ratings import queries as rating_queries
from serment.ratings.actions import decide_round, open_round, review_many
from serment.ratings.models import Rating

from .. import factories as f
from ..oath.conftest import ON_PAPER, SPRING_2023, held_meeting

AS_OF = dt.date(2023, 6, 30)


@pytest.fixture
def campaign_2023(world):
    return oath_actions.launch_campaign(
        by=world.admin, organisation=world.P, title="Giữ trọn lời thề", **SPRING_2023, **ON_PAPER
    )


@pytest.fixture
def busy_campaign(world, campaign_2023):
    """Every case a member figure distinguishes, spread over two districts."""
    w = world
    old = f.member(w.C1, date_of_birth=dt.date(1950, 1, 1), full_name="Cụ Đông")
    exempt_member(by=w.admin, member=old, on=dt.date(2023, 1, 5), reason="age")
    away = f.member(w.C3, full_name="Ngô Văn Xa")
    transfer_temporarily(
        by=w.admin, member=away, on=dt.date(2023, 2, 1), until=dt.date(2023, 9, 1), destination="Học viện"
    )
    mover = f.member(w.C1, full_name="Đỗ Văn Chuyển")
    absent = f.member(w.C1, full_name="Vũ Thị Vắng", sex="female")
    f.member(w.GC1, full_name="Hồ Văn Lặng")  # on the register, no record at all
    # the mover leaves C1 for C3 before C3's meeting and presents there: counted in C3, once
    held_meeting(
        w.admin, campaign_2023, w.C1, dt.date(2023, 4, 10), presented=[w.alice, old], absent=[absent]
    )
    transfer_member(by=w.admin, member=mover, to=w.C3, on=dt.date(2023, 4, 20))
    held_meeting(w.admin, campaign_2023, w.C3, dt.date(2023, 5, 2), presented=[mover, w.carol])
    return campaign_2023


def _listed(campaign, org, category):
    return oath_queries.coverage_members(
        viewer=SYSTEM, campaign=campaign, org=org, as_of=AS_OF, category=category
    ).count()


def test_every_member_figure_equals_the_list_behind_it_at_every_level(world, busy_campaign):
    w = world
    for org in (None, w.P, w.D1, w.D2, w.G1, w.GC1, w.C1, w.C3):
        cov = oath_queries.coverage(viewer=SYSTEM, campaign=busy_campaign, org=org, as_of=AS_OF)
        for category in oath_queries.MEMBER_CATEGORIES:
            assert cov.total.members[category] == _listed(busy_campaign, org, category), (org, category)
        for row in cov.rows:
            listed = {c: _listed(busy_campaign, row.organisation, c) for c in oath_queries.MEMBER_CATEGORIES}
            assert row.members == listed, (org, row.organisation)


def test_the_figures_of_the_busy_province(world, busy_campaign):
    cov = oath_queries.coverage(viewer=SYSTEM, campaign=busy_campaign, org=world.P, as_of=AS_OF)
    by_level = {r.organisation.code: r for r in cov.rows}
    # on the register: alice, absent, old (C1, exempt), bob (C2), the silent one (GC1),
    # carol, away (transferred out), the mover (C3); expected: the six active ones;
    # reported: alice, carol, the mover (old presented, but the exempt are not expected)
    assert cov.total.members == {
        "register": 8,
        "expected": 6,
        "reported": 3,
        "exempt": 0,
        "transferred_out": 1,
        "absent": 1,
        "not_reported": 2,
    }
    assert (by_level["D1"].cells_held, by_level["D1"].cells) == (1, 3)  # C1 of C1, C2, GC1
    assert (by_level["D2"].cells_held, by_level["D2"].cells) == (1, 1)
    assert by_level["D2"].members["reported"] == 2  # the mover and carol, in C3 on the day


def test_every_cell_figure_equals_the_list_behind_it(world, busy_campaign):
    for org in (None, world.P, world.D1, world.G1):
        cov = oath_queries.coverage(viewer=SYSTEM, campaign=busy_campaign, org=org, as_of=AS_OF)
        for category, figure in (("all", cov.total.cells), ("held", cov.total.cells_held)):
            listed = oath_queries.coverage_cells(
                viewer=SYSTEM, campaign=busy_campaign, org=org, as_of=AS_OF, category=category
            )
            assert figure == listed.count(), (org, category)


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(r) for r in cursor.fetchall())


def test_the_coverage_counts_run_no_subquery_per_row(world, busy_campaign):
    for org in (None, world.P, world.D1):
        with CaptureQueriesContext(connection) as ctx:
            oath_queries.coverage(viewer=SYSTEM, campaign=busy_campaign, org=org, as_of=AS_OF)
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT" in q["sql"].upper()]
        assert len(counts) == 2
        for sql in counts:
            plan = _plan(sql, None)
            # PostgreSQL: a correlated subquery shows as a SubPlan run per row (a hashed
            # one, built once, would say "hashed SubPlan"); SQLite says CORRELATED.
            assert "CORRELATED" not in plan, plan
            assert not any("SubPlan" in line and "hashed" not in line for line in plan.splitlines()), plan


@pytest.fixture
def decided_2022(world):
    rnd = open_round(by=world.admin, organisation=world.P, year=2022, on=dt.date(2022, 12, 1))
    levels = {pk: "good" for pk in Rating.objects.filter(round=rnd).values_list("pk", flat=True)}
    review_many(by=world.admin, round=rnd, levels=levels, on=dt.date(2022, 12, 10))
    decide_round(by=world.admin, round=rnd, on=dt.date(2022, 12, 20))
    return rnd


def test_the_ratings_report_reads_the_covering_index(world, decided_2022):
    if connection.vendor != "sqlite":
        pytest.skip("the covering index's use is checked on SQLite, whose planner is deterministic here")
    refresh_statistics()
    with CaptureQueriesContext(connection) as ctx:
        rating_queries.rating_report(world.g1_staff, org=world.G1, year=2022)
    counts = [q["sql"] for q in ctx.captured_queries if 'COUNT("ratings_rating"."id")' in q["sql"]]
    assert len(counts) == 1
    assert "COVERING INDEX rating_report_idx" in _plan(counts[0], None)


def test_latest_year_is_found_for_a_small_scope(world, decided_2022):
    assert rating_queries.latest_year(world.g1_staff) == 2022
    assert rating_queries.latest_year(world.g1_staff, world.C1) == 2022

import datetime as dt
from decimal import Decimal

import pytest

from serment.core.errors import NotPermitted
from serment.core.scoping import SYSTEM
from serment.members.actions import exempt_member, transfer_member, transfer_temporarily
from serment.oath import actions, queries
from tests import factories as f

from .conftest import ON_PAPER, SPRING_2023, held_meeting

AS_OF = dt.date(2023, 6, 30)


def figures(cov):
    return {
        (r.organisation.code if r.organisation else "*"): (
            r.cells_held,
            r.cells,
            r.members["reported"],
            r.members["expected"],
            r.percent,
        )
        for r in [cov.total, *cov.rows]
    }


def test_levels_count_cells_that_held_the_meeting_and_members_who_reported(world, campaign_2023):
    held_meeting(world.admin, campaign_2023, world.C1, dt.date(2023, 4, 10), presented=[world.alice])
    cov = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.P, as_of=AS_OF)
    assert figures(cov) == {
        "P": (1, 4, 1, 3, Decimal("33.3")),
        "D1": (1, 3, 1, 2, 50),
        "D2": (0, 1, 0, 1, 0),
    }
    assert cov.total.members["not_reported"] == 2


def test_a_meeting_after_the_as_of_date_does_not_count_yet(world, campaign_2023):
    held_meeting(world.admin, campaign_2023, world.C1, dt.date(2023, 4, 10), presented=[world.alice])
    cov = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.D1, as_of=dt.date(2023, 4, 9))
    assert (cov.total.cells_held, cov.total.members["reported"]) == (0, 0)
    cov = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.D1, as_of=dt.date(2023, 4, 10))
    assert (cov.total.cells_held, cov.total.members["reported"]) == (1, 1)


def test_exempt_and_temporarily_transferred_members_are_not_expected_by_default(world, campaign_2023):
    old = f.member(world.C2, date_of_birth=dt.date(1950, 1, 1))
    exempt_member(by=world.admin, member=old, on=dt.date(2023, 1, 5), reason="age")
    transfer_temporarily(
        by=world.admin,
        member=world.bob,
        on=dt.date(2023, 2, 1),
        until=dt.date(2023, 9, 1),
        destination="Học viện",
    )
    held_meeting(world.admin, campaign_2023, world.C1, dt.date(2023, 4, 10), presented=[world.alice])
    total = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.D1, as_of=AS_OF).total
    assert (total.members["reported"], total.members["expected"], total.percent) == (1, 1, 100)
    assert (total.members["exempt"], total.members["transferred_out"], total.members["register"]) == (1, 1, 3)


def test_the_whole_register_can_be_the_denominator(world):
    campaign = actions.launch_campaign(
        by=world.admin,
        organisation=world.P,
        title="2023",
        count_whole_register=True,
        **SPRING_2023,
        **ON_PAPER,  # self-assessments on paper: alice presents without one submitted here
    )
    transfer_temporarily(
        by=world.admin,
        member=world.bob,
        on=dt.date(2023, 2, 1),
        until=dt.date(2023, 9, 1),
        destination="Học viện",
    )
    held_meeting(world.admin, campaign, world.C1, dt.date(2023, 4, 10), presented=[world.alice])
    total = queries.coverage(viewer=SYSTEM, campaign=campaign, org=world.D1, as_of=AS_OF).total
    assert (total.members["reported"], total.members["expected"], total.percent) == (1, 2, 50)
    assert (total.members["transferred_out"], total.members["not_reported"]) == (1, 0)


def test_the_as_of_date_decides_the_state_of_each_member(world, campaign_2023):
    exempt_member(
        by=world.admin,
        member=f.member(world.C2, date_of_birth=dt.date(1950, 1, 1)),
        on=dt.date(2023, 6, 1),
        reason="age",
    )
    before = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.G1, as_of=dt.date(2023, 5, 31))
    after = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.G1, as_of=AS_OF)
    assert (before.total.members["expected"], before.total.members["exempt"]) == (3, 0)
    assert (after.total.members["expected"], after.total.members["exempt"]) == (2, 1)


def test_members_count_in_the_cell_they_belonged_to_on_the_date(world, campaign_2023):
    transfer_member(by=world.admin, member=world.bob, to=world.C3, on=dt.date(2023, 7, 15))
    cov = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.P, as_of=AS_OF)
    assert {r.organisation.code: r.members["register"] for r in cov.rows} == {"D1": 2, "D2": 1}
    later = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.P, as_of=dt.date(2023, 8, 1))
    assert {r.organisation.code: r.members["register"] for r in later.rows} == {"D1": 1, "D2": 2}


def test_members_admitted_after_the_date_are_not_counted(world, campaign_2023):
    f.member(world.C1, admitted_on=dt.date(2023, 7, 1), official_on=None)
    total = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.C1, as_of=AS_OF).total
    assert total.members["register"] == 1


def test_absent_members_are_listed_with_their_reason(world, campaign_2023):
    extra = f.member(world.C1)
    held_meeting(
        world.admin, campaign_2023, world.C1, dt.date(2023, 4, 10), presented=[world.alice], absent=[extra]
    )
    total = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.C1, as_of=AS_OF).total
    assert (total.members["reported"], total.members["absent"], total.members["not_reported"]) == (1, 1, 0)
    listed = queries.coverage_members(
        viewer=SYSTEM, campaign=campaign_2023, org=world.C1, as_of=AS_OF, category="absent"
    )
    assert [m.member for m in listed] == [extra]


def test_drill_down_lists_match_the_figures(world, campaign_2023):
    held_meeting(world.admin, campaign_2023, world.C1, dt.date(2023, 4, 10), presented=[world.alice])
    cells = queries.coverage_cells(
        viewer=SYSTEM, campaign=campaign_2023, org=world.D1, as_of=AS_OF, category="not_held"
    )
    assert [c.code for c in cells] == ["C2", "GC1"]
    reported = queries.coverage_members(
        viewer=SYSTEM, campaign=campaign_2023, org=world.P, as_of=AS_OF, category="reported"
    )
    assert [m.member for m in reported] == [world.alice]


def test_whole_tree_has_one_row_per_root(world, campaign_2023):
    cov = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=None, as_of=AS_OF)
    assert figures(cov)["P"] == (0, 4, 0, 3, 0)
    assert figures(cov)["*"] == (0, 4, 0, 3, 0)


def test_staff_of_a_sibling_subtree_cannot_see_the_coverage(world, campaign_2023):
    with pytest.raises(NotPermitted):
        queries.coverage(viewer=world.outsider, campaign=campaign_2023, org=world.D1, as_of=AS_OF)
    with pytest.raises(NotPermitted):
        queries.coverage(viewer=world.alice_user, campaign=campaign_2023, org=world.C1, as_of=AS_OF)


@pytest.mark.parametrize("cells", [1, 3])
def test_coverage_queries_do_not_grow_with_the_tree(
    world, campaign_2023, cells, django_assert_max_num_queries
):
    for i in range(cells):
        cell = f.org("cell", world.G2, code=f"X{i}")
        members = [f.member(cell), f.member(cell)]
        held_meeting(world.admin, campaign_2023, cell, dt.date(2023, 4, 10), presented=members)
    with django_assert_max_num_queries(3):
        queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.P, as_of=AS_OF)

import datetime as dt

import pytest

from serment.core.errors import DomainError, NotPermitted
from serment.members.actions import transfer_member
from serment.members.models import Membership


def test_internal_transfer_within_a_grassroots_committee_closes_and_opens_periods(world):
    transfer_member(by=world.g1_staff, member=world.alice, to=world.C2, on=dt.date(2023, 2, 1), internal=True)
    world.alice.refresh_from_db()
    assert world.alice.organisation == world.C2
    periods = list(
        Membership.objects.filter(member=world.alice).values_list("organisation__code", "ends_on", "kind")
    )
    assert periods == [("C1", dt.date(2023, 2, 1), "registered"), ("C2", None, "internal_transfer")]


def test_internal_transfer_to_another_grassroots_organisation_is_refused(world):
    with pytest.raises(DomainError) as exc:
        transfer_member(
            by=world.d1_staff, member=world.alice, to=world.GC1, on=dt.date(2023, 2, 1), internal=True
        )
    assert exc.value.field == "to"
    world.alice.refresh_from_db()
    assert world.alice.organisation == world.C1


def test_official_transfer_to_another_district_needs_a_scope_covering_both(world):
    with pytest.raises(NotPermitted):
        transfer_member(by=world.d1_staff, member=world.alice, to=world.C3, on=dt.date(2023, 2, 1))
    transfer_member(by=world.admin, member=world.alice, to=world.C3, on=dt.date(2023, 2, 1))
    world.alice.refresh_from_db()
    assert world.alice.organisation == world.C3


def test_transfer_to_a_committee_rather_than_a_cell_is_refused(world):
    with pytest.raises(DomainError) as exc:
        transfer_member(by=world.admin, member=world.alice, to=world.G1, on=dt.date(2023, 2, 1))
    assert exc.value.field == "to"


def test_transfer_dated_before_joining_the_current_cell_is_refused(world):
    with pytest.raises(DomainError) as exc:
        transfer_member(by=world.admin, member=world.alice, to=world.C2, on=dt.date(2000, 1, 1))
    assert exc.value.code == "before_current_cell"
    assert Membership.objects.filter(member=world.alice).count() == 1

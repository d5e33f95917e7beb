import datetime as dt

import pytest

from serment.core.errors import DomainError
from serment.members.actions import expel, record_death, strike_off, transfer_out_of_province
from serment.members.models import Member, Membership


def test_death_closes_the_membership_and_the_member_leaves_the_lists(world):
    record_death(by=world.secretary, member=world.alice, on=dt.date(2023, 4, 2))
    world.alice.refresh_from_db()
    assert (world.alice.state, world.alice.left_reason, world.alice.left_on) == (
        "left",
        "deceased",
        dt.date(2023, 4, 2),
    )
    assert Membership.objects.get(member=world.alice).ends_on == dt.date(2023, 4, 2)
    assert list(Member.objects.current().filter(organisation=world.C1)) == []


def test_expulsion_and_striking_off_need_the_decision_reference(world):
    with pytest.raises(DomainError) as exc:
        expel(by=world.secretary, member=world.alice, on=dt.date(2023, 4, 2), document_ref="")
    assert (exc.value.field, exc.value.code) == ("document_ref", "decision_ref_required")
    with pytest.raises(DomainError) as exc:
        strike_off(by=world.secretary, member=world.alice, on=dt.date(2023, 4, 2))
    assert exc.value.code == "decision_ref_required"
    world.alice.refresh_from_db()
    assert world.alice.state == "active"


def test_transfer_out_of_the_province_needs_a_destination(world):
    with pytest.raises(DomainError) as exc:
        transfer_out_of_province(
            by=world.secretary, member=world.alice, on=dt.date(2023, 4, 2), destination=" "
        )
    assert exc.value.code == "destination_required"
    transfer_out_of_province(
        by=world.secretary, member=world.alice, on=dt.date(2023, 4, 2), destination="Đảng bộ tỉnh Lâm Đồng"
    )
    world.alice.refresh_from_db()
    assert world.alice.left_reason == "transferred_away"


def test_a_member_who_left_cannot_leave_again(world):
    record_death(by=world.secretary, member=world.alice, on=dt.date(2023, 4, 2))
    with pytest.raises(DomainError) as exc:
        record_death(by=world.secretary, member=world.alice, on=dt.date(2023, 4, 3))
    assert exc.value.code == "member_left"

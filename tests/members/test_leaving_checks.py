"""The named checks of the ways to leave the register, of the post actions and of
reinstating an expelled member: one code each."""

import datetime as dt

import pytest

from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.members import actions
from serment.members.models import Member, Membership

ON = dt.date(2023, 3, 1)


def codes(refusals):
    return [r.code for r in refusals]


def test_strike_off_and_expel_need_the_decisions_reference(world):
    assert codes(actions.check_strike_off(by=world.secretary, member=world.alice, on=ON)) == [
        "decision_ref_required"
    ]
    assert codes(actions.check_expel(by=world.secretary, member=world.alice, on=ON)) == [
        "decision_ref_required"
    ]
    assert actions.check_expel(by=world.secretary, member=world.alice, on=ON, document_ref="1-QĐ") == []
    assert codes(
        actions.check_strike_off(by=world.outsider, member=world.alice, on=ON, document_ref="1")
    ) == ["not_permitted"]
    assert codes(actions.check_expel(by=None, member=world.alice, on=ON, document_ref="1")) == ["no_actor"]


def test_record_death_before_admission_is_refused(world):
    assert codes(
        actions.check_record_death(by=world.secretary, member=world.alice, on=dt.date(2000, 1, 1))
    ) == ["date_too_early"]


def test_transfer_out_of_the_province_needs_a_destination(world):
    check = actions.check_transfer_out_of_province
    assert codes(check(by=world.secretary, member=world.alice, on=ON, destination=" ")) == [
        "destination_required"
    ]
    assert codes(check(by=world.leader, member=world.alice, on=ON, destination="Hà Nội")) == ["not_permitted"]
    with pytest.raises(Refused) as exc:
        actions.transfer_out_of_province(by=world.secretary, member=world.alice, on=ON, destination="")
    assert exc.value.codes == ["destination_required"]
    assert Member.objects.get(pk=world.alice.pk).state == "active"


def test_a_member_who_left_cannot_leave_again(world):
    actions.record_death(by=SYSTEM, member=world.bob, on=ON)
    bob = Member.objects.select_related("organisation").get(pk=world.bob.pk)
    assert codes(actions.check_strike_off(by=SYSTEM, member=bob, on=ON, document_ref="1")) == ["member_left"]


def test_the_post_checks_are_named_in_the_member_actions(world):
    holding = actions.assign_post(by=SYSTEM, member=world.bob, organisation=world.C2, post="secretary", on=ON)
    assert codes(
        actions.check_assign_post(member=world.bob, organisation=world.C2, post="secretary", on=ON)
    ) == ["post_already_held"]
    assert codes(actions.check_end_post(holding=holding, on=dt.date(2020, 1, 1))) == ["post_end_before_start"]
    actions.end_post(by=SYSTEM, holding=holding, on=dt.date(2023, 6, 1))
    holding.refresh_from_db()
    assert codes(actions.check_end_post(holding=holding, on=dt.date(2023, 7, 1))) == ["post_already_ended"]


def test_reinstating_codes(world):
    check = actions.check_reinstate_member
    assert codes(check(by=SYSTEM, member=world.alice, cell=world.C1, on=ON)) == ["member_on_register"]
    actions.expel(by=SYSTEM, member=world.alice, on=ON, document_ref="7-QĐ")
    alice = Member.objects.get(pk=world.alice.pk)
    assert codes(check(by=world.outsider, member=alice, cell=world.C1, on=ON)) == ["not_permitted"]
    assert codes(check(by=SYSTEM, member=alice, cell=world.C1, on=dt.date(2023, 1, 1))) == ["date_too_early"]
    assert codes(check(by=SYSTEM, member=alice, cell=world.G1, on=ON)) == ["not_a_cell"]
    actions.reinstate_member(by=SYSTEM, member=alice, cell=world.C2, on=dt.date(2023, 9, 1), document_ref="3")
    assert Membership.objects.get(member=alice, ends_on__isnull=True).kind == "reinstated"
    actions.record_death(by=SYSTEM, member=world.bob, on=ON)
    assert codes(check(by=SYSTEM, member=Member.objects.get(pk=world.bob.pk), cell=world.C2, on=ON)) == [
        "member_deceased"
    ]
    actions.transfer_out_of_province(by=SYSTEM, member=world.carol, on=ON, destination="Hà Nội")
    assert codes(check(by=SYSTEM, member=Member.objects.get(pk=world.carol.pk), cell=world.C3, on=ON)) == [
        "member_left_otherwise"
    ]

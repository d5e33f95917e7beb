"""Probation: a helper, then the cell's vote recognises the member or not."""

import datetime as dt

import pytest

from serment.admissions import actions
from serment.admissions.models import ProbationHelper, ProbationReview
from serment.core.errors import DomainError
from serment.members.models import LeftReason, Member, State

D = dt.date


def test_a_helper_is_an_official_member_of_the_same_cell(adm):
    assignment = actions.assign_helper(by=adm.secretary, member=adm.eve, helper=adm.dan, on=D(2023, 1, 15))
    assert (assignment.member, assignment.helper, assignment.ends_on) == (adm.eve, adm.dan, None)


def test_a_new_helper_replaces_the_previous_one(adm):
    actions.assign_helper(by=adm.secretary, member=adm.eve, helper=adm.dan, on=D(2023, 1, 15))
    actions.assign_helper(by=adm.secretary, member=adm.eve, helper=adm.alice, on=D(2023, 3, 1))
    assert list(
        ProbationHelper.objects.filter(member=adm.eve).values_list("helper__full_name", "ends_on")
    ) == [
        ("Đỗ Văn Dan", D(2023, 3, 1)),
        ("Trần Thị Alice", None),
    ]


def test_a_helper_from_another_cell_is_refused(adm):
    with pytest.raises(DomainError) as refusal:
        actions.assign_helper(by=adm.g1_staff, member=adm.eve, helper=adm.bob, on=D(2023, 1, 15))
    assert refusal.value.message == "The helper must belong to the same cell (Chi bộ thôn 1)."


def test_a_probationary_helper_is_refused(adm):
    with pytest.raises(DomainError) as refusal:
        actions.assign_helper(by=adm.secretary, member=adm.dan, helper=adm.eve, on=D(2023, 1, 15))
    assert refusal.value.message == "Đỗ Văn Dan is already an official member."
    with pytest.raises(DomainError) as refusal:
        actions.assign_helper(by=adm.secretary, member=adm.eve, helper=adm.eve, on=D(2023, 1, 15))
    assert refusal.value.message == "A member cannot help themself."


def test_recognition_after_12_months_makes_the_member_official(adm):
    actions.assign_helper(by=adm.secretary, member=adm.eve, helper=adm.dan, on=D(2023, 1, 15))
    review = actions.recognise(
        by=adm.secretary, member=adm.eve, on=D(2024, 1, 12), votes_for=2, document_ref="NQ-3"
    )
    assert Member.objects.get(pk=adm.eve.pk).official_on == D(2024, 1, 10)  # the end of probation
    assert (review.recognised, review.votes_for) == (True, 2)
    assert ProbationHelper.objects.get(member=adm.eve).ends_on == D(2024, 1, 12)


def test_recognition_before_the_end_of_probation_is_refused(adm):
    with pytest.raises(DomainError) as refusal:
        actions.recognise(by=adm.secretary, member=adm.eve, on=D(2024, 1, 9))
    assert refusal.value.message == "Probation lasts until 10 Jan 2024; recognition cannot be dated earlier."
    assert not ProbationReview.objects.exists()


def test_non_recognition_takes_the_member_off_the_register_with_the_outcome(adm):
    review = actions.refuse_recognition(
        by=adm.secretary, member=adm.eve, on=D(2024, 1, 12), reason="Did not meet the standards", votes_for=0
    )
    eve = Member.objects.get(pk=adm.eve.pk)
    assert (eve.state, eve.left_on, eve.left_reason) == (
        State.LEFT,
        D(2024, 1, 12),
        LeftReason.NOT_RECOGNISED,
    )
    assert (review.recognised, review.notes) == (False, "Did not meet the standards")


def test_non_recognition_before_the_end_of_probation_is_refused(adm):
    with pytest.raises(DomainError) as refusal:
        actions.refuse_recognition(by=adm.secretary, member=adm.eve, on=D(2023, 12, 1), reason="x")
    assert refusal.value.message == "Probation lasts until 10 Jan 2024; the vote cannot be dated earlier."


def test_an_official_member_cannot_be_reviewed_again(adm):
    with pytest.raises(DomainError) as refusal:
        actions.recognise(by=adm.secretary, member=adm.dan, on=D(2024, 1, 12))
    assert refusal.value.message == "Đỗ Văn Dan is already an official member."

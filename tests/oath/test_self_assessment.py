import datetime as dt

import pytest
from django.http import Http404

from serment.core.errors import DomainError, NotPermitted
from serment.core.scoping import get_visible_or_404
from serment.oath import actions
from serment.oath.models import SelfAssessment

TEXTS = dict(
    kept="Gương mẫu", not_well="Chưa sâu sát", not_done="Chưa hoàn thành lớp học", will_do="Khắc phục"
)


def test_a_member_saves_a_draft_then_submits_it(world, campaign):
    a = actions.save_self_assessment(by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS)
    assert a.status == "draft"
    a = actions.submit_self_assessment(by=world.alice_user, assessment=a)
    assert (a.status, a.report_type) == ("submitted", "oath")


@pytest.mark.parametrize(
    ("occasions", "report_type"),
    [
        (["appointment"], "oath_office"),
        (["task"], "oath_office"),
        (["election"], "oath_candidacy"),
        (["election", "appointment"], "oath_office_candidacy"),
        (["admission"], "oath"),
    ],
)
def test_the_report_type_follows_from_the_members_promises(world, campaign, occasions, report_type):
    for occasion in occasions:
        actions.add_promise(
            by=world.alice_user,
            member=world.alice,
            made_on=dt.date(2020, 1, 1),
            occasion=occasion,
            to_whom="collective",
            text="Lời hứa",
        )
    a = actions.save_self_assessment(by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS)
    assert actions.submit_self_assessment(by=world.alice_user, assessment=a).report_type == report_type


def test_only_the_member_writes_their_self_assessment(world, campaign):
    with pytest.raises(NotPermitted):
        actions.save_self_assessment(by=world.secretary, campaign=campaign, member=world.alice, **TEXTS)


def test_every_part_must_be_written_before_submitting(world, campaign):
    a = actions.save_self_assessment(
        by=world.alice_user, campaign=campaign, member=world.alice, **{**TEXTS, "will_do": ""}
    )
    with pytest.raises(DomainError) as exc:
        actions.submit_self_assessment(by=world.alice_user, assessment=a)
    assert exc.value.field == "will_do"


def test_a_submitted_self_assessment_cannot_be_changed(world, campaign):
    a = actions.save_self_assessment(by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS)
    actions.submit_self_assessment(by=world.alice_user, assessment=a)
    with pytest.raises(DomainError) as exc:
        actions.save_self_assessment(by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS)
    assert exc.value.code == "already_submitted"


def test_after_the_deadline_nothing_more_is_written(world, campaign_2023):
    with pytest.raises(DomainError) as exc:
        actions.save_self_assessment(by=world.alice_user, campaign=campaign_2023, member=world.alice, **TEXTS)
    assert exc.value.code == "deadline_passed"


def test_notes_on_promises_must_be_on_the_members_own_promises(world, campaign):
    own = actions.add_promise(
        by=world.alice_user,
        member=world.alice,
        made_on=dt.date(2020, 1, 1),
        occasion="task",
        to_whom="collective",
        text="Lời hứa",
    )
    other = actions.add_promise(
        by=world.g1_staff,
        member=world.bob,
        made_on=dt.date(2020, 1, 1),
        occasion="task",
        to_whom="collective",
        text="Lời hứa",
    )
    a = actions.save_self_assessment(
        by=world.alice_user, campaign=campaign, member=world.alice, promise_notes={own.pk: "Đã làm"}, **TEXTS
    )
    assert list(a.promise_notes.values_list("note", flat=True)) == ["Đã làm"]
    with pytest.raises(DomainError) as exc:
        actions.save_self_assessment(
            by=world.alice_user, campaign=campaign, member=world.alice, promise_notes={other.pk: "?"}, **TEXTS
        )
    assert exc.value.code == "note_on_others_promise"


def test_a_self_assessment_is_seen_by_its_author_and_staff_covering_the_cell(world, campaign):
    a = actions.save_self_assessment(by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS)
    for viewer in (world.alice_user, world.secretary, world.g1_staff, world.d1_staff, world.admin):
        assert get_visible_or_404(SelfAssessment.objects.all(), viewer, pk=a.pk) == a
    for viewer in (world.outsider,):
        with pytest.raises(Http404):
            get_visible_or_404(SelfAssessment.objects.all(), viewer, pk=a.pk)

"""Each oath action's ``check_<action>``: one refusal per code, asserted by its code, and
the action refusing with the same codes."""

import datetime as dt

import pytest
from django.utils import timezone

from serment.core.errors import Refused
from serment.oath import actions
from serment.oath.models import Presentation, Promise

from .conftest import ON_PAPER
from .test_self_assessment import TEXTS

APRIL = dt.date(2023, 4, 10)


def codes(refusals):
    return [r.code for r in refusals]


@pytest.fixture
def meeting(world, campaign_2023):
    return actions.schedule_meeting(by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=APRIL)


@pytest.fixture
def closed(world, meeting):
    actions.record_presentation(by=world.secretary, meeting=meeting, member=world.alice)
    return actions.close_meeting(by=world.secretary, meeting=meeting)


# --- reschedule_meeting ---------------------------------------------------------------


def test_reschedule_is_refused_outside_the_campaign_and_once_closed(world, meeting, closed):
    assert codes(actions.check_reschedule_meeting(by=world.secretary, meeting=closed, held_on=APRIL)) == [
        "meeting_closed"
    ]
    with pytest.raises(Refused) as exc:
        actions.reschedule_meeting(by=world.secretary, meeting=closed, held_on=APRIL)
    assert exc.value.codes == ["meeting_closed"]


def test_reschedule_checks_the_date_and_the_role(world, meeting):
    assert codes(
        actions.check_reschedule_meeting(by=world.secretary, meeting=meeting, held_on=dt.date(2023, 7, 1))
    ) == ["meeting_outside_campaign"]
    assert codes(actions.check_reschedule_meeting(by=world.secretary, meeting=meeting, held_on=None)) == [
        "meeting_date_missing"
    ]
    assert codes(actions.check_reschedule_meeting(by=world.leader, meeting=meeting, held_on=APRIL)) == [
        "not_permitted"
    ]
    assert codes(actions.check_reschedule_meeting(by=None, meeting=meeting, held_on=APRIL)) == ["no_actor"]
    moved = actions.reschedule_meeting(by=world.secretary, meeting=meeting, held_on=dt.date(2023, 4, 20))
    assert moved.held_on == dt.date(2023, 4, 20)


# --- record_suggestions, record_everyone_present -------------------------------------


def test_suggestions_are_refused_once_the_meeting_is_closed(world, closed):
    presentation = Presentation.objects.get(meeting=closed, member=world.alice)
    assert codes(actions.check_record_suggestions(by=world.secretary, presentation=presentation)) == [
        "meeting_closed"
    ]
    assert codes(actions.check_record_suggestions(by=world.outsider, presentation=presentation)) == [
        "not_permitted"
    ]
    with pytest.raises(Refused) as exc:
        actions.record_suggestions(by=world.secretary, presentation=presentation, suggestions="x")
    assert exc.value.codes == ["meeting_closed"]


def test_everyone_present_is_refused_once_the_meeting_is_closed(world, closed):
    assert codes(actions.check_record_everyone_present(by=world.secretary, meeting=closed)) == [
        "meeting_closed"
    ]
    assert codes(actions.check_record_everyone_present(by=world.leader, meeting=closed)) == ["not_permitted"]
    with pytest.raises(Refused) as exc:
        actions.record_everyone_present(by=world.secretary, meeting=closed)
    assert exc.value.codes == ["meeting_closed"]


# --- correct_meeting --------------------------------------------------------------------


def test_a_correction_needs_a_closed_meeting(world, meeting):
    assert codes(
        actions.check_correct_meeting(by=world.secretary, meeting=meeting, reason="x", held_on=APRIL)
    ) == ["meeting_open"]


def test_a_correction_needs_a_reason_and_a_change(world, closed):
    assert codes(actions.check_correct_meeting(by=world.secretary, meeting=closed, reason="")) == [
        "reason_required",
        "correction_changes_nothing",
    ]


def test_a_correction_checks_the_new_date_and_the_members(world, closed):
    check = actions.check_correct_meeting
    assert codes(check(by=world.secretary, meeting=closed, reason="r", held_on=dt.date(2023, 7, 2))) == [
        "meeting_outside_campaign"
    ]
    assert codes(check(by=world.secretary, meeting=closed, reason="r", add_presentations=[world.bob])) == [
        "not_in_cell_at_meeting"
    ]
    assert codes(check(by=world.secretary, meeting=closed, reason="r", remove_presentations=[world.bob])) == [
        "did_not_present"
    ]
    assert codes(check(by=world.secretary, meeting=closed, reason="r", suggestions={world.bob.pk: "x"})) == [
        "suggestion_without_presentation"
    ]
    with pytest.raises(Refused) as exc:
        actions.correct_meeting(
            by=world.secretary, meeting=closed, reason="r", remove_presentations=[world.bob]
        )
    assert exc.value.codes == ["did_not_present"]


def test_a_correction_in_a_live_campaign_keeps_the_self_assessment_rule(world):
    today = timezone.localdate()
    live = actions.launch_campaign(
        by=world.admin,
        organisation=world.P,
        title="Live",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today,
        deadline=today + dt.timedelta(days=10),
    )
    from tests import factories as f

    dan = f.member(world.C1, full_name="Võ Văn Dan")
    m = actions.schedule_meeting(by=world.secretary, campaign=live, cell=world.C1, held_on=today)
    assessment = actions.save_self_assessment(by=world.alice_user, campaign=live, member=world.alice, **TEXTS)
    actions.submit_self_assessment(by=world.alice_user, assessment=assessment)
    actions.record_presentation(by=world.secretary, meeting=m, member=world.alice)
    closed = actions.close_meeting(by=world.secretary, meeting=m)
    assert codes(
        actions.check_correct_meeting(by=world.secretary, meeting=closed, reason="r", add_presentations=[dan])
    ) == ["self_assessment_not_submitted"]


# --- record_paper_meetings ---------------------------------------------------------------


def test_paper_meetings_check_each_cell(world, campaign_2023, meeting):
    paper = actions.PaperMeeting
    check = actions.check_record_paper_meetings
    assert codes(check(by=world.secretary, campaign=campaign_2023, meetings=[paper(world.C1, APRIL)])) == [
        "meeting_exists"
    ]
    assert codes(check(by=world.secretary, campaign=campaign_2023, meetings=[paper(world.C2, APRIL)])) == [
        "not_permitted"
    ]
    assert codes(check(by=world.admin, campaign=campaign_2023, meetings=[paper(world.G1, APRIL)])) == [
        "not_a_cell"
    ]
    assert codes(
        check(by=world.admin, campaign=campaign_2023, meetings=[paper(world.C2, dt.date(2023, 8, 1))])
    ) == ["meeting_outside_campaign"]
    assert codes(check(by=None, campaign=campaign_2023, meetings=[])) == ["no_actor"]
    with pytest.raises(Refused) as exc:
        actions.record_paper_meetings(
            by=world.admin, campaign=campaign_2023, meetings=[paper(world.C1, APRIL)]
        )
    assert exc.value.codes == ["meeting_exists"]
    assert check(by=world.admin, campaign=campaign_2023, meetings=[paper(world.C2, APRIL)]) == []


# --- save_self_assessment ------------------------------------------------------------------


def test_only_the_member_saves_their_draft(world, campaign):
    check = actions.check_save_self_assessment
    assert codes(check(by=world.secretary, campaign=campaign, member=world.alice)) == ["not_permitted"]
    assert codes(check(by=None, campaign=campaign, member=world.alice)) == ["no_actor"]
    assert check(by=world.alice_user, campaign=campaign, member=world.alice) == []


def test_a_draft_is_refused_once_submitted_and_for_another_members_promise(world, campaign):
    other = actions.add_promise(
        by=world.admin,
        member=world.bob,
        made_on=dt.date(2020, 1, 1),
        occasion="appointment",
        to_whom="collective",
        text="Hứa",
    )
    check = actions.check_save_self_assessment
    assert codes(
        check(by=world.alice_user, campaign=campaign, member=world.alice, promise_notes={other.pk: "x"})
    ) == ["note_on_others_promise"]
    assessment = actions.save_self_assessment(
        by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS
    )
    actions.submit_self_assessment(by=world.alice_user, assessment=assessment)
    assert codes(check(by=world.alice_user, campaign=campaign, member=world.alice)) == ["already_submitted"]
    with pytest.raises(Refused) as exc:
        actions.save_self_assessment(by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS)
    assert exc.value.codes == ["already_submitted"]


def test_a_draft_is_refused_after_the_deadline(world, campaign_2023):
    assert codes(
        actions.check_save_self_assessment(by=world.alice_user, campaign=campaign_2023, member=world.alice)
    ) == ["deadline_passed"]


def test_a_draft_is_refused_for_a_campaign_that_does_not_concern_the_member(world):
    today = timezone.localdate()
    d2 = actions.launch_campaign(
        by=world.outsider,
        organisation=world.D2,
        title="D2",
        starts_on=today,
        ends_on=today,
        deadline=today,
        **ON_PAPER,
    )
    assert codes(
        actions.check_save_self_assessment(by=world.alice_user, campaign=d2, member=world.alice)
    ) == ["campaign_does_not_concern"]


def test_the_assessment_page_is_read_only_after_the_deadline(client, world, campaign_2023):
    client.force_login(world.alice_user)
    page = client.get(f"/oath/campaigns/{campaign_2023.pk}/my-self-assessment/")
    assert "The deadline" in page.content.decode()
    assert page.context["read_only"] is True


# --- promises -----------------------------------------------------------------------------


PROMISE = dict(made_on=dt.date(2020, 1, 1), occasion="appointment", to_whom="collective", text="Hứa")


def test_add_promise_codes(world):
    check = actions.check_add_promise
    assert codes(check(by=world.outsider, member=world.alice, **PROMISE)) == ["not_permitted"]
    assert check(by=world.alice_user, member=world.alice, **PROMISE) == []
    assert codes(
        check(
            by=world.secretary,
            member=world.alice,
            made_on=dt.date(2000, 1, 1),
            occasion="",
            to_whom="",
            text=" ",
            due_on=dt.date(1999, 1, 1),
        )
    ) == [
        "occasion_required",
        "to_whom_required",
        "promise_text_required",
        "promise_before_admission",
        "due_before_promise",
    ]
    with pytest.raises(Refused) as exc:
        actions.add_promise(by=world.secretary, member=world.alice, **{**PROMISE, "text": ""})
    assert exc.value.codes == ["promise_text_required"]


def test_a_promise_of_a_member_who_left_is_refused(world):
    from serment.core.actors import SYSTEM
    from serment.members.actions import record_death

    record_death(by=SYSTEM, member=world.bob, on=dt.date(2022, 1, 1))
    world.bob.refresh_from_db()
    assert codes(actions.check_add_promise(by=world.admin, member=world.bob, **PROMISE)) == ["member_left"]


def test_import_promises_codes(world):
    ok = actions.NewPromise(member=world.alice, **PROMISE)
    bad = actions.NewPromise(member=world.alice, **{**PROMISE, "state": "nonsense"})
    assert codes(actions.check_import_promises(by=world.leader, promises=[ok])) == ["not_permitted"]
    assert codes(actions.check_import_promises(by=world.admin, promises=[ok, bad])) == [
        "promise_progress_required"
    ]
    assert codes(actions.check_import_promises(by=None, promises=[ok])) == ["no_actor"]
    with pytest.raises(Refused) as exc:
        actions.import_promises(by=world.admin, promises=[ok, bad])
    assert exc.value.codes == ["promise_progress_required"]
    assert Promise.objects.count() == 0


def test_update_promise_codes(world):
    promise = actions.add_promise(by=world.alice_user, member=world.alice, **PROMISE)
    check = actions.check_update_promise
    assert codes(
        check(by=world.outsider, promise=promise, on=dt.date(2021, 1, 1), state="kept", evidence="x")
    ) == ["not_permitted"]
    assert codes(
        check(by=world.alice_user, promise=promise, on=dt.date(2019, 1, 1), state="", evidence="")
    ) == [
        "promise_state_required",
        "evidence_required",
        "update_before_promise",
    ]
    future = timezone.localdate() + dt.timedelta(days=2)
    assert codes(check(by=world.alice_user, promise=promise, on=future, state="kept", evidence="x")) == [
        "update_in_future"
    ]
    with pytest.raises(Refused) as exc:
        actions.update_promise(by=world.alice_user, promise=promise, on=future, state="kept", evidence="x")
    assert exc.value.codes == ["update_in_future"]

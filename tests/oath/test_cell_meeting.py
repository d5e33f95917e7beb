import datetime as dt

import pytest
from django.utils import timezone

from serment.core.errors import DomainError, NotPermitted
from serment.core.models import AuditEntry
from serment.oath import actions
from serment.oath.models import MeetingCorrection, Presentation
from tests import factories as f

from .test_self_assessment import TEXTS

APRIL = dt.date(2023, 4, 10)


@pytest.fixture
def meeting(world, campaign_2023):
    return actions.schedule_meeting(by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=APRIL)


def test_the_meeting_is_held_within_the_campaign(world, campaign_2023):
    with pytest.raises(DomainError) as exc:
        actions.schedule_meeting(
            by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=dt.date(2023, 7, 1)
        )
    assert exc.value.field == "held_on"


def test_a_cell_outside_the_campaign_cannot_hold_its_meeting(world):
    d2_campaign = actions.launch_campaign(
        by=world.outsider,
        organisation=world.D2,
        title="D2",
        starts_on=dt.date(2023, 2, 1),
        ends_on=dt.date(2023, 5, 31),
        deadline=dt.date(2023, 6, 30),
    )
    with pytest.raises(DomainError) as exc:
        actions.schedule_meeting(by=world.admin, campaign=d2_campaign, cell=world.C1, held_on=APRIL)
    assert exc.value.field == "cell"


def test_a_secretary_runs_only_their_own_cells_meeting(world, campaign_2023):
    with pytest.raises(NotPermitted):
        actions.schedule_meeting(by=world.secretary, campaign=campaign_2023, cell=world.C2, held_on=APRIL)


def test_an_absence_needs_a_reason(world, meeting):
    with pytest.raises(DomainError) as exc:
        actions.record_attendance(by=world.secretary, meeting=meeting, member=world.alice, present=False)
    assert exc.value.field == "absence_reason"
    assert exc.value.code == "absence_reason_missing"


def test_only_members_of_the_cell_on_the_day_are_recorded(world, meeting):
    with pytest.raises(DomainError) as exc:
        actions.record_presentation(by=world.secretary, meeting=meeting, member=world.bob)
    assert exc.value.field == "member"
    assert exc.value.code == "not_in_cell_at_meeting"


def test_a_member_recorded_absent_cannot_present(world, meeting):
    actions.record_attendance(
        by=world.secretary, meeting=meeting, member=world.alice, present=False, absence_reason="illness"
    )
    with pytest.raises(DomainError) as exc:
        actions.record_presentation(by=world.secretary, meeting=meeting, member=world.alice)
    assert exc.value.code == "absent_cannot_present"
    assert [
        r.code
        for r in actions.check_record_presentation(by=world.secretary, meeting=meeting, member=world.alice)
    ] == ["absent_cannot_present"]


@pytest.fixture
def live_meeting(world):
    """A campaign run in Serment with its default settings, and a meeting of C1."""
    today = timezone.localdate()
    live = actions.launch_campaign(
        by=world.admin,
        organisation=world.P,
        title="Live",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=60),
    )
    return actions.schedule_meeting(by=world.secretary, campaign=live, cell=world.C1, held_on=today)


def test_in_a_live_campaign_a_member_without_a_submitted_self_assessment_cannot_present(world, live_meeting):
    with pytest.raises(DomainError) as exc:
        actions.record_presentation(by=world.secretary, meeting=live_meeting, member=world.alice)
    assert exc.value.code == "self_assessment_not_submitted"
    assert not Presentation.objects.exists()


def test_in_a_live_campaign_a_saved_but_unsubmitted_self_assessment_is_not_enough(world, live_meeting):
    actions.save_self_assessment(
        by=world.alice_user, campaign=live_meeting.campaign, member=world.alice, **TEXTS
    )
    refusals = actions.check_record_presentation(by=world.secretary, meeting=live_meeting, member=world.alice)
    assert [r.code for r in refusals] == ["self_assessment_not_submitted"]


def test_a_live_campaign_may_allow_presenting_without_a_self_assessment(world, live_meeting):
    campaign = live_meeting.campaign
    campaign.presentation_without_self_assessment = True
    campaign.save(update_fields=["presentation_without_self_assessment"])
    assert (
        actions.check_record_presentation(by=world.secretary, meeting=live_meeting, member=world.alice) == []
    )
    p = actions.record_presentation(by=world.secretary, meeting=live_meeting, member=world.alice)
    assert p.self_assessment_id is None


def test_a_presentation_takes_the_report_type_of_the_submitted_self_assessment(world):
    today = timezone.localdate()
    campaign = actions.launch_campaign(
        by=world.admin,
        organisation=world.P,
        title="Now",
        starts_on=today - dt.timedelta(days=5),
        ends_on=today,
        deadline=today + dt.timedelta(days=5),
    )
    actions.add_promise(
        by=world.alice_user,
        member=world.alice,
        made_on=dt.date(2020, 1, 1),
        occasion="election",
        to_whom="voters",
        text="Lời hứa với cử tri",
    )
    a = actions.save_self_assessment(by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS)
    actions.submit_self_assessment(by=world.alice_user, assessment=a)
    m = actions.schedule_meeting(by=world.secretary, campaign=campaign, cell=world.C1, held_on=today)
    p = actions.record_presentation(by=world.secretary, meeting=m, member=world.alice, suggestions="Tốt")
    assert (p.report_type, p.self_assessment_id, p.suggestions) == ("oath_candidacy", a.pk, "Tốt")


def test_a_meeting_without_presentations_cannot_be_closed(world, meeting):
    with pytest.raises(DomainError) as exc:
        actions.close_meeting(by=world.secretary, meeting=meeting)
    assert exc.value.code == "no_presentation"


def test_a_closed_meeting_is_read_only(world, meeting):
    actions.record_presentation(by=world.secretary, meeting=meeting, member=world.alice)
    actions.close_meeting(by=world.secretary, meeting=meeting)
    with pytest.raises(DomainError) as exc:
        actions.record_attendance(
            by=world.secretary, meeting=meeting, member=world.alice, present=False, absence_reason="work"
        )
    assert exc.value.code == "meeting_closed"
    with pytest.raises(DomainError) as exc:
        actions.record_suggestions(
            by=world.secretary, presentation=Presentation.objects.get(), suggestions="x"
        )
    assert exc.value.code == "meeting_closed"


def test_suggestions_reach_the_member_only_once_the_meeting_is_closed(world, meeting):
    actions.record_presentation(
        by=world.secretary, meeting=meeting, member=world.alice, suggestions="Phát huy"
    )
    assert list(Presentation.objects.visible_to(world.alice_user)) == []
    actions.close_meeting(by=world.secretary, meeting=meeting)
    assert [p.suggestions for p in Presentation.objects.visible_to(world.alice_user)] == ["Phát huy"]
    assert list(Presentation.objects.visible_to(world.outsider)) == []


def test_a_closed_meeting_is_corrected_with_a_reason_and_audited(world, meeting):
    extra = f.member(world.C1)
    actions.record_presentation(by=world.secretary, meeting=meeting, member=world.alice)
    actions.close_meeting(by=world.secretary, meeting=meeting)
    with pytest.raises(DomainError) as exc:
        actions.correct_meeting(by=world.secretary, meeting=meeting, reason="", add_presentations=[extra])
    assert exc.value.field == "reason"
    correction = actions.correct_meeting(
        by=world.secretary,
        meeting=meeting,
        reason="Sót tên trong biên bản",
        add_presentations=[extra],
        suggestions={world.alice.pk: "Gương mẫu"},
    )
    assert correction.changes == {
        "presented_added": [extra.pk],
        "suggestions": {str(world.alice.pk): "Gương mẫu"},
    }
    assert MeetingCorrection.objects.count() == 1
    assert AuditEntry.objects.filter(action="oath.correct_meeting").count() == 1
    assert sorted(meeting.presentations.values_list("member_id", flat=True)) == sorted(
        [world.alice.pk, extra.pk]
    )


def test_an_open_meeting_needs_no_correction(world, meeting):
    with pytest.raises(DomainError) as exc:
        actions.correct_meeting(by=world.secretary, meeting=meeting, reason="x", held_on=dt.date(2023, 4, 11))
    assert exc.value.code == "meeting_open"

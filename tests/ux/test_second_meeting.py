"""A cell holds one thematic meeting per campaign: a second one is refused while the
first is open, and needs a stated reason once it is closed."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.core.errors import Refused
from serment.core.models import AuditEntry
from serment.oath import actions
from serment.oath.models import CellMeeting

APRIL, MAY = dt.date(2023, 4, 10), dt.date(2023, 5, 2)


@pytest.fixture
def first(world, campaign_2023):
    return actions.schedule_meeting(by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=APRIL)


def test_a_second_meeting_is_refused_while_the_first_is_open(world, campaign_2023, first):
    with pytest.raises(Refused) as exc:
        actions.schedule_meeting(
            by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=MAY, reason="Vắng lần trước"
        )
    assert exc.value.codes == ["meeting_already_scheduled"]


def test_after_the_first_closes_a_second_needs_a_reason(world, campaign_2023, first):
    actions.record_presentation(by=world.secretary, meeting=first, member=world.alice)
    actions.close_meeting(by=world.secretary, meeting=first)
    with pytest.raises(Refused) as exc:
        actions.schedule_meeting(by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=MAY)
    assert exc.value.codes == ["meeting_already_held"]
    assert "10 Apr 2023" in exc.value.message  # the date reads in the reader's format
    second = actions.schedule_meeting(
        by=world.secretary,
        campaign=campaign_2023,
        cell=world.C1,
        held_on=MAY,
        reason="Cho đảng viên vắng lần trước",
    )
    assert second.notes == "Cho đảng viên vắng lần trước"
    entry = AuditEntry.objects.filter(action="oath.schedule_meeting").order_by("-pk").first()
    assert entry.changes["reason"] == "Cho đảng viên vắng lần trước"


def test_the_schedule_form_shows_the_refusal_on_the_reason(client, world, campaign_2023, first):
    actions.record_presentation(by=world.secretary, meeting=first, member=world.alice)
    actions.close_meeting(by=world.secretary, meeting=first)
    client.force_login(world.secretary)
    response = client.post(
        reverse("oath:campaign", args=[campaign_2023.pk]), {"cell": world.C1.pk, "held_on": "2023-05-02"}
    )
    assert "A second meeting needs a reason" in response.content.decode()
    assert CellMeeting.objects.count() == 1

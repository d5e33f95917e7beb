"""Oath fixtures on top of the shared ``world``: a campaign running today and the
2023 campaign of the article (February–May, deadline 30 June)."""

import datetime as dt

import pytest
from django.utils import timezone

from serment.oath import actions

SPRING_2023 = dict(starts_on=dt.date(2023, 2, 1), ends_on=dt.date(2023, 5, 31), deadline=dt.date(2023, 6, 30))
# The fixtures' meetings are about attendance and coverage, not self-assessments: their
# campaigns let members present without one (a live campaign refuses it by default).
ON_PAPER = dict(presentation_without_self_assessment=True)


@pytest.fixture
def campaign(world):
    """Launched by the province, open today."""
    today = timezone.localdate()
    return actions.launch_campaign(
        by=world.admin,
        organisation=world.P,
        title="Giữ trọn lời thề đảng viên",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=60),
        **ON_PAPER,
    )


@pytest.fixture
def campaign_2023(world):
    return actions.launch_campaign(
        by=world.admin, organisation=world.P, title="Giữ trọn lời thề đảng viên", **SPRING_2023, **ON_PAPER
    )


def held_meeting(by, campaign, cell, on, presented=(), absent=()):
    """A closed meeting where ``presented`` members presented and ``absent`` were away."""
    meeting = actions.schedule_meeting(by=by, campaign=campaign, cell=cell, held_on=on)
    for m in presented:
        actions.record_presentation(by=by, meeting=meeting, member=m, suggestions="Phát huy")
    for m in absent:
        actions.record_attendance(by=by, meeting=meeting, member=m, present=False, absence_reason="illness")
    return actions.close_meeting(by=by, meeting=meeting)


@pytest.fixture
def client():
    """Pages in English, so tests read the messages as written in the code."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")

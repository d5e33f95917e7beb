"""Home fixtures on top of ``world`` (tests/conftest.py) and the page fixtures
(tests/web/conftest.py): the 2023 oath campaign with C1's meeting held, decided
ratings for 2022 and 2023, an admission target, and a campaign and a rating round
open today."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from serment.admissions import actions as admission_actions
from serment.core.actors import SYSTEM
from serment.oath import actions as oath_actions
from serment.ratings import actions as rating_actions
from serment.ratings.importers import import_rating_rows
from tests import factories as f
from tests.web.conftest import fast_password_hashing, web  # noqa: F401  (fixtures)

AS_OF = dt.date(2023, 6, 30)


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _rating_rows(year, levels, world):
    cards = {w: getattr(world, w).card_number for w in ("alice", "bob", "carol")}
    rows = []
    for ref, level in levels.items():
        row = {
            "year": year,
            "subject": "member" if ref in cards else "organisation",
            "level": level,
            "decided_by_code": "P",
            "decided_on": dt.date(year, 12, 20),
            "card_number": cards.get(ref, ""),
            "org_code": "" if ref in cards else ref,
        }
        rows.append(row)
    return list(enumerate(rows, start=2))


@pytest.fixture
def province(world, settings):
    """The 2023 snapshot of ``world``: what the dashboard reads."""
    settings.SERMENT_RATINGS_QUOTA_QD124 = False
    w = world
    w.campaign_2023 = oath_actions.launch_campaign(
        by=SYSTEM,
        organisation=w.P,
        title="Giữ trọn lời thề đảng viên 2023",
        starts_on=dt.date(2023, 2, 1),
        ends_on=dt.date(2023, 5, 31),
        deadline=dt.date(2023, 6, 30),
        presentation_without_self_assessment=True,  # as the 2023 campaign, held on paper
    )
    meeting = oath_actions.schedule_meeting(
        by=SYSTEM, campaign=w.campaign_2023, cell=w.C1, held_on=dt.date(2023, 4, 10)
    )
    oath_actions.record_presentation(by=SYSTEM, meeting=meeting, member=w.alice, suggestions="Phát huy")
    oath_actions.close_meeting(by=SYSTEM, meeting=meeting)
    for year, levels in (
        (
            2022,
            {
                "G1": "good",
                "GC1": "completed",
                "G2": "good",
                "alice": "good",
                "bob": "completed",
                "carol": "good",
            },
        ),
        (
            2023,
            {
                "G1": "excellent",
                "GC1": "good",
                "G2": "completed",
                "D1": "good",
                "D2": "good",
                "alice": "good",
                "bob": "good",
                "carol": "not_completed",
            },
        ),
    ):
        report = import_rating_rows(by=SYSTEM, rows=_rating_rows(year, levels, w), dry_run=False)
        assert report.errors == []
    rating_actions.set_target(
        by=SYSTEM,
        organisation=w.P,
        group="grassroots",
        first_year=2020,
        last_year=2025,
        good_or_better=Decimal(80),
    )
    w.new1 = f.member(w.C1, full_name="Hồ Văn Mới", admitted_on=dt.date(2023, 3, 1), official_on=None)
    w.new2 = f.member(w.C3, full_name="Huỳnh Thị Mới", admitted_on=dt.date(2023, 4, 1), official_on=None)
    admission_actions.set_target(by=SYSTEM, organisation=w.P, year=2023, target=4)
    return w


@pytest.fixture
def live(world):
    """A campaign launched by G1 and open today, and G1's rating round open for this year."""
    today = timezone.localdate()
    world.live_campaign = oath_actions.launch_campaign(
        by=SYSTEM,
        organisation=world.G1,
        title="Học tập và làm theo",
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=20),
        deadline=today + dt.timedelta(days=30),
    )
    world.live_round = rating_actions.open_round(by=SYSTEM, organisation=world.G1, year=today.year, on=today)
    return world

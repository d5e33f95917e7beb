"""Admission fixtures on top of the shared ``world``.

Cell C1 holds Alice (official since 2011), Dan (official since 2016) and Eve
(probationary, admitted 10 January 2023). Huong is a candidate of C1 born on
15 March 2000 whose certificate dates from 1 March 2022.
"""

import datetime as dt

import pytest

from serment.admissions import actions
from serment.admissions.actions import IntroducerInput
from serment.admissions.models import StepKind
from tests import factories as f

D = dt.date


@pytest.fixture
def adm(world):
    world.dan = f.member(
        world.C1, full_name="Đỗ Văn Dan", admitted_on=D(2015, 3, 1), official_on=D(2016, 3, 1)
    )
    world.eve = f.member(
        world.C1, full_name="Võ Thị Eve", sex="female", admitted_on=D(2023, 1, 10), official_on=None
    )
    world.huong = actions.register_candidate(
        by=world.secretary,
        organisation=world.C1,
        full_name="Lý Thị Hương",
        date_of_birth=D(2000, 3, 15),
        sex="female",
        citizen_id="079300000001",
    )
    return world


# Dates of a smooth admission of Huong, one step after the other.
SMOOTH = {
    StepKind.CERTIFICATE: D(2022, 3, 1),
    StepKind.APPLICATION: D(2023, 2, 1),
    StepKind.CV: D(2023, 2, 5),
    StepKind.INTRODUCERS: D(2023, 2, 10),
    StepKind.OPINIONS: D(2023, 3, 1),
    StepKind.CELL_RESOLUTION: D(2023, 3, 10),
    StepKind.GRASSROOTS_RESOLUTION: D(2023, 3, 20),
    StepKind.DECISION: D(2023, 4, 1),
}


# Who records each step by default: the cell's secretary, except the grassroots
# committee's resolution (its staff) and the admission decision (the district committee's).
DECIDERS = {StepKind.GRASSROOTS_RESOLUTION: "g1_staff", StepKind.DECISION: "d1_staff"}


def advance(w, candidate, through: str, by=None, dates=SMOOTH):
    """Record every step of ``candidate`` up to and including ``through``."""
    for kind, on in dates.items():
        actor = by or getattr(w, DECIDERS.get(kind, "secretary"))
        extra = {}
        if kind == StepKind.INTRODUCERS:
            extra["introducers"] = [
                IntroducerInput(member=w.alice, worked_together_since=D(2020, 1, 1)),
                IntroducerInput(member=w.dan, worked_together_since=D(2021, 6, 1)),
            ]
        if kind == StepKind.CELL_RESOLUTION:
            extra["votes_for"] = 2
        actions.record_step(
            by=actor, candidate=candidate, kind=kind, on=on, document_ref=f"{kind}-1", **extra
        )
        if kind == through:
            return

"""Helpers for cadre tests: discipline decisions (the inspection register) and past
ratings through their apps' own actions."""

import datetime as dt

import pytest

from serment.core.actors import SYSTEM
from serment.inspection.actions import record_discipline
from serment.ratings.actions import PastRating, import_past_ratings


def discipline(member, form: str, on: dt.date, ref: str = "12-QĐ/UBKT"):
    if form == "dismissal":  # one is dismissed from a post held: the register refuses it otherwise
        from serment.members.actions import assign_post

        assign_post(
            by=SYSTEM,
            member=member,
            organisation=member.organisation,
            post="other",
            on=on.replace(year=on.year - 1),
        )
    return record_discipline(
        by=SYSTEM,
        member=member,
        form=form,
        decided_on=on,
        deciding_body="Ủy ban Kiểm tra Huyện ủy",
        document_ref=ref,
    )


def rated(member, committee, year: int, level: str):
    import_past_ratings(
        by=SYSTEM,
        rows=[
            PastRating(
                year=year,
                subject_kind="member",
                organisation_id=member.organisation_id,
                committee_id=committee.pk,
                level=level,
                decided_on=dt.date(year, 12, 20),
                member_id=member.pk,
            )
        ],
    )


@pytest.fixture
def helpers():
    class H:
        pass

    h = H()
    h.discipline = discipline
    h.rated = rated
    return h

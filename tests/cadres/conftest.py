"""Helpers for cadre tests: discipline decisions and past ratings through the
ratings app's own actions."""

import datetime as dt

import pytest

from serment.cadres.actions import assign_post
from serment.core.actors import SYSTEM
from serment.inspection.actions import record_discipline
from serment.ratings.actions import PastRating, import_past_ratings


def discipline(member, form: str, on: dt.date, ref: str = "12-QĐ/UBKT"):
    if form == "dismissal" and not member.posts.filter(ends_on__isnull=True).exists():
        # dismissal from post (cách chức) is of someone holding a post; it ends the post
        assign_post(
            by=SYSTEM,
            member=member,
            organisation=member.organisation,
            post="committee_member",
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

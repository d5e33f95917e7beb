"""Records the URL cases need, built on demand on the ``web`` world (in scope: under
D1 / cell C1; out of scope for D1's users: under D2 / cell C3) and cached on it."""

import datetime as dt

from django.utils import timezone

from serment.core.actors import SYSTEM


def _cached(w, name, build):
    if not hasattr(w, name):
        setattr(w, name, build())
    return getattr(w, name)


def campaign(w, side="in"):
    from serment.oath.actions import launch_campaign

    org = w.D1 if side == "in" else w.D2
    today = timezone.localdate()
    return _cached(
        w,
        f"_campaign_{side}",
        lambda: launch_campaign(
            by=SYSTEM,
            organisation=org,
            title=f"Campaign {side}",
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=30),
            deadline=today + dt.timedelta(days=60),
        ),
    )


def meeting(w, side="in"):
    from serment.oath.actions import schedule_meeting

    cell = w.C1 if side == "in" else w.C3
    return _cached(
        w,
        f"_meeting_{side}",
        lambda: schedule_meeting(
            by=SYSTEM, campaign=campaign(w, side), cell=cell, held_on=timezone.localdate()
        ),
    )


def promise(w, side="in"):
    from serment.oath.actions import add_promise

    member = w.alice if side == "in" else w.carol
    return _cached(
        w,
        f"_promise_{side}",
        lambda: add_promise(
            by=SYSTEM,
            member=member,
            text="Giữ gìn phẩm chất",
            made_on=dt.date(2024, 1, 5),
            occasion="task",
            to_whom="collective",
        ),
    )


def rating_round(w, side="in"):
    from serment.ratings.actions import open_round

    org = w.G1 if side == "in" else w.G2
    return _cached(
        w,
        f"_round_{side}",
        lambda: open_round(by=SYSTEM, organisation=org, year=2022, on=dt.date(2022, 12, 1)),
    )


def rating(w, side="in"):
    member = w.alice if side == "in" else w.carol
    return rating_round(w, side).ratings.filter(member=member).first()


def candidate(w, side="in"):
    from serment.admissions.actions import register_candidate

    cell = w.C1 if side == "in" else w.C3
    return _cached(
        w,
        f"_candidate_{side}",
        lambda: register_candidate(
            by=SYSTEM,
            organisation=cell,
            full_name=f"Candidate {side}",
            date_of_birth=dt.date(2000, 1, 1),
            sex="male",
        ),
    )


def probationer(w, side="in"):
    from tests import factories as f

    cell = w.C1 if side == "in" else w.C3
    today = timezone.localdate()
    return _cached(
        w,
        f"_probationer_{side}",
        lambda: f.member(cell, admitted_on=today - dt.timedelta(days=200), official_on=None),
    )

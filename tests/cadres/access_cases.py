"""The cadre pages in the every-URL access test (tests/security/test_every_url.py), on
the shared ``web`` world: in scope a decision, a planning entry and a member under
D1 / cell C1; out of scope the same under D2 / cell C3. Lists name an organisation by
its code (``?org=``)."""

import datetime as dt

from django.urls import reverse

from serment.core.actors import SYSTEM
from tests.security.access_cases import UrlCase


def _cached(w, name, build):
    if not hasattr(w, name):
        setattr(w, name, build())
    return getattr(w, name)


def movement(w, side="in"):
    from serment.cadres.actions import record_movement

    return _cached(
        w,
        f"_movement_{side}",
        lambda: record_movement(
            by=SYSTEM,
            member=w.alice if side == "in" else w.carol,
            kind="appointment",
            decided_on=dt.date(2022, 4, 1),
            document_ref="215-QĐ/TU",
            deciding_body="Ban Thường vụ Tỉnh ủy",
            deciding_level="provincial",
            organisation=w.C1 if side == "in" else w.C3,
            post="other",
        ),
    )


def plan_entry(w, side="in"):
    from serment.cadres.actions import add_to_planning

    return _cached(
        w,
        f"_plan_entry_{side}",
        lambda: add_to_planning(
            by=SYSTEM,
            member=w.alice if side == "in" else w.carol,
            organisation=w.C1 if side == "in" else w.C3,
            post="secretary" if side == "in" else "deputy_secretary",  # a post not held
            term_start=2025,
            on=dt.date(2024, 6, 1),
        ),
    )


def _r(name, *args):
    return reverse(name, args=args)


def _member(name):
    return UrlCase(
        f"cadres {name.replace('_', ' ')}",
        lambda w: _r(f"cadres:{name}", w.alice.pk),
        lambda w: _r(f"cadres:{name}", w.carol.pk),
    )


CASES = [
    UrlCase("cadres", lambda w: _r("cadres:index")),
    UrlCase(
        "cadre posts",
        lambda w: _r("cadres:posts") + f"?org={w.C1.code}",
        lambda w: _r("cadres:posts") + f"?org={w.C3.code}",
    ),
    UrlCase(
        "cadre decisions",
        lambda w: _r("cadres:movements") + f"?org={w.D1.code}",
        lambda w: _r("cadres:movements") + f"?org={w.D2.code}",
    ),
    UrlCase(
        "cadre decision",
        lambda w: _r("cadres:movement", movement(w).pk),
        lambda w: _r("cadres:movement", movement(w, "out").pk),
    ),
    UrlCase(
        "cadre planning",
        lambda w: _r("cadres:planning") + f"?org={w.D1.code}",
        lambda w: _r("cadres:planning") + f"?org={w.D2.code}",
    ),
    UrlCase(
        "remove from planning",
        lambda w: _r("cadres:plan_remove", plan_entry(w).pk),
        lambda w: _r("cadres:plan_remove", plan_entry(w, "out").pk),
    ),
    _member("member"),
    _member("record_movement"),
    _member("plan_add"),
    _member("set_locality"),
    UrlCase(
        "cadre report",
        lambda w: _r("cadres:report") + f"?org={w.D1.code}",
        lambda w: _r("cadres:report") + f"?org={w.D2.code}",
    ),
]

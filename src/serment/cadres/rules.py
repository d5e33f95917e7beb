"""Numbers set by regulations for cadre work, as versioned data (DOMAIN §6).

A change in a regulation is a new rule set with its effective date, not a code change.
Planning numbers that no regulation text at hand confirms are settings with defaults
(``SERMENT_CADRE_PLANNING``), read when used, never at import time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

# Movement kinds (the cadres' Movement.kind values) grouped as the bars read them.
TRANSFERS = frozenset({"rotation", "transfer"})
APPOINTMENTS = frozenset({"appointment", "reappointment"})
NOMINATIONS = frozenset({"nomination"})


@dataclass(frozen=True)
class DisciplineBars:
    """Effects of discipline on cadre work (Quy định 69-QĐ/TW and 80-QĐ/TW, 2022)."""

    code: str
    effective_from: dt.date
    source: str
    # While a decision is in force: no transfer, rotation, appointment or award.
    blocked_while_in_force: frozenset[str] = frozenset(TRANSFERS | APPOINTMENTS | {"award"})
    # After the decision: no planning, appointment or nomination to a higher post for
    # this many months (counted from the decision's announcement).
    higher_post_months: dict[str, int] = field(
        default_factory=lambda: {"reprimand": 12, "warning": 30, "dismissal": 60}
    )
    blocked_to_higher_post: frozenset[str] = frozenset(APPOINTMENTS | NOMINATIONS | {"planning", "election"})


@dataclass(frozen=True)
class RatingBars:
    """People rated "not completed" in the latest year are neither appointed nor planned;
    two years running is a ground for removal from office."""

    code: str
    effective_from: dt.date
    source: str
    blocked_when_not_completed: frozenset[str] = frozenset(APPOINTMENTS | NOMINATIONS | {"planning"})
    consecutive_years_for_removal: int = 2


DISCIPLINE_BARS: tuple[DisciplineBars, ...] = (
    DisciplineBars(
        code="qd80-2022",
        effective_from=dt.date(2022, 8, 18),
        source="Quy định 80-QĐ/TW (18/8/2022); Quy định 69-QĐ/TW (6/7/2022)",
    ),
)
RATING_BARS: tuple[RatingBars, ...] = (
    RatingBars(
        code="qd80-2022",
        effective_from=dt.date(2022, 8, 18),
        source="Quy định 80-QĐ/TW (2022); Quy định 124-QĐ/TW (2023)",
    ),
)


def _in_force_on(sets, day: dt.date):
    """The rule set in force on ``day``; before the first one, the first one applies
    (the earlier regulations' periods are unconfirmed; docs/cadres.md)."""
    applicable = [r for r in sets if r.effective_from <= day]
    return max(applicable, key=lambda r: r.effective_from) if applicable else sets[0]


def discipline_bars_on(day: dt.date) -> DisciplineBars:
    return _in_force_on(DISCIPLINE_BARS, day)


def rating_bars_on(day: dt.date) -> RatingBars:
    return _in_force_on(RATING_BARS, day)


# How high a post is, to tell "a higher post": the organisation's depth in the tree
# first (a provincial post is above any district post), then the post itself.
POST_RANK = {
    "secretary": 6,
    "deputy_secretary": 5,
    "standing_member": 4,
    "department_head": 3,
    "committee_member": 2,
    "deputy_head": 2,
    "other": 1,
}


def post_rank(depth: int, post: str) -> tuple[int, int]:
    return (-depth, POST_RANK.get(post, 0))


# Key leaders (cán bộ chủ chốt): secretaries and deputies of the provincial and
# district-level committees.
KEY_LEADER_POSTS = ("secretary", "deputy_secretary")
KEY_LEADER_ORG_KINDS = ("province", "district_committee")
DEPARTMENT_POSTS = ("department_head", "deputy_head")

PLANNING_DEFAULTS: dict[str, Any] = {
    # unconfirmed defaults (DOMAIN §6): pool of 1.5–2 people per seat
    "pool_per_seat_min": 1.5,
    "pool_per_seat_max": 2.0,
    "term_years": 5,
    # first-time planned people have at least one full term of working age left
    "retirement_age_male": 62,
    "retirement_age_female": 60,
    "young_under": 40,  # "young cadres": under this age on the term's first day
    "majority_ethnicity": "Kinh",
    "targets_percent": {"young": 10, "women": 15, "ethnic_minority": 5},
    # seats per post, for the pool ratio
    "seats": {
        "secretary": 1,
        "deputy_secretary": 2,
        "standing_member": 5,
        "committee_member": 15,
        "department_head": 1,
        "deputy_head": 2,
        "other": 1,
    },
}


def planning_rules() -> dict[str, Any]:
    """The planning defaults overridden by ``settings.SERMENT_CADRE_PLANNING``."""
    rules = dict(PLANNING_DEFAULTS)
    rules.update(getattr(settings, "SERMENT_CADRE_PLANNING", {}) or {})
    return rules


def non_local_goal() -> tuple[int, int]:
    """(percent, year): the province's goal of non-local district secretaries."""
    percent, year = getattr(settings, "SERMENT_NON_LOCAL_GOAL", (100, 2025))
    return int(percent), int(year)

"""Choosing the rule set in force on a day: the one helper every area's rule data uses.

Each area keeps its numbers as a tuple of frozen dataclasses with an ``effective_from``
date (``members/rules.py``, ``admissions/rules.py``, ``oath/rules.py``); which day a rule
is read on is a documented choice per rule (docs/architecture.md, "Rule sets").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def effective_from(self) -> dt.date: ...


R = TypeVar("R", bound=Dated)


def rules_on(rule_sets: Sequence[R], day: dt.date) -> R:
    """The rule set in force on ``day``: the latest one effective on or before it, or the
    oldest one for days before any (old records are read with the first rules known)."""
    if not rule_sets:
        raise ValueError("no rule sets")
    applicable = [r for r in rule_sets if r.effective_from <= day]
    if not applicable:
        return min(rule_sets, key=lambda r: r.effective_from)
    return max(applicable, key=lambda r: r.effective_from)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """``days`` working days after ``day`` (Monday to Friday; public holidays are not
    known to Serment, so a deadline computed here may be a few days early, never late)."""
    current, left = day, days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current

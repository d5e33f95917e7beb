"""Numbers set by the regulations on admission (DOMAIN §5).

One versioned table: a change in the rules is a new row with its effective date,
applied to every step dated on or after it; older steps keep the rules of their day.
Sources: Điều lệ Đảng (Charter), Articles 4 and 5; Hướng dẫn 01-HD/TW (2021), 1.1–1.6.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from serment.core.rulesets import rules_on as in_force


@dataclass(frozen=True)
class AdmissionRules:
    effective_from: dt.date
    # Charter, Art. 1 and HD 01-HD/TW 3.1: from 18 to 60 years old, counted in months,
    # at the date the cell considers the admission (its resolution).
    min_age_months: int = 18 * 12
    max_age_months: int = 60 * 12
    # HD 01-HD/TW: the Party-awareness class certificate is valid for 5 years.
    certificate_valid_years: int = 5
    # Charter, Art. 4: two official members who have worked with the applicant for at least
    # one year. Youth-union members may be recommended by the youth union instead
    # (DOMAIN §5; how many members must still introduce them is this number).
    introducers_required: int = 2
    introducers_with_youth_union: int = 0
    introducer_min_months_known: int = 12
    # Charter, Art. 4: the cell's resolution needs at least two thirds of its official members.
    cell_vote_numerator: int = 2
    cell_vote_denominator: int = 3
    # HD 01-HD/TW 3.5: the ceremony is held within 30 working days of receiving the decision.
    ceremony_within_working_days: int = 30
    # Charter, Art. 5; HD 01-HD/TW 4: within 30 working days after the 12 months of probation
    # end (their length is ``members.rules.LifecycleRules.probation_months``), the cell votes
    # as for admission; recognition needs MORE than half of its official members in favour.
    recognition_within_working_days: int = 30
    recognition_vote_numerator: int = 1
    recognition_vote_denominator: int = 2
    # The cell secretary is reminded this many days before probation ends.
    reminder_days_before: int = 30


RULE_SETS: tuple[AdmissionRules, ...] = (AdmissionRules(effective_from=dt.date(2011, 1, 1)),)


def rules_on(day: dt.date) -> AdmissionRules:
    """The rule set in force on ``day`` (the oldest one for days before any)."""
    return in_force(RULE_SETS, day)


def age_in_months(birth: dt.date, day: dt.date) -> int:
    """Whole months lived on ``day`` (a month counts once its day-of-month is reached)."""
    months = (day.year - birth.year) * 12 + (day.month - birth.month)
    if day.day < birth.day and not _is_month_end_on_or_after(day, birth.day):
        months -= 1
    return months


def _is_month_end_on_or_after(day: dt.date, birth_day: int) -> bool:
    """Born on the 31st: the birthday in a 30-day month falls on its last day."""
    next_day = day + dt.timedelta(days=1)
    return next_day.month != day.month and birth_day > day.day


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)

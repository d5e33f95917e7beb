"""Numbers set by regulations for the member lifecycle (DOMAIN §2).

Kept as one versioned table so a change in the rules is a data change with an
effective date, not a code change scattered through actions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from serment.core.rulesets import rules_on as in_force


@dataclass(frozen=True)
class LifecycleRules:
    effective_from: dt.date
    probation_months: int = 12  # Điều lệ Đảng, Điều 5: 12 months of probation
    exemption_age_men: int = 60  # Quy định 24-QĐ/TW: men over 60
    exemption_age_women: int = 55  # women over 55
    exemption_illness_min_months: int = 3  # illness of 3 months or more
    temp_transfer_min_months: int = 3  # temporary transfer: 3 months …
    temp_transfer_max_months: int = 12  # … to under one year
    temp_transfer_training_max_months: int = 24  # training: up to 2 years


RULE_SETS: tuple[LifecycleRules, ...] = (LifecycleRules(effective_from=dt.date(2016, 1, 1)),)


def rules_on(day: dt.date) -> LifecycleRules:
    """The rule set in force on ``day``."""
    return in_force(RULE_SETS, day)


def probation_end(admitted_on: dt.date) -> dt.date:
    """The day the probation of a member admitted on ``admitted_on`` ends, which is also
    the day they become official if the cell recognises them (Quy định 24-QĐ/TW; HD
    01-HD/TW 2021). The rule set is the one in force on the admission date."""
    return add_months(admitted_on, rules_on(admitted_on).probation_months)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (clamped to the month's end)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

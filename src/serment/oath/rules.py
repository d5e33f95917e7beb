"""Rule data of the oath campaign (DOMAIN §3).

The text of the oath and the kinds of report a member gives are set by the Party's
regulations, so they are versioned here with an effective date; an oath records
which version it was taken under.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from serment.core.rulesets import rules_on as in_force


@dataclass(frozen=True)
class OathRules:
    effective_from: dt.date
    # The four points of the oath (Điều lệ Đảng, lời thề khi kết nạp).
    points: tuple[Any, ...]  # lazy translations


RULE_SETS: tuple[OathRules, ...] = (
    OathRules(
        effective_from=dt.date(2011, 1, 19),  # Điều lệ Đảng, Đại hội XI
        points=(
            _("Loyalty to the Party and carrying out every task assigned"),
            _("Study, and fight against individualism, corruption and waste"),
            _("Close ties with the people"),
            _("Unity and discipline"),
        ),
    ),
)


def rules_on(day: dt.date) -> OathRules:
    """The oath in force on ``day`` (the earliest known one before it existed)."""
    return in_force(RULE_SETS, day)

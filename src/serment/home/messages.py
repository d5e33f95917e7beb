"""The texts of tasks and notifications, by stable key.

A notification stores the key and its parameters, never a sentence: it is rendered
in the reader's language when read (issue 11). Keys are never renamed; a retired
key stays here so old notifications still read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from serment.core.dates import plain, show_date

MESSAGES: dict[str, Any] = {
    # a secretary's tasks
    "rating.review": _("Rating round %(year)s: %(n)d members of %(cell)s to review"),
    "oath.meeting_not_scheduled": _("“%(campaign)s”: the thematic meeting of %(cell)s is not scheduled"),
    "oath.assessments_not_submitted": _("“%(campaign)s”: %(n)d self-assessments not submitted in %(cell)s"),
    "admissions.probation_ending": _("Probation of %(member)s ends on %(date)s (in %(days)d days)"),
    "admissions.probation_ended": _("Probation of %(member)s ended on %(date)s: the cell has not voted"),
    # committee staff
    "rating.undecided": _("Rating round %(year)s of %(org)s: %(n)d of %(total)d subjects not decided"),
    "oath.cells_not_held": _(
        "“%(campaign)s”: %(n)d of %(total)d cells under %(org)s have not held the meeting"
    ),
    # inspection staff
    "inspection.case_due": _("%(kind)s %(case)s: to be handled by %(date)s"),
    # a member's own tasks
    "oath.own_assessment": _("“%(campaign)s”: write and submit your self-assessment by %(date)s"),
    "rating.own_self_assessment": _("Rating %(year)s: your self-assessment and proposed level"),
    # reminders
    "reminder.digest": _("You have %(n)d tasks waiting in Serment."),
}


# Parameters are stored as JSON, so a date is kept as its ISO text (2023-06-20) and
# shown in the reader's format when the message is rendered (20/06/2023, 20 Jun 2023).
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shown(value: Any) -> Any:
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return show_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return plain(value)


def render(key: str, params: Mapping[str, Any]) -> str:
    """The message in the active language, dates in the reader's format; an unknown
    key reads as itself."""
    template = MESSAGES.get(key)
    if template is None:
        return key
    try:
        return str(template) % {k: _shown(v) for k, v in dict(params).items()}
    except (KeyError, TypeError, ValueError):
        return str(template)

"""The rules of inspection and discipline as data (DOMAIN §7).

Plain values and small pure functions, no database: the actions, the importer,
the forms and the register all read them from here. Numbers that a regulation sets
carry their source; the ones that could not be checked are marked unconfirmed and
live in a rule set with an effective date, so a new regulation is a new entry.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand (khiển trách)")
    WARNING = "warning", _("Warning (cảnh cáo)")
    DISMISSAL = "dismissal", _("Dismissal from post (cách chức)")
    EXPULSION = "expulsion", _("Expulsion (khai trừ)")
    DISSOLUTION = "dissolution", _("Dissolution (giải tán)")


MEMBER_DISCIPLINE_FORMS = (
    DisciplineForm.REPRIMAND,
    DisciplineForm.WARNING,
    DisciplineForm.DISMISSAL,
    DisciplineForm.EXPULSION,
)
ORGANISATION_DISCIPLINE_FORMS = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.DISSOLUTION)
DISCIPLINE_SEVERITY = {
    DisciplineForm.REPRIMAND: 1,
    DisciplineForm.WARNING: 2,
    DisciplineForm.DISMISSAL: 3,
    DisciplineForm.EXPULSION: 4,
    DisciplineForm.DISSOLUTION: 4,
}
# Forms that never lapse (Quy định 69-QĐ/TW: expulsion; a dissolved organisation is gone).
NEVER_LAPSE = (DisciplineForm.EXPULSION, DisciplineForm.DISSOLUTION)

SOURCE_LAPSE = "Quy định 69-QĐ/TW (2022)"
SOURCE_COMPLAINT = "Điều lệ Đảng Điều 39; Quy định 22-QĐ/TW (2021) Điều 22"
SOURCE_ANNULMENT = "Quy định 117-QĐ/TW (2023)"


class ComplaintLevel(models.IntegerChoices):
    """Where a complaint about discipline is handled, from the bottom up."""

    # The grassroots Party committee as a body (Đảng ủy cơ sở), not the kind of
    # organisation of the same English name (Đảng bộ cơ sở) that organisations uses.
    GRASSROOTS = 1, pgettext_lazy("body handling a complaint", "Grassroots committee")
    DISTRICT = 2, _("District-level committee or its inspection commission")
    PROVINCE = 3, _("Provincial committee or its inspection commission")
    CENTRAL_INSPECTION = 4, _("Central Inspection Commission")
    SECRETARIAT = 5, _("Secretariat")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    CHANGED = "changed", _("Changed to another form")
    ANNULLED = "annulled", _("Annulled")


class CaseKind(models.TextChoices):
    PETITION = "petition", _("Petition (kiến nghị)")
    COMPLAINT = "complaint", _("Complaint (khiếu nại)")
    DENUNCIATION = "denunciation", _("Denunciation (tố cáo)")


class CaseChannel(models.TextChoices):
    POST = "post", _("By post")
    IN_PERSON = "in_person", _("In person")
    FORWARDED = "forwarded", _("Forwarded by another body")
    ELECTRONIC = "electronic", _("Electronic")
    OTHER = "other", pgettext_lazy("channel", "Other")


class CaseOutcome(models.TextChoices):
    FOUNDED = "founded", _("Founded")
    PARTLY_FOUNDED = "partly_founded", _("Partly founded")
    UNFOUNDED = "unfounded", _("Unfounded")
    TRANSFERRED = "transferred", _("Transferred to the competent body")
    NOT_HANDLED = "not_handled", _("Filed, not handled (anonymous denunciation)")


class ActivityKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection (kiểm tra)")
    SUPERVISION = "supervision", _("Supervision (giám sát)")


class ActivityMode(models.TextChoices):
    REGULAR = "regular", _("Regular")
    THEMATIC = "thematic", _("Thematic")
    SIGNS_OF_VIOLATION = "signs_of_violation", _("Where there are signs of violation")


class Conclusion(models.TextChoices):
    NO_VIOLATION = "no_violation", _("No violation")
    SHORTCOMINGS = "shortcomings", _("Shortcomings to remedy")
    VIOLATION = "violation", _("Violation, discipline to consider")
    VIOLATION_DISCIPLINED = "violation_disciplined", _("Violation, disciplined")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class InspectionRules:
    """The numbers of one period's inspection regulations."""

    code: str
    name: str
    effective_from: dt.date
    lapse_months: int  # a decision lapses this long after announcement (SOURCE_LAPSE)
    complaint_window_months: int  # from receiving the decision (SOURCE_COMPLAINT)
    # The last level a complaint may go to, by form (SOURCE_COMPLAINT): the Central
    # Inspection Commission for reprimand, warning, dismissal; the Secretariat for expulsion.
    final_level: dict[str, int]
    # Days to handle a petition/complaint/denunciation, by kind and by the level of
    # the handling committee (depth in the tree: 0 province, 1 district, 2+ grassroots).
    case_days: dict[str, tuple[int, int, int]]
    case_days_confirmed: bool


RULE_SETS = (
    InspectionRules(
        code="QD22-2021",
        name="Quy định 22-QĐ/TW (2021), Quy định 69-QĐ/TW (2022)",
        effective_from=dt.date(2021, 7, 28),
        lapse_months=12,
        complaint_window_months=1,
        final_level={
            DisciplineForm.REPRIMAND: ComplaintLevel.CENTRAL_INSPECTION,
            DisciplineForm.WARNING: ComplaintLevel.CENTRAL_INSPECTION,
            DisciplineForm.DISMISSAL: ComplaintLevel.CENTRAL_INSPECTION,
            DisciplineForm.EXPULSION: ComplaintLevel.SECRETARIAT,
            DisciplineForm.DISSOLUTION: ComplaintLevel.SECRETARIAT,
        },
        # Unconfirmed defaults (DOMAIN §7: the exact numbers of days could not be
        # checked): petitions 30 days at every level; complaints 90 days at the
        # province, 60 at a district, 30 at grassroots; denunciations 90/60/60.
        case_days={
            CaseKind.PETITION: (30, 30, 30),
            CaseKind.COMPLAINT: (90, 60, 30),
            CaseKind.DENUNCIATION: (90, 60, 60),
        },
        case_days_confirmed=False,
    ),
)


def rules_on(day: dt.date) -> InspectionRules:
    """The rule set in effect on ``day`` (the earliest one before it was recorded)."""
    applicable = [r for r in RULE_SETS if r.effective_from <= day]
    return max(applicable, key=lambda r: r.effective_from) if applicable else RULE_SETS[0]


def lapse_date(form: str, counted_from: dt.date) -> dt.date | None:
    """When a decision lapses by itself, counted from its announcement (or from the
    decision on a complaint about it); ``None`` for expulsion (Quy định 69-QĐ/TW)."""
    if form in NEVER_LAPSE:
        return None
    return add_months(counted_from, rules_on(counted_from).lapse_months)


def complaint_deadline(received_on: dt.date) -> dt.date:
    """The last day to complain: one month from receiving the decision (rule data)."""
    return add_months(received_on, rules_on(received_on).complaint_window_months)


def case_due_date(kind: str, handling_depth: int, received_on: dt.date) -> dt.date:
    """The handling deadline of a petition, complaint or denunciation."""
    days = rules_on(received_on).case_days[kind]
    return received_on + dt.timedelta(days=days[min(handling_depth, 2)])

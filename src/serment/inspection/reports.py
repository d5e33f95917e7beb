"""The inspection report: inspections and supervisions by kind, mode and conclusion;
discipline by form for members and organisations; complaints about discipline;
petitions and denunciations received / handled in time / overdue / by outcome.

Each figure is a named filter on a scoped queryset (``FIGURES``): the page, the
exports and ``serment report inspection`` count it, and the drill-down lists the
very rows counted — the same filter, so a figure and its records cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.reporting import ReportTable

from . import queries
from .policies import (
    MEMBER_DISCIPLINE_FORMS,
    ORGANISATION_DISCIPLINE_FORMS,
    ActivityKind,
    ActivityMode,
    CaseKind,
    CaseOutcome,
    ComplaintOutcome,
    Conclusion,
    DisciplineForm,
)

SECTIONS = {
    "inspection": gettext_lazy("Inspections"),
    "supervision": gettext_lazy("Supervisions"),
    "discipline": gettext_lazy("Discipline"),
    "cases": gettext_lazy("Petitions, complaints and denunciations"),
}


@dataclass(frozen=True)
class Figure:
    key: str
    section: str
    label: Any
    records: str  # "inspection" | "decision" | "case": which list the drill-down shows
    where: Callable[[QuerySet, dt.date], QuerySet]


def _base(viewer: Any, records: str, year: int, org) -> QuerySet:
    if records == "inspection":
        return queries.inspections_for(viewer, org=org).filter(year=year)
    if records == "decision":
        return queries.decisions_for(viewer, org=org).filter(decided_on__year=year)
    return queries.cases_for(viewer, org=org).filter(received_on__year=year)


def _activity_figures(kind: str) -> list[Figure]:
    out = [
        Figure(
            f"{kind}.planned", kind, gettext_lazy("Planned"), "inspection", lambda qs, d: qs.filter(kind=kind)
        ),
        Figure(
            f"{kind}.done",
            kind,
            gettext_lazy("Concluded"),
            "inspection",
            lambda qs, d: qs.filter(kind=kind, concluded_on__isnull=False),
        ),
        Figure(
            f"{kind}.in_time",
            kind,
            gettext_lazy("Concluded by the deadline"),
            "inspection",
            lambda qs, d: qs.filter(kind=kind, concluded_on__lte=F("deadline")),
        ),
        Figure(
            f"{kind}.overdue",
            kind,
            gettext_lazy("Overdue (open past the deadline, or concluded late)"),
            "inspection",
            lambda qs, d: qs.filter(kind=kind).filter(
                Q(concluded_on__isnull=True, deadline__lt=d) | Q(concluded_on__gt=F("deadline"))
            ),
        ),
    ]
    for mode, mode_label in ActivityMode.choices:
        out.append(
            Figure(
                f"{kind}.mode.{mode}",
                kind,
                mode_label,
                "inspection",
                lambda qs, d, mode=mode: qs.filter(kind=kind, mode=mode),
            )
        )
    for c, c_label in Conclusion.choices:
        out.append(
            Figure(
                f"{kind}.conclusion.{c}",
                kind,
                c_label,
                "inspection",
                lambda qs, d, c=c: qs.filter(kind=kind, conclusion=c),
            )
        )
    return out


def _discipline_figures() -> list[Figure]:
    out = []
    for form in MEMBER_DISCIPLINE_FORMS:
        out.append(
            Figure(
                f"discipline.member.{form}",
                "discipline",
                DisciplineForm(form).label,
                "decision",
                lambda qs, d, form=form: qs.filter(member__isnull=False, form=form, annulled_on__isnull=True),
            )
        )
    for form in ORGANISATION_DISCIPLINE_FORMS:
        out.append(
            Figure(
                f"discipline.organisation.{form}",
                "discipline",
                DisciplineForm(form).label,
                "decision",
                lambda qs, d, form=form: qs.filter(
                    organisation__isnull=False, form=form, annulled_on__isnull=True
                ),
            )
        )
    out += [
        Figure(
            "discipline.self_detected",
            "discipline",
            gettext_lazy("Self-detected and remedied"),
            "decision",
            lambda qs, d: qs.filter(self_detected=True, annulled_on__isnull=True),
        ),
        Figure(
            "discipline.complained",
            "discipline",
            gettext_lazy("Complained about"),
            "decision",
            lambda qs, d: qs.filter(complaints__isnull=False).distinct(),
        ),
        Figure(
            "discipline.changed",
            "discipline",
            gettext_lazy("Changed on complaint"),
            "decision",
            lambda qs, d: qs.filter(complaints__outcome=ComplaintOutcome.CHANGED).distinct(),
        ),
        Figure(
            "discipline.annulled",
            "discipline",
            gettext_lazy("Annulled (on complaint or Quy định 117-QĐ/TW)"),
            "decision",
            lambda qs, d: qs.filter(
                Q(annulled_on__isnull=False) | Q(complaints__outcome=ComplaintOutcome.ANNULLED)
            ).distinct(),
        ),
    ]
    return out


def _case_figures() -> list[Figure]:
    out = [
        Figure(
            f"cases.received.{kind}",
            "cases",
            label,
            "case",
            lambda qs, d, kind=kind: qs.filter(kind=kind),
        )
        for kind, label in CaseKind.choices
    ]
    out += [
        Figure(
            "cases.not_handled",
            "cases",
            gettext_lazy("Anonymous, recorded but not handled"),
            "case",
            lambda qs, d: qs.filter(handled=False),
        ),
        Figure(
            "cases.in_time",
            "cases",
            gettext_lazy("Handled in time"),
            "case",
            lambda qs, d: qs.filter(handled=True, closed_on__lte=F("due_on")),
        ),
        Figure(
            "cases.overdue",
            "cases",
            gettext_lazy("Overdue (open past the deadline, or closed late)"),
            "case",
            lambda qs, d: qs.overdue_on(d),
        ),
        Figure(
            "cases.open",
            "cases",
            gettext_lazy("Still being handled"),
            "case",
            lambda qs, d: qs.filter(handled=True, closed_on__isnull=True),
        ),
    ]
    out += [
        Figure(
            f"cases.outcome.{o}",
            "cases",
            label,
            "case",
            lambda qs, d, o=o: qs.filter(outcome=o),
        )
        for o, label in CaseOutcome.choices
        if o != CaseOutcome.NOT_HANDLED
    ]
    return out


FIGURES = [
    *_activity_figures(ActivityKind.INSPECTION),
    *_activity_figures(ActivityKind.SUPERVISION),
    *_discipline_figures(),
    *_case_figures(),
]
FIGURES_BY_KEY = {f.key: f for f in FIGURES}


def figure_records(viewer: Any, key: str, *, year: int, org=None, today: dt.date | None = None) -> QuerySet:
    """The records one figure counts (the drill-down)."""
    figure = FIGURES_BY_KEY[key]
    return figure.where(_base(viewer, figure.records, year, org), today or timezone.localdate())


def inspection_report(
    viewer: Any, *, year: int, org=None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Every figure of ``year`` in ``org``'s subtree (or all the viewer sees)."""
    day = today or timezone.localdate()
    bases = {r: _base(viewer, r, year, org) for r in ("inspection", "decision", "case")}
    return [
        {
            "key": f.key,
            "section": f.section,
            "section_label": str(SECTIONS[f.section]),
            "subject": _subject(f.key),
            "label": str(f.label),
            "count": f.where(bases[f.records], day).count(),
        }
        for f in FIGURES
    ]


def _subject(key: str) -> str:
    if key.startswith("discipline.member."):
        return str(_("members"))
    if key.startswith("discipline.organisation."):
        return str(_("organisations"))
    return ""


def inspection_table(*, viewer: Any, org=None, options: dict[str, Any]) -> ReportTable:
    year = options.get("year") or timezone.localdate().year
    figures = inspection_report(viewer, year=year, org=org, today=options.get("as_of"))
    return ReportTable(
        title=_("Inspection and discipline %(year)s") % {"year": year},
        header=[_("Section"), _("Subject"), _("Figure"), _("Key"), _("Count")],
        rows=[[f["section_label"], f["subject"], f["label"], f["key"], f["count"]] for f in figures],
        data={"year": year, "org": org.code if org else None, "figures": figures},
    )


CLI_REPORTS = {"inspection": inspection_table}

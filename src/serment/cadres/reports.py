"""The cadre report as a table: ``serment report cadres --from D --to D [--org CODE]``
and the page's export print the same figures (``queries.cadre_report``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.dates import show_date
from serment.core.errors import DomainError
from serment.core.reporting import ReportTable

from . import queries
from .models import MovementKind
from .queries import CadreReport

HEADER = ["section", "key", "label", "people", "decisions", "percent", "goal_percent"]

FIGURE_LABELS = {
    "transferred_appointed_nominated": gettext_lazy(
        "Cadres transferred, appointed or nominated to posts under the management of the "
        "provincial standing committee or the Central Committee"
    ),
    "key_leaders_removed": gettext_lazy("Key leaders removed or proposed for removal"),
    "department_heads_moved": gettext_lazy("Heads of provincial departments moved to other work"),
    "non_local_from_departments": gettext_lazy(
        "Provincial department leaders made district secretaries, non-local"
    ),
}


def _num(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def report_rows(report: CadreReport) -> list[list[Any]]:
    levels = dict(queries.Movement._meta.get_field("deciding_level").choices)
    rows: list[list[Any]] = []
    for key, (people, decisions) in report.figures.items():
        rows.append(["figure", key, str(FIGURE_LABELS[key]), people, decisions, None, None])
    for kind, level, n in report.by_kind_and_level:
        label = f"{MovementKind(kind).label} — {levels.get(level, level)}"
        rows.append(["movements", f"{kind}:{level}", label, None, n, None, None])
    goal, year = report.goal
    rows.append(
        [
            "district_secretaries",
            "non_local",
            _("Non-local secretaries of committees directly under the province (goal by %(year)s)")
            % {"year": year},
            report.non_local,
            len(report.district_secretaries),
            report.non_local_percent,
            goal,
        ]
    )
    p = report.planning
    rows.append(["planning", "people", _("People planned"), p.people, p.entries, None, None])
    rows.append(["planning", "per_seat", _("Planned per seat"), p.entries, p.seats, _num(p.per_seat), None])
    for key, label in (
        ("young", _("Young cadres")),
        ("women", _("Women")),
        ("ethnic_minority", _("Ethnic-minority cadres")),
    ):
        n = getattr(p, key)
        rows.append(["planning", key, label, n, None, p.share(n), p.targets.get(key)])
    rows.append(["barred", "holders", _("Post holders barred"), len(report.barred_holders), None, None, None])
    rows.append(
        [
            "barred",
            "flagged_for_removal",
            _("Rated not completed two years running"),
            report.flagged_for_removal,
            None,
            None,
            None,
        ]
    )
    rows.append(
        [
            "barred",
            "planned",
            _("Planned people barred: to remove from planning"),
            len(report.barred_planned),
            None,
            None,
            None,
        ]
    )
    return rows


def cadre_table(report: CadreReport) -> ReportTable:
    rows = report_rows(report)
    title = _("Cadre work %(start)s – %(end)s") % {
        "start": show_date(report.start),
        "end": show_date(report.end),
    }
    data = {
        "organisation": report.org.code if report.org else None,
        "from": report.start,
        "to": report.end,
        "figures": {k: {"people": v[0], "decisions": v[1]} for k, v in report.figures.items()},
        "rows": [{k: _num(v) for k, v in zip(HEADER, row, strict=True)} for row in rows],
    }
    return ReportTable(title=title, header=HEADER, rows=[[_num(v) for v in r] for r in rows], data=data)


def cadres(*, viewer: Any, org, options: dict[str, Any]) -> ReportTable:
    """``serment report cadres --from D --to D [--org CODE]``."""
    start, end = options.get("from"), options.get("to") or options.get("as_of")
    if not start or not end:
        raise DomainError(_("Give the period: --from YYYY-MM-DD --to YYYY-MM-DD."))
    if isinstance(start, str) or isinstance(end, str):
        from serment.core.imports import parse_date

        start, end = parse_date(start), parse_date(end)
    if start > end:
        raise DomainError(_("The period ends before it starts."))
    assert isinstance(start, dt.date)
    return cadre_table(queries.cadre_report(viewer, org=org, start=start, end=end))


CLI_REPORTS = {"cadres": cadres}

"""The rating report as a table: for the web export and ``serment report ratings``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from serment.core.errors import DomainError
from serment.core.reporting import ReportTable

from . import queries
from .queries import GroupRow, RatingReport

HEADER = [
    "group",
    "label",
    "year",
    "rated",
    "excellent",
    "good",
    "completed",
    "not_completed",
    "good_or_better",
    "good_or_better_percent",
    "excellent_percent_of_rated",
    "excellent_percent_of_good",
    "target_percent",
    "points_above_target",
    "good_or_better_percent_previous_year",
    "good_or_better_percent_two_years_before",
    "average_excellent_percent_of_rated",
    "average_excellent_percent_of_good",
]
NOT_COMPLETED_TWICE = "members_not_completed_two_years_running"


def _row(r: GroupRow) -> list[Any]:
    f = r.figures
    return [
        r.group.key,
        str(r.group.label),
        r.year,
        f.rated,
        f.excellent,
        f.good,
        f.levels["completed"],
        f.levels["not_completed"],
        f.good_or_better,
        f.good_or_better_percent,
        f.excellent_of_rated,
        f.excellent_of_good,
        r.target_percent,
        r.above_target,
        r.previous(1).good_or_better_percent,
        r.previous(2).good_or_better_percent,
        r.average_excellent_of_rated,
        r.average_excellent_of_good,
    ]


def _plain(value: Any) -> Any:
    """JSON numbers, not strings (Decimal → float; shares have one decimal)."""
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def rating_table(report: RatingReport) -> ReportTable:
    """One row per group (counts, shares, target, earlier years, three-year averages),
    then the members not completed two years running."""
    rows = [_row(r) for r in report.rows]
    last = [NOT_COMPLETED_TWICE, _("Members not completed two years running"), report.year]
    last += [None] * (len(HEADER) - len(last))
    last[HEADER.index("not_completed")] = report.not_completed_twice
    data = {
        "organisation": report.org.code if report.org else None,
        "year": report.year,
        "years_averaged": report.years,
        "groups": [{k: _plain(v) for k, v in zip(HEADER, row, strict=True)} for row in rows],
        NOT_COMPLETED_TWICE: report.not_completed_twice,
    }
    title = _("Quality rating %(year)s") % {"year": report.year}
    return ReportTable(title=title, header=HEADER, rows=rows + [last], data=data)


def ratings(*, viewer: Any, org, options: dict[str, Any]) -> ReportTable:
    """``serment report ratings [--org CODE] [--year YYYY]``: default, the latest year decided."""
    year = options.get("year") or queries.latest_year(viewer, org)
    if year is None:
        raise DomainError(_("No decided ratings in this subtree."))
    return rating_table(queries.rating_report(viewer, org=org, year=year))


CLI_REPORTS = {"ratings": ratings}

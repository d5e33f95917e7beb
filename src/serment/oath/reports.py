"""The coverage report as a table: for the web export and ``serment report oath-coverage``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from serment.core.dates import show_date
from serment.core.errors import DomainError
from serment.core.reporting import ReportTable

from . import queries
from .queries import Coverage, CoverageRow

HEADER = [
    "code",
    "organisation",
    "cells_held",
    "cells",
    "cells_percent",
    "members_reported",
    "members_expected",
    "members_percent",
    "exempt",
    "transferred_out",
    "absent",
    "not_reported",
    "on_register",
]


def _row(r: CoverageRow, *, whole_tree: str) -> list[Any]:
    m = r.members
    return [
        r.organisation.code if r.organisation else "",
        r.organisation.name if r.organisation else whole_tree,
        r.cells_held,
        r.cells,
        r.cells_percent,
        m["reported"],
        m["expected"],
        r.percent,
        m["exempt"],
        m["transferred_out"],
        m["absent"],
        m["not_reported"],
        m["register"],
    ]


def coverage_table(cov: Coverage) -> ReportTable:
    """Total first, then one row per level; percentages plain (92.5), no separators."""
    whole = _("Whole tree")
    rows = [_row(cov.total, whole_tree=whole)] + [_row(r, whole_tree=whole) for r in cov.rows]

    def as_dict(row: list[Any]) -> dict[str, Any]:
        d = dict(zip(HEADER, row, strict=True))
        for k in ("cells_percent", "members_percent"):
            d[k] = float(d[k]) if d[k] is not None else None
        return d

    data = {
        "campaign": {
            "id": cov.campaign.pk,
            "title": cov.campaign.title,
            "launched_by": cov.campaign.organisation.code,
            "starts_on": cov.campaign.starts_on,
            "ends_on": cov.campaign.ends_on,
            "deadline": cov.campaign.deadline,
            "counted_states": cov.campaign.counted_states(),
        },
        "as_of": cov.as_of,
        "total": as_dict(rows[0]),
        "levels": [as_dict(r) for r in rows[1:]],
    }
    title = _("Oath coverage %(date)s") % {"date": show_date(cov.as_of)}
    return ReportTable(title=title, header=HEADER, rows=rows, data=data)


def oath_coverage(*, viewer: Any, org, options: dict[str, Any]) -> ReportTable:
    """``serment report oath-coverage [--org CODE] [--as-of DATE] [--year YYYY]``: the
    latest campaign covering the organisation, started by the date (``--year``: that year's)."""
    as_of = options.get("as_of") or timezone.localdate()
    campaign = queries.campaign_for_report(viewer=viewer, org=org, as_of=as_of, year=options.get("year"))
    if campaign is None:
        raise DomainError(_("No campaign covers this organisation by %(date)s.") % {"date": show_date(as_of)})
    cov = queries.coverage(viewer=viewer, campaign=campaign, org=org, as_of=as_of)
    return coverage_table(cov)


CLI_REPORTS = {"oath-coverage": oath_coverage}

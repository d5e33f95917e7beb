"""The yearly admission report as a table: for `serment report admissions`, the
page's XLSX/CSV export and the JSON API shape. Figures come from ``queries``."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from serment.core import exports
from serment.core.reporting import ReportTable
from serment.core.scoping import SYSTEM

from . import queries

HEADER = ["section", "code", "name", "measure", "value"]


@dataclass
class AdmissionTable(ReportTable):
    """One long table (CSV, JSON rows) and, in XLSX, one sheet per part of the report."""

    sheets: list[tuple[str, list[str], list[list[Any]]]] = field(default_factory=list)

    def render(self, fmt: str) -> bytes:
        if fmt != "xlsx" or not self.sheets:
            return super().render(fmt)
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        for title, header, rows in self.sheets:
            ws = wb.create_sheet(title=title[:31])
            ws.append([exports.safe_cell(h) for h in header])
            for row in rows:
                ws.append(["" if v is None else exports.safe_cell(v) for v in row])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def _num(value: Any) -> Any:
    """Percentages as plain numbers (101.5), not strings or Decimals."""
    return None if value is None else float(value)


def report_table(report: queries.AdmissionReport) -> AdmissionTable:
    org = report.organisation
    code, name = (org.code, org.name) if org is not None else ("", "")
    rows: list[list[Any]] = [
        ["summary", code, name, "admitted", report.admitted],
        ["summary", code, name, "target", report.target],
        ["summary", code, name, "admitted_of_target_pct", _num(report.of_target)],
        ["summary", code, name, "members_at_start_of_year", report.members_at_start],
        ["summary", code, name, "admitted_of_members_pct", _num(report.rate)],
        ["summary", code, name, "due_for_recognition", report.due_for_recognition],
        ["summary", code, name, "candidates_in_progress", report.candidates_in_progress],
    ]
    if report.peer_rank:
        rows += [
            ["summary", code, name, "peer_rank", report.peer_rank],
            ["summary", code, name, "peer_count", report.peer_count],
        ]
    rows += [["candidates", code, str(s.label), s.kind, s.count] for s in report.candidates]
    for r in report.ranking:
        o = r.organisation
        rows += [
            ["committees", o.code, o.name, "rank", r.rank],
            ["committees", o.code, o.name, "admitted", r.admitted],
            ["committees", o.code, o.name, "target", r.target],
            ["committees", o.code, o.name, "admitted_of_target_pct", _num(r.of_target)],
            ["committees", o.code, o.name, "members_at_start_of_year", r.members_at_start],
            ["committees", o.code, o.name, "admitted_of_members_pct", _num(r.rate)],
        ]
    for p in report.peers:
        pcode = code if p.is_self else ""
        rows += [
            ["peers", pcode, p.name, "rank", p.rank],
            ["peers", pcode, p.name, "admitted", p.admitted],
            ["peers", pcode, p.name, "members", p.members],
            ["peers", pcode, p.name, "admitted_of_members_pct", _num(p.rate)],
        ]
    data = {
        "organisation": code or None,
        "year": report.year,
        "admitted": report.admitted,
        "target": report.target,
        "admitted_of_target_pct": _num(report.of_target),
        "members_at_start_of_year": report.members_at_start,
        "admitted_of_members_pct": _num(report.rate),
        "due_for_recognition": report.due_for_recognition,
        "candidates": {s.kind: s.count for s in report.candidates},
        "peer_rank": report.peer_rank,
        "peer_count": report.peer_count,
        "committees": [
            {
                "rank": r.rank,
                "code": r.organisation.code,
                "name": r.organisation.name,
                "admitted": r.admitted,
                "target": r.target,
                "admitted_of_target_pct": _num(r.of_target),
                "members_at_start_of_year": r.members_at_start,
                "admitted_of_members_pct": _num(r.rate),
            }
            for r in report.ranking
        ],
        "peers": [
            {
                "rank": p.rank,
                "name": p.name,
                "admitted": p.admitted,
                "members": p.members,
                "admitted_of_members_pct": _num(p.rate),
                "self": p.is_self,
            }
            for p in report.peers
        ],
    }
    summary = [[r[3], r[4]] for r in rows if r[0] == "summary"]
    sheets = [
        ("Summary", ["measure", "value"], summary),
        (
            "Candidates",
            ["step", "label", "candidates"],
            [[s.kind, str(s.label), s.count] for s in report.candidates],
        ),
        (
            "Committees",
            ["rank", "code", "name", "admitted", "target", "% of target", "members at start", "% of members"],
            [
                [
                    r.rank,
                    r.organisation.code,
                    r.organisation.name,
                    r.admitted,
                    r.target,
                    _num(r.of_target),
                    r.members_at_start,
                    _num(r.rate),
                ]
                for r in report.ranking
            ],
        ),
        (
            "Peers",
            ["rank", "name", "admitted", "members", "% of members"],
            [[p.rank, p.name, p.admitted, p.members, _num(p.rate)] for p in report.peers],
        ),
    ]
    title = f"Admissions {report.year} {code}".strip()
    return AdmissionTable(title=title, header=HEADER, rows=rows, data=data, sheets=sheets)


def admissions_cli(*, viewer: Any, org: Any, options: dict[str, Any]) -> AdmissionTable:
    """`serment report admissions --org CODE --year YYYY`: without --org, the whole tree."""
    as_of = options.get("as_of") or timezone.localdate()
    year = options.get("year") or as_of.year
    if org is None and viewer is not SYSTEM:
        org = queries.sole_root(viewer)
    report = queries.admission_report(viewer=viewer, org=org, year=int(year), as_of=as_of)
    return report_table(report)


CLI_REPORTS = {"admissions": admissions_cli}

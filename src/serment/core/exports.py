"""Writing tables for export (CSV, XLSX), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .actors import Actor

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return safe_cell(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Serment") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Serment")
    ws.append([safe_cell(h) for h in header])
    for row in rows:
        ws.append(["" if v is None else safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(
    fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Serment"
) -> bytes:
    if fmt == "csv":
        return to_csv(header, rows)
    if fmt == "xlsx":
        return to_xlsx(header, rows, title=title)
    raise ValueError(f"unknown format {fmt}")


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


# --- Downloads ---------------------------------------------------------------------------

# XLSX is built in memory inside the request; beyond this many rows the download is
# refused with a pointer to CSV, which streams (issue 13 §8). The export views hand an
# XLSX of more than SERMENT_EXPORT_JOB_ROWS rows to a background job (docs/jobs.md), which
# may build up to a worksheet's limit.
MAX_XLSX_ROWS = 50_000
MAX_XLSX_ROWS_IN_BACKGROUND = 1_048_575


class _Echo:
    """A file-like object whose ``write`` hands the line back (csv.writer into a generator)."""

    def write(self, value: str) -> str:
        return value


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV of ``to_csv``, produced a few hundred rows at a time."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow([safe_cell(h) for h in header])).encode("utf-8")
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([_plain(v) for v in row]))
        if len(chunk) >= 500:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


class TooLargeForXlsx(Exception):
    pass


def _bounded(rows: Iterable[Sequence[Any]], limit: int) -> Iterator[Sequence[Any]]:
    for n, row in enumerate(rows, start=1):
        if n > limit:
            raise TooLargeForXlsx
        yield row


def safe_filename(name: str) -> str:
    """A download's file name: letters, digits, dot, dash, underscore only (a quote or a
    line break in an organisation code must not reach the header)."""
    cleaned = "".join(c if (c.isascii() and (c.isalnum() or c in "._-")) else "-" for c in name)
    return cleaned.strip(".-") or "export"


def download(
    *, by: Actor, fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]], name: str, target: Any
):
    """The response of an export, recorded in the audit history (``export.<name>`` about
    ``target``, the organisation exported or the user). CSV streams; XLSX is refused past
    ``MAX_XLSX_ROWS`` rows (a ``DomainError``: the user is told to take CSV)."""
    from django.http import HttpResponse, StreamingHttpResponse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .errors import DomainError

    filename = safe_filename(f"{name}-{timezone.localdate().isoformat()}.{fmt}")
    if fmt == "csv":
        response = StreamingHttpResponse(iter_csv(header, rows), content_type=CONTENT_TYPES["csv"])
    elif fmt == "xlsx":
        from .background import in_background

        limit = MAX_XLSX_ROWS_IN_BACKGROUND if in_background() else MAX_XLSX_ROWS
        try:
            payload = to_xlsx(header, _bounded(rows, limit), title=name)
        except TooLargeForXlsx:
            raise DomainError(
                _("More than %(n)s rows: download CSV instead, or choose a smaller organisation.")
                % {"n": f"{limit:,}"}
            ) from None
        response = HttpResponse(payload, content_type=CONTENT_TYPES["xlsx"])
    else:
        raise ValueError(f"unknown format {fmt}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record_export(by=by, name=name, target=target, fmt=fmt, filename=filename)
    return response


def record_export(*, by: Actor, name: str, target: Any, fmt: str, filename: str = "") -> None:
    """An export in the audit history: who took which data out, in what format."""
    from . import audit

    audit.record(by=by, action=f"export.{name}", target=target, summary=filename, changes={"format": fmt})

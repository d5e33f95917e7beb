"""Reading tabular files (CSV, XLSX) for the importers, all-or-nothing.

An importer declares its ``Column``s, reads the file with ``read_table`` (which
refuses wrong types, oversized and malicious files), validates every row into a
list of ``RowError``s, and only when there is none calls an action that writes
everything in one transaction. ``run_import`` ties these together.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import DomainError

MAX_ROWS = 200_000
# XLSX is a zip: refuse archives whose content would expand past this (zip bombs).
# ``zipfile`` never inflates a member past its declared size, so checking the
# declared sizes bounds what openpyxl can be made to read.
MAX_XLSX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_XLSX_RATIO = 200
# Text that a spreadsheet would run as a formula; exports prefix it with an apostrophe
# (``exports.safe_cell``), which the reader takes off again so an export re-imports as it was.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(DomainError):
    """The file as a whole cannot be read (type, size, encoding, headers)."""


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line number as the user sees it in the file (header is row 1)
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``created`` counts the records written (or that would be); ``breakdown`` splits
    them for the preview (``{"cell": 2388, …}``); ``errors`` lists every refused row.
    """

    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    breakdown: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "ok": self.ok,
            "breakdown": dict(self.breakdown),
            "errors": [e.__dict__ for e in self.errors],
        }


def normalise_header(text: str) -> str:
    """Case-, accent- and spacing-insensitive header key ("Ngày sinh" == "ngay_sinh")."""
    text = unicodedata.normalize("NFD", str(text or "").strip().lower()).replace("đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return "".join(c if c.isalnum() else "_" for c in text).strip("_")


@dataclass(frozen=True)
class Column:
    key: str
    headers: tuple[str, ...] = ()  # accepted header spellings besides ``key`` (Vietnamese…)
    required: bool = False

    def accepted(self) -> set[str]:
        return {normalise_header(h) for h in (self.key, *self.headers)}


def parse_date(value: Any) -> dt.date | None:
    """ISO (2023-06-30) or Vietnamese day-first (30/06/2023); Excel dates as they come."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(v)s” is not a date (use YYYY-MM-DD or DD/MM/YYYY).") % {"v": text})


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheets hand over numbers (a card number typed as
    48000001 arrives as 48000001 or 48000001.0), which must not grow a ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _unquote(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
            return value[1:]
    return value


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is not UTF-8 text."))


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    # The delimiter is the one the header line uses most (Excel in a Vietnamese or
    # French locale writes ";"); guessing from the data would trip on commas in names.
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file could not be read: %(e)s") % {"e": exc}) from exc


def _check_xlsx_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("The file is not a valid XLSX workbook.")) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / max(info.compress_size, 1) > MAX_XLSX_RATIO
            and info.file_size > 10 * 1024 * 1024
        ):
            raise ImportFileError(_("The workbook is suspiciously compressed; it was refused."))
        name = info.filename.lower()
        if name.endswith((".bin", ".vba")) or "vbaproject" in name:
            raise ImportFileError(_("Workbooks with macros are refused."))
    if total > MAX_XLSX_UNCOMPRESSED:
        raise ImportFileError(_("The workbook is too large once unpacked."))
    if "xl/workbook.xml" not in archive.namelist():
        raise ImportFileError(_("The file is not a valid XLSX workbook."))


def _caused_by_unsafe_xml(exc: BaseException | None) -> bool:
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:  # openpyxl wraps the parser's refusal
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    _check_xlsx_archive(data)
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # openpyxl parses with defusedxml when it is installed and enabled
        raise ImportFileError(_("XLSX import is disabled: the safe XML parser is not available."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not wb.worksheets:
                raise ImportFileError(_("The workbook has no sheet."))
            rows = []
            # read-only mode parses lazily: a malicious sheet fails here, not at load
            for row in wb.worksheets[0].iter_rows(values_only=True):
                rows.append(["" if v is None else v for v in row])
                if len(rows) > MAX_ROWS + 1:
                    break
        finally:
            wb.close()
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl and defusedxml raise many kinds for broken files
        if _caused_by_unsafe_xml(exc):
            raise ImportFileError(
                _("The workbook contains unsafe XML (entity declarations); it was refused.")
            ) from exc
        raise ImportFileError(
            _("The workbook could not be read (%(e)s).") % {"e": exc.__class__.__name__}
        ) from exc
    return rows


def read_table(data: bytes, filename: str, columns: Sequence[Column]) -> list[tuple[int, dict[str, Any]]]:
    """Rows of the file as ``(line_number, {column.key: value})``.

    Raises ``ImportFileError`` for a wrong type, an oversized or malicious file,
    or missing required columns. Empty lines are skipped.
    """
    if len(data) > settings.SERMENT_MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.SERMENT_MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    name = (filename or "").lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        raw = _csv_rows(data)
    elif name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    else:
        raise ImportFileError(_("Only .csv and .xlsx files can be imported."))
    if not raw:
        raise ImportFileError(_("The file is empty."))
    if len(raw) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})
    header = [normalise_header(cell_text(h)) for h in raw[0]]
    index: dict[str, int] = {}
    for col in columns:
        accepted = col.accepted()
        for i, h in enumerate(header):
            if h in accepted:
                index[col.key] = i
                break
        else:
            if col.required:
                raise ImportFileError(
                    _("Missing column “%(col)s” (accepted headers: %(h)s).")
                    % {"col": col.key, "h": ", ".join((col.key, *col.headers))}
                )
    out = []
    for n, row in enumerate(raw[1:], start=2):
        values = {key: _unquote(row[i]) if i < len(row) else "" for key, i in index.items()}
        if all(v in ("", None) for v in values.values()):
            continue
        out.append((n, values))
    return out


def run_import(
    *,
    rows: Iterable[tuple[int, dict[str, Any]]],
    validate: Callable[[int, dict[str, Any]], Any],
    apply: Callable[[list[Any]], int],
    dry_run: bool,
    check_all: Callable[[list[tuple[int, Any]]], list[RowError]] | None = None,
) -> ImportReport:
    """Validate every row; write nothing unless all are valid (and not a dry run).

    ``validate(line, values)`` returns a parsed row or raises ``DomainError``
    (its ``field`` names the column) or ``ValueError``. ``check_all`` sees the rows
    that parsed, together (duplicates inside the file, references between rows, scope),
    and returns their errors. ``apply`` receives the parsed rows and
    writes them through an action, in one transaction; it returns how many it created.
    """
    rows = list(rows)
    report = ImportReport(dry_run=dry_run, rows=len(rows))
    parsed: list[tuple[int, Any]] = []
    for line, values in rows:
        try:
            parsed.append((line, validate(line, values)))
        except DomainError as exc:
            report.errors.append(RowError(line, exc.field or "", str(exc.message)))
        except ValueError as exc:
            report.errors.append(RowError(line, getattr(exc, "field", "") or "", str(exc)))
    if check_all is not None:
        report.errors.extend(check_all(parsed))
        report.errors.sort(key=lambda e: e.row)
    if report.errors or dry_run:
        if not report.errors:
            report.created = len(parsed)
        return report
    try:
        with transaction.atomic():
            report.created = apply([p for _line, p in parsed])
    except DomainError as exc:
        report.errors.append(RowError(0, exc.field or "", str(exc.message)))
        report.created = 0
    except IntegrityError:  # a concurrent change since validation: nothing was written
        report.errors.append(
            RowError(0, "", _("The records changed while the file was imported; run the import again."))
        )
        report.created = 0
    return report

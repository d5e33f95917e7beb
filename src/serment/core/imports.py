"""Importing tabular files (CSV, XLSX), all-or-nothing, for every kind of record.

One registry, one reader, one runner:

- each app's ``importers.py`` declares an ``ImportKind`` (its name, label, ``Column``s,
  permission and ``run`` function) and registers it from its ``AppConfig.ready()``
  with ``register(...)``; the import page, the ``serment import KIND FILE`` command,
  the downloadable templates and ``docs/import-formats/`` all read the registry;
- ``read_file`` refuses wrong types, oversized, badly encoded and malicious files and
  gives the rows with every text NFC-normalised and stripped of invisible characters;
- ``run_import`` checks every row against its columns (every error of every row),
  parses it, checks the rows together, then runs the REAL actions in one transaction,
  which a dry run (or any refusal) rolls back. ``run_kind`` ties these together.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actors import SYSTEM, Actor, is_actor
from .background import CHECKING, WRITING, report_progress
from .errors import DomainError

MAX_ROWS = 200_000
# XLSX is a zip: the sizes its directory declares are checked before anything is
# inflated. ``zipfile`` never inflates a member past its declared size, so these bound
# what openpyxl can be made to read. A 200,000-row register is well under 100 MB of XML.
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_XLSX_RATIO = 100
# Text that a spreadsheet would run as a formula; exports prefix it with an apostrophe
# (``exports.safe_cell``), which the reader takes off again so an export re-imports as it was.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Codes and identifiers: letters, digits and . - _ / (no spaces, quotes or line breaks,
# which would break CSV exports and download file names).
CODE_PATTERN = re.compile(r"^[^\W_]+(?:[._/-]*[^\W_]+)*$")


class ImportFileError(DomainError):
    """The file as a whole cannot be read (type, size, encoding, headers)."""


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line number as the user sees it in the file (header is row 1)
    column: str  # the column's key; the report shows it as the file named it
    message: str


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``created`` counts the records written (or that would be); ``breakdown`` splits
    them for the preview (``{"cell": 2388, …}``); ``errors`` lists every refused row;
    ``headers`` maps each column key to the header the file used for it.
    """

    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    breakdown: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    result_url: str = ""  # what a real import wrote, to link to (set by the kind's run)
    code: str = ""  # why the whole file was refused, when it was ("too_many_dry_runs"…)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def column_name(self, key: str) -> str:
        """The column as the file named it ("Ngày sinh"), else its key."""
        return self.headers.get(key, key)

    def shown_errors(self) -> list[tuple[int, str, str]]:
        """``(line, column as the file named it, message)`` for every error."""
        return [(e.row, self.column_name(e.column) if e.column else "", e.message) for e in self.errors]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "ok": self.ok,
            "breakdown": dict(self.breakdown),
            "errors": [
                {"row": row, "column": column, "message": message}
                for row, column, message in self.shown_errors()
            ],
        }


def normalise_header(text: str) -> str:
    """Case-, accent- and spacing-insensitive header key ("Ngày sinh" == "ngay_sinh")."""
    text = unicodedata.normalize("NFD", clean_text(str(text or "")).lower()).replace("đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return "".join(c if c.isalnum() else "_" for c in text).strip("_")


def clean_text(text: str) -> str:
    """NFC, without invisible characters (zero-width spaces, joiners, BOMs, soft
    hyphens, control characters) and with every kind of space as a plain one, so that
    "48000001" and "48000001<ZWSP>" are one card number."""
    if text.isascii() and text.isprintable():
        return text.strip()
    return unicodedata.normalize("NFC", text).translate(_invisible_table()).strip()


@functools.cache
def _invisible_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {}
    # the planes where invisible and space characters live (Basic Multilingual, a few
    # supplementary blocks, and the tags of plane 14)
    ranges = (
        range(0x10000),
        range(0x110B0, 0x110D0),
        range(0x13430, 0x13440),
        range(0x1BCA0, 0x1BCB0),
        range(0x1D170, 0x1D180),
        range(0xE0000, 0xE1000),
    )
    for cp in (c for r in ranges for c in r):
        cat = unicodedata.category(chr(cp))
        if cat == "Cf" or (cat == "Cc" and chr(cp) != "\n"):
            table[cp] = 32 if chr(cp) == "\t" else None
        elif cat == "Zs" and cp != 32:
            table[cp] = 32
    return table


# --- columns -----------------------------------------------------------------------

TEXT, CODE, DATE, NUMBER, DECIMAL, YES_NO, CHOICE = (
    "text",
    "code",
    "date",
    "number",
    "decimal",
    "yes_no",
    "choice",
)
FORMAT_HELP = {
    TEXT: gettext_lazy("text"),
    CODE: gettext_lazy("code: letters, digits and . - _ / only"),
    DATE: gettext_lazy("date: YYYY-MM-DD or DD/MM/YYYY"),
    NUMBER: gettext_lazy("whole number"),
    DECIMAL: gettext_lazy("number (decimal point or comma)"),
    YES_NO: gettext_lazy("yes or no (có/không, x, 1/0)"),
    CHOICE: gettext_lazy("one of"),
}
YES_WORDS = frozenset({"yes", "y", "x", "1", "true", "co", "da", "oui"})
NO_WORDS = frozenset({"no", "n", "0", "false", "khong", "chua", "non", ""})


@dataclass(frozen=True)
class Column:
    """One column of an import file, as the page, the template, the docs and the
    checks of every row read it.

    ``headers`` are the accepted spellings besides ``key`` (the first Vietnamese one
    is the template's Vietnamese header); ``choices`` maps accepted words (compared
    with ``normalise_header``) to stored values, shown in the help as ``choice_help``.
    """

    key: str
    headers: tuple[str, ...] = ()
    required: bool = False
    blank: bool = False  # a required column whose cells may be empty
    format: str = TEXT
    max_length: int | None = None
    choices: Mapping[str, str] | None = None
    choice_help: str = ""
    help: Any = ""

    def accepted(self) -> set[str]:
        return {normalise_header(h) for h in (self.key, *self.headers)}

    @property
    def vietnamese(self) -> str:
        """The Vietnamese header (the first spelling with accents or spaces)."""
        for h in self.headers:
            if h != normalise_header(h):
                return h
        return self.headers[0] if self.headers else self.key

    def format_help(self) -> str:
        text = str(FORMAT_HELP.get(self.format, ""))
        if self.format == CHOICE:
            text = f"{text} {self.choice_help or ', '.join(sorted(set((self.choices or {}).values())))}"
        if self.max_length:
            text += " " + _("(at most %(n)d characters)") % {"n": self.max_length}
        return text

    def problems(self, value: Any) -> list[str]:
        """Every problem of one cell, as messages (empty when the cell is fine)."""
        text = cell_text(value)
        if not text:
            return [_("This column is required.")] if self.required and not self.blank else []
        out = []
        if self.max_length is not None and len(text) > self.max_length:
            out.append(
                _("At most %(n)d characters (this has %(len)d).") % {"n": self.max_length, "len": len(text)}
            )
        if self.format == CODE and not CODE_PATTERN.match(text):
            out.append(
                _("“%(v)s” is not a valid code (letters, digits and . - _ / only).") % {"v": text[:60]}
            )
        elif self.format == DATE:
            try:
                parse_date(value)
            except ValueError as exc:
                out.append(str(exc))
        elif self.format in (NUMBER, DECIMAL):
            try:
                number = Decimal(text.replace(" ", "").replace(",", "."))
            except InvalidOperation:
                number = None
            if (
                number is None
                or not number.is_finite()
                or (self.format == NUMBER and (number != number.to_integral_value() or number < 0))
            ):
                out.append(
                    (
                        _("“%(v)s” is not a whole number.")
                        if self.format == NUMBER
                        else _("“%(v)s” is not a number.")
                    )
                    % {"v": text[:60]}
                )
        elif self.format == YES_NO and normalise_header(text) not in YES_WORDS | NO_WORDS:
            out.append(_("Answer yes or no."))
        elif self.format == CHOICE and self.choices is not None:
            if text not in self.choices and normalise_header(text) not in self.choices:
                out.append(
                    _("“%(v)s” is not accepted here (use %(allowed)s).")
                    % {
                        "v": text[:60],
                        "allowed": self.choice_help or ", ".join(sorted(set(self.choices.values()))),
                    }
                )
        return out


def parse_date(value: Any) -> dt.date | None:
    """ISO (2023-06-30) or Vietnamese day-first (30/06/2023); Excel dates as they come."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        # ISO, the common case: fromisoformat is C code, strptime a regex in Python
        # (a tenth of a member import's time); a date it refuses goes on to strptime
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(v)s” is not a date (use YYYY-MM-DD or DD/MM/YYYY).") % {"v": text[:60]})


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
    return clean_text(str(value))


def _clean_cell(value: Any) -> Any:
    if isinstance(value, str):
        value = clean_text(value)
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
            return value[1:]
    return value


# --- reading files -----------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # No silent fallback to a legacy code page: it would garble every accented name.
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (an invalid byte on line %(line)d). Save it as "
                "“CSV UTF-8” (or as .xlsx) and upload it again."
            )
            % {"line": line},
            code="not_utf8",
        ) from exc


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."), code="not_csv")
    # The delimiter is the one the header line uses most (Excel in a Vietnamese or
    # French locale writes ";"); guessing from the data would trip on commas in names.
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        # an unclosed quote swallows the rest of the file: name the line where it opened
        line = reader.line_num
        if "unexpected end of data" in str(exc) or "EOF" in str(exc):
            line = _unclosed_quote_line(text, delimiter) or line
        raise ImportFileError(
            _("CSV syntax error on line %(line)d: %(e)s (check the quotes on that line).")
            % {"line": line, "e": exc},
            code="csv_syntax",
        ) from exc
    return rows


def _unclosed_quote_line(text: str, delimiter: str) -> int | None:
    """The line on which a quoted field opens and never closes."""
    in_quotes, opened, line, at_field_start = False, 0, 1, True
    for c in text:
        if c == "\n":
            line += 1
        if in_quotes:
            if c == '"':
                in_quotes = False
            continue
        if c == '"' and at_field_start:
            in_quotes, opened = True, line
        at_field_start = c in (delimiter, "\n", "\r")
    return opened if in_quotes else None


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse from the zip directory alone (declared sizes, names), before inflating."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("The file is not a valid XLSX workbook."), code="bad_xlsx") from exc
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise ImportFileError(
            _("The workbook is too large once unpacked (%(mb)d MB; at most %(max)d MB).")
            % {"mb": total // (1024 * 1024), "max": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)},
            code="xlsx_too_large",
        )
    if total > 10 * 1024 * 1024 and total / max(compressed, 1) > MAX_XLSX_RATIO:
        raise ImportFileError(_("The workbook is suspiciously compressed; it was refused."), code="xlsx_bomb")
    for info in infos:
        name = info.filename.lower()
        if name.endswith((".bin", ".vba")) or "vbaproject" in name:
            raise ImportFileError(_("Workbooks with macros are refused."), code="xlsx_macros")
    if "xl/workbook.xml" not in archive.namelist():
        raise ImportFileError(_("The file is not a valid XLSX workbook."), code="bad_xlsx")


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
                _("The workbook contains unsafe XML (entity declarations); it was refused."),
                code="xlsx_unsafe_xml",
            ) from exc
        raise ImportFileError(
            _("The workbook could not be read (%(e)s).") % {"e": exc.__class__.__name__}, code="bad_xlsx"
        ) from exc
    return rows


def max_import_bytes() -> int:
    """The one size limit of every import (page, command, every kind)."""
    return int(settings.SERMENT_MAX_IMPORT_BYTES)


@dataclass
class Table:
    """The rows of a file as ``(line, {column key: value})`` and the header the file
    used for each column key."""

    rows: list[tuple[int, dict[str, Any]]]
    headers: dict[str, str]


def read_file(data: bytes, filename: str, columns: Sequence[Column]) -> Table:
    """Read a CSV or XLSX file against its columns.

    Raises ``ImportFileError`` for a wrong type, an oversized, badly encoded or
    malicious file, a CSV syntax error or missing required columns. Empty lines are
    skipped; text is cleaned (``clean_text``).
    """
    if len(data) > max_import_bytes():
        raise ImportFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": max_import_bytes() // (1024 * 1024)},
            code="too_large",
        )
    name = (filename or "").lower()
    if name.endswith(".csv"):
        raw = _csv_rows(data)
    elif name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    else:
        raise ImportFileError(_("Only .csv and .xlsx files can be imported."), code="wrong_type")
    if not raw:
        raise ImportFileError(_("The file is empty."), code="empty")
    if len(raw) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS}, code="too_many_rows")
    original = [cell_text(h) for h in raw[0]]
    header = [normalise_header(h) for h in original]
    index: dict[str, int] = {}
    missing = []
    for col in columns:
        accepted = col.accepted()
        for i, h in enumerate(header):
            if h in accepted:
                index[col.key] = i
                break
        else:
            if col.required:
                missing.append(col)
    if missing:
        raise ImportFileError(
            "; ".join(
                _("Missing column “%(col)s” (accepted headers: %(h)s).")
                % {"col": col.key, "h": ", ".join((col.key, *col.headers))}
                for col in missing
            ),
            code="missing_column",
        )
    out = []
    for n, row in enumerate(raw[1:], start=2):
        values = {key: _clean_cell(row[i]) if i < len(row) else "" for key, i in index.items()}
        if all(v in ("", None) for v in values.values()):
            continue
        out.append((n, values))
    return Table(rows=out, headers={key: original[i] for key, i in index.items()})


def read_table(data: bytes, filename: str, columns: Sequence[Column]) -> list[tuple[int, dict[str, Any]]]:
    """The rows of ``read_file`` (for callers that do not need the headers)."""
    return read_file(data, filename, columns).rows


# --- the runner ----------------------------------------------------------------------


class _Rollback(Exception):
    pass


def check_columns(columns: Sequence[Column], values: dict[str, Any], line: int) -> list[RowError]:
    """Every problem of one row against its declared columns."""
    errors = []
    for col in columns:
        if col.key not in values and not col.required:
            continue
        for message in col.problems(values.get(col.key)):
            errors.append(RowError(line, col.key, message))
    return errors


def run_import(
    *,
    rows: Iterable[tuple[int, dict[str, Any]]],
    validate: Callable[[int, dict[str, Any]], Any],
    dry_run: bool,
    apply: Callable[[list[Any]], int | None] | None = None,
    apply_row: Callable[[Any], Any] | None = None,
    check_all: Callable[[list[tuple[int, Any]]], list[RowError]] | None = None,
    columns: Sequence[Column] = (),
) -> ImportReport:
    """Check and parse every row, then run the real actions; write nothing unless
    every row passes, and nothing at all on a dry run (the actions run and roll back).

    ``columns``: every cell is checked against its declaration first, so a row with
    four problems lists four errors. ``validate(line, values)`` returns a parsed row or
    raises ``DomainError`` (its ``field`` names the column) or ``ValueError``.
    ``check_all`` sees the rows that parsed, together (duplicates inside the file,
    references between rows, scope), and returns their errors. Then either
    ``apply(parsed rows)`` writes them all through one action (returning how many it
    created), or ``apply_row(parsed row)`` runs once per row, each refusal reported on
    its line.
    """
    rows = list(rows)
    report = ImportReport(dry_run=dry_run, rows=len(rows))
    parsed: list[tuple[int, Any]] = []
    for done, (line, values) in enumerate(rows):
        report_progress(CHECKING, done, len(rows))  # a background job's or the CLI's progress
        cell_errors = check_columns(columns, values, line)
        report.errors.extend(cell_errors)
        try:
            row = validate(line, values)
        except (DomainError, ValueError) as exc:
            column = getattr(exc, "field", "") or ""
            # the parser stops at its first problem: add it unless a cell check named it
            if not any(e.column == column for e in cell_errors) and not (cell_errors and not column):
                message = str(exc.message) if isinstance(exc, DomainError) else str(exc)
                report.errors.append(RowError(line, column, message))
            continue
        if not cell_errors:
            parsed.append((line, row))
    if check_all is not None:
        report.errors.extend(check_all(parsed))
    report.errors.sort(key=lambda e: e.row)
    if report.errors:
        return report
    created: int | None = None
    report_progress(WRITING, len(rows), len(rows))
    try:
        with transaction.atomic():
            if apply is not None:
                try:
                    created = apply([p for _line, p in parsed])
                except DomainError as exc:
                    report.errors.append(RowError(0, exc.field or "", str(exc.message)))
            elif apply_row is not None:
                for line, p in parsed:
                    try:
                        apply_row(p)
                    except DomainError as exc:
                        report.errors.append(RowError(line, exc.field or "", str(exc.message)))
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except IntegrityError:  # a concurrent change since validation: nothing was written
        report.errors.append(
            RowError(0, "", _("The records changed while the file was imported; run the import again."))
        )
    report.created = 0 if report.errors else (created if created is not None else len(parsed))
    return report


def file_error_report(exc: DomainError, *, dry_run: bool) -> ImportReport:
    """A report refusing the whole file (row 0)."""
    report = ImportReport(dry_run=dry_run, code=exc.code)
    report.errors.append(RowError(0, exc.field or "", str(exc.message)))
    return report


# --- the registry --------------------------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    """One kind of import, declared in its app's ``importers.py`` and registered in
    the app's ``AppConfig.ready()``::

        register(ImportKind(name="members", label=_("Members"), columns=COLUMNS,
                            perm=Perm.IMPORT, run=import_member_rows))

    ``run(by=, rows=, dry_run=, target=)`` imports rows already read (``Table.rows``)
    and returns an ``ImportReport``, going through ``run_import``.
    ``target`` names what the file is imported into, when the kind needs one:
    ``"campaign"`` or ``"organisation"``; ``find_target(by, key)`` fetches it through
    the user's scope (``None`` when absent or out of scope) from a command-line value
    (a code or an id) or the page's ``?campaign=``/``?org=`` id.
    ``result_url(target)`` is where the page links after a real import.
    """

    name: str
    label: Any
    columns: tuple[Column, ...]
    perm: str | tuple[str, ...]  # held somewhere (any of them); rows are checked in scope
    run: Callable[..., ImportReport]
    help: Any = ""
    target: str | None = None
    target_required: bool = False
    find_target: Callable[[Actor, str | None], Any] | None = None
    result_url: Callable[[Any], str] | None = None
    example: Mapping[str, str] = field(default_factory=dict)
    order: int = 100
    doc: str = ""  # the page under docs/import-formats/ (default: the name)
    # How the file is read, for a kind that is not a table (a JSON package): called as
    # ``read_file`` is and returning a ``Table``; ``None``: ``read_file``.
    read: Callable[[bytes, str, Sequence[Column]], Table] | None = None

    @property
    def doc_page(self) -> str:
        return f"docs/import-formats/{self.doc or self.name}.md"


_KINDS: dict[str, ImportKind] = {}


def register(*new: ImportKind) -> None:
    """Add (or replace, on a reload) kinds of import; called from ``AppConfig.ready()``."""
    for kind in new:
        _KINDS[kind.name] = kind


def kinds() -> list[ImportKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.name))


def get_kind(name: str) -> ImportKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(name) from None


def may_import(by: Actor, kind: ImportKind) -> bool:
    """Does ``by`` hold the kind's permission somewhere? (Rows are then checked in scope.)"""
    from .scoping import scope_for  # scoping reads the accounts models lazily

    if by is SYSTEM:
        return True
    scope = scope_for(by)
    perms = (kind.perm,) if isinstance(kind.perm, str) else kind.perm
    return any(scope.has(p) for p in perms)


def _dry_run_allowed(by: Actor) -> bool:
    """Dry runs per user and hour are limited: each one answers whether identifiers
    exist, so a scoped user must not be able to test a whole list of them."""
    if by is SYSTEM:
        return True
    limit = int(getattr(settings, "SERMENT_IMPORT_DRY_RUNS_PER_HOUR", 30))
    key = f"serment:import-dry-runs:{getattr(by, 'pk', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= limit


def run_kind(
    name: str, *, by: Actor, data: bytes, filename: str, dry_run: bool, target: Any = None
) -> ImportReport:
    """THE import: read ``data`` as kind ``name`` and run it (the page and the command
    call this). A refused file gives a report with one error on row 0."""
    kind = get_kind(name)
    if not is_actor(by):
        return file_error_report(
            DomainError(_("No one is named as acting; nothing was changed."), code="no_actor"),
            dry_run=dry_run,
        )
    if not may_import(by, kind):
        return file_error_report(
            DomainError(_("Your role does not allow this import."), code="not_permitted"), dry_run=dry_run
        )
    if kind.target_required and target is None:
        return file_error_report(
            DomainError(_("Choose what to import into (%(t)s).") % {"t": kind.target}, code="no_target"),
            dry_run=dry_run,
        )
    if dry_run and not _dry_run_allowed(by):
        return file_error_report(
            DomainError(
                _("Too many checks of import files in the last hour; try again later."),
                code="too_many_dry_runs",
            ),
            dry_run=dry_run,
        )
    try:
        table = (kind.read or read_file)(data, filename, kind.columns)
    except ImportFileError as exc:
        return file_error_report(exc, dry_run=dry_run)
    report = kind.run(by=by, rows=table.rows, dry_run=dry_run, target=target)
    report.headers = table.headers
    return report


def read_and_run(
    kind: ImportKind | str, *, by: Actor, data: bytes, filename: str, dry_run: bool, target: Any = None
) -> ImportReport:
    """Like ``run_kind`` without the page's permission and rate checks (the actions
    still check everything): for the apps' own ``import_*_file`` helpers."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    try:
        table = (kind.read or read_file)(data, filename, kind.columns)
    except ImportFileError as exc:
        return file_error_report(exc, dry_run=dry_run)
    report = kind.run(by=by, rows=table.rows, dry_run=dry_run, target=target)
    report.headers = table.headers
    return report


# --- templates and docs ----------------------------------------------------------------


def template_csv(kind: ImportKind, *, vietnamese: bool) -> bytes:
    """A CSV template: the header row (Vietnamese or the English keys) and one example row."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([c.vietnamese if vietnamese else c.key for c in kind.columns])
    if kind.example:
        writer.writerow([kind.example.get(c.key, "") for c in kind.columns])
    return buf.getvalue().encode("utf-8-sig")


def errors_csv(report_errors: Sequence[Sequence[Any]]) -> bytes:
    """The error file: line, column (as the file named it), problem."""
    from .exports import safe_cell

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([_("Line"), _("Column"), _("Problem")])
    for row, column, message in report_errors:
        writer.writerow([row or _("file"), safe_cell(column), safe_cell(message)])
    return buf.getvalue().encode("utf-8-sig")


DOC_START = "<!-- columns: generated from the importer's declaration; do not edit by hand -->"
DOC_END = "<!-- end of columns -->"


def columns_markdown(kind: ImportKind) -> str:
    """The column table of ``docs/import-formats/<kind>.md`` (English), from the declaration."""
    lines = [
        DOC_START,
        "| Column (English) | Vietnamese header | Also accepted | Required | Format |",
        "|---|---|---|---|---|",
    ]
    for c in kind.columns:
        others = [h for h in c.headers if h != c.vietnamese]
        lines.append(
            "| `{}` | {} | {} | {} | {} |".format(
                c.key,
                c.vietnamese if c.vietnamese != c.key else "",
                ", ".join(others),
                ("yes (cells may be empty)" if c.blank else "yes") if c.required else "no",
                c.format_help().replace("|", "\\|") + (f" — {c.help}" if c.help else ""),
            )
        )
    lines.append(DOC_END)
    return "\n".join(lines)


def write_doc_page(kind: ImportKind, root: Any) -> bool:
    """Bring the generated column table of the kind's page up to date (creating the
    page, or adding a "Columns" section to a page without one); True when it changed."""
    from pathlib import Path

    path = Path(root) / kind.doc_page
    block = columns_markdown(kind)
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Import: {kind.label}\n\n{kind.help}\n"
    if DOC_START in text and DOC_END in text:
        start, end = text.index(DOC_START), text.index(DOC_END) + len(DOC_END)
        new = text[:start] + block + text[end:]
    else:
        new = text.rstrip("\n") + "\n\n## Columns (generated from the importer)\n\n" + block + "\n"
    if new == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
    return True

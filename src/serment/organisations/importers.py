"""The organisation import: a tree (or a branch of one) from CSV or XLSX.

Columns and accepted values: ``COLUMNS`` below (``docs/import-formats/organisations.md``
is generated from them). Rows are
parsed here; the tree's rules (placement, unique codes, scope) are those of
``actions.create_organisations_bulk``, which writes everything in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.imports import (
    CHOICE,
    CODE,
    DATE,
    Column,
    ImportKind,
    ImportReport,
    RowError,
    cell_text,
    normalise_header,
    parse_date,
    read_and_run,
    run_import,
)
from serment.core.roles import Perm
from serment.core.scoping import SYSTEM, scope_for

from .actions import NewOrganisation, check_new_organisations, create_organisations_bulk
from .models import Kind, Organisation

# Kinds as written in Vietnamese (accents, case and spacing do not matter).
KIND_WORDS = {
    "dang_bo_tinh": Kind.PROVINCE,
    "dang_bo_truc_thuoc": Kind.DISTRICT,
    "dang_bo_truc_thuoc_tinh": Kind.DISTRICT,
    "dang_bo_co_so": Kind.GRASSROOTS_COMMITTEE,
    "chi_bo_co_so": Kind.GRASSROOTS_CELL,
    "dang_bo_bo_phan": Kind.SUB_COMMITTEE,
    "chi_bo": Kind.CELL,
    "chi_bo_truc_thuoc": Kind.CELL,
    "chi_bo_truc_thuoc_dang_uy_co_so": Kind.CELL,
}

CODE_LENGTH = Organisation._meta.get_field("code").max_length
COLUMNS = (
    Column("code", ("Mã", "Mã tổ chức", "Mã đơn vị"), required=True, format=CODE, max_length=CODE_LENGTH),
    Column(
        "name",
        ("Tên", "Tên tổ chức", "Tên đơn vị"),
        required=True,
        max_length=Organisation._meta.get_field("name").max_length,
    ),
    Column(
        "kind",
        ("Loại", "Loại tổ chức"),
        required=True,
        format=CHOICE,
        choices={**{k: k for k in Kind.values}, **KIND_WORDS},
        choice_help=", ".join(Kind.values)
        + "; Đảng bộ tỉnh, Đảng bộ trực thuộc, Đảng bộ cơ sở, Chi bộ cơ sở, Đảng bộ bộ phận, Chi bộ",
    ),
    Column(
        "parent_code",
        ("Mã cấp trên", "Mã tổ chức cấp trên"),
        format=CODE,
        max_length=CODE_LENGTH,
        help=gettext_lazy("empty only for the root of the file's tree, which must then be new"),
    ),
    Column("founded_on", ("Ngày thành lập",), format=DATE),
)


def parse_kind(value: Any) -> str:
    text = cell_text(value)
    if text in Kind.values:
        return text
    kind = KIND_WORDS.get(normalise_header(text))
    if kind is None:
        raise DomainError(
            _(
                "Unknown kind “%(v)s” (use %(codes)s, or Đảng bộ tỉnh, Đảng bộ trực thuộc, Đảng bộ cơ sở, "
                "Chi bộ cơ sở, Đảng bộ bộ phận, Chi bộ)."
            )
            % {"v": text, "codes": ", ".join(Kind.values)},
            field="kind",
        )
    return kind


def _parse(line: int, values: dict[str, Any]) -> NewOrganisation:
    code = cell_text(values.get("code"))
    name = cell_text(values.get("name"))
    if not code:
        raise DomainError(_("A code is required."), field="code")
    if not name:
        raise DomainError(_("A name is required."), field="name")
    if len(code) > 40:
        raise DomainError(
            _("At most %(n)d characters (this has %(len)d).") % {"n": 40, "len": len(code)}, field="code"
        )
    if len(name) > 200:
        raise DomainError(
            _("At most %(n)d characters (this has %(len)d).") % {"n": 200, "len": len(name)}, field="name"
        )
    try:
        founded_on = parse_date(values.get("founded_on"))
    except ValueError as exc:
        raise DomainError(str(exc), field="founded_on") from exc
    return NewOrganisation(
        code=code,
        name=name,
        kind=parse_kind(values.get("kind")),
        parent_code=cell_text(values.get("parent_code")),
        founded_on=founded_on,
    )


def import_organisation_rows(
    *, by: Actor, rows: list[tuple[int, dict[str, Any]]], dry_run: bool, target: Any = None
) -> ImportReport:
    """Import rows already read (``(line, {column key: value})``); values as text or dates.

    Nothing is written unless every row is valid and ``dry_run`` is false.
    """
    if by is not SYSTEM and not scope_for(by).has(Perm.IMPORT):
        report = ImportReport(dry_run=dry_run, rows=len(rows))
        report.errors.append(RowError(0, "", _("Your role does not allow imports.")))
        return report

    def check_all(parsed: list[tuple[int, NewOrganisation]]) -> list[RowError]:
        lines = [line for line, _row in parsed]
        found = check_new_organisations(by=by, rows=[row for _line, row in parsed], lines=lines)
        return [RowError(lines[i], exc.field or "", str(exc.message)) for i, exc in found]

    created: list[Organisation] = []

    def apply(parsed: list[NewOrganisation]) -> int:
        created.extend(create_organisations_bulk(by=by, rows=parsed))
        return len(created)

    report = run_import(
        rows=rows, columns=COLUMNS, validate=_parse, apply=apply, dry_run=dry_run, check_all=check_all
    )
    if report.ok:
        counts: dict[str, int] = {}
        for _line, values in rows:
            kind = parse_kind(values.get("kind"))
            counts[kind] = counts.get(kind, 0) + 1
        report.breakdown = {str(Kind(k).label): n for k, n in counts.items()}
    if report.written and created:
        top = min(created, key=lambda o: len(o.path))
        report.result_url = reverse("organisations:detail", args=[top.pk])
    return report


KIND = ImportKind(
    name="organisations",
    label=gettext_lazy("Organisations (a tree or a branch)"),
    columns=COLUMNS,
    perm=Perm.IMPORT,
    run=import_organisation_rows,
    help=gettext_lazy(
        "One row per organisation; a parent comes before its children or already exists. "
        "Codes are unique in the province."
    ),
    example={"code": "BT.01.99", "name": "Chi bộ Thôn 9", "kind": "Chi bộ", "parent_code": "BT.01"},
    order=10,
)

KINDS = (KIND,)


def import_organisations(*, by: Actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Import an organisation file (CSV or XLSX). A file that cannot be read gives a
    report with one error on row 0."""
    return read_and_run(KIND, by=by, data=data, filename=filename, dry_run=dry_run)

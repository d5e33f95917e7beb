"""The receiving committee's import of a transfer package (``transfer-package``): one
JSON file, read and verified by ``package.read_package`` (schema, version, checksum),
imported into the chosen cell through ``actions.receive_transfer``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from serment.core.actors import Actor
from serment.core.imports import DATE, Column, ImportKind, ImportReport, Table, run_import
from serment.core.roles import Perm
from serment.organisations.models import Organisation

from .actions import receive_transfer
from .package import read_package

COLUMNS = (
    Column("package_id", ("Mã gói",), required=True, help=gettext_lazy("the package's id (a UUID)")),
    Column("letter_number", ("Số giấy giới thiệu",), required=True, max_length=100),
    Column("issued_on", ("Ngày cấp",), required=True, format=DATE),
    Column("from_committee", ("Đảng bộ chuyển đi",), required=True, max_length=200),
    Column("full_name", ("Họ và tên",), required=True, max_length=120),
    Column("date_of_birth", ("Ngày sinh",), required=True, format=DATE),
    Column("admitted_on", ("Ngày vào Đảng",), required=True, format=DATE),
    Column(
        "history",
        ("Quá trình",),
        help=gettext_lazy("the dated history: memberships, activity periods, posts (JSON)"),
    ),
)


def read_package_file(data: bytes, filename: str, columns: Sequence[Column]) -> Table:
    """The package as a one-row table (the file is JSON, not a table)."""
    document = read_package(data)
    letter, member, history = document["letter"], document["member"], document["history"]
    values: dict[str, Any] = {
        "package_id": document["package_id"],
        "letter_number": letter["number"],
        "issued_on": letter["issued_on"],
        "from_committee": letter["from_committee"]["name"],
        "full_name": member["full_name"],
        "date_of_birth": member["date_of_birth"],
        "admitted_on": member["admitted_on"],
        "history": "; ".join(f"{k}: {len(v)}" for k, v in history.items() if isinstance(v, list)),
        "package": document,
    }
    return Table(rows=[(1, values)], headers={c.key: c.key for c in columns})


def import_package_rows(
    *, by: Actor, rows, dry_run: bool, target: Organisation | None = None
) -> ImportReport:
    today = timezone.localdate()
    return run_import(
        rows=rows,
        columns=COLUMNS,
        validate=lambda line, values: values["package"],
        apply_row=lambda package: receive_transfer(by=by, package=package, cell=target, on=today),
        dry_run=dry_run,
    )


def _find_cell(by: Actor, key: str | None) -> Organisation | None:
    if not key:
        return None
    visible = Organisation.objects.visible_to(by)
    key = str(key)
    if key.isascii() and key.isdigit():
        found = visible.filter(pk=int(key)).first()
        if found is not None:
            return found
    return visible.filter(code=key).first()


TRANSFER_PACKAGE_KIND = ImportKind(
    name="transfer-package",
    label=gettext_lazy("Transfer package (a member transferred in)"),
    columns=COLUMNS,
    perm=Perm.MANAGE_MEMBERS,
    run=import_package_rows,
    help=gettext_lazy(
        "The JSON package of a transfer letter from another committee: the member is registered in the "
        "chosen cell with their history, and must be presented to the cell within 30 working days."
    ),
    target="organisation",
    target_required=True,
    find_target=_find_cell,
    order=200,
    read=read_package_file,
)

KINDS = (TRANSFER_PACKAGE_KIND,)

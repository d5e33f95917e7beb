"""Import of posts held and of movement decisions (docs/import-formats/cadres-posts.md,
cadres-movements.md), CSV or XLSX, all or nothing.

Rows are applied in file order through the same actions a user's form calls
(``assign_post``/``end_post``, ``record_movement``), each in a savepoint, so a row
may rely on an earlier one (a seat freed by the row above) and every refusal is the
action's own check. Any refused row, or a dry run, and the whole transaction is
rolled back: nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.actors import Actor
from serment.core.errors import DomainError, Refused
from serment.core.imports import (
    Column,
    ImportKind,
    ImportReport,
    RowError,
    cell_text,
    normalise_header,
    parse_date,
    read_table,
)
from serment.core.roles import Perm
from serment.members.models import HoldingChange, ManagementLevel, Member, PostHolding, PostKind
from serment.organisations.models import Organisation

from . import actions
from .models import Grounds, MovementKind

POST_COLUMNS = (
    Column("card_number", ("so_the_dang", "Số thẻ đảng"), required=True),
    Column("organisation_code", ("ma_to_chuc", "Mã tổ chức"), required=True),
    Column("post", ("chuc_vu", "Chức vụ"), required=True),
    Column("starts_on", ("tu_ngay", "Từ ngày"), required=True),
    Column("ends_on", ("den_ngay", "Đến ngày")),
    Column("title", ("chuc_danh", "Chức danh")),
    Column("management_level", ("dien_quan_ly", "Diện quản lý")),
    Column("began_how", ("hinh_thuc", "Hình thức")),
    Column("reason", ("ghi_chu", "Ghi chú")),
)
MOVEMENT_COLUMNS = (
    Column("card_number", ("so_the_dang", "Số thẻ đảng"), required=True),
    Column("kind", ("loai_quyet_dinh", "Loại quyết định"), required=True),
    Column("document_ref", ("so_quyet_dinh", "Số quyết định"), required=True),
    Column("decided_on", ("ngay_quyet_dinh", "Ngày quyết định"), required=True),
    Column("effective_on", ("ngay_hieu_luc", "Ngày hiệu lực")),
    Column("deciding_body", ("co_quan_quyet_dinh", "Cơ quan quyết định"), required=True),
    Column("deciding_level", ("cap_quyet_dinh", "Cấp quyết định"), required=True),
    Column("organisation_code", ("ma_to_chuc", "Mã tổ chức")),
    Column("post", ("chuc_vu", "Chức vụ")),
    Column("title", ("chuc_danh", "Chức danh")),
    Column("management_level", ("dien_quan_ly", "Diện quản lý")),
    Column("from_organisation_code", ("ma_to_chuc_cu", "Mã tổ chức cũ")),
    Column("from_post", ("chuc_vu_cu", "Chức vụ cũ")),
    Column("grounds", ("can_cu", "Căn cứ")),
    Column("reason", ("ly_do", "Lý do")),
)


def _choices(enum, extra: dict[str, str]) -> dict[str, str]:
    out = {normalise_header(v): v for v in enum.values}
    out.update({normalise_header(str(label)): v for v, label in enum.choices})
    out.update({normalise_header(k): v for k, v in extra.items()})
    return out


POSTS = _choices(
    PostKind,
    {
        "Bí thư": "secretary",
        "Phó Bí thư": "deputy_secretary",
        "Ủy viên Ban Thường vụ": "standing_member",
        "Ủy viên Ban Chấp hành": "committee_member",
        "Trưởng ban": "department_head",
        "Phó trưởng ban": "deputy_head",
        "Khác": "other",
    },
)
LEVELS = _choices(
    ManagementLevel,
    {
        "Trung ương": "central",
        "Ban Thường vụ Tỉnh ủy": "provincial",
        "Tỉnh ủy": "provincial",
        "Ban Thường vụ Huyện ủy": "district",
        "Huyện ủy": "district",
        "Đảng ủy cơ sở": "grassroots",
    },
)
STARTS = _choices(
    HoldingChange,
    {
        "Bầu": "election",
        "Bổ nhiệm": "appointment",
        "Bổ nhiệm lại": "reappointment",
        "Luân chuyển": "rotation",
        "Điều động": "transfer",
    },
)
MOVEMENT_KINDS = _choices(
    MovementKind,
    {
        "Luân chuyển": "rotation",
        "Điều động": "transfer",
        "Bổ nhiệm": "appointment",
        "Bổ nhiệm lại": "reappointment",
        "Giới thiệu ứng cử": "nomination",
        "Kết quả bầu cử": "election",
        "Miễn nhiệm": "dismissal",
        "Cách chức": "removal",
        "Cho thôi giữ chức vụ": "relief",
        "Đề nghị miễn nhiệm": "removal_proposed",
    },
)
GROUNDS = _choices(
    Grounds,
    {
        "Yêu cầu công tác": "work",
        "Kỷ luật": "discipline",
        "Không hoàn thành nhiệm vụ": "rating",
        "Nguyện vọng": "request",
        "Tuổi, sức khỏe": "age",
    },
)


def _pick(table: dict[str, str], value: Any, field: str, *, required: bool = True) -> str:
    text = cell_text(value)
    if not text and not required:
        return ""
    found = table.get(normalise_header(text))
    if found is None:
        raise DomainError(_("“%(v)s” is not a known value.") % {"v": text}, field=field)
    return found


def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise DomainError(str(exc), field=field) from exc
    if day is None and required:
        raise DomainError(_("Give the date."), field=field)
    return day


class _Lookups:
    def __init__(self, rows: list[tuple[int, dict[str, Any]]]):
        cards = {cell_text(v.get("card_number")) for _n, v in rows}
        codes = {
            cell_text(v.get(k)) for _n, v in rows for k in ("organisation_code", "from_organisation_code")
        }
        self.members = {m.card_number: m for m in Member.objects.filter(card_number__in=cards - {""})}
        self.orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes - {""})}

    def member(self, value: Any) -> Member:
        card = cell_text(value)
        member = self.members.get(card)
        if member is None:
            raise DomainError(_("No member with Party card number %(c)s.") % {"c": card}, field="card_number")
        return member  # the actions lock and re-read it

    def org(self, value: Any, field: str, *, required: bool = True) -> Organisation | None:
        code = cell_text(value)
        if not code and not required:
            return None
        org = self.orgs.get(code)
        if org is None:
            raise DomainError(_("No organisation with code %(c)s.") % {"c": code}, field=field)
        return org


def _run(
    rows: Iterable[tuple[int, dict[str, Any]]],
    apply_row: Callable[[dict[str, Any], _Lookups], Any],
    *,
    dry_run: bool,
) -> ImportReport:
    rows = list(rows)
    report = ImportReport(dry_run=dry_run, rows=len(rows))
    lookups = _Lookups(rows)

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for line, values in rows:
                try:
                    with transaction.atomic():
                        apply_row(values, lookups)
                    report.created += 1
                except Refused as exc:
                    report.errors.extend(RowError(line, r.field or "", r.text) for r in exc.refusals)
                except DomainError as exc:
                    report.errors.append(RowError(line, exc.field or "", str(exc.message)))
                except ValueError as exc:
                    report.errors.append(RowError(line, "", str(exc)))
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if report.errors:
        report.created = 0
    return report


def import_post_rows(
    *, by: Actor, rows: Iterable[tuple[int, dict[str, Any]]], dry_run: bool, target: Any = None
) -> ImportReport:
    """Posts held: one row per holding (open when ``ends_on`` is empty)."""

    def apply_row(v: dict[str, Any], lookups: _Lookups) -> PostHolding:
        member = lookups.member(v.get("card_number"))
        org = lookups.org(v.get("organisation_code"), "organisation_code")
        post = _pick(POSTS, v.get("post"), "post")
        starts_on = _date(v.get("starts_on"), "starts_on")
        ends_on = _date(v.get("ends_on"), "ends_on", required=False)
        holding = actions.assign_post(
            by=by,
            member=member,
            organisation=org,
            post=post,
            on=starts_on,
            title=cell_text(v.get("title")),
            reason=cell_text(v.get("reason")),
            management_level=_pick(LEVELS, v.get("management_level"), "management_level", required=False),
            began_how=_pick(STARTS, v.get("began_how"), "began_how", required=False)
            or HoldingChange.RECORDED,
        )
        if ends_on is not None:
            actions.end_post(by=by, holding=holding, on=ends_on)
        return holding

    return _run(rows, apply_row, dry_run=dry_run)


def import_posts(*, by: Actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
    return import_post_rows(by=by, rows=read_table(data, filename, POST_COLUMNS), dry_run=dry_run)


def import_movement_rows(
    *, by: Actor, rows: Iterable[tuple[int, dict[str, Any]]], dry_run: bool, target: Any = None
) -> ImportReport:
    """Movement decisions, in file order."""

    def apply_row(v: dict[str, Any], lookups: _Lookups):
        member = lookups.member(v.get("card_number"))
        from_org = lookups.org(v.get("from_organisation_code"), "from_organisation_code", required=False)
        from_holding = None
        if from_org is not None:
            from_post = _pick(POSTS, v.get("from_post"), "from_post")
            from_holding = PostHolding.objects.filter(
                member=member, organisation=from_org, post=from_post, ends_on__isnull=True
            ).first()
            if from_holding is None:
                raise DomainError(_("The member holds no such post now."), field="from_post")
        return actions.record_movement(
            by=by,
            member=member,
            kind=_pick(MOVEMENT_KINDS, v.get("kind"), "kind"),
            decided_on=_date(v.get("decided_on"), "decided_on"),
            effective_on=_date(v.get("effective_on"), "effective_on", required=False),
            document_ref=cell_text(v.get("document_ref")),
            deciding_body=cell_text(v.get("deciding_body")),
            deciding_level=_pick(LEVELS, v.get("deciding_level"), "deciding_level"),
            organisation=lookups.org(v.get("organisation_code"), "organisation_code", required=False),
            post=_pick(POSTS, v.get("post"), "post", required=False),
            title=cell_text(v.get("title")),
            management_level=_pick(LEVELS, v.get("management_level"), "management_level", required=False),
            from_holding=from_holding,
            grounds=_pick(GROUNDS, v.get("grounds"), "grounds", required=False) or Grounds.WORK,
            reason=cell_text(v.get("reason")),
        )

    return _run(rows, apply_row, dry_run=dry_run)


def import_movements(*, by: Actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
    return import_movement_rows(by=by, rows=read_table(data, filename, MOVEMENT_COLUMNS), dry_run=dry_run)


POSTS_KIND = ImportKind(
    name="cadres-posts",
    label=gettext_lazy("Posts held"),
    columns=POST_COLUMNS,
    perm=(Perm.CADRES, Perm.MANAGE_MEMBERS),
    run=import_post_rows,
    help=gettext_lazy(
        "One row per post holding, keyed by the holder's Party card number; the discipline and "
        "rating bars apply as on the page."
    ),
    result_url=lambda _target: reverse("cadres:posts"),
    example={
        "card_number": "48000001",
        "organisation_code": "BT.01.001.01",
        "post": "secretary",
        "starts_on": "2020-06-15",
        "began_how": "election",
    },
    order=70,
)
MOVEMENTS_KIND = ImportKind(
    name="cadres-movements",
    label=gettext_lazy("Cadre decisions"),
    columns=MOVEMENT_COLUMNS,
    perm=Perm.CADRES,
    run=import_movement_rows,
    help=gettext_lazy(
        "One row per decision (rotation, transfer, appointment, nomination, dismissal…), applied in "
        "file order; the discipline and rating bars apply as on the page."
    ),
    result_url=lambda _target: reverse("cadres:movements"),
    example={
        "card_number": "48000001",
        "kind": "transfer",
        "document_ref": "215-QĐ/TU",
        "decided_on": "2022-04-01",
        "deciding_body": "Ban Thường vụ Tỉnh ủy",
        "deciding_level": "provincial",
        "organisation_code": "BT.03",
        "post": "secretary",
        "from_organisation_code": "BT",
        "from_post": "deputy_head",
    },
    order=71,
)
KINDS = (POSTS_KIND, MOVEMENTS_KIND)

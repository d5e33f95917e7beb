"""The member import: a province's register, each member in their cell and state.

Columns and accepted values: ``COLUMNS`` below (``docs/import-formats/members.md`` is
generated from them). Rows are
parsed here into ``MemberRecord``s; the rules (dates, exemption, temporary transfer,
leaving, unique card number and citizen ID, scope) are those of the lifecycle actions,
applied by ``actions.check_member_records``; ``actions.register_members_bulk`` writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
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
from serment.organisations.models import Organisation

from .actions import MemberRecord, check_member_records, register_members_bulk
from .export_labels import accepted_words, french_headers
from .models import ActivityPeriod, ExemptionReason, LeftReason, Member, Sex, State

DETAIL_COLUMNS = (
    "card_number",
    "citizen_id",
    "ethnicity",
    "religion",
    "home_town",
    "phone",
    "email",
    "education_level",
    "theory_level",
)

# Accepted words, compared without accents, case or spacing (``normalise_header``).
SEX_WORDS = {"male": Sex.MALE, "nam": Sex.MALE, "female": Sex.FEMALE, "nu": Sex.FEMALE}
STATE_WORDS = {
    "active": State.ACTIVE,
    "dang_sinh_hoat": State.ACTIVE,
    "exempt": State.EXEMPT,
    "mien_sinh_hoat": State.EXEMPT,
    "mien_cong_tac_va_sinh_hoat_dang": State.EXEMPT,
    "mien_cong_tac_va_sinh_hoat": State.EXEMPT,
    "transferred_out": State.TRANSFERRED_OUT,
    "chuyen_sinh_hoat_tam_thoi": State.TRANSFERRED_OUT,
    "left": State.LEFT,
    "ra_khoi_dang": State.LEFT,
}
REASON_WORDS = {
    State.EXEMPT: {
        **{v: v for v in ExemptionReason.values},
        "tuoi": "age",
        "tuoi_cao": "age",
        "do_tuoi": "age",
        "om_dau": "illness",
        "benh": "illness",
        "om": "illness",
        "theo_don": "request",
        "don": "request",
        "xin": "request",
        "co_don": "request",
    },
    State.TRANSFERRED_OUT: {
        "work": "work",
        "training": "training",
        "cong_tac": "work",
        "lao_dong": "work",
        "hoc_tap": "training",
        "dao_tao": "training",
    },
    State.LEFT: {
        **{v: v for v in LeftReason.values},
        "xoa_ten": "struck_off",
        "khai_tru": "expelled",
        "tu_tran": "deceased",
        "qua_doi": "deceased",
        "tu_tuat": "deceased",
        "chet": "deceased",
        "xin_ra_khoi_dang": "resigned",
        "ra_khoi_dang": "resigned",
        "chuyen_ra_ngoai_tinh": "transferred_away",
        "chuyen_di": "transferred_away",
        "chuyen_sinh_hoat_ra_ngoai_tinh": "transferred_away",
        "khong_cong_nhan_chinh_thuc": "not_recognised",
        "khong_cong_nhan": "not_recognised",
    },
}


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


COLUMNS = (
    Column(
        "card_number",
        ("Số thẻ đảng", "Số thẻ", "Số thẻ đảng viên"),
        format=CODE,
        max_length=_max(Member, "card_number"),
    ),
    Column(
        "citizen_id",
        ("Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân", "Số CMND"),
        format=CODE,
        max_length=_max(Member, "citizen_id"),
    ),
    Column("full_name", ("Họ và tên", "Họ tên"), required=True, max_length=_max(Member, "full_name")),
    Column("date_of_birth", ("Ngày sinh",), required=True, format=DATE),
    Column(
        "sex",
        ("Giới tính",),
        required=True,
        format=CHOICE,
        choices=SEX_WORDS,
        choice_help="male, female, nam, nữ",
    ),
    Column("ethnicity", ("Dân tộc",), max_length=_max(Member, "ethnicity")),
    Column("religion", ("Tôn giáo",), max_length=_max(Member, "religion")),
    Column("home_town", ("Quê quán",), max_length=_max(Member, "home_town")),
    Column("phone", ("Điện thoại", "Số điện thoại"), max_length=_max(Member, "phone")),
    Column("email", ("Thư điện tử", "e-mail"), max_length=_max(Member, "email")),
    Column(
        "education_level",
        ("Trình độ học vấn", "Học vấn", "Giáo dục phổ thông"),
        max_length=_max(Member, "education_level"),
    ),
    Column(
        "theory_level",
        ("Lý luận chính trị", "Trình độ lý luận chính trị"),
        max_length=_max(Member, "theory_level"),
    ),
    Column("admitted_on", ("Ngày vào Đảng", "Ngày kết nạp"), required=True, format=DATE),
    Column("official_on", ("Ngày chính thức",), format=DATE),
    Column("cell_code", ("Mã chi bộ",), required=True, format=CODE, max_length=_max(Organisation, "code")),
    Column("joined_cell_on", ("Ngày sinh hoạt tại chi bộ", "Ngày vào chi bộ"), format=DATE),
    Column(
        "state",
        ("Trạng thái", "Tình trạng"),
        format=CHOICE,
        choices=STATE_WORDS,
        choice_help="active, exempt, transferred_out, left; đang sinh hoạt, miễn sinh hoạt, "
        "chuyển sinh hoạt tạm thời, ra khỏi Đảng",
    ),
    Column("state_since", ("Từ ngày",), format=DATE),
    Column("state_until", ("Đến ngày",), format=DATE),
    Column(
        "state_reason",
        ("Lý do",),
        help=gettext_lazy(
            "exempt: age, illness, request (tuổi cao, ốm đau, theo đơn); transferred_out: work, training; "
            "left: struck_off, expelled, deceased, resigned, transferred_away, not_recognised"
        ),
    ),
    Column("destination", ("Nơi chuyển đến", "Nơi đến"), max_length=_max(ActivityPeriod, "destination")),
    Column("document_ref", ("Số quyết định", "Quyết định"), max_length=_max(ActivityPeriod, "document_ref")),
)
# The export writes headers and values in the reader's language (export_labels); the
# import reads them all back.
COLUMNS = tuple(dataclasses.replace(c, headers=(*c.headers, *french_headers(c.key))) for c in COLUMNS)
SEX_WORDS.update(accepted_words("sex"))
STATE_WORDS.update(accepted_words("state"))
for _state, _words in REASON_WORDS.items():
    _words.update({w: v for w, v in accepted_words("state_reason").items() if v in _words.values()})
_CHUNK = 900


def _word(value: Any, words: dict[str, str], field: str, allowed: str) -> str:
    text = cell_text(value)
    found = words.get(text) or words.get(normalise_header(text))
    if found is None:
        raise DomainError(
            _("“%(v)s” is not accepted here (use %(allowed)s).") % {"v": text, "allowed": allowed},
            field=field,
        )
    return found


def _date(values: dict[str, Any], key: str, *, required: bool = False) -> dt.date | None:
    try:
        day = parse_date(values.get(key))
    except ValueError as exc:
        raise DomainError(str(exc), field=key) from exc
    if day is None and required:
        raise DomainError(_("This column is required."), field=key)
    return day


def _cells_by_code(viewer: Any, codes: set[str]) -> dict[str, Organisation]:
    """Organisations the viewer sees, by code: an organisation outside the scope reads
    as unknown, as everywhere else."""
    ordered = sorted(c for c in codes if c)
    found: dict[str, Organisation] = {}
    visible = Organisation.objects.visible_to(viewer)
    for i in range(0, len(ordered), _CHUNK):
        for org in visible.filter(code__in=ordered[i : i + _CHUNK]):
            found[org.code] = org
    return found


def _parser(cells: dict[str, Organisation]):
    def parse(line: int, values: dict[str, Any]) -> MemberRecord:
        full_name = cell_text(values.get("full_name"))
        if not full_name:
            raise DomainError(_("This column is required."), field="full_name")
        if not cell_text(values.get("sex")):
            raise DomainError(_("This column is required."), field="sex")
        sex = _word(values.get("sex"), SEX_WORDS, "sex", "male, female, Nam, Nữ")
        date_of_birth = _date(values, "date_of_birth", required=True)
        admitted_on = _date(values, "admitted_on", required=True)
        code = cell_text(values.get("cell_code"))
        if not code:
            raise DomainError(_("This column is required."), field="cell_code")
        cell = cells.get(code)
        if cell is None:
            raise DomainError(_("No organisation has the code %(code)s.") % {"code": code}, field="cell_code")
        state = State.ACTIVE
        if cell_text(values.get("state")):
            state = _word(
                values.get("state"),
                STATE_WORDS,
                "state",
                "active, exempt, transferred_out, left, đang sinh hoạt, miễn sinh hoạt, "
                "chuyển sinh hoạt tạm thời, ra khỏi Đảng",
            )
        reason = ""
        if cell_text(values.get("state_reason")) and state != State.ACTIVE:
            words = REASON_WORDS[state]
            reason = _word(
                values.get("state_reason"),
                words,
                "state_reason",
                ", ".join(sorted({v for v in words.values()})),
            )
        return MemberRecord(
            cell=cell,
            full_name=full_name,
            date_of_birth=date_of_birth,
            sex=sex,
            admitted_on=admitted_on,
            official_on=_date(values, "official_on"),
            joined_cell_on=_date(values, "joined_cell_on"),
            details={k: cell_text(values.get(k)) for k in DETAIL_COLUMNS if k in values},
            state=state,
            state_since=_date(values, "state_since"),
            state_until=_date(values, "state_until"),
            state_reason=reason,
            destination=cell_text(values.get("destination")),
            document_ref=cell_text(values.get("document_ref")),
        )

    return parse


def import_member_rows(
    *, by: Actor, rows: list[tuple[int, dict[str, Any]]], dry_run: bool, target: Any = None
) -> ImportReport:
    """Import rows already read (``(line, {column key: value})``); values as text or dates.

    Nothing is written unless every row is valid and ``dry_run`` is false; a dry run
    runs ``register_members_bulk`` and rolls it back.
    """
    viewer = by
    if viewer is not SYSTEM and not scope_for(viewer).has(Perm.IMPORT):
        report = ImportReport(dry_run=dry_run, rows=len(rows))
        report.errors.append(RowError(0, "", _("Your role does not allow imports.")))
        return report
    cells = _cells_by_code(viewer, {cell_text(values.get("cell_code")) for _line, values in rows})

    def check_all(parsed: list[tuple[int, MemberRecord]]) -> list[RowError]:
        lines = [line for line, _record in parsed]
        found = check_member_records(by=by, records=[r for _line, r in parsed], lines=lines)
        return [RowError(lines[i], exc.field or "", str(exc.message)) for i, exc in found]

    def apply(records: list[MemberRecord]) -> int:
        return len(register_members_bulk(by=by, rows=records))

    parse = _parser(cells)
    parsed_states: list[str] = []

    def validate(line: int, values: dict[str, Any]) -> MemberRecord:
        record = parse(line, values)
        parsed_states.append(record.state)
        return record

    report = run_import(
        rows=rows, columns=COLUMNS, validate=validate, apply=apply, dry_run=dry_run, check_all=check_all
    )
    if report.ok:
        counts: dict[str, int] = {}
        for state in parsed_states:
            counts[state] = counts.get(state, 0) + 1
        report.breakdown = {str(State(s).label): n for s, n in counts.items()}
    return report


KIND = ImportKind(
    name="members",
    label=gettext_lazy("Members (a register)"),
    columns=COLUMNS,
    perm=Perm.IMPORT,
    run=import_member_rows,
    help=gettext_lazy(
        "One row per member who already belongs to the Party, in their cell and state. "
        "Card numbers and citizen IDs must be new."
    ),
    result_url=lambda _target: reverse("members:list"),
    example={
        "card_number": "48000001",
        "citizen_id": "060080000001",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1980-03-04",
        "sex": "nam",
        "admitted_on": "2005-05-19",
        "official_on": "2006-05-19",
        "cell_code": "BT.01.01",
    },
    order=20,
)

KINDS = (KIND,)


def import_members(*, by: Actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Import a member file (CSV or XLSX). A file that cannot be read gives a report
    with one error on row 0."""
    return read_and_run(KIND, by=by, data=data, filename=filename, dry_run=dry_run)

"""Imports of member development (docs/import-formats/targets.md, peers.md and
candidates.md, generated from the columns below).

Three files: yearly targets, the published figures of peers, and candidates with
the steps they have gone through. Each is all-or-nothing: every row is parsed, then
every row goes through the actions in one transaction; any refusal (a parse error
or a rule an action enforces, with the row number) and nothing is written. A dry
run goes through the same actions and rolls back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.actors import Actor
from serment.core.errors import DomainError, refuse_if_any
from serment.core.imports import (
    CHOICE,
    CODE,
    DATE,
    NUMBER,
    YES_NO,
    Column,
    ImportKind,
    ImportReport,
    RowError,
    normalise_header,
    parse_date,
    read_and_run,
    run_import,
)
from serment.core.roles import Perm
from serment.members.models import Member
from serment.organisations.models import Organisation

from . import actions
from .actions import IntroducerInput, PeerRow
from .models import Candidate, CandidateStatus, Step, StepKind

YES = {"yes", "y", "x", "1", "true", "co", "oui"}
NO = {"no", "n", "0", "false", "khong", "non", ""}


def _text(v: dict[str, Any], key: str) -> str:
    value = v.get(key, "")
    return "" if value is None else str(value).strip()


def _int(v: dict[str, Any], key: str, *, required: bool = True) -> int | None:
    text = _text(v, key)
    if not text:
        if required:
            raise DomainError(_("A number is required."), field=key)
        return None
    try:
        number = Decimal(text.replace(" ", ""))
    except InvalidOperation as exc:
        raise DomainError(_("“%(v)s” is not a whole number.") % {"v": text}, field=key) from exc
    if number != number.to_integral_value() or number < 0:
        raise DomainError(_("“%(v)s” is not a whole number.") % {"v": text}, field=key)
    return int(number)


def _date(v: dict[str, Any], key: str, *, required: bool = False) -> dt.date | None:
    try:
        day = parse_date(v.get(key))
    except ValueError as exc:
        raise DomainError(str(exc), field=key) from exc
    if day is None and required:
        raise DomainError(_("A date is required."), field=key)
    return day


def _org(codes: dict[str, Organisation], v: dict[str, Any], key: str) -> Organisation:
    code = _text(v, key)
    org = codes.get(code)
    if org is None:
        raise DomainError(_("No organisation with code %(c)s.") % {"c": code}, field=key)
    return org


def _within(org: Organisation, root: Organisation | None, key: str) -> None:
    if root is not None and not org.is_within(root):
        raise DomainError(
            _("%(c)s is not under %(root)s.") % {"c": org.code, "root": root.name},
            field=key,
        )


# --- yearly targets ----------------------------------------------------------------

TARGET_COLUMNS = (
    Column("org_code", ("ma_to_chuc", "Mã tổ chức", "code"), required=True, format=CODE, max_length=40),
    Column("year", ("nam", "Năm"), required=True, format=NUMBER),
    Column("target", ("chi_tieu", "Chỉ tiêu"), required=True, format=NUMBER),
    Column(
        "set_by",
        ("don_vi_giao", "Đơn vị giao"),
        format=CODE,
        max_length=40,
        help=gettext_lazy("the code of the committee that set the target"),
    ),
    Column("document_ref", ("so_van_ban", "Số văn bản"), max_length=100),
)


@dataclass(frozen=True)
class TargetRow:
    organisation: Organisation
    year: int
    target: int
    set_by: Organisation | None
    document_ref: str


def import_target_rows(
    *, by: Actor, rows: list[tuple[int, dict[str, Any]]], dry_run: bool, target: Organisation | None = None
) -> ImportReport:
    """Yearly admission targets, one row per organisation and year (under ``target``)."""
    within = target
    wanted = {_text(v, k) for _n, v in rows for k in ("org_code", "set_by")} - {""}
    codes = {o.code: o for o in Organisation.objects.filter(code__in=wanted)}

    def validate(line: int, v: dict[str, Any]) -> TargetRow:
        org = _org(codes, v, "org_code")
        _within(org, within, "org_code")
        set_by = _org(codes, v, "set_by") if _text(v, "set_by") else None
        year = _int(v, "year")
        return TargetRow(org, year, _int(v, "target"), set_by, _text(v, "document_ref"))

    def check_all(parsed: list[tuple[int, TargetRow]]) -> list[RowError]:
        seen: set[tuple[int, int]] = set()
        errors = []
        for line, r in parsed:
            key = (r.organisation.pk, r.year)
            if key in seen:
                errors.append(
                    RowError(line, "org_code", _("This organisation and year appear twice in the file."))
                )
            seen.add(key)
        return errors

    def apply_row(r: TargetRow) -> None:
        actions.set_target(
            by=by,
            organisation=r.organisation,
            year=r.year,
            target=r.target,
            set_by=r.set_by,
            document_ref=r.document_ref,
        )

    return run_import(
        rows=rows,
        columns=TARGET_COLUMNS,
        validate=validate,
        apply_row=apply_row,
        dry_run=dry_run,
        check_all=check_all,
    )


def import_targets(
    *, by: Actor, data: bytes, filename: str, dry_run: bool, within: Organisation | None = None
) -> ImportReport:
    return read_and_run("targets", by=by, data=data, filename=filename, dry_run=dry_run, target=within)


# --- published figures of peers ------------------------------------------------------

PEER_COLUMNS = (
    Column("peer_name", ("don_vi", "Đơn vị", "peer"), required=True, max_length=200),
    Column("year", ("nam", "Năm"), required=True, format=NUMBER),
    Column("admitted", ("so_ket_nap", "Số kết nạp"), required=True, format=NUMBER),
    Column("members", ("tong_so_dang_vien", "Tổng số đảng viên"), required=True, format=NUMBER),
    Column("rate", ("ty_le", "Tỷ lệ"), help=gettext_lazy("the published rate, in %, as printed")),
    Column("source", ("nguon", "Nguồn"), max_length=300),
)


def import_peer_rows(
    *, by: Actor, rows: list[tuple[int, dict[str, Any]]], dry_run: bool, target: Organisation
) -> ImportReport:
    """The published figures of peers, compared with ``target``. The file replaces
    the figures of the years it contains."""
    organisation = target

    def validate(line: int, v: dict[str, Any]) -> PeerRow:
        rate_text = _text(v, "rate").replace(",", ".").rstrip("%").strip()
        try:
            rate = Decimal(rate_text) if rate_text else None
        except InvalidOperation as exc:
            raise DomainError(_("“%(v)s” is not a percentage.") % {"v": rate_text}, field="rate") from exc
        row = PeerRow(
            _text(v, "peer_name"),
            _int(v, "year"),
            _int(v, "admitted"),
            _int(v, "members"),
            rate,
            _text(v, "source")[:300],
        )
        refuse_if_any(actions.peer_row_refusals(organisation=organisation, row=row))
        return row

    def check_all(parsed: list[tuple[int, PeerRow]]) -> list[RowError]:
        rows_only = [r for _line, r in parsed]
        return [
            RowError(parsed[i][0], refusal.field or "", refusal.text)
            for i, refusal in actions.repeated_peer_refusals(rows_only)
        ]

    def apply(parsed: list[PeerRow]) -> int:
        actions.replace_peer_figures(by=by, organisation=organisation, rows=parsed)
        return len(parsed)

    return run_import(
        rows=rows, columns=PEER_COLUMNS, validate=validate, apply=apply, dry_run=dry_run, check_all=check_all
    )


def import_peer_figures(*, by: Actor, organisation: Organisation, data: bytes, filename: str, dry_run: bool):
    return read_and_run("peers", by=by, data=data, filename=filename, dry_run=dry_run, target=organisation)


# --- candidates and their steps -------------------------------------------------------

STEP_COLUMNS = {
    StepKind.CERTIFICATE: ("certificate_date", "certificate_ref", "Ngày cấp giấy chứng nhận"),
    StepKind.APPLICATION: ("application_date", "application_ref", "Ngày đơn xin vào Đảng"),
    StepKind.CV: ("cv_date", "cv_ref", "Ngày lý lịch"),
    StepKind.INTRODUCERS: ("introducers_date", "introducers_ref", "Ngày giới thiệu"),
    StepKind.OPINIONS: ("opinions_date", "opinions_ref", "Ngày thẩm tra"),
    StepKind.CELL_RESOLUTION: ("cell_resolution_date", "cell_resolution_ref", "Ngày nghị quyết chi bộ"),
    StepKind.GRASSROOTS_RESOLUTION: (
        "grassroots_resolution_date",
        "grassroots_resolution_ref",
        "Ngày nghị quyết đảng ủy cơ sở",
    ),
    StepKind.DECISION: ("decision_date", "decision_ref", "Ngày quyết định kết nạp"),
    StepKind.CEREMONY: ("ceremony_date", "ceremony_ref", "Ngày lễ kết nạp"),
}

SEXES = {"male": "male", "nam": "male", "m": "male", "female": "female", "nu": "female", "f": "female"}

CANDIDATE_COLUMNS = (
    Column("cell_code", ("ma_chi_bo", "Mã chi bộ"), required=True, format=CODE, max_length=40),
    Column("full_name", ("ho_ten", "Họ và tên"), required=True, max_length=120),
    Column("date_of_birth", ("ngay_sinh", "Ngày sinh"), required=True, format=DATE),
    Column(
        "sex",
        ("gioi_tinh", "Giới tính"),
        required=True,
        format=CHOICE,
        choices=SEXES,
        choice_help="male, female, nam, nữ",
    ),
    Column("citizen_id", ("so_cccd", "Số CCCD"), format=CODE, max_length=20),
    Column("ethnicity", ("dan_toc", "Dân tộc"), max_length=60),
    Column("religion", ("ton_giao", "Tôn giáo"), max_length=60),
    Column("home_town", ("que_quan", "Quê quán"), max_length=200),
    Column("phone", ("dien_thoai", "Điện thoại"), max_length=20),
    Column("education_level", ("trinh_do_hoc_van", "Trình độ học vấn"), max_length=60),
    *(Column(date_col, (vi,), format=DATE) for date_col, _ref, vi in STEP_COLUMNS.values()),
    *(Column(ref_col, max_length=100) for _d, ref_col, _vi in STEP_COLUMNS.values()),
    Column("introducer_1_card", ("so_the_nguoi_gioi_thieu_1",), format=CODE, max_length=20),
    Column("introducer_1_since", ("cong_tac_cung_tu_1",), format=DATE),
    Column("introducer_2_card", ("so_the_nguoi_gioi_thieu_2",), format=CODE, max_length=20),
    Column("introducer_2_since", ("cong_tac_cung_tu_2",), format=DATE),
    Column("youth_union", ("doan_gioi_thieu", "Đoàn giới thiệu"), format=YES_NO),
    Column("votes_for", ("so_tan_thanh", "Số tán thành"), format=NUMBER),
    Column("votes_against", ("so_khong_tan_thanh", "Số không tán thành"), format=NUMBER),
    Column("card_number", ("so_the_dang", "Số thẻ đảng"), format=CODE, max_length=20),
)


@dataclass
class CandidateRow:
    cell: Organisation
    details: dict[str, Any]
    existing: Candidate | None
    steps: list[tuple[str, dt.date, str]] = field(default_factory=list)
    introducers: list[IntroducerInput] = field(default_factory=list)
    youth_union: bool = False
    votes_for: int | None = None
    votes_against: int | None = None
    card_number: str | None = None


def import_candidate_rows(
    *, by: Actor, rows: list[tuple[int, dict[str, Any]]], dry_run: bool, target: Organisation | None = None
) -> ImportReport:
    """Candidates and the steps they have gone through, one row per candidate. A row
    whose citizen ID is an existing candidate's adds the steps not yet recorded."""
    within = target
    codes = {
        o.code: o for o in Organisation.objects.filter(code__in={_text(v, "cell_code") for _n, v in rows})
    }
    cards = {_text(v, k) for _n, v in rows for k in ("introducer_1_card", "introducer_2_card")} - {""}
    members = {m.card_number: m for m in Member.objects.visible_to(by).filter(card_number__in=cards)}
    ids = {_text(v, "citizen_id") for _n, v in rows} - {""}
    existing = {
        c.citizen_id: c for c in Candidate.objects.filter(citizen_id__in=ids).select_related("organisation")
    }
    recorded: dict[int, set[str]] = {}
    for cid, kind in Step.objects.filter(candidate__in=existing.values()).values_list("candidate_id", "kind"):
        recorded.setdefault(cid, set()).add(kind)

    def validate(line: int, v: dict[str, Any]) -> CandidateRow:
        cell = _org(codes, v, "cell_code")
        _within(cell, within, "cell_code")
        sex = SEXES.get(normalise_header(_text(v, "sex")))
        if sex is None:
            raise DomainError(_("Sex must be male or female (nam/nữ)."), field="sex")
        details = {
            "full_name": _text(v, "full_name"),
            "date_of_birth": _date(v, "date_of_birth", required=True),
            "sex": sex,
            **{
                k: _text(v, k)
                for k in ("citizen_id", "ethnicity", "religion", "home_town", "phone", "education_level")
            },
        }
        known = existing.get(details["citizen_id"]) if details["citizen_id"] else None
        if known is not None and known.organisation_id != cell.pk:
            if Organisation.objects.visible_to(by).filter(pk=known.organisation_id).exists():
                message = _("The candidate with this citizen ID belongs to %(org)s.") % {
                    "org": known.organisation.code
                }
            else:  # where is not the importer's to learn
                message = _(
                    "A candidate with this citizen ID is already registered elsewhere; ask the committee "
                    "above you to check it."
                )
            raise DomainError(message, field="citizen_id", code="identity_taken_elsewhere")
        if known is not None and known.status != CandidateStatus.IN_PROGRESS:
            raise DomainError(_("This candidate is no longer in progress."), field="citizen_id")
        row = CandidateRow(cell=cell, details=details, existing=known)
        done = recorded.get(known.pk, set()) if known else set()
        for kind, (date_col, ref_col, _vi) in STEP_COLUMNS.items():
            on = _date(v, date_col)
            if on is not None and kind not in done:
                row.steps.append((kind, on, _text(v, ref_col)))
        if any(k == StepKind.INTRODUCERS for k, _on, _ref in row.steps):
            for n in (1, 2):
                card = _text(v, f"introducer_{n}_card")
                if not card:
                    continue
                member = members.get(card)
                if member is None:
                    raise DomainError(
                        _("No member with Party card number %(c)s.") % {"c": card},
                        field=f"introducer_{n}_card",
                    )
                since = _date(v, f"introducer_{n}_since", required=True)
                row.introducers.append(IntroducerInput(member=member, worked_together_since=since))
            answer = normalise_header(_text(v, "youth_union"))
            if answer not in YES | NO:
                raise DomainError(_("Answer yes or no."), field="youth_union")
            row.youth_union = answer in YES
        if any(k == StepKind.CELL_RESOLUTION for k, _on, _ref in row.steps):
            row.votes_for = _int(v, "votes_for")
            row.votes_against = _int(v, "votes_against", required=False)
        row.card_number = _text(v, "card_number") or None
        return row

    def check_all(parsed: list[tuple[int, CandidateRow]]) -> list[RowError]:
        seen: set[str] = set()
        errors = []
        for line, r in parsed:
            cid = r.details["citizen_id"]
            if cid and cid in seen:
                errors.append(RowError(line, "citizen_id", _("This citizen ID appears twice in the file.")))
            seen.add(cid)
        return errors

    def apply_row(r: CandidateRow) -> None:
        candidate = r.existing or actions.register_candidate(by=by, organisation=r.cell, **r.details)
        for kind, on, ref in r.steps:
            if kind == StepKind.CEREMONY:
                actions.hold_ceremony(
                    by=by, candidate=candidate, on=on, document_ref=ref, card_number=r.card_number
                )
                continue
            extra: dict[str, Any] = {}
            if kind == StepKind.INTRODUCERS:
                extra = {"introducers": r.introducers, "youth_union_recommendation": r.youth_union}
            if kind == StepKind.CELL_RESOLUTION:
                extra = {"votes_for": r.votes_for, "votes_against": r.votes_against}
            actions.record_step(by=by, candidate=candidate, kind=kind, on=on, document_ref=ref, **extra)

    return run_import(
        rows=rows,
        columns=CANDIDATE_COLUMNS,
        validate=validate,
        apply_row=apply_row,
        dry_run=dry_run,
        check_all=check_all,
    )


def import_candidates(
    *, by: Actor, data: bytes, filename: str, dry_run: bool, within: Organisation | None = None
) -> ImportReport:
    return read_and_run("candidates", by=by, data=data, filename=filename, dry_run=dry_run, target=within)


# --- the registry ----------------------------------------------------------------------


def _find_organisation(by: Actor, key: str | None) -> Organisation | None:
    """An organisation the user sees, by id (the page's ``?org=``) or code (the CLI's ``--org``)."""
    if not key:
        return None
    visible = Organisation.objects.visible_to(by)
    key = str(key)
    if key.isascii() and key.isdigit():
        found = visible.filter(pk=int(key)).first()
        if found is not None:
            return found
    return visible.filter(code=key).first()


def _admissions_page(name: str):
    def url(target: Organisation | None) -> str:
        base = reverse(f"admissions:{name}")
        return f"{base}?{urlencode({'org': target.pk})}" if target is not None else base

    return url


TARGET_KIND = ImportKind(
    name="targets",
    label=gettext_lazy("Yearly admission targets"),
    columns=TARGET_COLUMNS,
    perm=Perm.IMPORT,
    run=import_target_rows,
    help=gettext_lazy("One row per organisation and year; an existing target is replaced."),
    target="organisation",
    find_target=_find_organisation,
    result_url=_admissions_page("targets"),
    example={"org_code": "BT.01", "year": "2023", "target": "25", "set_by": "BT", "document_ref": "12-NQ/TU"},
    order=70,
)
PEER_KIND = ImportKind(
    name="peers",
    label=gettext_lazy("Published figures of peers"),
    columns=PEER_COLUMNS,
    perm=Perm.IMPORT,
    run=import_peer_rows,
    help=gettext_lazy(
        "One row per peer and year, compared with the chosen organisation; the file replaces the figures "
        "of the years it contains."
    ),
    target="organisation",
    target_required=True,
    find_target=_find_organisation,
    result_url=_admissions_page("index"),
    example={
        "peer_name": "Tỉnh Bình Định",
        "year": "2022",
        "admitted": "1500",
        "members": "60000",
        "rate": "2.5",
    },
    order=90,
)
CANDIDATE_KIND = ImportKind(
    name="candidates",
    label=gettext_lazy("Candidates and their admission steps"),
    columns=CANDIDATE_COLUMNS,
    perm=Perm.ADMISSIONS,
    run=import_candidate_rows,
    help=gettext_lazy(
        "One row per candidate with the dates (and document numbers) of the steps gone through; a row whose "
        "citizen ID is an existing candidate's adds the steps not yet recorded."
    ),
    target="organisation",
    find_target=_find_organisation,
    result_url=_admissions_page("candidates"),
    example={
        "cell_code": "BT.01.01",
        "full_name": "Trần Văn Bình",
        "date_of_birth": "1998-07-02",
        "sex": "nam",
        "citizen_id": "060098000123",
        "certificate_date": "2023-03-01",
    },
    order=80,
)
KINDS = (TARGET_KIND, CANDIDATE_KIND, PEER_KIND)

"""Import of discipline decisions and of case registers
(docs/import-formats/inspection-discipline.md, docs/import-formats/inspection-cases.md).

All-or-nothing: every row is parsed and checked with ``check_record_discipline``
(the same function the action and the form use) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.imports import (
    Column,
    ImportKind,
    ImportReport,
    RowError,
    cell_text,
    normalise_header,
    parse_date,
    read_table,
    run_import,
)
from serment.core.roles import Perm
from serment.members.models import Member
from serment.organisations.models import Organisation

from . import actions

DISCIPLINE_COLUMNS = (
    Column("card_number", ("so_the_dang", "Số thẻ đảng")),
    Column("org_code", ("ma_to_chuc", "Mã tổ chức")),
    Column("form", ("hinh_thuc", "Hình thức kỷ luật"), required=True),
    Column("decided_on", ("ngay_quyet_dinh", "Ngày quyết định"), required=True),
    Column("announced_on", ("ngay_cong_bo", "Ngày công bố")),
    Column("deciding_body", ("cap_quyet_dinh", "Cấp quyết định"), required=True),
    Column("self_detected", ("tu_phat_hien", "Tự phát hiện và khắc phục")),
    Column("document_ref", ("so_quyet_dinh", "Số quyết định")),
    # "reason" is the column name of the rating app's former import: still read.
    Column("violation", ("vi_pham", "Nội dung vi phạm", "reason", "ly_do", "Lý do")),
)

FORMS = {
    "reprimand": "reprimand",
    "khien_trach": "reprimand",
    "warning": "warning",
    "canh_cao": "warning",
    "dismissal": "dismissal",
    "cach_chuc": "dismissal",
    "expulsion": "expulsion",
    "khai_tru": "expulsion",
    "dissolution": "dissolution",
    "giai_tan": "dissolution",
}
YES = {"yes", "y", "x", "1", "true", "co", "oui"}
NO = {"no", "n", "0", "false", "khong", "non", ""}


def choice(value: Any, table: dict[str, str], field: str, what: str) -> str:
    key = normalise_header(cell_text(value))
    if key not in table:
        raise DomainError(_("Unknown %(what)s “%(v)s”.") % {"what": what, "v": cell_text(value)}, field=field)
    return table[key]


def date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise DomainError(str(exc), field=field) from exc
    if day is None and required:
        raise DomainError(_("A date is required."), field=field)
    return day


def yes_no(value: Any, field: str) -> bool:
    answer = normalise_header(cell_text(value))
    if answer not in YES | NO:
        raise DomainError(_("Answer yes or no."), field=field)
    return answer in YES


def validate_discipline_row(_line: int, v: dict[str, Any]) -> dict[str, Any]:
    card, org_code = cell_text(v.get("card_number")), cell_text(v.get("org_code"))
    if bool(card) == bool(org_code):
        raise DomainError(_("Give either a card number or an organisation code."), field="card_number")
    return {
        "card": card,
        "org_code": org_code,
        "form": choice(v.get("form"), FORMS, "form", _("form of discipline")),
        "decided_on": date(v.get("decided_on"), "decided_on"),
        "announced_on": date(v.get("announced_on"), "announced_on", required=False),
        "deciding_body": cell_text(v.get("deciding_body"))[:200],
        "self_detected": yes_no(v.get("self_detected"), "self_detected"),
        "document_ref": cell_text(v.get("document_ref"))[:100],
        "violation": cell_text(v.get("violation"))[:500],
    }


def import_discipline_rows(*, by: Actor, rows, dry_run: bool) -> ImportReport:
    state: dict[str, list] = {}

    def check_all(parsed):
        members = {
            m.card_number: m
            for m in Member.objects.filter(
                card_number__in={p["card"] for _l, p in parsed if p["card"]}
            ).select_related("organisation")
        }
        orgs = {
            o.code: o
            for o in Organisation.objects.filter(
                code__in={p["org_code"] for _l, p in parsed if p["org_code"]}
            )
        }
        errors, resolved = [], []
        for line, p in parsed:
            member = members.get(p["card"]) if p["card"] else None
            org = orgs.get(p["org_code"]) if p["org_code"] else None
            if p["card"] and member is None:
                errors.append(
                    RowError(line, "card_number", _("No member with card number “%(c)s”.") % {"c": p["card"]})
                )
                continue
            if p["org_code"] and org is None:
                errors.append(
                    RowError(line, "org_code", _("No organisation with code “%(c)s”.") % {"c": p["org_code"]})
                )
                continue
            row = actions.PastDiscipline(
                form=p["form"],
                decided_on=p["decided_on"],
                announced_on=p["announced_on"],
                deciding_body=p["deciding_body"],
                member=member,
                organisation=org,
                self_detected=p["self_detected"],
                document_ref=p["document_ref"],
                violation=p["violation"],
            )
            refusals = actions.check_record_discipline(
                by=by,
                form=row.form,
                decided_on=row.decided_on,
                announced_on=row.announced_on,
                deciding_body=row.deciding_body,
                member=member,
                organisation=org,
                document_ref=row.document_ref,
            )
            errors += [RowError(line, r.field or "", r.text) for r in refusals]
            if not refusals:
                resolved.append(row)
        state["resolved"] = resolved
        return errors

    report = run_import(
        rows=rows,
        validate=validate_discipline_row,
        apply=lambda _parsed: actions.import_disciplines(by=by, rows=state["resolved"]),
        dry_run=dry_run,
        check_all=check_all,
    )
    if report.ok:
        report.breakdown = dict(Counter(r.form for r in state.get("resolved", [])))
    return report


def import_discipline_file(*, by: Actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
    return import_discipline_rows(by=by, rows=read_table(data, filename, DISCIPLINE_COLUMNS), dry_run=dry_run)


# --- the import registry (serment import discipline, the import page) ---------------


def _run_discipline(*, by: Actor, rows, dry_run: bool, target: Any = None) -> ImportReport:
    return import_discipline_rows(by=by, rows=rows, dry_run=dry_run)


DISCIPLINE_KIND = ImportKind(
    name="discipline",
    doc="inspection-discipline",
    label=gettext_lazy("Discipline decisions"),
    columns=DISCIPLINE_COLUMNS,
    perm=Perm.INSPECTION,  # confidential: staff who rate no longer record discipline
    run=_run_discipline,
    help=gettext_lazy("One row per decision, of a member (card number) or an organisation (code)."),
    result_url=lambda _target: reverse("inspection:register"),
    example={
        "card_number": "48000001",
        "form": "khiển trách",
        "decided_on": "2022-05-10",
        "deciding_body": "Ủy ban kiểm tra Huyện ủy",
    },
    order=60,
)
CASE_COLUMNS = (
    Column("committee_code", ("ma_cap_xu_ly", "Cấp xử lý", "Mã cấp xử lý"), required=True),
    Column("kind", ("loai_don", "Loại đơn"), required=True),
    Column("channel", ("nguon_don", "Nguồn đơn")),
    Column("received_on", ("ngay_nhan", "Ngày nhận"), required=True),
    Column("reference", ("so_vao_so", "Số vào sổ")),
    Column("anonymous", ("nac_danh", "Nặc danh")),
    Column("sender_name", ("nguoi_gui", "Người gửi")),
    Column("sender_contact", ("dia_chi_nguoi_gui", "Địa chỉ người gửi")),
    Column("card_number", ("so_the_dang", "Số thẻ đảng")),
    Column("org_code", ("ma_to_chuc", "Mã tổ chức")),
    Column("summary", ("noi_dung", "Nội dung"), required=True),
    Column("closed_on", ("ngay_ket_thuc", "Ngày kết thúc")),
    Column("outcome", ("ket_qua", "Kết quả")),
)
CASE_KINDS = {
    "petition": "petition",
    "kien_nghi": "petition",
    "complaint": "complaint",
    "khieu_nai": "complaint",
    "denunciation": "denunciation",
    "to_cao": "denunciation",
}
CHANNELS = {
    "": "post",
    "post": "post",
    "buu_dien": "post",
    "in_person": "in_person",
    "truc_tiep": "in_person",
    "forwarded": "forwarded",
    "chuyen_den": "forwarded",
    "electronic": "electronic",
    "dien_tu": "electronic",
    "other": "other",
    "khac": "other",
}
OUTCOMES = {
    "": "",
    "founded": "founded",
    "dung": "founded",
    "partly_founded": "partly_founded",
    "dung_mot_phan": "partly_founded",
    "unfounded": "unfounded",
    "sai": "unfounded",
    "transferred": "transferred",
    "chuyen": "transferred",
}


@dataclass(frozen=True)
class CaseRow:
    committee: Organisation
    fields: dict[str, Any]
    closed_on: dt.date | None
    outcome: str


def validate_case_row(_line: int, v: dict[str, Any]) -> dict[str, Any]:
    closed_on = date(v.get("closed_on"), "closed_on", required=False)
    outcome = choice(v.get("outcome"), OUTCOMES, "outcome", _("outcome"))
    if bool(closed_on) != bool(outcome):
        raise DomainError(_("Give both the closing date and the outcome, or neither."), field="outcome")
    return {
        "committee_code": cell_text(v.get("committee_code")),
        "kind": choice(v.get("kind"), CASE_KINDS, "kind", _("kind")),
        "channel": choice(v.get("channel"), CHANNELS, "channel", _("channel")),
        "received_on": date(v.get("received_on"), "received_on"),
        "reference": cell_text(v.get("reference"))[:50],
        "anonymous": yes_no(v.get("anonymous"), "anonymous"),
        "sender_name": cell_text(v.get("sender_name"))[:200],
        "sender_contact": cell_text(v.get("sender_contact"))[:200],
        "card": cell_text(v.get("card_number")),
        "org_code": cell_text(v.get("org_code")),
        "summary": cell_text(v.get("summary"))[:1000],
        "closed_on": closed_on,
        "outcome": outcome,
    }


def import_case_rows(*, by: Actor, rows, dry_run: bool) -> ImportReport:
    state: dict[str, list] = {}

    def check_all(parsed):
        codes = {p["committee_code"] for _l, p in parsed} | {
            p["org_code"] for _l, p in parsed if p["org_code"]
        }
        orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        members = {
            m.card_number: m
            for m in Member.objects.filter(
                card_number__in={p["card"] for _l, p in parsed if p["card"]}
            ).select_related("organisation")
        }
        errors, resolved = [], []
        for line, p in parsed:
            committee = orgs.get(p["committee_code"])
            member = members.get(p["card"]) if p["card"] else None
            org = orgs.get(p["org_code"]) if p["org_code"] else None
            missing = [
                RowError(line, col, _("No record with “%(c)s”.") % {"c": value})
                for col, value, found in (
                    ("committee_code", p["committee_code"], committee),
                    ("card_number", p["card"], member if p["card"] else True),
                    ("org_code", p["org_code"], org if p["org_code"] else True),
                )
                if found is None
            ]
            if missing:
                errors += missing
                continue
            fields = {
                k: p[k]
                for k in (
                    "kind",
                    "channel",
                    "received_on",
                    "reference",
                    "anonymous",
                    "sender_name",
                    "sender_contact",
                    "summary",
                )
            }
            refusals = actions.check_receive_case(
                by=by,
                committee=committee,
                concerned_member=member,
                concerned_organisation=org,
                **{
                    k: fields[k]
                    for k in ("kind", "channel", "received_on", "summary", "anonymous", "sender_name")
                },
            )
            if p["closed_on"] and p["closed_on"] < p["received_on"]:
                errors.append(RowError(line, "closed_on", _("A case cannot close before it was received.")))
            errors += [RowError(line, r.field or "", r.text) for r in refusals]
            if not refusals:
                fields.update(concerned_member=member, concerned_organisation=org)
                resolved.append(CaseRow(committee, fields, p["closed_on"], p["outcome"]))
        state["resolved"] = resolved
        return errors

    def apply(_parsed) -> int:
        for r in state["resolved"]:
            case = actions.receive_case(by=by, committee=r.committee, **r.fields)
            if r.closed_on and case.handled:
                actions.close_case(by=by, case=case, outcome=r.outcome, closed_on=r.closed_on)
        return len(state["resolved"])

    report = run_import(
        rows=rows, validate=validate_case_row, apply=apply, dry_run=dry_run, check_all=check_all
    )
    if report.ok:
        report.breakdown = dict(Counter(r.fields["kind"] for r in state.get("resolved", [])))
    return report


def import_case_file(*, by: Actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
    return import_case_rows(by=by, rows=read_table(data, filename, CASE_COLUMNS), dry_run=dry_run)


def _run_cases(*, by: Actor, rows, dry_run: bool, target: Any = None) -> ImportReport:
    return import_case_rows(by=by, rows=rows, dry_run=dry_run)


CASES_KIND = ImportKind(
    name="cases",
    doc="inspection-cases",
    label=gettext_lazy("Petitions, complaints and denunciations"),
    columns=CASE_COLUMNS,
    perm=Perm.INSPECTION,
    run=_run_cases,
    help=gettext_lazy("One row per case received, with the committee that handles it."),
    result_url=lambda _target: reverse("inspection:cases"),
    example={
        "committee_code": "BT.01",
        "kind": "kiến nghị",
        "received_on": "2023-03-01",
        "summary": "…",
    },
    order=61,
)
KINDS = (DISCIPLINE_KIND, CASES_KIND)

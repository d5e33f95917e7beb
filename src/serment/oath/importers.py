"""Import of a campaign held on paper (docs/import-formats/paper-campaigns.md, generated
from ``COLUMNS``), and of promises (docs/import-formats/promises.md).

One row per member: the cell, the date of its thematic meeting, the member's Party
card number, whether they reported (and the report type) or why not. A cell whose
meeting has no member row is given by a row without a card number. All-or-nothing:
any bad row and nothing is written; the meetings are then closed meetings like
those run in Serment, so the reports treat them alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.actors import Actor
from serment.core.errors import DomainError, refuse_if_any
from serment.core.imports import (
    CHOICE,
    CODE,
    DATE,
    YES_NO,
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
from serment.core.scoping import scope_for
from serment.members.models import Member, Membership
from serment.organisations.models import Organisation

from . import actions
from .models import AbsenceReason, Audience, Campaign, CellMeeting, Occasion, PromiseState, ReportType

YES = {"yes", "y", "x", "1", "true", "co", "da", "oui"}
NO = {"no", "n", "0", "false", "khong", "chua", "non", ""}
REPORT_TYPES = {
    **{normalise_header(v): v for v in ReportType.values},
    normalise_header("Lời thề"): ReportType.OATH,
    normalise_header("Lời thề và lời hứa chức vụ"): ReportType.OATH_OFFICE,
    normalise_header("Lời thề và lời hứa ứng cử"): ReportType.OATH_CANDIDACY,
    normalise_header("Lời thề, lời hứa chức vụ và ứng cử"): ReportType.OATH_OFFICE_CANDIDACY,
}
REASONS = {
    **{normalise_header(v): v for v in AbsenceReason.values},
    normalise_header("Miễn sinh hoạt"): AbsenceReason.EXEMPT,
    normalise_header("Chuyển sinh hoạt tạm thời"): AbsenceReason.TRANSFERRED_OUT,
    normalise_header("Ốm"): AbsenceReason.ILLNESS,
    normalise_header("Công tác"): AbsenceReason.WORK,
    normalise_header("Việc gia đình"): AbsenceReason.FAMILY,
    normalise_header("Khác"): AbsenceReason.OTHER,
}

COLUMNS = (
    Column("cell_code", ("ma_chi_bo", "Mã chi bộ"), required=True, format=CODE, max_length=40),
    Column("meeting_date", ("ngay_sinh_hoat", "Ngày sinh hoạt"), required=True, format=DATE),
    Column(
        "card_number",
        ("so_the_dang", "Số thẻ đảng"),
        required=True,
        blank=True,
        format=CODE,
        max_length=20,
        help=gettext_lazy("empty on a row that only records a cell's meeting without members"),
    ),
    Column("reported", ("da_bao_cao", "Đã báo cáo"), format=YES_NO),
    Column(
        "report_type",
        ("loai_bao_cao", "Loại báo cáo"),
        format=CHOICE,
        choices=REPORT_TYPES,
        choice_help=", ".join(ReportType.values),
        help=gettext_lazy("required when the member reported"),
    ),
    Column(
        "reason",
        ("ly_do", "Lý do"),
        format=CHOICE,
        choices=REASONS,
        choice_help=", ".join(AbsenceReason.values),
        help=gettext_lazy("required when the member did not report"),
    ),
    Column("note", ("ghi_chu", "Ghi chú"), max_length=300),
    Column("suggestions", ("gop_y", "Góp ý của chi bộ")),
)


@dataclass(frozen=True)
class PaperRow:
    cell: Organisation
    held_on: dt.date
    member: Member | None
    reported: bool
    report_type: str
    reason: str
    note: str
    suggestions: str = ""


class _Lookups:
    """Everything rows refer to, fetched once for the whole file."""

    def __init__(self, campaign: Campaign, rows: list[tuple[int, dict[str, Any]]], by: Actor):
        codes = {str(v.get("cell_code", "")).strip() for _n, v in rows}
        cards = {str(v.get("card_number", "")).strip() for _n, v in rows} - {""}
        self.cells = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        # members the importer does not see read as unknown (no existence oracle)
        self.members = {m.card_number: m for m in Member.objects.visible_to(by).filter(card_number__in=cards)}
        self.periods: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        for member_id, org_id, start, end in Membership.objects.filter(
            member__card_number__in=cards
        ).values_list("member_id", "organisation_id", "starts_on", "ends_on"):
            self.periods[member_id].append((org_id, start, end))
        self.already_met = set(
            CellMeeting.objects.filter(campaign=campaign, cell__code__in=codes).values_list(
                "cell__code", flat=True
            )
        )

    def in_cell_on(self, member: Member, cell: Organisation, day: dt.date) -> bool:
        return any(
            org_id == cell.pk and start <= day and (end is None or end > day)
            for org_id, start, end in self.periods[member.pk]
        )


def _validator(by: Actor, campaign: Campaign, lookups: _Lookups):
    def validate(line: int, v: dict[str, Any]) -> PaperRow:
        code = str(v.get("cell_code", "")).strip()
        cell = lookups.cells.get(code)
        if cell is None:
            raise DomainError(_("No organisation with code %(c)s.") % {"c": code}, field="cell_code")
        try:
            held_on = parse_date(v.get("meeting_date"))
        except ValueError as exc:
            raise DomainError(str(exc), field="meeting_date") from exc
        # the action's own rules on a paper meeting, with the lookups fetched once for the file
        refuse_if_any(
            actions.paper_meeting_refusals(
                by=by,
                campaign=campaign,
                cell=cell,
                held_on=held_on,
                already_met=lambda c: c.code in lookups.already_met,
                cell_field="cell_code",
                date_field="meeting_date",
            )
        )
        assert held_on is not None
        card = str(v.get("card_number", "")).strip()
        if not card:
            return PaperRow(cell, held_on, None, False, "", "", "")
        member = lookups.members.get(card)
        if member is None:
            raise DomainError(_("No member with Party card number %(c)s.") % {"c": card}, field="card_number")
        refuse_if_any(
            actions.member_at_meeting_refusals(
                member, cell, held_on, field="card_number", in_cell_on=lookups.in_cell_on
            )
        )
        answer = normalise_header(str(v.get("reported", "")))
        if answer not in YES | NO:
            raise DomainError(_("Answer yes or no."), field="reported")
        note = str(v.get("note", "") or "").strip()[:300]
        if answer in YES:
            report_type = REPORT_TYPES.get(normalise_header(str(v.get("report_type", ""))))
            if report_type is None:
                raise DomainError(
                    _("Give the report type (%(choices)s).") % {"choices": ", ".join(ReportType.values)},
                    field="report_type",
                )
            suggestions = str(v.get("suggestions", "") or "").strip()
            return PaperRow(cell, held_on, member, True, report_type, "", note, suggestions)
        reason = REASONS.get(normalise_header(str(v.get("reason", ""))))
        if reason is None:
            raise DomainError(
                _("Give the reason the member did not report (%(choices)s).")
                % {"choices": ", ".join(AbsenceReason.values)},
                field="reason",
            )
        return PaperRow(cell, held_on, member, False, "", reason, note)

    return validate


def _check_all(parsed: list[tuple[int, PaperRow]]) -> list[RowError]:
    errors = []
    dates: dict[int, dt.date] = {}
    seen: set[int] = set()
    for line, r in parsed:
        if dates.setdefault(r.cell.pk, r.held_on) != r.held_on:
            errors.append(
                RowError(line, "meeting_date", _("Another row gives another date for this cell's meeting."))
            )
        if r.member is not None:
            if r.member.pk in seen:
                errors.append(RowError(line, "card_number", _("This member appears twice in the file.")))
            seen.add(r.member.pk)
    return errors


def _apply(by: Actor, campaign: Campaign):
    def apply(parsed: list[PaperRow]) -> int:
        meetings: dict[int, actions.PaperMeeting] = {}
        for r in parsed:
            m = meetings.setdefault(r.cell.pk, actions.PaperMeeting(cell=r.cell, held_on=r.held_on))
            if r.member is None:
                continue
            if r.reported:
                m.reported.append((r.member, r.report_type, r.suggestions))
            else:
                m.absent.append((r.member, r.reason, r.note))
        actions.record_paper_meetings(by=by, campaign=campaign, meetings=list(meetings.values()))
        return len(parsed)

    return apply


def import_paper_rows(
    *, by: Actor, campaign: Campaign, rows: list[tuple[int, dict[str, Any]]], dry_run: bool
) -> ImportReport:
    """Validate every row, then (unless a dry run) write all meetings in one transaction."""
    rows = list(rows)
    lookups = _Lookups(campaign, rows, by)
    return run_import(
        rows=rows,
        columns=COLUMNS,
        validate=_validator(by, campaign, lookups),
        apply=_apply(by, campaign),
        dry_run=dry_run,
        check_all=_check_all,
    )


def _find_campaign(by: Actor, key: str | None) -> Campaign | None:
    if not key or not str(key).isascii() or not str(key).isdigit():
        return None
    return Campaign.objects.visible_to(by).select_related("organisation").filter(pk=int(key)).first()


def _run_paper(*, by: Actor, rows, dry_run: bool, target: Campaign) -> ImportReport:
    report = import_paper_rows(by=by, campaign=target, rows=rows, dry_run=dry_run)
    if report.written:
        report.result_url = reverse("oath:campaign", args=[target.pk])
    return report


PAPER_KIND = ImportKind(
    name="paper-campaigns",
    label=gettext_lazy("Oath campaign held on paper"),
    columns=COLUMNS,
    perm=Perm.RUN_MEETINGS,
    run=_run_paper,
    help=gettext_lazy(
        "One row per member at their cell's thematic meeting: whether they reported (and how) or why not. "
        "A cell whose meeting has no member row is given by a row without a card number."
    ),
    target="campaign",
    target_required=True,
    find_target=_find_campaign,
    example={
        "cell_code": "BT.01.01",
        "meeting_date": "2023-06-20",
        "card_number": "48000001",
        "reported": "có",
        "report_type": "oath",
    },
    order=40,
)


def import_paper_file(
    *, by: Actor, campaign: Campaign, data: bytes, filename: str, dry_run: bool
) -> ImportReport:
    """Read a CSV/XLSX file and import it (see ``import_paper_rows``)."""
    return read_and_run(PAPER_KIND, by=by, data=data, filename=filename, dry_run=dry_run, target=campaign)


# --- promises ----------------------------------------------------------------------
# docs/import-formats/promises.md: one row per promise, keyed by the member's
# Party card number; all-or-nothing like the member import.

OCCASIONS = {
    **{normalise_header(v): v for v in Occasion.values},
    normalise_header("Bổ nhiệm"): Occasion.APPOINTMENT,
    normalise_header("Ứng cử"): Occasion.ELECTION,
    normalise_header("Nhận nhiệm vụ"): Occasion.TASK,
    normalise_header("Kết nạp"): Occasion.ADMISSION,
}
AUDIENCES = {
    **{normalise_header(v): v for v in Audience.values},
    normalise_header("Tập thể"): Audience.COLLECTIVE,
    normalise_header("Cử tri"): Audience.VOTERS,
    normalise_header("Nhân dân"): Audience.PEOPLE,
}
PROMISE_STATES = {
    **{normalise_header(v): v for v in PromiseState.values},
    normalise_header("Đang thực hiện"): PromiseState.IN_PROGRESS,
    normalise_header("Đã thực hiện"): PromiseState.KEPT,
    normalise_header("Thực hiện một phần"): PromiseState.PARTLY_KEPT,
    normalise_header("Chưa thực hiện"): PromiseState.NOT_KEPT,
}

PROMISE_COLUMNS = (
    Column("card_number", ("so_the_dang", "Số thẻ đảng"), required=True, format=CODE, max_length=20),
    Column("made_on", ("ngay_hua", "Ngày hứa"), required=True, format=DATE),
    Column(
        "occasion",
        ("dip", "Dịp"),
        required=True,
        format=CHOICE,
        choices=OCCASIONS,
        choice_help=", ".join(Occasion.values),
    ),
    Column(
        "to_whom",
        ("hua_voi", "Hứa với"),
        required=True,
        format=CHOICE,
        choices=AUDIENCES,
        choice_help=", ".join(Audience.values),
    ),
    Column("text", ("noi_dung", "Nội dung lời hứa"), required=True),
    Column("due_on", ("han", "Hạn hoàn thành"), format=DATE),
    Column(
        "state",
        ("tinh_trang", "Tình trạng"),
        format=CHOICE,
        choices=PROMISE_STATES,
        choice_help=", ".join(PromiseState.values),
        help=gettext_lazy("in_progress when empty"),
    ),
)


def _choice(value: Any, known: dict[str, str], field: str, choices: list[str]) -> str:
    found = known.get(normalise_header(cell_text(value)))
    if found is None:
        raise DomainError(
            _("“%(v)s” is not one of %(choices)s.") % {"v": cell_text(value), "choices": ", ".join(choices)},
            field=field,
        )
    return found


def _date(value: Any, field: str) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise DomainError(str(exc), field=field) from exc


def _promise_validator(by: Actor, members: dict[str, Member]):
    scope = scope_for(by)

    def validate(line: int, v: dict[str, Any]) -> actions.NewPromise:
        card = cell_text(v.get("card_number"))
        member = members.get(card)
        if member is None:
            raise DomainError(_("No member with Party card number %(c)s.") % {"c": card}, field="card_number")
        if scope is not None and not scope.has(Perm.IMPORT, member.organisation.path):
            raise DomainError(
                _("Your role does not allow importing promises of %(name)s.") % {"name": member.full_name},
                field="card_number",
            )
        made_on = _date(v.get("made_on"), "made_on")
        if made_on is None:
            raise DomainError(_("This column is required."), field="made_on")
        state = v.get("state")
        row = actions.NewPromise(
            member=member,
            made_on=made_on,
            occasion=_choice(v.get("occasion"), OCCASIONS, "occasion", Occasion.values),
            to_whom=_choice(v.get("to_whom"), AUDIENCES, "to_whom", Audience.values),
            text=cell_text(v.get("text")),
            due_on=_date(v.get("due_on"), "due_on"),
            state=(
                _choice(state, PROMISE_STATES, "state", PromiseState.values)
                if cell_text(state)
                else PromiseState.IN_PROGRESS
            ),
        )
        refuse_if_any(actions.check_import_promise(by=by, promise=row))
        return row

    return validate


def import_promise_rows(
    *, by: Actor, rows: list[tuple[int, dict[str, Any]]], dry_run: bool, target: Any = None
) -> ImportReport:
    """Validate every promise row, then (unless a dry run) write them all in one transaction."""
    rows = list(rows)
    cards = {cell_text(v.get("card_number")) for _n, v in rows} - {""}
    members = {
        m.card_number: m
        for m in Member.objects.visible_to(by).filter(card_number__in=cards).select_related("organisation")
    }

    def apply(parsed: list[actions.NewPromise]) -> int:
        return len(actions.import_promises(by=by, promises=parsed))

    return run_import(
        rows=rows,
        columns=PROMISE_COLUMNS,
        validate=_promise_validator(by, members),
        apply=apply,
        dry_run=dry_run,
    )


PROMISE_KIND = ImportKind(
    name="promises",
    label=gettext_lazy("Promises"),
    columns=PROMISE_COLUMNS,
    perm=Perm.IMPORT,
    run=import_promise_rows,
    help=gettext_lazy("One row per promise, keyed by the member's Party card number."),
    result_url=lambda _target: reverse("oath:index"),
    example={
        "card_number": "48000001",
        "made_on": "2023-03-01",
        "occasion": "task",
        "to_whom": "collective",
        "text": "Hoàn thành chỉ tiêu kết nạp đảng viên mới",
        "due_on": "2023-12-31",
    },
    order=30,
)
KINDS = (PROMISE_KIND, PAPER_KIND)


def import_promise_file(*, by: Actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Read a CSV/XLSX file of promises and import it (see ``import_promise_rows``)."""
    return read_and_run(PROMISE_KIND, by=by, data=data, filename=filename, dry_run=dry_run)

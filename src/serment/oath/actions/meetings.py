"""Cell meetings of a campaign: schedule, attendance, presentations, close, correct, paper meetings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor, is_actor, user_of
from serment.core.db import refresh_statistics_after_bulk
from serment.core.errors import DomainError, Refusal, refusals_of, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.members.models import Member, Membership
from serment.organisations.models import Organisation

from ..models import (
    AbsenceReason,
    AssessmentStatus,
    Attendance,
    Campaign,
    CellMeeting,
    MeetingCorrection,
    MeetingSource,
    MeetingStatus,
    Presentation,
    SelfAssessment,
)
from ._common import (
    _check_cell,
    _check_meeting_date,
    _lock_meeting,
    _require_open,
    cell_refusals,
    meeting_date_refusals,
    member_at_meeting_refusals,
    open_refusals,
    report_type_for,
)


def check_another_meeting(*, campaign: Campaign, cell: Organisation, reason: str = "") -> list[Refusal]:
    """A cell holds one thematic meeting per campaign. A second one is refused while the
    first is open, and once it is closed needs a stated reason (e.g. for the members
    absent from the first), which the meeting keeps."""
    others = list(CellMeeting.objects.filter(campaign=campaign, cell=cell).order_by("held_on"))
    if any(m.status == MeetingStatus.SCHEDULED for m in others):
        return [
            Refusal(
                code="meeting_already_scheduled",
                message=gettext_lazy("%(org)s already has a meeting scheduled for this campaign."),
                params={"org": cell.name},
                field="cell",
            )
        ]
    if others and not (reason or "").strip():
        return [
            Refusal(
                code="meeting_already_held",
                message=gettext_lazy(
                    "%(org)s already held its meeting for this campaign on %(date)s. "
                    "A second meeting needs a reason (for example, the members absent from the first)."
                ),
                params={"org": cell.name, "date": others[-1].held_on},
                field="reason",
            )
        ]
    return []


def check_schedule_meeting(
    *, by: Actor, campaign: Campaign, cell: Organisation, held_on: dt.date | None, reason: str = ""
) -> list[Refusal]:
    """May ``cell`` hold its meeting of ``campaign`` on ``held_on``? (A second one needs a reason.)"""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, cell.path)
    if refused:
        return refused

    def validate() -> None:
        _check_cell(campaign, cell)
        _check_meeting_date(campaign, held_on)
        refuse_if_any(check_another_meeting(campaign=campaign, cell=cell, reason=reason))

    return refusals_of(validate)


@transaction.atomic
def schedule_meeting(
    *, by: Actor, campaign: Campaign, cell: Organisation, held_on: dt.date, reason: str = ""
) -> CellMeeting:
    """The cell schedules its thematic meeting for the campaign; a second meeting only
    with a reason (``check_another_meeting``)."""
    refuse_if_any(check_schedule_meeting(by=by, campaign=campaign, cell=cell, held_on=held_on, reason=reason))
    reason = (reason or "").strip()
    meeting = CellMeeting.objects.create(campaign=campaign, cell=cell, held_on=held_on, notes=reason)
    changes = {"campaign": campaign.pk, "cell": cell.code, "held_on": held_on}
    if reason:
        changes["reason"] = reason
    audit.record(by=by, action="oath.schedule_meeting", target=meeting, summary=str(meeting), changes=changes)
    return meeting


def check_reschedule_meeting(*, by: Actor, meeting: CellMeeting, held_on: dt.date | None) -> list[Refusal]:
    """May ``meeting`` move to ``held_on``? While it is open, within the campaign."""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, meeting.cell.path)
    if refused:
        return refused
    return open_refusals(meeting) or meeting_date_refusals(meeting.campaign, held_on)


@transaction.atomic
def reschedule_meeting(*, by: Actor, meeting: CellMeeting, held_on: dt.date) -> CellMeeting:
    """Move an open meeting to another day of the campaign."""
    meeting = _lock_meeting(meeting)
    refuse_if_any(check_reschedule_meeting(by=by, meeting=meeting, held_on=held_on))
    old = meeting.held_on
    meeting.held_on = held_on
    meeting.save(update_fields=["held_on"])
    audit.record(by=by, action="oath.reschedule_meeting", target=meeting, changes={"held_on": [old, held_on]})
    return meeting


def check_record_attendance(
    *, by: Actor, meeting: CellMeeting, member: Member, present: bool, absence_reason: str = ""
) -> list[Refusal]:
    """May ``member`` be recorded present (or absent for ``absence_reason``) at ``meeting``?"""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, meeting.cell.path)
    if refused:
        return refused
    refusals = open_refusals(meeting) or member_at_meeting_refusals(member, meeting.cell, meeting.held_on)
    if refusals or present:
        return refusals
    if absence_reason not in AbsenceReason.values:
        refusals.append(
            Refusal(
                code="absence_reason_missing",
                message=gettext_lazy("Give the reason for the absence."),
                field="absence_reason",
            )
        )
    if Presentation.objects.filter(meeting=meeting, member=member).exists():
        refusals.append(
            Refusal(
                code="presented_so_present",
                message=gettext_lazy("%(name)s presented, so was present."),
                params={"name": member.full_name},
                field="present",
            )
        )
    return refusals


def _set_attendance(
    meeting: CellMeeting, member: Member, present: bool, reason: str, note: str
) -> Attendance:
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        member=member,
        defaults={
            "present": present,
            "absence_reason": "" if present else reason,
            "absence_note": "" if present else (note or "").strip(),
        },
    )
    return attendance


@transaction.atomic
def record_attendance(
    *,
    by: Actor,
    meeting: CellMeeting,
    member: Member,
    present: bool,
    absence_reason: str = "",
    absence_note: str = "",
) -> Attendance:
    """Present, or absent with a reason."""
    meeting = _lock_meeting(meeting)
    refuse_if_any(
        check_record_attendance(
            by=by, meeting=meeting, member=member, present=present, absence_reason=absence_reason
        )
    )
    attendance = _set_attendance(meeting, member, present, absence_reason, absence_note)
    audit.record(
        by=by,
        action="oath.record_attendance",
        target=meeting,
        summary=member.full_name,
        changes={"member": member.pk, "present": present, "absence_reason": attendance.absence_reason},
    )
    return attendance


def presentation_refusals(meeting: CellMeeting, member: Member, *, live: bool = True) -> list[Refusal]:
    """Rules on presenting at a meeting: an absent member does not present; at a live
    meeting the member presents the self-assessment they submitted, unless the campaign
    allows presenting without one (``live=False``: a meeting held on paper)."""
    refusals = []
    attendance = Attendance.objects.filter(meeting=meeting, member=member).first()
    if attendance is not None and not attendance.present:
        refusals.append(
            Refusal(
                code="absent_cannot_present",
                message=gettext_lazy("%(name)s is recorded as absent."),
                params={"name": member.full_name},
                field="member",
            )
        )
    if live and not meeting.campaign.presentation_without_self_assessment:
        submitted = SelfAssessment.objects.filter(
            campaign=meeting.campaign, member=member, status=AssessmentStatus.SUBMITTED
        ).exists()
        if not submitted:
            refusals.append(
                Refusal(
                    code="self_assessment_not_submitted",
                    message=gettext_lazy(
                        "%(name)s has not submitted a self-assessment; this campaign does not allow "
                        "presenting without one."
                    ),
                    params={"name": member.full_name},
                    source="Kế hoạch “Giữ trọn lời thề đảng viên”",
                    field="member",
                )
            )
    return refusals


def check_record_presentation(*, by: Actor, meeting: CellMeeting, member: Member) -> list[Refusal]:
    """May ``member`` be recorded as having presented at ``meeting``? The meeting page
    offers the button only when this is empty."""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, meeting.cell.path)
    if refused:
        return refused
    return (
        open_refusals(meeting)
        or member_at_meeting_refusals(member, meeting.cell, meeting.held_on)
        or presentation_refusals(meeting, member)
    )


def _present(meeting: CellMeeting, member: Member, suggestions: str, *, live: bool = True) -> Presentation:
    refuse_if_any(presentation_refusals(meeting, member, live=live))
    if not Attendance.objects.filter(meeting=meeting, member=member).exists():
        Attendance.objects.create(meeting=meeting, member=member, present=True)
    assessment = SelfAssessment.objects.filter(
        campaign=meeting.campaign, member=member, status=AssessmentStatus.SUBMITTED
    ).first()
    report_type = assessment.report_type if assessment else report_type_for(member, meeting.held_on)
    presentation, _created = Presentation.objects.update_or_create(
        meeting=meeting,
        member=member,
        defaults={
            "report_type": report_type,
            "self_assessment": assessment,
            "suggestions": (suggestions or "").strip(),
        },
    )
    return presentation


@transaction.atomic
def record_presentation(
    *, by: Actor, meeting: CellMeeting, member: Member, suggestions: str = ""
) -> Presentation:
    """The member presented their self-assessment; ``suggestions`` is the collective's feedback."""
    meeting = _lock_meeting(meeting)
    refuse_if_any(check_record_presentation(by=by, meeting=meeting, member=member))
    presentation = _present(meeting, member, suggestions)
    audit.record(
        by=by,
        action="oath.record_presentation",
        target=meeting,
        summary=member.full_name,
        changes={"member": member.pk, "report_type": presentation.report_type},
    )
    return presentation


def check_record_suggestions(*, by: Actor, presentation: Presentation) -> list[Refusal]:
    """May the collective's suggestions to the member of ``presentation`` be written? While
    the meeting is open (a closed one is corrected)."""
    meeting = presentation.meeting
    refused = permission_refusals(by, Perm.RUN_MEETINGS, meeting.cell.path)
    if refused:
        return refused
    return open_refusals(meeting)


@transaction.atomic
def record_suggestions(*, by: Actor, presentation: Presentation, suggestions: str) -> Presentation:
    """The collective's suggestions to one member, while the meeting is open."""
    meeting = _lock_meeting(presentation.meeting)
    presentation.meeting = meeting
    refuse_if_any(check_record_suggestions(by=by, presentation=presentation))
    old = presentation.suggestions
    presentation.suggestions = (suggestions or "").strip()
    presentation.save(update_fields=["suggestions"])
    audit.record(
        by=by,
        action="oath.record_suggestions",
        target=meeting,
        summary=presentation.member.full_name,
        changes={"member": presentation.member_id, "suggestions": [old, presentation.suggestions]},
    )
    return presentation


def check_close_meeting(*, by: Actor, meeting: CellMeeting) -> list[Refusal]:
    """May ``meeting`` be closed? On or after its day, once someone has presented."""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, meeting.cell.path)
    if refused:
        return refused

    def validate() -> None:
        _require_open(meeting)
        if meeting.held_on > timezone.localdate():
            raise DomainError(
                _("A meeting cannot be closed before the day it is held."),
                field="held_on",
                code="closed_before_held",
            )
        if not Presentation.objects.filter(meeting=meeting).exists():
            raise DomainError(
                _("No member has presented yet; record the presentations first."), code="no_presentation"
            )

    return refusals_of(validate)


@transaction.atomic
def close_meeting(*, by: Actor, meeting: CellMeeting) -> CellMeeting:
    """Close the meeting: its presentations count as reports and the collective's
    suggestions become visible to each member. Read-only afterwards."""
    meeting = _lock_meeting(meeting)
    refuse_if_any(check_close_meeting(by=by, meeting=meeting))
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = user_of(by)
    meeting.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(
        by=by,
        action="oath.close_meeting",
        target=meeting,
        summary=str(meeting),
        changes={"status": [MeetingStatus.SCHEDULED, MeetingStatus.CLOSED]},
    )
    return meeting


def check_correct_meeting(
    *,
    by: Actor,
    meeting: CellMeeting,
    reason: str,
    held_on: dt.date | None = None,
    add_presentations: Iterable[Member] = (),
    remove_presentations: Iterable[Member] = (),
    suggestions: dict[int, str] | None = None,
) -> list[Refusal]:
    """May this correction of a closed meeting be recorded? Only a closed meeting, with a
    reason; a new date within the campaign; members added were in the cell on the day
    and follow the presentation rules; those removed and those given suggestions presented."""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, meeting.cell.path)
    if refused:
        return refused
    if meeting.status != MeetingStatus.CLOSED:
        return [
            Refusal(
                code="meeting_open",
                message=gettext_lazy("Only a closed meeting needs a correction; change it directly."),
            )
        ]
    refusals: list[Refusal] = []
    if not (reason or "").strip():
        refusals.append(
            Refusal(
                code="reason_required",
                message=gettext_lazy("Say why the closed meeting is corrected."),
                field="reason",
            )
        )
    new_date = held_on is not None and held_on != meeting.held_on
    if new_date:
        refusals += meeting_date_refusals(meeting.campaign, held_on)
    day = held_on if new_date and held_on is not None else meeting.held_on
    live = meeting.source != MeetingSource.PAPER
    added = list(add_presentations)
    for member in added:
        refusals += member_at_meeting_refusals(member, meeting.cell, day) or [
            r
            for r in presentation_refusals(meeting, member, live=live)
            if r.code != "absent_cannot_present"  # a correction turns the absence into a presentation
        ]
    removed = list(remove_presentations)
    presented = set(
        Presentation.objects.filter(meeting=meeting, member__in=[*removed]).values_list(
            "member_id", flat=True
        )
    )
    for member in removed:
        if member.pk not in presented:
            refusals.append(
                Refusal(
                    code="did_not_present",
                    message=gettext_lazy("%(name)s did not present at this meeting."),
                    params={"name": member.full_name},
                    field="remove_presentations",
                )
            )
    if suggestions:
        with_presentation = set(
            Presentation.objects.filter(meeting=meeting, member_id__in=list(suggestions)).values_list(
                "member_id", flat=True
            )
        )
        if set(suggestions) - with_presentation:
            refusals.append(
                Refusal(
                    code="suggestion_without_presentation",
                    message=gettext_lazy("A suggestion refers to a member who did not present."),
                    field="suggestions",
                )
            )
    if not (new_date or added or removed or suggestions):
        refusals.append(
            Refusal(
                code="correction_changes_nothing", message=gettext_lazy("The correction changes nothing.")
            )
        )
    return refusals


@transaction.atomic
def correct_meeting(
    *,
    by: Actor,
    meeting: CellMeeting,
    reason: str,
    held_on: dt.date | None = None,
    add_presentations: Iterable[Member] = (),
    remove_presentations: Iterable[Member] = (),
    suggestions: dict[int, str] | None = None,
) -> MeetingCorrection:
    """Correct a closed meeting (its date, who presented, the suggestions), with a reason."""
    meeting = _lock_meeting(meeting)
    add_presentations, remove_presentations = list(add_presentations), list(remove_presentations)
    refuse_if_any(
        check_correct_meeting(
            by=by,
            meeting=meeting,
            reason=reason,
            held_on=held_on,
            add_presentations=add_presentations,
            remove_presentations=remove_presentations,
            suggestions=suggestions,
        )
    )
    reason = reason.strip()
    changes: dict[str, Any] = {}
    if held_on is not None and held_on != meeting.held_on:
        changes["held_on"] = [meeting.held_on.isoformat(), held_on.isoformat()]
        meeting.held_on = held_on
        meeting.save(update_fields=["held_on"])
    added = []
    for member in add_presentations:
        Attendance.objects.filter(meeting=meeting, member=member, present=False).delete()
        _present(meeting, member, "", live=meeting.source != MeetingSource.PAPER)
        added.append(member.pk)
    removed = []
    for member in remove_presentations:
        Presentation.objects.filter(meeting=meeting, member=member).delete()
        removed.append(member.pk)
    edited = {}
    for member_id, text in (suggestions or {}).items():
        Presentation.objects.filter(meeting=meeting, member_id=member_id).update(
            suggestions=(text or "").strip()
        )
        edited[str(member_id)] = (text or "").strip()
    if added:
        changes["presented_added"] = added
    if removed:
        changes["presented_removed"] = removed
    if edited:
        changes["suggestions"] = edited
    correction = MeetingCorrection.objects.create(
        meeting=meeting, by=user_of(by), reason=reason, changes=changes
    )
    audit.record(by=by, action="oath.correct_meeting", target=meeting, summary=reason, changes=changes)
    return correction


# --- a campaign held on paper -------------------------------------------------------


@dataclass
class PaperMeeting:
    cell: Organisation
    held_on: dt.date
    reported: list[tuple[Member, str, str]] = field(
        default_factory=list
    )  # (member, report type, suggestions)
    absent: list[tuple[Member, str, str]] = field(default_factory=list)  # (member, reason, note)


def check_record_paper_meetings(
    *, by: Actor, campaign: Campaign, meetings: Sequence[PaperMeeting]
) -> list[Refusal]:
    """May these closed meetings held on paper be entered? Each cell is the actor's to run
    meetings in, is a cell of the campaign, has no meeting for it yet, and its meeting is
    dated within the campaign. (The importer asks the same rules row by row.)"""
    if not is_actor(by):
        return permission_refusals(by, Perm.RUN_MEETINGS, None)
    refusals: list[Refusal] = []
    for m in meetings:
        refusals += paper_meeting_refusals(by=by, campaign=campaign, cell=m.cell, held_on=m.held_on)
    return refusals


def paper_meeting_refusals(
    *,
    by: Actor,
    campaign: Campaign,
    cell: Organisation,
    held_on: dt.date | None,
    already_met: Callable[[Organisation], bool] | None = None,
    cell_field: str = "cell",
    date_field: str = "held_on",
) -> list[Refusal]:
    """The rules on one cell's paper meeting (``already_met``: how to tell that the cell
    has a meeting for the campaign; an importer passes its own lookup, fetched once)."""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, cell.path)
    if refused:  # named on the cell, which is the file's column at fault
        return [replace(r, field=cell_field) for r in refused]
    refusals = cell_refusals(campaign, cell, field=cell_field)
    if refusals:
        return refusals
    met = (
        already_met(cell)
        if already_met is not None
        else CellMeeting.objects.filter(campaign=campaign, cell=cell).exists()
    )
    if met:
        refusals.append(
            Refusal(
                code="meeting_exists",
                message=gettext_lazy("%(org)s already has a meeting for this campaign."),
                params={"org": cell.code},
                field=cell_field,
            )
        )
    return refusals + meeting_date_refusals(campaign, held_on, field=date_field)


@transaction.atomic
def record_paper_meetings(*, by: Actor, campaign: Campaign, meetings: Sequence[PaperMeeting]) -> int:
    """Enter closed meetings held on paper, in one go (the importer's action).

    The rows were checked by the importer (members in the cell on the meeting date);
    this asks ``check_record_paper_meetings`` and writes in bulk. Returns the number of
    meetings made.
    """
    refuse_if_any(check_record_paper_meetings(by=by, campaign=campaign, meetings=meetings))
    now = timezone.now()
    actor = user_of(by)
    made = CellMeeting.objects.bulk_create(
        [
            CellMeeting(
                campaign=campaign,
                cell=m.cell,
                held_on=m.held_on,
                status=MeetingStatus.CLOSED,
                source=MeetingSource.PAPER,
                closed_at=now,
                closed_by=actor,
            )
            for m in meetings
        ],
        batch_size=1000,
    )
    attendance, presentations = [], []
    for meeting, m in zip(made, meetings, strict=True):
        for member, report_type, suggestions in m.reported:
            attendance.append(Attendance(meeting=meeting, member=member, present=True))
            presentations.append(
                Presentation(meeting=meeting, member=member, report_type=report_type, suggestions=suggestions)
            )
        for member, reason, note in m.absent:
            attendance.append(
                Attendance(
                    meeting=meeting, member=member, present=False, absence_reason=reason, absence_note=note
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    Presentation.objects.bulk_create(presentations, batch_size=2000)
    refresh_statistics_after_bulk(Attendance, len(attendance))
    refresh_statistics_after_bulk(Presentation, len(presentations))
    counts = {id(m): (len(m.reported), len(m.absent)) for m in meetings}
    by_meeting = dict(zip((x.pk for x in made), meetings, strict=True))
    audit.record_many(
        by=by,
        action="oath.paper_meeting",
        targets=made,
        summary=_("Entered from paper records"),
        changes_for=lambda x: {
            "held_on": x.held_on,
            "reported": counts[id(by_meeting[x.pk])][0],
            "absent": counts[id(by_meeting[x.pk])][1],
        },
    )
    return len(made)


# --- what the minutes state besides the rows --------------------------------------


def check_record_meeting_details(
    *, by: Actor, meeting: CellMeeting, starts_at: dt.time | None, ends_at: dt.time | None
) -> list[Refusal]:
    """May the place, times, chair and note-taker of ``meeting`` be recorded?"""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, meeting.cell.path)
    if refused:
        return refused
    refusals = []
    if meeting.status == MeetingStatus.CLOSED:
        refusals.append(
            Refusal(
                code="meeting_closed",
                message=gettext_lazy("This meeting is closed; change it through a correction."),
            )
        )
    if starts_at and ends_at and ends_at <= starts_at:
        refusals.append(
            Refusal(
                code="meeting_ends_before_it_starts",
                message=gettext_lazy("The meeting must end after it starts."),
                field="ends_at",
            )
        )
    return refusals


@transaction.atomic
def record_meeting_details(
    *,
    by: Actor,
    meeting: CellMeeting,
    place: str,
    starts_at: dt.time | None,
    ends_at: dt.time | None,
    chair: str,
    note_taker: str,
) -> CellMeeting:
    """The place, start and end time, chair and note-taker that the filed minutes state."""
    meeting = _lock_meeting(meeting)
    refuse_if_any(check_record_meeting_details(by=by, meeting=meeting, starts_at=starts_at, ends_at=ends_at))
    fields = ["place", "starts_at", "ends_at", "chair", "note_taker"]
    before = audit.snapshot(meeting, fields)
    meeting.place, meeting.chair, meeting.note_taker = place.strip(), chair.strip(), note_taker.strip()
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.save(update_fields=fields)
    changes = audit.diff(before, audit.snapshot(meeting, fields))
    if changes:
        audit.record(by=by, action="oath.record_meeting_details", target=meeting, changes=changes)
    return meeting


def check_record_everyone_present(*, by: Actor, meeting: CellMeeting) -> list[Refusal]:
    """May every unrecorded member be recorded present? While the meeting is open."""
    refused = permission_refusals(by, Perm.RUN_MEETINGS, meeting.cell.path)
    if refused:
        return refused
    return open_refusals(meeting)


@transaction.atomic
def record_everyone_present(*, by: Actor, meeting: CellMeeting) -> int:
    """ "All present": every member of the cell on the day whose attendance is not yet
    recorded is recorded present. Rows already recorded (absent ones too) are kept."""
    meeting = _lock_meeting(meeting)
    refuse_if_any(check_record_everyone_present(by=by, meeting=meeting))
    recorded = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    members = (
        Membership.objects.filter(organisation=meeting.cell, starts_on__lte=meeting.held_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=meeting.held_on))
        .exclude(member_id__in=recorded)
        .values_list("member_id", flat=True)
    )
    created = Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=member_id, present=True) for member_id in members]
    )
    if created:
        audit.record(
            by=by,
            action="oath.record_everyone_present",
            target=meeting,
            changes={"present": len(created)},
        )
    return len(created)

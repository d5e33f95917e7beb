"""Every change in the oath campaign (DOMAIN §3): one atomic, audited function each.

Views, the paper importer, the demo and the CLI call these; nothing else writes
the oath app's models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import SYSTEM, Actor
from serment.core.db import refresh_statistics_after_bulk
from serment.core.errors import DomainError, NotPermitted
from serment.core.roles import Perm
from serment.core.scoping import require, require_actor
from serment.members.models import Member, Membership, State
from serment.organisations.models import COMMITTEE_KINDS, Organisation

from .models import (
    AbsenceReason,
    AssessmentStatus,
    Attendance,
    Audience,
    Campaign,
    CellMeeting,
    MeetingCorrection,
    MeetingSource,
    MeetingStatus,
    Notice,
    Oath,
    Occasion,
    Presentation,
    Promise,
    PromiseNote,
    PromiseState,
    PromiseUpdate,
    ReportType,
    SelfAssessment,
)

ASSESSMENT_TEXTS = ("kept", "not_well", "not_done", "will_do")
EXPECTABLE_STATES = (State.ACTIVE, State.EXEMPT, State.TRANSFERRED_OUT)


# --- helpers ---------------------------------------------------------------------


def _is_member_themself(by: Actor, member: Member) -> bool:
    return getattr(by, "pk", None) is not None and member.user_id == by.pk


def _require_self_or(by: Actor, member: Member, perm: str) -> None:
    """The member acts on their own record; anyone else needs ``perm`` on the cell."""
    if not _is_member_themself(by, member):
        require(by, perm, member.organisation.path)


def _require_member_themself(by: Actor, member: Member) -> None:
    require_actor(by)
    if by is not SYSTEM and not _is_member_themself(by, member):
        raise NotPermitted(_("Only the member can write their own self-assessment."))


def _in_cell_on(member: Member, cell: Organisation, day: dt.date) -> bool:
    return (
        Membership.objects.filter(member=member, organisation=cell, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        .exists()
    )


def report_type_for(member: Member, on: dt.date) -> str:
    """The kind of report a member gives, from the promises made up to ``on``:
    office (appointment, task) and candidacy (election) promises add to the oath."""
    occasions = set(Promise.objects.filter(member=member, made_on__lte=on).values_list("occasion", flat=True))
    office = bool(occasions & {Occasion.APPOINTMENT, Occasion.TASK})
    candidacy = Occasion.ELECTION in occasions
    if office and candidacy:
        return ReportType.OATH_OFFICE_CANDIDACY
    if office:
        return ReportType.OATH_OFFICE
    if candidacy:
        return ReportType.OATH_CANDIDACY
    return ReportType.OATH


def _lock_meeting(meeting: CellMeeting) -> CellMeeting:
    return CellMeeting.objects.select_for_update().select_related("cell", "campaign").get(pk=meeting.pk)


def _require_open(meeting: CellMeeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise DomainError(_("This meeting is closed; change it through a correction."))


def _check_meeting_date(campaign: Campaign, held_on: dt.date | None) -> None:
    if held_on is None:
        raise DomainError(_("Give the date of the meeting."), field="held_on")
    if not (campaign.starts_on <= held_on <= campaign.deadline):
        raise DomainError(
            _("The meeting must be held between %(start)s and the deadline, %(end)s.")
            % {"start": campaign.starts_on.isoformat(), "end": campaign.deadline.isoformat()},
            field="held_on",
        )


def _check_cell(campaign: Campaign, cell: Organisation) -> None:
    if not cell.holds_members:
        raise DomainError(_("%(org)s is not a cell.") % {"org": cell.name}, field="cell")
    if not cell.path.startswith(campaign.organisation.path):
        raise DomainError(
            _("%(org)s is outside the campaign of %(by)s.")
            % {"org": cell.name, "by": campaign.organisation.name},
            field="cell",
        )


def _check_member_at_meeting(meeting: CellMeeting, member: Member) -> None:
    if not _in_cell_on(member, meeting.cell, meeting.held_on):
        raise DomainError(
            _("%(name)s was not a member of %(cell)s on %(date)s.")
            % {"name": member.full_name, "cell": meeting.cell.name, "date": meeting.held_on.isoformat()},
            field="member",
        )


# --- oath and promises -------------------------------------------------------------


@transaction.atomic
def record_oath(*, by: Actor, member: Member, taken_on: dt.date, place: str = "") -> Oath:
    """Record the oath taken at the admission ceremony."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if Oath.objects.filter(member=member).exists():
        raise DomainError(_("The oath of %(name)s is already recorded.") % {"name": member.full_name})
    if taken_on < member.admitted_on:
        raise DomainError(
            _("The oath is taken at the admission ceremony, not before admission."), field="taken_on"
        )
    oath = Oath.objects.create(member=member, taken_on=taken_on, place=(place or "").strip())
    audit.record(
        by=by,
        action="oath.record",
        target=member,
        summary=_("Oath taken on %(d)s") % {"d": taken_on},
        changes={"taken_on": taken_on, "place": oath.place},
    )
    return oath


@transaction.atomic
def add_promise(
    *,
    by: Actor,
    member: Member,
    made_on: dt.date,
    occasion: str,
    to_whom: str,
    text: str,
    due_on: dt.date | None = None,
) -> Promise:
    """Record a promise, by the member themself or by staff of the cell (the secretary)."""
    _require_self_or(by, member, Perm.MANAGE_MEMBERS)
    text = (text or "").strip()
    check_promise(
        member=member, made_on=made_on, occasion=occasion, to_whom=to_whom, text=text, due_on=due_on
    )
    promise = Promise.objects.create(
        member=member, made_on=made_on, occasion=occasion, to_whom=to_whom, text=text, due_on=due_on
    )
    audit.record(
        by=by,
        action="oath.add_promise",
        target=member,
        summary=text[:200],
        changes={"promise": promise.pk, "made_on": made_on, "occasion": occasion, "to_whom": to_whom},
    )
    return promise


def check_promise(
    *,
    member: Member,
    made_on: dt.date,
    occasion: str,
    to_whom: str,
    text: str,
    due_on: dt.date | None = None,
    state: str = PromiseState.IN_PROGRESS,
) -> None:
    """The rules a new promise obeys, whoever enters it (a form or the importer)."""
    if member.state == State.LEFT:
        raise DomainError(_("%(name)s is no longer on the register.") % {"name": member.full_name})
    if occasion not in Occasion.values:
        raise DomainError(_("Say on which occasion the promise was made."), field="occasion")
    if to_whom not in Audience.values:
        raise DomainError(_("Say to whom the promise was made."), field="to_whom")
    if state not in PromiseState.values:
        raise DomainError(_("Say how far the promise is kept."), field="state")
    if not (text or "").strip():
        raise DomainError(_("Write the promise."), field="text")
    if made_on < member.admitted_on:
        raise DomainError(_("A member's promise is made after admission."), field="made_on")
    if due_on is not None and due_on < made_on:
        raise DomainError(_("The due date is before the promise was made."), field="due_on")


@dataclass(frozen=True)
class NewPromise:
    member: Member
    made_on: dt.date
    occasion: str
    to_whom: str
    text: str
    due_on: dt.date | None = None
    state: str = PromiseState.IN_PROGRESS


@transaction.atomic
def import_promises(*, by: Actor, promises: Sequence[NewPromise]) -> list[Promise]:
    """Record many promises at once (the promise importer's action), all or nothing.

    Needs IMPORT on each member's cell; every promise obeys ``check_promise``.
    """
    for p in promises:
        require(by, Perm.IMPORT, p.member.organisation.path)
        check_promise(
            member=p.member,
            made_on=p.made_on,
            occasion=p.occasion,
            to_whom=p.to_whom,
            text=p.text,
            due_on=p.due_on,
            state=p.state,
        )
    made = Promise.objects.bulk_create(
        [
            Promise(
                member=p.member,
                made_on=p.made_on,
                occasion=p.occasion,
                to_whom=p.to_whom,
                text=p.text.strip(),
                due_on=p.due_on,
                state=p.state,
            )
            for p in promises
        ],
        batch_size=1000,
    )
    audit.record_many(
        by=by,
        action="oath.import_promise",
        targets=made,
        summary=_("Imported promise"),
        changes_for=lambda x: {
            "member": x.member_id,
            "made_on": x.made_on,
            "occasion": x.occasion,
            "to_whom": x.to_whom,
            "state": x.state,
        },
    )
    return made


@transaction.atomic
def update_promise(*, by: Actor, promise: Promise, on: dt.date, state: str, evidence: str) -> PromiseUpdate:
    """Record how far a promise is kept, with dated evidence."""
    member = promise.member
    _require_self_or(by, member, Perm.MANAGE_MEMBERS)
    if state not in PromiseState.values:
        raise DomainError(_("Choose the state of the promise."), field="state")
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(_("Give the evidence for this update."), field="evidence")
    if on < promise.made_on:
        raise DomainError(_("The update is dated before the promise was made."), field="on")
    if on > timezone.localdate():
        raise DomainError(_("The update cannot be dated in the future."), field="on")
    update = PromiseUpdate.objects.create(
        promise=promise, on=on, state=state, evidence=evidence, by=by if getattr(by, "pk", None) else None
    )
    old = promise.state
    latest = PromiseUpdate.objects.filter(promise=promise).order_by("-on", "-pk").first()
    promise.state = latest.state
    promise.save(update_fields=["state"])
    audit.record(
        by=by,
        action="oath.update_promise",
        target=member,
        summary=evidence[:200],
        changes={"promise": promise.pk, "state": [old, promise.state], "on": on},
    )
    return update


# --- campaigns ---------------------------------------------------------------------


@transaction.atomic
def launch_campaign(
    *,
    by: Actor,
    organisation: Organisation,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    deadline: dt.date,
    expected_states: Sequence[str] = (State.ACTIVE,),
    count_whole_register: bool = False,
) -> Campaign:
    """A committee launches a campaign for its subtree."""
    require(by, Perm.MANAGE_CAMPAIGNS, organisation.path)
    if organisation.kind not in COMMITTEE_KINDS:
        raise DomainError(_("A campaign is launched by a committee."), field="organisation")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the campaign a title."), field="title")
    if ends_on < starts_on:
        raise DomainError(_("The campaign ends before it starts."), field="ends_on")
    if deadline < ends_on:
        raise DomainError(_("The reporting deadline is before the end of the campaign."), field="deadline")
    states = [s for s in EXPECTABLE_STATES if s in set(expected_states)]
    if not states or set(expected_states) - set(EXPECTABLE_STATES):
        raise DomainError(_("Choose which members are expected to take part."), field="expected_states")
    campaign = Campaign.objects.create(
        organisation=organisation,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
        expected_states=states,
        count_whole_register=count_whole_register,
        launched_by=by if getattr(by, "pk", None) else None,
    )
    audit.record(
        by=by,
        action="oath.launch_campaign",
        target=campaign,
        summary=title,
        changes={
            "organisation": organisation.code,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "deadline": deadline,
            "expected_states": states,
            "count_whole_register": count_whole_register,
        },
    )
    return campaign


# --- self-assessment ---------------------------------------------------------------


def _check_campaign_concerns(campaign: Campaign, member: Member) -> None:
    if member.state == State.LEFT or not member.organisation.path.startswith(campaign.organisation.path):
        raise DomainError(_("This campaign does not concern %(name)s.") % {"name": member.full_name})


def _check_before_deadline(campaign: Campaign) -> None:
    if timezone.localdate() > campaign.deadline:
        raise DomainError(
            _("The campaign's deadline (%(d)s) has passed.") % {"d": campaign.deadline.isoformat()}
        )


@transaction.atomic
def save_self_assessment(
    *,
    by: Actor,
    campaign: Campaign,
    member: Member,
    kept: str = "",
    not_well: str = "",
    not_done: str = "",
    will_do: str = "",
    promise_notes: dict[int, str] | None = None,
) -> SelfAssessment:
    """Save the member's self-assessment as a draft (only the member writes it)."""
    _require_member_themself(by, member)
    _check_campaign_concerns(campaign, member)
    _check_before_deadline(campaign)
    assessment, created = SelfAssessment.objects.select_for_update().get_or_create(
        campaign=campaign, member=member
    )
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise DomainError(_("This self-assessment is already submitted."))
    texts = {"kept": kept, "not_well": not_well, "not_done": not_done, "will_do": will_do}
    for name, value in texts.items():
        setattr(assessment, name, (value or "").strip())
    assessment.save()
    notes = {int(k): (v or "").strip() for k, v in (promise_notes or {}).items()}
    own = set(Promise.objects.filter(member=member, pk__in=notes).values_list("pk", flat=True))
    if set(notes) - own:
        raise DomainError(_("A note refers to a promise that is not yours."), field="promise_notes")
    for promise_id, note in notes.items():
        if note:
            PromiseNote.objects.update_or_create(
                assessment=assessment, promise_id=promise_id, defaults={"note": note}
            )
        else:
            PromiseNote.objects.filter(assessment=assessment, promise_id=promise_id).delete()
    audit.record(
        by=by,
        action="oath.save_self_assessment",
        target=assessment,
        summary=_("Draft saved"),
        changes={"created": created},
    )
    return assessment


@transaction.atomic
def submit_self_assessment(*, by: Actor, assessment: SelfAssessment) -> SelfAssessment:
    """Submit the self-assessment; its report type follows from the member's promises."""
    assessment = (
        SelfAssessment.objects.select_for_update().select_related("campaign", "member").get(pk=assessment.pk)
    )
    _require_member_themself(by, assessment.member)
    _check_before_deadline(assessment.campaign)
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise DomainError(_("This self-assessment is already submitted."))
    for name in ASSESSMENT_TEXTS:
        if not getattr(assessment, name).strip():
            raise DomainError(_("Write every part of the self-assessment before submitting."), field=name)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.report_type = report_type_for(assessment.member, timezone.localdate())
    assessment.save(update_fields=["status", "submitted_at", "report_type", "updated_at"])
    audit.record(
        by=by,
        action="oath.submit_self_assessment",
        target=assessment,
        summary=_("Submitted"),
        changes={"report_type": assessment.report_type},
    )
    return assessment


# --- the cell's thematic meeting ---------------------------------------------------


@transaction.atomic
def schedule_meeting(*, by: Actor, campaign: Campaign, cell: Organisation, held_on: dt.date) -> CellMeeting:
    """The cell schedules its thematic meeting for the campaign."""
    require(by, Perm.RUN_MEETINGS, cell.path)
    _check_cell(campaign, cell)
    _check_meeting_date(campaign, held_on)
    if CellMeeting.objects.filter(campaign=campaign, cell=cell, status=MeetingStatus.SCHEDULED).exists():
        raise DomainError(
            _("%(org)s already has a meeting scheduled for this campaign.") % {"org": cell.name}
        )
    meeting = CellMeeting.objects.create(campaign=campaign, cell=cell, held_on=held_on)
    audit.record(
        by=by,
        action="oath.schedule_meeting",
        target=meeting,
        summary=str(meeting),
        changes={"campaign": campaign.pk, "cell": cell.code, "held_on": held_on},
    )
    return meeting


@transaction.atomic
def reschedule_meeting(*, by: Actor, meeting: CellMeeting, held_on: dt.date) -> CellMeeting:
    require(by, Perm.RUN_MEETINGS, meeting.cell.path)
    meeting = _lock_meeting(meeting)
    _require_open(meeting)
    _check_meeting_date(meeting.campaign, held_on)
    old = meeting.held_on
    meeting.held_on = held_on
    meeting.save(update_fields=["held_on"])
    audit.record(by=by, action="oath.reschedule_meeting", target=meeting, changes={"held_on": [old, held_on]})
    return meeting


def _set_attendance(
    meeting: CellMeeting, member: Member, present: bool, reason: str, note: str
) -> Attendance:
    if not present and reason not in AbsenceReason.values:
        raise DomainError(_("Give the reason for the absence."), field="absence_reason")
    if not present and Presentation.objects.filter(meeting=meeting, member=member).exists():
        raise DomainError(
            _("%(name)s presented, so was present.") % {"name": member.full_name}, field="present"
        )
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
    require(by, Perm.RUN_MEETINGS, meeting.cell.path)
    meeting = _lock_meeting(meeting)
    _require_open(meeting)
    _check_member_at_meeting(meeting, member)
    attendance = _set_attendance(meeting, member, present, absence_reason, absence_note)
    audit.record(
        by=by,
        action="oath.record_attendance",
        target=meeting,
        summary=member.full_name,
        changes={"member": member.pk, "present": present, "absence_reason": attendance.absence_reason},
    )
    return attendance


def _present(meeting: CellMeeting, member: Member, suggestions: str) -> Presentation:
    attendance = Attendance.objects.filter(meeting=meeting, member=member).first()
    if attendance is not None and not attendance.present:
        raise DomainError(_("%(name)s is recorded as absent.") % {"name": member.full_name}, field="member")
    if attendance is None:
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
    require(by, Perm.RUN_MEETINGS, meeting.cell.path)
    meeting = _lock_meeting(meeting)
    _require_open(meeting)
    _check_member_at_meeting(meeting, member)
    presentation = _present(meeting, member, suggestions)
    audit.record(
        by=by,
        action="oath.record_presentation",
        target=meeting,
        summary=member.full_name,
        changes={"member": member.pk, "report_type": presentation.report_type},
    )
    return presentation


@transaction.atomic
def record_suggestions(*, by: Actor, presentation: Presentation, suggestions: str) -> Presentation:
    """The collective's suggestions to one member, while the meeting is open."""
    require(by, Perm.RUN_MEETINGS, presentation.meeting.cell.path)
    meeting = _lock_meeting(presentation.meeting)
    _require_open(meeting)
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


@transaction.atomic
def close_meeting(*, by: Actor, meeting: CellMeeting) -> CellMeeting:
    """Close the meeting: its presentations count as reports and the collective's
    suggestions become visible to each member. Read-only afterwards."""
    require(by, Perm.RUN_MEETINGS, meeting.cell.path)
    meeting = _lock_meeting(meeting)
    _require_open(meeting)
    if meeting.held_on > timezone.localdate():
        raise DomainError(_("A meeting cannot be closed before the day it is held."), field="held_on")
    if not Presentation.objects.filter(meeting=meeting).exists():
        raise DomainError(_("No member has presented yet; record the presentations first."))
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = by if getattr(by, "pk", None) else None
    meeting.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(
        by=by,
        action="oath.close_meeting",
        target=meeting,
        summary=str(meeting),
        changes={"status": [MeetingStatus.SCHEDULED, MeetingStatus.CLOSED]},
    )
    return meeting


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
    require(by, Perm.RUN_MEETINGS, meeting.cell.path)
    meeting = _lock_meeting(meeting)
    if meeting.status != MeetingStatus.CLOSED:
        raise DomainError(_("Only a closed meeting needs a correction; change it directly."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the closed meeting is corrected."), field="reason")
    changes: dict[str, Any] = {}
    if held_on is not None and held_on != meeting.held_on:
        _check_meeting_date(meeting.campaign, held_on)
        changes["held_on"] = [meeting.held_on.isoformat(), held_on.isoformat()]
        meeting.held_on = held_on
        meeting.save(update_fields=["held_on"])
    added = []
    for member in add_presentations:
        _check_member_at_meeting(meeting, member)
        Attendance.objects.filter(meeting=meeting, member=member, present=False).delete()
        _present(meeting, member, "")
        added.append(member.pk)
    removed = []
    for member in remove_presentations:
        deleted, _detail = Presentation.objects.filter(meeting=meeting, member=member).delete()
        if not deleted:
            raise DomainError(_("%(name)s did not present at this meeting.") % {"name": member.full_name})
        removed.append(member.pk)
    edited = {}
    for member_id, text in (suggestions or {}).items():
        updated = Presentation.objects.filter(meeting=meeting, member_id=member_id).update(
            suggestions=(text or "").strip()
        )
        if not updated:
            raise DomainError(_("A suggestion refers to a member who did not present."), field="suggestions")
        edited[str(member_id)] = (text or "").strip()
    if added:
        changes["presented_added"] = added
    if removed:
        changes["presented_removed"] = removed
    if edited:
        changes["suggestions"] = edited
    if not changes:
        raise DomainError(_("The correction changes nothing."))
    correction = MeetingCorrection.objects.create(
        meeting=meeting, by=by if getattr(by, "pk", None) else None, reason=reason, changes=changes
    )
    audit.record(by=by, action="oath.correct_meeting", target=meeting, summary=reason, changes=changes)
    return correction


# --- reminders ---------------------------------------------------------------------


@transaction.atomic
def remind_not_submitted(*, by: Actor, campaign: Campaign, cell: Organisation) -> int:
    """Send the cell's active members who have not submitted an in-app notice, and an
    e-mail after commit where they have an address and mail is configured."""
    require(by, Perm.RUN_MEETINGS, cell.path)
    _check_cell(campaign, cell)
    submitted = SelfAssessment.objects.filter(campaign=campaign, status=AssessmentStatus.SUBMITTED).values(
        "member_id"
    )
    members = list(
        Member.objects.filter(organisation=cell, state__in=campaign.expected_states).exclude(pk__in=submitted)
    )
    text = _("Please write and submit your self-assessment for “%(title)s” by %(date)s.") % {
        "title": campaign.title,
        "date": campaign.deadline.isoformat(),
    }
    Notice.objects.bulk_create([Notice(member=m, campaign=campaign, text=text) for m in members])
    addresses = [m.email for m in members if m.email]
    if addresses and getattr(settings, "EMAIL_BACKEND", ""):
        transaction.on_commit(
            lambda: send_mail(
                campaign.title, text, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True
            )
        )
    audit.record(
        by=by,
        action="oath.remind",
        target=campaign,
        summary=cell.name,
        changes={"cell": cell.code, "members": len(members)},
    )
    return len(members)


# --- a campaign held on paper -------------------------------------------------------


@dataclass
class PaperMeeting:
    cell: Organisation
    held_on: dt.date
    reported: list[tuple[Member, str, str]] = field(
        default_factory=list
    )  # (member, report type, suggestions)
    absent: list[tuple[Member, str, str]] = field(default_factory=list)  # (member, reason, note)


@transaction.atomic
def record_paper_meetings(*, by: Actor, campaign: Campaign, meetings: Sequence[PaperMeeting]) -> int:
    """Enter closed meetings held on paper, in one go (the importer's action).

    The rows were checked by the importer (cell in the campaign, members in the cell
    on the meeting date); this checks permissions and writes in bulk. Returns the
    number of meetings made.
    """
    for m in meetings:
        require(by, Perm.RUN_MEETINGS, m.cell.path)
        _check_cell(campaign, m.cell)
        _check_meeting_date(campaign, m.held_on)
    if CellMeeting.objects.filter(campaign=campaign, cell__in=[m.cell for m in meetings]).exists():
        raise DomainError(_("Some of these cells already have a meeting for this campaign."))
    now = timezone.now()
    actor = by if getattr(by, "pk", None) else None
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

"""Helpers and validators shared by the oath actions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from serment.core.actors import SYSTEM, Actor
from serment.core.errors import DomainError, NotPermitted
from serment.core.scoping import require, require_actor
from serment.members.models import Member, Membership, State
from serment.organisations.models import Organisation

from ..models import (
    Campaign,
    CellMeeting,
    MeetingStatus,
    Occasion,
    Promise,
    ReportType,
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

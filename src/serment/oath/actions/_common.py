"""Helpers and validators shared by the oath actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.actors import SYSTEM, Actor
from serment.core.errors import NotPermitted, Refusal, refuse_if_any
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
    return (
        CellMeeting.objects.select_for_update(of=("self",))
        .select_related("cell", "campaign")
        .get(pk=meeting.pk)
    )


def open_refusals(meeting: CellMeeting) -> list[Refusal]:
    if meeting.status == MeetingStatus.CLOSED:
        return [
            Refusal(
                code="meeting_closed",
                message=gettext_lazy("This meeting is closed; change it through a correction."),
            )
        ]
    return []


def _require_open(meeting: CellMeeting) -> None:
    refuse_if_any(open_refusals(meeting))


def meeting_date_refusals(
    campaign: Campaign, held_on: dt.date | None, *, field: str = "held_on"
) -> list[Refusal]:
    """The meeting is dated within the campaign, up to its reporting deadline."""
    if held_on is None:
        return [
            Refusal(
                code="meeting_date_missing",
                message=gettext_lazy("Give the date of the meeting."),
                field=field,
            )
        ]
    if not (campaign.starts_on <= held_on <= campaign.deadline):
        return [
            Refusal(
                code="meeting_outside_campaign",
                message=gettext_lazy("The meeting must be held between %(start)s and the deadline, %(end)s."),
                params={"start": campaign.starts_on, "end": campaign.deadline},
                field=field,
            )
        ]
    return []


def _check_meeting_date(campaign: Campaign, held_on: dt.date | None) -> None:
    refuse_if_any(meeting_date_refusals(campaign, held_on))


def cell_refusals(campaign: Campaign, cell: Organisation, *, field: str = "cell") -> list[Refusal]:
    """The cell is a cell of the campaign's subtree."""
    if not cell.holds_members:
        return [
            Refusal(
                code="not_a_cell",
                message=gettext_lazy("%(org)s is not a cell."),
                params={"org": cell.name},
                field=field,
            )
        ]
    if not cell.path.startswith(campaign.organisation.path):
        return [
            Refusal(
                code="cell_outside_campaign",
                message=gettext_lazy("%(org)s is outside the campaign of %(by)s."),
                params={"org": cell.name, "by": campaign.organisation.name},
                field=field,
            )
        ]
    return []


def _check_cell(campaign: Campaign, cell: Organisation) -> None:
    refuse_if_any(cell_refusals(campaign, cell))


def member_at_meeting_refusals(
    member: Member,
    cell: Organisation,
    day: dt.date,
    *,
    field: str = "member",
    in_cell_on: Callable[[Member, Organisation, dt.date], bool] = _in_cell_on,
) -> list[Refusal]:
    """The member belonged to the meeting's cell on its day (``in_cell_on``: how to tell;
    an importer passes its own lookup, fetched once for the whole file)."""
    if not in_cell_on(member, cell, day):
        return [
            Refusal(
                code="not_in_cell_at_meeting",
                message=gettext_lazy("%(name)s was not a member of %(cell)s on %(date)s."),
                params={"name": member.full_name, "cell": cell.name, "date": day},
                field=field,
            )
        ]
    return []


def _check_member_at_meeting(meeting: CellMeeting, member: Member) -> None:
    refuse_if_any(member_at_meeting_refusals(member, meeting.cell, meeting.held_on))


# --- oath and promises -------------------------------------------------------------

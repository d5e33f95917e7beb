"""Reads for the home pages: the member's own space and the notifications."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from serment.core.scoping import scope_for

from .models import Notification
from .tasks import Task, own_tasks


@dataclass
class MySpace:
    member: Any
    oath: Any  # oath.queries.MyOath
    tasks: list[Task]
    meetings: list[Any]
    attendance: dict[int, Any]
    ratings: list[Any]
    notifications: list[Notification]


def my_space(*, viewer: Any, today: dt.date) -> MySpace | None:
    """Everything of the viewer's own as a member, nothing of anyone else's: their
    record, oath and promises, open tasks (self-assessment, own rating step), their
    cell's meetings with their attendance, their decided ratings, notifications."""
    from serment.members.models import Member
    from serment.oath import queries as oath_queries
    from serment.oath.models import Attendance, CellMeeting
    from serment.ratings import queries as rating_queries

    member_id = scope_for(viewer).member_id
    if member_id is None:
        return None
    member = Member.objects.visible_to(viewer).select_related("organisation").filter(pk=member_id).first()
    if member is None:
        return None
    # The meetings of the member's own cell (they are expected there); their own
    # attendance through the scoped queryset.
    meetings = list(
        CellMeeting.objects.filter(cell_id=member.organisation_id)
        .select_related("campaign")
        .order_by("-held_on", "-pk")[:10]
    )
    attendance = {
        a.meeting_id: a
        for a in Attendance.objects.visible_to(viewer).filter(
            member_id=member.pk, meeting_id__in=[m.pk for m in meetings]
        )
    }
    ratings = [r for r in rating_queries.own_ratings(viewer) if r.locked][:10]
    return MySpace(
        member=member,
        oath=oath_queries.my_oath(viewer=viewer, member=member),
        tasks=own_tasks(viewer, today),
        meetings=meetings,
        attendance=attendance,
        ratings=ratings,
        notifications=list(notifications_for(viewer)[:10]),
    )


def notifications_for(viewer: Any) -> QuerySet[Notification]:
    return Notification.objects.for_reader(viewer)


def unread_count(viewer: Any) -> int:
    return Notification.objects.for_reader(viewer).unread().count()

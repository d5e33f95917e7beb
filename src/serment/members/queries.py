"""Reads of the member registry shared by pages, exports and the API.
Every function starts from the viewer's scoped queryset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from serment.core.dates import show_date
from serment.core.roles import Perm
from serment.organisations.models import Organisation

from .models import ActivityPeriod, Member, Membership, PostHolding, Standing, State
from .names import search_key


def search_members(
    *,
    viewer: Any,
    q: str = "",
    organisation: Organisation | None = None,
    standing: str = "",
    state: str = "",
    perm: str = Perm.VIEW,
):
    """Members the viewer may see, filtered. Without a state filter, members who
    left are excluded (choose state=left to find them)."""
    qs = Member.objects.permitted(viewer, perm).select_related("organisation")
    q = (q or "").strip()
    if q:
        # Diacritics and case ignored ("nguyen van" finds "Nguyễn Văn"); an indexed column.
        qs = qs.filter(Q(search_name__contains=search_key(q)) | Q(card_number=q) | Q(citizen_id=q))
    if organisation is not None:
        qs = qs.filter(organisation__path__subtree=organisation.path)
    if standing in Standing.values:
        qs = qs.with_standing(standing)
    if state in State.values:
        qs = qs.filter(state=state)
    elif not q:
        qs = qs.current()
    return qs.order_by("sort_name", "pk")  # given name first, Vietnamese alphabet


@dataclass(frozen=True)
class HistoryEvent:
    starts_on: dt.date
    ends_on: dt.date | None
    kind: str  # cell | standing | activity | post | left
    label: str
    detail: str = ""


def member_history(member: Member) -> list[HistoryEvent]:
    """The member's dated history, oldest first: cells, standing, activity
    periods, posts and leaving. Caller fetched ``member`` through the scope."""
    from django.utils.translation import gettext as _

    events: list[HistoryEvent] = [
        HistoryEvent(member.admitted_on, member.official_on, "standing", str(Standing.PROBATIONARY.label))
    ]
    if member.official_on:
        events.append(HistoryEvent(member.official_on, None, "standing", str(Standing.OFFICIAL.label)))
    for m in Membership.objects.filter(member=member).select_related("organisation"):
        events.append(
            HistoryEvent(
                m.starts_on,
                m.ends_on,
                "cell",
                m.organisation.name,
                " · ".join(x for x in (m.get_kind_display(), m.reason, m.document_ref) if x),
            )
        )
    for p in ActivityPeriod.objects.filter(member=member):
        bits = [p.get_reason_display(), p.destination, p.details, p.document_ref]
        if p.planned_end and not p.ends_on:
            bits.append(_("planned until %(d)s") % {"d": show_date(p.planned_end)})
        events.append(
            HistoryEvent(
                p.starts_on,
                p.ends_on,
                "activity",
                p.get_state_display(),
                " · ".join(str(x) for x in bits if x),
            )
        )
    for h in PostHolding.objects.filter(member=member).select_related("organisation"):
        events.append(
            HistoryEvent(
                h.starts_on, h.ends_on, "post", f"{h.get_post_display()} — {h.organisation.name}", h.title
            )
        )
    if member.left_on:
        events.append(HistoryEvent(member.left_on, None, "left", member.get_left_reason_display()))
    order = {"standing": 0, "cell": 1, "activity": 2, "post": 3, "left": 4}
    return sorted(events, key=lambda e: (e.starts_on, order[e.kind]))


@dataclass(frozen=True)
class CurrentSituation:
    open_period: ActivityPeriod | None
    posts: list[PostHolding]


def current_situation(member: Member) -> CurrentSituation:
    """What holds today: the open exemption or temporary transfer, and the posts held.
    Caller fetched ``member`` through the scope."""
    open_period = ActivityPeriod.objects.filter(member=member, ends_on__isnull=True).first()
    posts = list(
        PostHolding.objects.filter(member=member, ends_on__isnull=True)
        .select_related("organisation")
        .order_by("starts_on", "pk")
    )
    return CurrentSituation(open_period=open_period, posts=posts)

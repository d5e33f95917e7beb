"""What the cadre actions share: the default management level, the member and seat checks."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from serment.core.dates import show_date
from serment.core.errors import Refusal
from serment.members.models import ManagementLevel, Member, PostHolding, PostKind, State
from serment.organisations.models import Kind, Organisation

PLANNING_SOURCE = "Quy định 50-QĐ/TW (2021) — defaults unconfirmed (settings)"


def default_management_level(organisation: Organisation, post: str) -> str:
    """The level that decides on a post, when the record does not say: the Central
    Committee for the province's secretary and deputies, the provincial standing
    committee for the province's other posts and district secretaries, deputies and
    standing members, the district for the rest of a district, the grassroots
    committee for cells."""
    if organisation.kind == Kind.PROVINCE:
        return (
            ManagementLevel.CENTRAL
            if post in ("secretary", "deputy_secretary")
            else ManagementLevel.PROVINCIAL
        )
    if organisation.kind == Kind.DISTRICT:
        if post in ("secretary", "deputy_secretary", "standing_member"):
            return ManagementLevel.PROVINCIAL
        return ManagementLevel.DISTRICT
    if organisation.kind in (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL):
        return ManagementLevel.DISTRICT
    return ManagementLevel.GRASSROOTS


def _d(day: dt.date) -> str:
    return show_date(day)


def _member_refusals(member: Member) -> list[Refusal]:
    if member.state == State.LEFT:
        return [
            Refusal(
                code="member_left",
                message=gettext_lazy("%(name)s is no longer on the register."),
                params={"name": member.full_name},
                field="member",
            )
        ]
    return []


def _seat_refusals(
    *, member: Member, organisation: Organisation, post: str, except_holding: PostHolding | None = None
) -> list[Refusal]:
    refusals = []
    if post not in PostKind.values:
        return [Refusal(code="invalid_post", message=gettext_lazy("Choose a post."), field="post")]
    open_same = PostHolding.objects.filter(organisation=organisation, post=post, ends_on__isnull=True)
    if except_holding is not None:
        open_same = open_same.exclude(pk=except_holding.pk)
    if open_same.filter(member=member).exists():
        refusals.append(
            Refusal(
                code="post_already_held",
                message=gettext_lazy("%(name)s already holds this post."),
                params={"name": member.full_name},
                field="post",
            )
        )
    elif post == PostKind.SECRETARY:
        holder = open_same.select_related("member").first()
        if holder is not None:
            refusals.append(
                Refusal(
                    code="post_taken",
                    message=gettext_lazy(
                        "%(org)s already has a secretary, %(holder)s: end that post first "
                        "(or record the movement that ends it)."
                    ),
                    params={"org": organisation.name, "holder": holder.member.full_name},
                    field="post",
                )
            )
    return refusals

"""Posts held, recorded without a movement decision (elected at a congress, registered)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.members.models import HoldingChange, Member, PostHolding
from serment.organisations.models import Organisation

from ..bars import bar_refusals
from ._common import _member_refusals, _seat_refusals, default_management_level

# --- Posts held ----------------------------------------------------------------------


def _bar_kind_for(began_how: str) -> str:
    """A post recorded without a movement is weighed as an appointment (or an election)."""
    if began_how in (
        HoldingChange.ELECTION,
        HoldingChange.REAPPOINTMENT,
        HoldingChange.ROTATION,
        HoldingChange.TRANSFER,
    ):
        return began_how
    return "appointment"


def check_assign_post(
    *,
    member: Member,
    organisation: Organisation,
    post: str,
    on: dt.date,
    began_how: str = HoldingChange.RECORDED,
) -> list[Refusal]:
    """May ``member`` take ``post`` in ``organisation`` from ``on``? The seat rules and
    the discipline and rating bars (a post recorded directly does not escape them)."""
    refusals = _member_refusals(member)
    refusals += _seat_refusals(member=member, organisation=organisation, post=post)
    if on < member.admitted_on:
        refusals.append(
            Refusal(
                code="post_before_admission",
                message=gettext_lazy("A post starts after admission."),
                field="on",
            )
        )
    if not refusals:
        refusals += bar_refusals(
            member=member, kind=_bar_kind_for(began_how), on=on, organisation=organisation, post=post
        )
    return refusals


def _open_holding(
    *,
    member,
    organisation,
    post,
    on,
    title="",
    reason="",
    management_level="",
    began_how=HoldingChange.RECORDED,
) -> PostHolding:
    holding = PostHolding(
        member=member,
        organisation=organisation,
        post=post,
        title=title,
        starts_on=on,
        reason=reason,
        management_level=management_level or default_management_level(organisation, post),
        began_how=began_how,
    )
    holding.save()  # the check validated the fields; the constraints guard the rest
    return holding


@transaction.atomic
def assign_post(
    *,
    by: Actor,
    member: Member,
    organisation: Organisation,
    post: str,
    on: dt.date,
    title: str = "",
    reason: str = "",
    management_level: str = "",
    began_how: str = HoldingChange.RECORDED,
) -> PostHolding:
    """Record that a member holds a post in an organisation from ``on`` (e.g. elected
    at a congress), subject to the same bars as an appointment."""
    require(by, Perm.MANAGE_MEMBERS, organisation.path)
    member = Member.objects.select_for_update().get(pk=member.pk)
    refuse_if_any(
        check_assign_post(member=member, organisation=organisation, post=post, on=on, began_how=began_how)
    )
    holding = _open_holding(
        member=member,
        organisation=organisation,
        post=post,
        on=on,
        title=title,
        reason=reason,
        management_level=management_level,
        began_how=began_how,
    )
    audit.record(
        by=by,
        action="member.assign_post",
        target=member,
        summary=_("%(post)s of %(org)s") % {"post": holding.get_post_display(), "org": organisation.name},
        changes={"post": post, "organisation": organisation.code, "on": on, "began_how": began_how},
    )
    return holding


def check_end_post(*, holding: PostHolding, on: dt.date) -> list[Refusal]:
    if holding.ends_on is not None:
        return [Refusal(code="post_already_ended", message=gettext_lazy("This post has already ended."))]
    if on < holding.starts_on:
        return [
            Refusal(
                code="post_end_before_start",
                message=gettext_lazy("A post cannot end before it starts."),
                field="on",
            )
        ]
    return []


def _close_holding(holding: PostHolding, on: dt.date, how: str, reason: str = "") -> None:
    holding.ends_on, holding.ended_how = on, how
    holding.reason = reason or holding.reason
    holding.save(update_fields=["ends_on", "ended_how", "reason"])


@transaction.atomic
def end_post(
    *, by: Actor, holding: PostHolding, on: dt.date, reason: str = "", ended_how: str = HoldingChange.RECORDED
) -> PostHolding:
    """Record that a post ended (without a movement decision on file)."""
    require(by, Perm.MANAGE_MEMBERS, holding.organisation.path)
    holding = (
        PostHolding.objects.select_for_update(of=("self",))
        .select_related("member", "organisation")
        .get(pk=holding.pk)
    )
    refuse_if_any(check_end_post(holding=holding, on=on))
    _close_holding(holding, on, ended_how, reason)
    audit.record(
        by=by,
        action="member.end_post",
        target=holding.member,
        summary=_("%(post)s of %(org)s ended")
        % {"post": holding.get_post_display(), "org": holding.organisation.name},
        changes={"post": holding.post, "on": on, "ended_how": ended_how},
    )
    return holding

"""Posts a member holds in the organisations (assign, end)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError, Refusal, refusals_of, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.organisations.models import Organisation

from ..models import (
    Member,
    PostHolding,
)
from ._common import _lock, _require_current, _require_date_after


def check_assign_post(*, by: Actor, member: Member, organisation: Organisation) -> list[Refusal]:
    """May ``by`` record a post of ``member`` in ``organisation``? (The post itself is
    checked by the model's constraints: known post, dates.)"""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, organisation.path)
    return refused or refusals_of(lambda: _require_current(member))


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
) -> PostHolding:
    """Record that a member holds a post in an organisation from ``on``."""
    member = _lock(member)
    refuse_if_any(check_assign_post(by=by, member=member, organisation=organisation))
    holding = PostHolding(
        member=member, organisation=organisation, post=post, title=title, starts_on=on, reason=reason
    )
    holding.full_clean()
    holding.save()
    audit.record(
        by=by,
        action="member.assign_post",
        target=member,
        summary=_("%(post)s of %(org)s") % {"post": holding.get_post_display(), "org": organisation.name},
        changes={"post": post, "organisation": organisation.code, "on": on},
    )
    return holding


def check_end_post(*, by: Actor, holding: PostHolding, on: dt.date) -> list[Refusal]:
    """May ``holding`` end on ``on``?"""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, holding.organisation.path)
    if refused:
        return refused

    def validate() -> None:
        if holding.ends_on is not None:
            raise DomainError(_("This post has already ended."), code="post_already_ended")
        _require_date_after(on, holding.starts_on, "on", _("A post cannot end before it starts."))

    return refusals_of(validate)


@transaction.atomic
def end_post(*, by: Actor, holding: PostHolding, on: dt.date, reason: str = "") -> PostHolding:
    """End a post (kept in the member's history)."""
    refuse_if_any(check_end_post(by=by, holding=holding, on=on))
    holding.ends_on, holding.reason = on, reason or holding.reason
    holding.save(update_fields=["ends_on", "reason"])
    audit.record(
        by=by,
        action="member.end_post",
        target=holding.member,
        summary=_("%(post)s of %(org)s ended")
        % {"post": holding.get_post_display(), "org": holding.organisation.name},
        changes={"post": holding.post, "on": on},
    )
    return holding

"""Link a sign-in account to a member."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals

from ..models import (
    Member,
)


def check_link_account(*, by: Actor, member: Member, user: Any) -> list[Refusal]:
    """May ``user`` be linked to ``member``? One account signs in as one member."""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        return [
            Refusal(
                code="account_linked_elsewhere",
                message=_lazy("This account is already linked to another member."),
                field="user",
            )
        ]
    return []


@transaction.atomic
def link_account(*, by: Actor, member: Member, user: Any) -> Member:
    """Let ``user`` sign in as this member (to see their own record)."""
    refuse_if_any(check_link_account(by=by, member=member, user=user))
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit.record(by=by, action="member.link_account", target=member, summary=user.username)
    return member

"""Link a sign-in account to a member."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require

from ..models import (
    Member,
)


@transaction.atomic
def link_account(*, by: Actor, member: Member, user) -> Member:
    """Let ``user`` sign in as this member (to see their own record)."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise DomainError(_("This account is already linked to another member."), field="user")
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit.record(by=by, action="member.link_account", target=member, summary=user.username)
    return member

"""Granting and revoking roles. Audited like every other change."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.roles import Perm, Role
from serment.core.scoping import forget_scope, require
from serment.organisations.models import Organisation

from .models import RoleGrant

User = get_user_model()


@transaction.atomic
def create_user(*, by: Actor, username: str, password: str | None, full_name: str = "", email: str = ""):
    """A sign-in account. Who may create one is checked by the caller granting its role."""
    username = (username or "").strip()
    if not username:
        raise DomainError(_("A user name is required."), field="username")
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The user name %(u)s is taken.") % {"u": username}, field="username")
    first, _sep, last = full_name.rpartition(" ")
    user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(by=by, action="user.create", target=user, summary=username)
    return user


@transaction.atomic
def grant_role(
    *, by: Actor, user, organisation: Organisation, role: str, starts_on: dt.date | None = None
) -> RoleGrant:
    """Give ``user`` ``role`` on ``organisation`` (and so its subtree)."""
    require(by, Perm.MANAGE_ROLES, organisation.path)
    if role not in Role.values:
        raise DomainError(_("Unknown role: %(role)s.") % {"role": role}, field="role")
    if role == Role.SECRETARY and not organisation.holds_members:
        raise DomainError(_("A cell secretary's role is held on a cell."), field="organisation")
    if RoleGrant.objects.filter(
        user=user, organisation=organisation, role=role, ends_on__isnull=True
    ).exists():
        raise DomainError(_("This user already holds this role here."), field="role")
    grant = RoleGrant.objects.create(
        user=user, organisation=organisation, role=role, starts_on=starts_on or timezone.localdate()
    )
    forget_scope(user)
    audit.record(
        by=by,
        action="role.grant",
        target=user,
        summary=_("%(role)s on %(org)s") % {"role": Role(role).label, "org": organisation.name},
        changes={"role": role, "organisation": organisation.code},
    )
    return grant


@transaction.atomic
def revoke_role(*, by: Actor, grant: RoleGrant, ends_on: dt.date | None = None) -> RoleGrant:
    """End a role grant (kept for the history)."""
    require(by, Perm.MANAGE_ROLES, grant.organisation.path)
    if grant.ends_on is not None:
        raise DomainError(_("This role has already ended."))
    grant.ends_on = ends_on or timezone.localdate()
    if grant.ends_on < grant.starts_on:
        raise DomainError(_("A role cannot end before it starts."), field="ends_on")
    grant.save(update_fields=["ends_on"])
    forget_scope(grant.user)
    audit.record(
        by=by,
        action="role.revoke",
        target=grant.user,
        summary=_("%(role)s on %(org)s ended")
        % {"role": grant.get_role_display(), "org": grant.organisation.name},
        changes={"role": grant.role, "organisation": grant.organisation.code, "ends_on": grant.ends_on},
    )
    return grant

"""Sign-in accounts and role grants. Audited like every other change.

Each action has its ``check_<action>`` beside it; the forms and pages call the same check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm, Role
from serment.core.scoping import forget_scope, permission_refusals, require, require_actor
from serment.organisations.models import Organisation

from .models import RoleGrant

User = get_user_model()


def check_create_user(
    *, by: Actor, username: str, organisation: Organisation | None = None, role: str = ""
) -> list[Refusal]:
    """May ``by`` create the account ``username`` (with ``role`` on ``organisation``)?

    Creating an account needs the right to manage roles: on ``organisation`` when one is
    given, anywhere otherwise (``SYSTEM``: the command line and the demo)."""
    if organisation is not None:
        refused = permission_refusals(by, Perm.MANAGE_ROLES, organisation.path)
    else:
        refused = permission_refusals(by, Perm.MANAGE_ROLES, None)
    if refused:
        return refused
    username = (username or "").strip()
    if not username:
        return [
            Refusal(
                code="username_required", message=gettext_lazy("A user name is required."), field="username"
            )
        ]
    if User.objects.filter(username=username).exists():
        return [
            Refusal(
                code="username_taken",
                message=gettext_lazy("The user name %(u)s is taken."),
                params={"u": username},
                field="username",
            )
        ]
    if role and organisation is not None:
        return _role_refusals(organisation, role)
    return []


@transaction.atomic
def create_user(
    *,
    by: Actor,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    role: str = "",
) -> Any:
    """A sign-in account, and its role on ``organisation`` when one is chosen: one action,
    so an account is never left without the role it was created for."""
    refuse_if_any(check_create_user(by=by, username=username, organisation=organisation, role=role))
    username = username.strip()
    first, _sep, last = full_name.rpartition(" ")
    user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(by=by, action="user.create", target=user, summary=username)
    if role and organisation is not None:
        grant_role(by=by, user=user, organisation=organisation, role=role)
    return user


def _role_refusals(organisation: Organisation, role: str) -> list[Refusal]:
    if role not in Role.values:
        return [
            Refusal(
                code="unknown_role",
                message=gettext_lazy("Unknown role: %(role)s."),
                params={"role": role},
                field="role",
            )
        ]
    if role == Role.SECRETARY and not organisation.holds_members:
        return [
            Refusal(
                code="secretary_on_cell",
                message=gettext_lazy("A cell secretary's role is held on a cell."),
                field="organisation",
            )
        ]
    return []


def check_grant_role(*, by: Actor, user: Any, organisation: Organisation, role: str) -> list[Refusal]:
    """May ``by`` give ``user`` ``role`` on ``organisation``?"""
    refused = permission_refusals(by, Perm.MANAGE_ROLES, organisation.path)
    if refused:
        return refused
    refusals = _role_refusals(organisation, role)
    if refusals:
        return refusals
    if RoleGrant.objects.filter(
        user=user, organisation=organisation, role=role, ends_on__isnull=True
    ).exists():
        refusals.append(
            Refusal(
                code="role_already_held",
                message=gettext_lazy("This user already holds this role here."),
                field="role",
            )
        )
    return refusals


@transaction.atomic
def grant_role(
    *, by: Actor, user: Any, organisation: Organisation, role: str, starts_on: dt.date | None = None
) -> RoleGrant:
    """Give ``user`` ``role`` on ``organisation`` (and so its subtree)."""
    refuse_if_any(check_grant_role(by=by, user=user, organisation=organisation, role=role))
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


def check_revoke_role(*, by: Actor, grant: RoleGrant, ends_on: dt.date | None = None) -> list[Refusal]:
    """May ``by`` end ``grant`` on ``ends_on`` (today by default)?"""
    refused = permission_refusals(by, Perm.MANAGE_ROLES, grant.organisation.path)
    if refused:
        return refused
    if grant.ends_on is not None:
        return [Refusal(code="role_already_ended", message=gettext_lazy("This role has already ended."))]
    if (ends_on or timezone.localdate()) < grant.starts_on:
        return [
            Refusal(
                code="role_ends_before_start",
                message=gettext_lazy("A role cannot end before it starts."),
                field="ends_on",
            )
        ]
    return []


@transaction.atomic
def revoke_role(*, by: Actor, grant: RoleGrant, ends_on: dt.date | None = None) -> RoleGrant:
    """End a role grant (kept for the history)."""
    refuse_if_any(check_revoke_role(by=by, grant=grant, ends_on=ends_on))
    grant.ends_on = ends_on or timezone.localdate()
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


# --- Linking a sign-in account to a member ------------------------------------------------


def check_link_account(*, by: Actor, member, user) -> list[Refusal]:
    """May ``by`` let ``user`` sign in as ``member``?

    Linking is an administrator's action (it hands someone a member's record and their
    self-assessment); nobody links their own account; a link never replaces another
    (end the old one first), and an account stands for one member only. The messages
    name neither the other member nor whether an account exists elsewhere."""
    refusals: list[Refusal] = []
    if getattr(by, "pk", None) is not None and by.pk == user.pk:
        refusals.append(
            Refusal(
                code="own_account",
                message=gettext_lazy("You cannot link your own account: another administrator does it."),
                field="user",
            )
        )
    if member.user_id is not None and member.user_id != user.pk:
        refusals.append(
            Refusal(
                code="member_already_linked",
                message=gettext_lazy(
                    "This member already has a sign-in account; end that link before linking another."
                ),
                field="user",
            )
        )
    elif member.user_id == user.pk:
        refusals.append(
            Refusal(
                code="already_linked", message=gettext_lazy("This account is already linked to this member.")
            )
        )
    Member = apps.get_model("members", "Member")
    if Member.objects.filter(user_id=user.pk).exclude(pk=member.pk).exists():
        refusals.append(
            Refusal(
                code="account_already_linked",
                message=gettext_lazy("No account can be linked with this user name."),
                field="user",
            )
        )
    return refusals


@transaction.atomic
def link_account(*, by: Actor, member, user, consent_ref: str, consent_on: dt.date):
    """Let ``user`` sign in as ``member`` to see their own record and answer their
    self-assessment. ``consent_ref`` and ``consent_on`` are the trail of the member's
    own request (the signed form or the letter), kept in the audit entry."""
    require(by, Perm.MANAGE_ROLES, member.organisation.path)
    refusals = check_link_account(by=by, member=member, user=user)
    if not (consent_ref or "").strip():
        refusals.append(
            Refusal(
                code="no_consent",
                message=gettext_lazy("Record the member's request to link this account."),
                field="consent_ref",
            )
        )
    refuse_if_any(refusals)
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    forget_scope(user)
    audit.record(
        by=by,
        action="member.link_account",
        target=member,
        summary=user.username,
        changes={"user": [None, user.username], "consent_ref": consent_ref.strip(), "consent_on": consent_on},
    )
    return member


def check_unlink_account(*, by: Actor, member) -> list[Refusal]:
    """May ``by`` end the link between ``member`` and their sign-in account? An
    administrator of the member's cell (MANAGE_ROLES), and a link to end."""
    refused = permission_refusals(by, Perm.MANAGE_ROLES, member.organisation.path)
    if refused:
        return refused
    if member.user_id is None:
        return [Refusal(code="not_linked", message=gettext_lazy("This member has no sign-in account."))]
    return []


@transaction.atomic
def unlink_account(*, by: Actor, member, reason: str = ""):
    """End the link between ``member`` and their sign-in account (the account stays)."""
    refuse_if_any(check_unlink_account(by=by, member=member))
    user = member.user
    member.user = None
    member.save(update_fields=["user", "updated_at"])
    forget_scope(user)
    audit.record(
        by=by,
        action="member.unlink_account",
        target=member,
        summary=user.username,
        changes={"user": [user.username, None], "reason": reason},
    )
    return member


# --- Two-factor sign-in ---------------------------------------------------------------------


@transaction.atomic
def start_two_factor(*, by: Actor):
    """The user's authenticator device, unconfirmed until a first code is checked
    (``confirm_two_factor``); an earlier unconfirmed one is reused."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    require_actor(by)
    device = TOTPDevice.objects.filter(user=by, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=by, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def confirm_two_factor(*, by: Actor, device, token: str):
    """Confirm ``device`` with a first code from the authenticator app."""
    require_actor(by)
    if device.user_id != by.pk or not device.verify_token(token):
        refuse_if_any(
            [
                Refusal(
                    code="wrong_code", message=gettext_lazy("This code is wrong or too old."), field="token"
                )
            ]
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(by=by, action="user.two_factor_enrol", target=device.user, summary=device.name)
    return device

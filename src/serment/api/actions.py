"""Making and revoking personal access tokens: one audited action each."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serment.core import audit
from serment.core.actors import SYSTEM, Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.scoping import require_actor

from .models import PersonalToken

TOKEN_PREFIX = "smt_"
MAX_DAYS = 366  # a token lives at most a year: an expiring secret limits a leak


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def check_create_token(*, by: Actor, name: str, days: int) -> list[Refusal]:
    refusals: list[Refusal] = []
    if by is SYSTEM or not getattr(by, "pk", None):
        refusals.append(Refusal("token_needs_user", _("A token belongs to a signed-in user.")))
    if not (name or "").strip():
        refusals.append(Refusal("token_name_required", _("Give the token a name."), field="name"))
    if not 1 <= days <= MAX_DAYS:
        refusals.append(
            Refusal(
                "token_lifetime",
                _("A token lives from 1 to %(max)s days."),
                {"max": MAX_DAYS},
                field="days",
            )
        )
    return refusals


@transaction.atomic
def create_token(*, by: Actor, name: str, days: int, read_only: bool) -> tuple[PersonalToken, str]:
    """Make a token for ``by`` itself; returns the row and the secret, shown once."""
    require_actor(by)
    refuse_if_any(check_create_token(by=by, name=name, days=days))
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    token = PersonalToken.objects.create(
        user=by,
        name=name.strip()[:100],
        prefix=raw[:12],
        digest=digest_of(raw),
        read_only=read_only,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(
        by=by,
        action="api.create_token",
        target=token,
        summary=token.name,
        changes={"read_only": read_only, "expires_at": token.expires_at},
    )
    return token, raw


def check_revoke_token(*, by: Actor, token: PersonalToken) -> list[Refusal]:
    if getattr(by, "pk", None) != token.user_id:
        return [Refusal("not_permitted", _("Only its owner revokes a token."))]
    if token.revoked_at is not None:
        return [Refusal("token_already_revoked", _("This token is already revoked."))]
    return []


@transaction.atomic
def revoke_token(*, by: Actor, token: PersonalToken) -> PersonalToken:
    require_actor(by)
    refuse_if_any(check_revoke_token(by=by, token=token))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(by=by, action="api.revoke_token", target=token, summary=token.name)
    return token

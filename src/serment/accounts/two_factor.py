"""Who must sign in with a second factor (a TOTP code from an authenticator app)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from serment.core.scoping import scope_for


def requires_two_factor(user: Any) -> bool:
    """With ``SERMENT_REQUIRE_2FA`` on: superusers, and anyone holding a role listed in
    ``SERMENT_2FA_ROLES`` (administrators and inspection staff) today."""
    if not settings.SERMENT_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(g.role in settings.SERMENT_2FA_ROLES for g in scope_for(user).grants)

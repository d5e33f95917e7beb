"""What the `import` and `export` commands share: who they act as."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from serment.core.scoping import SYSTEM


def acting_user(username: str | None) -> Any:
    """The user named by ``--user``, or the system (the whole tree) without it."""
    if not username:
        return SYSTEM
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"no active user {username!r}") from exc

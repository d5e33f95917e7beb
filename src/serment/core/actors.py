"""Who acts: a signed-in user, or the explicit ``SYSTEM`` (the command line, the demo,
background jobs). ``None`` is never an actor and never skips a check.

Every action takes ``by: Actor``; the action (or its ``check_*``) calls
``core.scoping.require``, which refuses ``None`` with the code ``no_actor``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, Union

if TYPE_CHECKING:  # pragma: no cover
    from django.contrib.auth.models import AbstractBaseUser


class _System:
    """The actor and viewer for command-line work and system jobs: the whole tree."""

    is_authenticated = True
    is_superuser = False
    is_active = True
    pk = None
    username = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"


SYSTEM = _System()

Actor: TypeAlias = Union["AbstractBaseUser", _System]


def is_system(by: Actor) -> bool:
    """True only for the explicit ``SYSTEM`` actor (never for ``None``)."""
    return by is SYSTEM


def is_actor(by: Actor) -> bool:
    """A signed-in user or ``SYSTEM``; ``None`` and anonymous users are not actors."""
    return by is SYSTEM or (by is not None and bool(getattr(by, "is_authenticated", False)))


def user_of(by: Actor) -> Any:
    """The user to store in a "who" column (``decided_by``, ``closed_by``…): the signed-in
    user, or ``None`` for ``SYSTEM``."""
    return by if getattr(by, "pk", None) else None

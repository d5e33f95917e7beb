"""The one scoping mechanism.

Every page, export, report and API endpoint reads records through
``Model.objects.visible_to(user)`` (or ``permitted(user, perm)``). A role held on an
organisation covers its subtree (organisations whose materialised ``path`` starts
with the organisation's path); a member sees their own record. Out-of-scope ids are
therefore a 404 by construction (``get_visible_or_404``).

A subtree is selected with the ``subtree`` lookup (``path__subtree=org.path``, or
``subtree_q(lookup, path)``), never ``__startswith``: on SQLite Django's
``LIKE 'x%' ESCAPE '\\'`` never uses an index, so every scoped query scanned the
whole table and a cell secretary paid what the province pays. ``subtree`` is an
index range on SQLite and a ``LIKE`` prefix served by the ``varchar_pattern_ops``
index on PostgreSQL (docs/benchmarks.md: measured against a ``COLLATE "C"`` range).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, Self

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.lookups import StartsWith
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actors import SYSTEM, Actor, is_actor
from .errors import NotPermitted, Refusal
from .roles import ROLE_PERMISSIONS, Perm

_CACHE_ATTR = "_serment_scope"
NO_ACTOR = gettext_lazy("No one is named as acting; nothing was changed.")
NOT_PERMITTED = gettext_lazy("Your role does not allow this here.")


def subtree_bounds(path: str) -> tuple[str, str]:
    """``(low, high)`` such that ``low <= p < high`` exactly when ``p`` starts with
    ``path``: ``high`` is ``path`` with its last character incremented. Valid for
    materialised paths (ASCII digits and "/", so no character is the largest one)."""
    return path, path[:-1] + chr(ord(path[-1]) + 1)


@models.CharField.register_lookup
class Subtree(StartsWith):
    """``path__subtree=p``: rows whose materialised path lies in the subtree rooted at ``p``.

    SQLite: ``path >= p AND path < p_next`` (byte order), which its path index serves.
    PostgreSQL: the ``LIKE 'p%'`` of ``startswith``, which the ``varchar_pattern_ops``
    index Django makes for an indexed ``CharField`` serves whatever the database's
    collation (a range on the column would need a ``COLLATE "C"`` index of its own,
    and measured no faster). Anything but a plain string falls back to ``startswith``.
    """

    lookup_name = "subtree"

    def as_sql(self, compiler, connection):
        if connection.vendor != "sqlite" or not self.rhs_is_direct_value() or not isinstance(self.rhs, str):
            return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            return f"{lhs_sql} IS NOT NULL", list(lhs_params)
        low, high = subtree_bounds(self.rhs)
        return f"({lhs_sql} >= %s AND {lhs_sql} < %s)", [*lhs_params, low, *lhs_params, high]


def ancestor_paths(path: str) -> list[str]:
    """The materialised paths of ``path``'s organisation and every organisation above it,
    from the root down: ``"1/4/9/"`` gives ``["1/", "1/4/", "1/4/9/"]``."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def subtree_q(lookup: str, path: str) -> Q:
    """``Q`` for rows whose ``lookup`` (a materialised path) lies under ``path``."""
    return Q(**{f"{lookup}__subtree": path})


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int
    path: str
    organisation_name: str


@dataclass(frozen=True)
class Scope:
    grants: tuple[Grant, ...] = ()
    member_id: int | None = None
    permissions_by_path: dict[str, frozenset[str]] = field(default_factory=dict)

    def paths_for(self, perm: str) -> list[str]:
        """Minimal set of subtree roots on which ``perm`` is held."""
        paths = sorted(p for p, perms in self.permissions_by_path.items() if perm in perms)
        roots: list[str] = []
        for p in paths:  # sorted, so an ancestor comes before its descendants
            if not any(p.startswith(r) for r in roots):
                roots.append(p)
        return roots

    def has(self, perm: str, path: str | None = None) -> bool:
        """Does the user hold ``perm`` somewhere (or on the subtree containing ``path``)?"""
        roots = self.paths_for(perm)
        if path is None:
            return bool(roots)
        return any(path.startswith(r) for r in roots)

    @property
    def is_staff_anywhere(self) -> bool:
        return bool(self.grants)


_ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if user is SYSTEM:
        return Scope(permissions_by_path={"": _ALL_PERMISSIONS})
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    Member = apps.get_model("members", "Member")
    today = timezone.localdate()
    rows = (
        RoleGrant.objects.filter(user_id=user.pk)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
        .values_list("role", "organisation_id", "organisation__path", "organisation__name")
    )
    grants = tuple(Grant(role, oid, path, name) for role, oid, path, name in rows)
    perms: dict[str, set[str]] = {}
    for g in grants:
        perms.setdefault(g.path, set()).update(ROLE_PERMISSIONS.get(g.role, ()))
    member_id = Member.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    scope = Scope(
        grants=grants,
        member_id=member_id,
        permissions_by_path={p: frozenset(s) for p, s in perms.items()},
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after a grant changes within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows relate to the organisation tree.

    Subclasses (or models through ``scoped_manager``) set:
    - ``scope_path_lookup``: lookup to the materialised path of the organisation that
      owns the row (``"path"`` on Organisation, ``"organisation__path"`` on Member…);
    - ``scope_member_lookup``: lookup to the member the row belongs to, for the
      member's own access (``"pk"`` on Member, ``"member"`` on history rows), or None;
    - ``self_visible``: whether a member sees their own rows of this model.
    """

    scope_path_lookup: str = "organisation__path"
    scope_member_lookup: str | None = None
    self_visible: bool = True

    def permitted(self, user: Any, perm: str = Perm.VIEW) -> Self:
        """Rows in the subtrees where ``user`` holds ``perm`` (plus their own, for VIEW)."""
        scope = scope_for(user)
        conditions = [subtree_q(self.scope_path_lookup, p) for p in scope.paths_for(perm)]
        if (
            perm == Perm.VIEW
            and self.self_visible
            and self.scope_member_lookup
            and scope.member_id is not None
        ):
            conditions.append(Q(**{self.scope_member_lookup: scope.member_id}))
        if not conditions:
            return self.none()
        return self.filter(reduce(or_, conditions))

    def visible_to(self, user: Any) -> Self:
        return self.permitted(user, Perm.VIEW)


def get_visible_or_404(queryset: ScopedQuerySet, user: Any, perm: str = Perm.VIEW, **lookup):
    """Fetch one row through the scope; anything outside it is a 404."""
    try:
        return queryset.permitted(user, perm).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


def require_actor(by: Actor) -> None:
    """Refuse anything that is not an actor: ``None`` never skips a check."""
    if not is_actor(by):
        raise NotPermitted(_("No one is named as acting; nothing was changed."), code="no_actor")


def permission_refusals(by: Actor, perm: str, path: str | None) -> list[Refusal]:
    """What ``require`` would refuse, as refusals for a ``check_*`` function: ``no_actor``
    for anything that is not an actor, ``not_permitted`` when ``by`` lacks ``perm`` on the
    subtree containing ``path``; empty when ``by`` may act there."""
    if not is_actor(by):
        return [Refusal(code="no_actor", message=NO_ACTOR)]
    if by is SYSTEM or scope_for(by).has(perm, path):
        return []
    return [Refusal(code="not_permitted", message=NOT_PERMITTED)]


def require(user: Actor, perm: str, path: str) -> None:
    """Refuse (403) when ``user`` does not hold ``perm`` on the subtree containing ``path``.

    Actions call this: the view already returned 404 for what the user cannot see,
    so reaching here means the user sees the record but may not change it.
    ``SYSTEM`` (the CLI, the demo, jobs) holds every permission; ``None`` holds none.
    """
    require_actor(user)
    if user is SYSTEM:
        return
    if not scope_for(user).has(perm, path):
        raise NotPermitted(_("Your role does not allow this here."))

"""Reads of the organisation tree."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from serment.core.scoping import scope_for
from serment.members.models import State

from .models import MEMBER_HOLDING_KINDS, Organisation


def roots_for(viewer: Any) -> list[Organisation]:
    """The top organisations of the viewer's scope (where their roles are held)."""
    roots = scope_for(viewer).paths_for("view")
    return list(Organisation.objects.filter(path__in=roots).order_by("path"))


def children_with_counts(viewer: Any, org: Organisation) -> list[Organisation]:
    """Direct children of ``org`` visible to the viewer, each annotated with
    ``member_count`` (current members in its subtree) and ``cell_count``."""
    from serment.members.models import Member

    children = list(org.__class__.objects.visible_to(viewer).filter(parent=org).order_by("kind", "name"))
    if not children:
        return []
    # one grouped query over the subtree: count members per cell, then add up per child
    rows = (
        Member.objects.filter(organisation__path__startswith=org.path)
        .exclude(state=State.LEFT)
        .values("organisation__path")
        .annotate(n=Count("pk"))
    )
    cells = Organisation.objects.filter(path__startswith=org.path, kind__in=MEMBER_HOLDING_KINDS).values_list("path", flat=True)
    by_prefix = {c.path: c for c in children}
    for c in children:
        c.member_count = 0
        c.cell_count = 0
    for r in rows:
        child = _child_for(r["organisation__path"], org, by_prefix)
        if child is not None:
            child.member_count += r["n"]
    for p in cells:
        child = _child_for(p, org, by_prefix)
        if child is not None:
            child.cell_count += 1
    return children


def _child_for(path: str, org: Organisation, by_prefix: dict[str, Organisation]):
    rest = path[len(org.path):]
    seg = rest.split("/", 1)[0]
    return by_prefix.get(f"{org.path}{seg}/") if seg else None


def subtree_counts(org: Organisation) -> dict[str, int]:
    """Totals for the page header of ``org``: members, cells, grassroots organisations."""
    from serment.members.models import Member

    members = Member.objects.filter(organisation__path__startswith=org.path).exclude(state=State.LEFT)
    orgs = Organisation.objects.filter(path__startswith=org.path).aggregate(
        cells=Count("pk", filter=Q(kind__in=MEMBER_HOLDING_KINDS)),
        grassroots=Count("pk", filter=Q(kind__in=["grassroots_committee", "grassroots_cell"])),
    )
    return {"members": members.count(), **orgs}

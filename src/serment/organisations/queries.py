"""Reads of the organisation tree."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from serment.core.roles import Perm
from serment.core.scoping import scope_for
from serment.members.models import State

from .models import ALLOWED_PARENTS, MEMBER_HOLDING_KINDS, Organisation, OrganisationQuerySet


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
        Member.objects.filter(organisation__path__subtree=org.path)
        .exclude(state=State.LEFT)
        .values("organisation__path")
        .annotate(n=Count("pk"))
    )
    cells = Organisation.objects.filter(path__subtree=org.path, kind__in=MEMBER_HOLDING_KINDS).values_list(
        "path", flat=True
    )
    by_prefix = {c.path: c for c in children}
    for c in children:
        c.member_count = 0  # type: ignore[attr-defined]
        c.cell_count = 0  # type: ignore[attr-defined]
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
    rest = path[len(org.path) :]
    seg = rest.split("/", 1)[0]
    return by_prefix.get(f"{org.path}{seg}/") if seg else None


def subtree_counts(org: Organisation) -> dict[str, int]:
    """Totals for the page header of ``org``: members, cells, grassroots organisations."""
    from serment.members.models import Member

    members = Member.objects.filter(organisation__path__subtree=org.path).exclude(state=State.LEFT)
    orgs = Organisation.objects.filter(path__subtree=org.path).aggregate(
        cells=Count("pk", filter=Q(kind__in=MEMBER_HOLDING_KINDS)),
        grassroots=Count("pk", filter=Q(kind__in=["grassroots_committee", "grassroots_cell"])),
    )
    return {"members": members.count(), **orgs}


def picker_for(viewer: Any, selected: Organisation | None = None) -> list[Organisation]:
    """Organisations offered in a filter's organisation picker: those the viewer sees,
    down to two levels below their top organisations (a province admin gets the
    committees and grassroots organisations, not 2,600 cells), plus ``selected``."""
    roots = scope_for(viewer).paths_for(Perm.VIEW)
    if not roots:
        return [selected] if selected else []
    deepest = min(p.count("/") for p in roots) + 1  # a root at depth d has d + 1 ids
    orgs = list(
        Organisation.objects.visible_to(viewer)
        .filter(depth__lte=deepest)
        .only("pk", "name", "code", "kind", "path", "depth")
    )
    if selected is not None and all(o.pk != selected.pk for o in orgs):
        orgs.append(selected)
        orgs.sort(key=lambda o: o.path)
    return orgs


def cells_managed_by(viewer: Any) -> OrganisationQuerySet:
    """Open cells (and grassroots cells) where the viewer may record member changes:
    the destinations a transfer may choose from."""
    return Organisation.objects.permitted(viewer, Perm.MANAGE_MEMBERS).cells().active().order_by("path")


def parents_for_move(viewer: Any, org: Organisation) -> OrganisationQuerySet:
    """Where ``org`` may be moved: open organisations of an allowed parent kind that the
    viewer manages, outside ``org``'s own subtree."""
    return (
        Organisation.objects.permitted(viewer, Perm.MANAGE_ORGANISATIONS)
        .active()
        .filter(kind__in=ALLOWED_PARENTS.get(org.kind, ()))
        .exclude(path__subtree=org.path)
        .exclude(pk=org.parent_id)
        .order_by("path")
    )

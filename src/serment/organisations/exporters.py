"""The organisation export: the tree (or a subtree) the viewer may export, with the
import's columns, parents before children."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from serment.core.roles import Perm

from .importers import COLUMNS
from .models import Organisation

HEADER = [c.key for c in COLUMNS]


def organisation_rows(*, viewer: Any, organisation: Organisation | None = None) -> Iterator[list[Any]]:
    """Rows in ``HEADER`` order for the organisations the viewer may export, within
    ``organisation``'s subtree when given."""
    orgs = Organisation.objects.permitted(viewer, Perm.EXPORT)
    if organisation is not None:
        orgs = orgs.subtree(organisation)
    for r in orgs.order_by("path").values_list("code", "name", "kind", "parent__code", "founded_on"):
        yield list(r[:3]) + [r[3] or "", r[4]]

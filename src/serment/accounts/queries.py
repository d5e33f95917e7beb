"""Reads of role grants, through the scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from serment.organisations.models import Organisation

from .models import RoleGrant


def grants_in_subtree(viewer: Any, org: Organisation, *, include_ended: bool = False):
    """Role grants held on ``org`` and below that the viewer may see; current ones
    unless ``include_ended``."""
    grants = (
        RoleGrant.objects.visible_to(viewer)
        .filter(organisation__path__subtree=org.path)
        .select_related("user", "organisation")
        .order_by("organisation__path", "role", "user__username")
    )
    if not include_ended:
        grants = grants.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
    return grants

"""Rating targets a committee sets for its subtree."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.organisations.models import Organisation

from ..models import RatingTarget


@transaction.atomic
def set_target(
    *,
    by: Actor,
    organisation: Organisation,
    group: str,
    first_year: int,
    last_year: int,
    good_or_better: Decimal,
    source: str = "",
) -> RatingTarget:
    """Record a target share rated good or better for a subtree and span of years."""
    require(by, Perm.RATE, organisation.path)
    if last_year < first_year:
        raise DomainError(_("The last year is before the first."), field="last_year")
    if not (0 <= good_or_better <= 100):
        raise DomainError(_("A share is between 0 and 100."), field="good_or_better")
    overlapping = RatingTarget.objects.filter(
        organisation=organisation, group=group, first_year__lte=last_year, last_year__gte=first_year
    )
    if overlapping.exists():
        raise DomainError(_("A target for these years is already recorded."), field="first_year")
    target = RatingTarget.objects.create(
        organisation=organisation,
        group=group,
        first_year=first_year,
        last_year=last_year,
        good_or_better=good_or_better,
        source=(source or "").strip(),
    )
    audit.record(
        by=by,
        action="ratings.set_target",
        target=target,
        summary=_("Target %(share)s%% good or better, %(first)s–%(last)s.")
        % {"share": good_or_better, "first": first_year, "last": last_year},
    )
    return target

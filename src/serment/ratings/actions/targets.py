"""Rating targets a committee sets for its subtree."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.organisations.models import Organisation

from ..models import RatingTarget


def check_set_target(
    *,
    by: Actor,
    organisation: Organisation,
    group: str = "",
    first_year: int | None = None,
    last_year: int | None = None,
    good_or_better: Decimal | None = None,
) -> list[Refusal]:
    """May ``by`` record this target for ``organisation``'s subtree? RATE on it, years in
    order, a share between 0 and 100, no target of the group overlapping these years."""
    refused = permission_refusals(by, Perm.RATE, organisation.path)
    if refused:
        return refused
    refusals: list[Refusal] = []
    if first_year is not None and last_year is not None and last_year < first_year:
        refusals.append(
            Refusal(
                code="last_year_before_first",
                message=gettext_lazy("The last year is before the first."),
                field="last_year",
            )
        )
    if good_or_better is not None and not (0 <= good_or_better <= 100):
        refusals.append(
            Refusal(
                code="share_out_of_range",
                message=gettext_lazy("A share is between 0 and 100."),
                field="good_or_better",
            )
        )
    if (
        not refusals
        and first_year is not None
        and last_year is not None
        and RatingTarget.objects.filter(
            organisation=organisation, group=group, first_year__lte=last_year, last_year__gte=first_year
        ).exists()
    ):
        refusals.append(
            Refusal(
                code="target_overlaps",
                message=gettext_lazy("A target for these years is already recorded."),
                field="first_year",
            )
        )
    return refusals


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
    refuse_if_any(
        check_set_target(
            by=by,
            organisation=organisation,
            group=group,
            first_year=first_year,
            last_year=last_year,
            good_or_better=good_or_better,
        )
    )
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

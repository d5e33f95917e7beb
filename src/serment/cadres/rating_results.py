"""The rating results the cadre bars read, through one query function."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

NOT_COMPLETED = "not_completed"


def member_rating_results(member_ids: Iterable[int], *, as_of: dt.date) -> dict[int, dict[int, str]]:
    """``{member id: {year: level}}`` of decided ratings (as a member, or as a leader:
    the lower of the two counts) decided on or before ``as_of``."""
    from serment.ratings.models import Rating

    order = {"excellent": 0, "good": 1, "completed": 2, NOT_COMPLETED: 3}
    out: dict[int, dict[int, str]] = defaultdict(dict)
    rows = (
        Rating.objects.filter(
            member_id__in=list(member_ids),
            locked=True,
            subject_kind__in=("member", "leader"),
            decided_on__lte=as_of,
        )
        .exclude(level="")
        .values_list("member_id", "year", "level")
    )
    for member_id, year, level in rows:
        known = out[member_id].get(year)
        if known is None or order.get(level, 0) > order.get(known, 0):
            out[member_id][year] = level
    return dict(out)

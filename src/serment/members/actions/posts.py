"""Posts held: cadre work (``serment.cadres.actions``) owns these actions, which apply
the seat rules and the discipline and rating bars; the names stay importable here
for the member pages and older callers."""

from __future__ import annotations

from typing import Any

from serment.core.errors import Refusal

from ..models import PostHolding


def check_assign_post(**kwargs: Any) -> list[Refusal]:
    """See ``serment.cadres.actions.check_assign_post``."""
    from serment.cadres.actions import check_assign_post as _check_assign_post

    return _check_assign_post(**kwargs)


def assign_post(**kwargs: Any) -> PostHolding:
    """See ``serment.cadres.actions.assign_post``."""
    from serment.cadres.actions import assign_post as _assign_post

    return _assign_post(**kwargs)


def check_end_post(**kwargs: Any) -> list[Refusal]:
    """See ``serment.cadres.actions.check_end_post``."""
    from serment.cadres.actions import check_end_post as _check_end_post

    return _check_end_post(**kwargs)


def end_post(**kwargs: Any) -> PostHolding:
    """See ``serment.cadres.actions.end_post``."""
    from serment.cadres.actions import end_post as _end_post

    return _end_post(**kwargs)

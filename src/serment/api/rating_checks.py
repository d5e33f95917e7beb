"""The checks of the three rating steps, as the API asks them before it calls the step.

``check_self_assess``, ``check_review`` and ``check_decide`` answer with the refusals
of the validators each step's action runs first (who may take the step, whether the
rating is still open, whether the level is one of the four), so the API refuses with a
code before it parses the rest. The action itself runs every rule again (caps, the
quota, the score) and refuses with its code, which the API answers the same way.
"""

from __future__ import annotations

from serment.core.actors import Actor
from serment.core.errors import Refusal, refusals_of
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.ratings.actions._common import _require_level, _require_unlocked
from serment.ratings.actions.rounds import _may_self_assess
from serment.ratings.models import Rating


def _open_and_level(rating: Rating, level: str) -> list[Refusal]:
    return refusals_of(lambda: _require_unlocked(rating)) or refusals_of(
        lambda: _require_level(level, "level")
    )


def check_self_assess(*, by: Actor, rating: Rating, level: str) -> list[Refusal]:
    """May ``by`` write the self-assessment of ``rating`` (the member themself; RATE on
    the organisation for organisations and collectives)?"""
    return refusals_of(lambda: _may_self_assess(by, rating)) or _open_and_level(rating, level)


def check_review(*, by: Actor, rating: Rating, level: str) -> list[Refusal]:
    """May ``by`` enter the collective's review (RATE on the rated organisation)?"""
    return permission_refusals(by, Perm.RATE, rating.organisation.path) or _open_and_level(rating, level)


def check_decide(*, by: Actor, rating: Rating, level: str) -> list[Refusal]:
    """May ``by`` decide (RATE on the round's committee, not merely below it)?"""
    return permission_refusals(by, Perm.RATE, rating.round.organisation.path) or _open_and_level(
        rating, level
    )

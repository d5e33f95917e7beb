"""Rating work (DOMAIN §4). Discipline decisions are recorded in ``serment.inspection``.

Each function is one atomic, audited change. The three steps of a rating are
``self_assess`` (the subject), ``review`` (the collective: RATE on the cell or
organisation) and ``decide`` (the competent committee: RATE on the round's
committee); ``decide_round`` decides a whole round at once. A decided rating is
locked; ``correct_rating`` is the only way to change it, audited with its reason.

The actions are split by topic; import them from here."""

from ._common import MAX_LISTED_REFUSALS, as_refusals
from .history import PastRating, check_import_past_ratings, check_past_ratings, import_past_ratings
from .rounds import check_open_round, open_round, self_assess_permission_refusals
from .steps import (
    check_correct_rating,
    check_decide,
    check_decide_round,
    check_review,
    check_review_many,
    check_self_assess,
    correct_rating,
    decide,
    decide_round,
    review,
    review_many,
    self_assess,
)
from .targets import check_set_target, set_target

__all__ = [
    "MAX_LISTED_REFUSALS",
    "PastRating",
    "as_refusals",
    "check_correct_rating",
    "check_decide",
    "check_decide_round",
    "check_import_past_ratings",
    "check_open_round",
    "check_past_ratings",
    "check_review",
    "check_review_many",
    "check_self_assess",
    "check_set_target",
    "correct_rating",
    "decide",
    "decide_round",
    "import_past_ratings",
    "open_round",
    "review",
    "review_many",
    "self_assess",
    "self_assess_permission_refusals",
    "set_target",
]

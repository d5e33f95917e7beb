"""Rating work (DOMAIN §4). Discipline decisions are recorded in ``serment.inspection``.

Each function is one atomic, audited change. The three steps of a rating are
``self_assess`` (the subject), ``review`` (the collective: RATE on the cell or
organisation) and ``decide`` (the competent committee: RATE on the round's
committee); ``decide_round`` decides a whole round at once. A decided rating is
locked; ``correct_rating`` is the only way to change it, audited with its reason.

The actions are split by topic; import them from here."""

from ._common import MAX_LISTED_REFUSALS
from .history import PastRating, check_past_ratings, import_past_ratings
from .rounds import open_round
from .steps import correct_rating, decide, decide_round, review, review_many, self_assess
from .targets import set_target

__all__ = [
    "MAX_LISTED_REFUSALS",
    "PastRating",
    "check_past_ratings",
    "correct_rating",
    "decide",
    "decide_round",
    "import_past_ratings",
    "open_round",
    "review",
    "review_many",
    "self_assess",
    "set_target",
]

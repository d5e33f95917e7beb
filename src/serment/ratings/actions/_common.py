"""Helpers and validators shared by the ratings actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from serment.core.errors import Refusal, Refused, refuse_if_any

from .. import policies
from ..models import Rating
from ..policies import Level

MAX_LISTED_REFUSALS = 10


def _today() -> dt.date:
    return timezone.localdate()


def as_refusals(
    refusals: Sequence[policies.Refusal], *, field: str | None = None, source: str = ""
) -> list[Refusal]:
    """The rules engine's refusals (``policies.Refusal``: rule, message, keys) as the
    ``core.errors.Refusal``s a ``check_*`` function returns, the rule as the code."""
    return [Refusal(code=r.rule, message=r.message, source=source, field=field) for r in refusals]


def _refuse(refusals: Sequence[Refusal]) -> None:
    """``refuse_if_any``, its message naming the first few refusals in full (a whole
    round may break a rule thousands of times; ``exc.refusals`` keeps every one)."""
    try:
        refuse_if_any(refusals)
    except Refused as exc:
        if len(refusals) > MAX_LISTED_REFUSALS:
            more = len(refusals) - MAX_LISTED_REFUSALS
            lines = [r.text for r in refusals[:MAX_LISTED_REFUSALS]]
            lines.append(
                ngettext("… and %(n)d more refusal.", "… and %(n)d more refusals.", more) % {"n": more}
            )
            exc.message = " ".join(lines)
            exc.args = (exc.message,)
        raise


def level_refusals(level: str, field: str = "level") -> list[Refusal]:
    if level not in Level.values:
        return [Refusal(code="level_required", message=gettext_lazy("Choose a level."), field=field)]
    return []


def locked_refusals(rating: Rating) -> list[Refusal]:
    if rating.locked:
        return [
            Refusal(
                code="rating_locked",
                message=gettext_lazy(
                    "This rating is decided and locked; only an audited correction can change it."
                ),
            )
        ]
    return []


def _lock(rating: Rating) -> Rating:
    return (
        Rating.objects.select_for_update(of=("self",))
        .select_related("round__organisation", "organisation", "member")
        .get(pk=rating.pk)
    )


# Rounds ---------------------------------------------------------------------

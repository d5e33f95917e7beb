"""Helpers and validators shared by the ratings actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from serment.core.errors import DomainError

from ..models import Rating
from ..policies import (
    Level,
    Refusal,
)

MAX_LISTED_REFUSALS = 10


def _today() -> dt.date:
    return timezone.localdate()


def _refuse(refusals: Sequence[Refusal], field: str | None = None) -> None:
    """Raise one DomainError naming every broken rule (the first few in full)."""
    if not refusals:
        return
    lines = [r.message for r in refusals[:MAX_LISTED_REFUSALS]]
    if len(refusals) > MAX_LISTED_REFUSALS:
        more = len(refusals) - MAX_LISTED_REFUSALS
        lines.append(ngettext("… and %(n)d more refusal.", "… and %(n)d more refusals.", more) % {"n": more})
    raise DomainError(" ".join(lines), field=field, code=refusals[0].rule)


def _require_level(level: str, field: str) -> str:
    if level not in Level.values:
        raise DomainError(_("Choose a level."), field=field)
    return level


def _require_unlocked(rating: Rating) -> None:
    if rating.locked:
        raise DomainError(_("This rating is decided and locked; only an audited correction can change it."))


def _lock(rating: Rating) -> Rating:
    return (
        Rating.objects.select_for_update(of=("self",))
        .select_related("round__organisation", "organisation", "member")
        .get(pk=rating.pk)
    )


# Rounds ---------------------------------------------------------------------

"""The discipline decisions the cadre bars read, behind one function.

The inspection app's register offers ``serment.inspection.queries.member_disciplines``
with this same signature and ``in_force``; until it is on main, this module reads
``ratings.models.Discipline`` (the register the rating rules use today). The
integrator switches the two imports below and nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from serment.members.rules import add_months

# Quy định 69-QĐ/TW (2022): a decision lapses 12 months after it is announced,
# expulsion never does.
LAPSE_MONTHS = 12
NEVER_LAPSES = ("expulsion",)


@dataclass(frozen=True)
class DisciplineFact:
    decision_id: int
    member_id: int | None
    organisation_id: int | None
    form: str  # reprimand, warning, dismissal, expulsion, dissolution
    decided_on: dt.date
    announced_on: dt.date
    lapses_on: dt.date | None  # None: never
    document_ref: str
    deciding_body: str
    self_detected: bool


def in_force(fact: DisciplineFact, on: dt.date) -> bool:
    """Announced on or before ``on`` and not yet lapsed."""
    return fact.announced_on <= on and (fact.lapses_on is None or on < fact.lapses_on)


def member_disciplines(member_ids: Iterable[int], *, as_of: dt.date) -> dict[int, list[DisciplineFact]]:
    """Decisions on these members decided on or before ``as_of``, oldest first."""
    from serment.ratings.models import Discipline

    out: dict[int, list[DisciplineFact]] = defaultdict(list)
    rows = (
        Discipline.objects.filter(member_id__in=list(member_ids), decided_on__lte=as_of)
        .order_by("decided_on", "pk")
        .values_list(
            "pk",
            "member_id",
            "unit_id",
            "form",
            "decided_on",
            "document_ref",
            "deciding_body",
            "self_detected",
        )
    )
    for pk, member_id, unit_id, form, decided_on, ref, body, self_detected in rows:
        lapses = None if form in NEVER_LAPSES else add_months(decided_on, LAPSE_MONTHS)
        out[member_id].append(
            DisciplineFact(
                pk, member_id, unit_id, form, decided_on, decided_on, lapses, ref, body, self_detected
            )
        )
    return dict(out)

"""Decided ratings of past years, imported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor, user_of
from serment.core.errors import Refusal
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.organisations.models import COMMITTEE_KINDS, Organisation

from .. import facts, policies
from ..models import Rating, RatingRound
from ._common import _refuse, as_refusals
from .rounds import _insert_ratings
from .steps import _quota_refusals_with_decided, _RoundContext

# Imports of past years ------------------------------------------------------


@dataclass(frozen=True)
class PastRating:
    """One decided rating from an earlier year, resolved by the importer."""

    year: int
    subject_kind: str
    organisation_id: int
    committee_id: int
    level: str
    decided_on: dt.date
    member_id: int | None = None
    post: str = ""
    score: Decimal | None = None


def check_past_ratings(rows: Sequence[PastRating]) -> list[tuple[int, policies.Refusal]]:
    """Every rule the imported decisions would break, counted together with the
    decisions already recorded in the same quota groups: ``(row index, refusal)``."""
    out: list[tuple[int, policies.Refusal]] = []
    tree = facts.Tree(None)
    by_year: dict[int, list[int]] = {}
    for i, r in enumerate(rows):
        by_year.setdefault(r.year, []).append(i)
    for year, indexes in sorted(by_year.items()):
        rules = policies.rule_set_for_year(year)
        disciplines = facts.YearDisciplines.load(year)
        ctx = _RoundContext(rules, tree, disciplines, facts.subordinate_counts(tree, disciplines))
        cases = []
        for i in indexes:
            r = rows[i]
            group = tree.quota_group_for(r.subject_kind, r.organisation_id)
            f = facts.RatingFacts(
                pk=("row", i),  # type: ignore[arg-type]  # a file row, not yet a rating
                subject_kind=r.subject_kind,
                member_id=r.member_id,
                organisation_id=r.organisation_id,
                quota_group_id=group,
                score=r.score,
                # past decisions carry the level, not the score sheet's details
                all_tasks_on_time=True,
                tasks_exceeded=Decimal(1),
            )
            cases.append(ctx.case(f, r.level))
        for refusal in ctx.cap_refusals(cases):
            out.append((refusal.keys[0][1], refusal))
        for refusal in _quota_refusals_with_decided(ctx, year, cases, undecided_as_good=False):
            rows_named = [k[1] for k in refusal.keys if isinstance(k, tuple) and k[:1] == ("row",)]
            out.append((rows_named[0] if rows_named else indexes[0], refusal))
    return out


def check_import_past_ratings(*, by: Actor, rows: Sequence[PastRating]) -> list[Refusal]:
    """May these decided ratings of past years be recorded? RATE on each deciding body,
    each a committee, and no rule of each year broken (``check_past_ratings``, counted
    with the decisions already recorded)."""
    committees = list(Organisation.objects.filter(pk__in={r.committee_id for r in rows}).order_by("path"))
    if not committees:
        return permission_refusals(by, Perm.RATE, None)
    for committee in committees:
        refused = permission_refusals(by, Perm.RATE, committee.path)
        if refused:
            return refused
    refusals = [
        Refusal(
            code="not_a_committee",
            message=gettext_lazy("%(org)s is not a committee: only committees decide ratings."),
            params={"org": committee.name},
        )
        for committee in committees
        if committee.kind not in COMMITTEE_KINDS
    ]
    if refusals:
        return refusals
    return as_refusals([r for _i, r in check_past_ratings(rows)])


@transaction.atomic
def import_past_ratings(*, by: Actor, rows: Sequence[PastRating]) -> int:
    """Record decided ratings of earlier years (locked), in bulk, all or nothing.

    The round of each deciding committee and year is opened when missing; the rules
    of each year are applied to the imported decisions together with those already
    recorded, and the whole import is refused when one breaks a rule."""
    committees = {c.pk: c for c in Organisation.objects.filter(pk__in={r.committee_id for r in rows})}
    _refuse(check_import_past_ratings(by=by, rows=rows))
    rounds: dict[tuple[int, int], RatingRound] = {
        (r.organisation_id, r.year): r
        for r in RatingRound.objects.filter(
            organisation_id__in=committees.keys(), year__in={row.year for row in rows}
        )
    }
    tree = facts.Tree(None)
    new_rounds = []
    for key in sorted({(r.committee_id, r.year) for r in rows}):
        if key not in rounds:
            committee_id, year = key
            rnd = RatingRound.objects.create(
                organisation_id=committee_id,
                year=year,
                rule_set=policies.rule_set_for_year(year).code,
                opened_on=min(r.decided_on for r in rows if (r.committee_id, r.year) == key),
                decided_on=max(r.decided_on for r in rows if (r.committee_id, r.year) == key),
            )
            rounds[key] = rnd
            new_rounds.append(rnd)
    decider = user_of(by)
    _insert_ratings(
        [
            Rating(
                round=rounds[(r.committee_id, r.year)],
                year=r.year,
                subject_kind=r.subject_kind,
                member_id=r.member_id,
                organisation_id=r.organisation_id,
                quota_group_id=tree.quota_group_for(r.subject_kind, r.organisation_id),
                post=r.post,
                score=r.score,
                level=r.level,
                decided_by=decider,
                decided_on=r.decided_on,
                locked=True,
            )
            for r in rows
        ]
    )
    counts: dict[tuple[int, int], int] = {}
    for r in rows:
        counts[(r.committee_id, r.year)] = counts.get((r.committee_id, r.year), 0) + 1
    for key, n in sorted(counts.items()):
        audit.record(
            by=by,
            action="ratings.import",
            target=rounds[key],
            summary=_("%(n)d decided ratings imported.") % {"n": n},
        )
    return len(rows)

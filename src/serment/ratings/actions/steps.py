"""The three steps of a rating: self-assess, review, decide; and the audited correction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from serment.core import audit
from serment.core.actors import Actor, user_of
from serment.core.db import refresh_statistics_after_bulk
from serment.core.errors import Refusal
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.members.models import Member

from .. import facts, policies
from ..models import Rating, RatingRound
from ..policies import Level, SubjectKind
from ._common import _lock, _refuse, _today, as_refusals, level_refusals, locked_refusals
from .rounds import self_assess_permission_refusals


def check_self_assess(
    *,
    by: Actor,
    rating: Rating,
    text: str,
    level: str,
    score: Decimal | None = None,
    tasks_exceeded: Decimal | None = None,
    targets_met: Decimal | None = None,
) -> list[Refusal]:
    """May ``by`` write this self-assessment of ``rating`` (step 1)? The member themself
    (organisation staff for an organisation or a collective), while the rating is not
    decided; a text, a level and, under the 2025 rules, the 100-point score."""
    refused = self_assess_permission_refusals(by, rating)
    if refused:
        return refused
    refusals = locked_refusals(rating)
    if refusals:
        return refusals
    refusals += level_refusals(level)
    if not (text or "").strip():
        refusals.append(
            Refusal(code="text_required", message=gettext_lazy("Write the self-assessment."), field="text")
        )
    rules = rating.round.rules
    if rules.scored and rating.subject_kind != SubjectKind.COLLECTIVE and score is None:
        refusals.append(
            Refusal(
                code="score_required",
                message=gettext_lazy("%(rules)s rate on a 100-point score: enter the score."),
                params={"rules": rules.name},
                source=rules.name,
                field="score",
            )
        )
    if score is not None and not (0 <= score <= 100):
        refusals.append(
            Refusal(
                code="score_out_of_range",
                message=gettext_lazy("The score is between 0 and 100."),
                field="score",
            )
        )
    for name, share in (("tasks_exceeded", tasks_exceeded), ("targets_met", targets_met)):
        if share is not None and not (0 <= share <= 1):
            refusals.append(
                Refusal(
                    code="share_out_of_range",
                    message=gettext_lazy("A share is between 0 and 1."),
                    field=name,
                )
            )
    return refusals


@transaction.atomic
def self_assess(
    *,
    by: Actor,
    rating: Rating,
    text: str,
    level: str,
    score: Decimal | None = None,
    all_tasks_on_time: bool | None = None,
    tasks_exceeded: Decimal | None = None,
    targets_met: Decimal | None = None,
    score_sheet: dict | None = None,
    on: dt.date | None = None,
) -> Rating:
    """Step 1: the subject's self-assessment and proposed level (members themselves;
    organisation staff for organisations and collectives). Under the 2025 rules the
    100-point score comes with it."""
    rating = _lock(rating)
    _refuse(
        check_self_assess(
            by=by,
            rating=rating,
            text=text,
            level=level,
            score=score,
            tasks_exceeded=tasks_exceeded,
            targets_met=targets_met,
        )
    )
    before = audit.snapshot(rating, ["self_level", "score"])
    rating.self_assessment = text.strip()
    rating.self_level = level
    rating.score = score
    rating.all_tasks_on_time = all_tasks_on_time
    rating.tasks_exceeded = tasks_exceeded
    rating.targets_met = targets_met
    rating.score_sheet = score_sheet or {}
    rating.self_assessed_on = on or _today()
    rating.save()
    audit.record(
        by=by,
        action="ratings.self_assess",
        target=rating,
        summary=_("Self-assessment: %(level)s.") % {"level": Level(level).label},
        changes=audit.diff(before, audit.snapshot(rating, ["self_level", "score"])),
    )
    return rating


def _ruled_level_refusals(rating: Rating, level: str) -> list[Refusal]:
    """The caps of the round's rules on ``rating`` at ``level`` (refused at review already)."""
    ctx = _RoundContext.load(rating.round.year, rating.round.rules)
    return as_refusals(
        ctx.cap_refusals([ctx.case(rating, level)]), field="level", source=rating.round.rules.name
    )


def check_review(*, by: Actor, rating: Rating, level: str, text: str = "") -> list[Refusal]:
    """May ``by`` record the collective's review of ``rating`` at ``level`` (step 2)? RATE
    on the subject's cell or organisation, while the rating is not decided, a level the
    rules allow the subject (a proposal above its cap is refused here already)."""
    refused = permission_refusals(by, Perm.RATE, rating.organisation.path)
    if refused:
        return refused
    refusals = locked_refusals(rating) or level_refusals(level)
    if refusals:
        return refusals
    return _ruled_level_refusals(rating, level)


@transaction.atomic
def review(*, by: Actor, rating: Rating, text: str, level: str, on: dt.date | None = None) -> Rating:
    """Step 2: the collective (the cell for a member, the organisation above for an
    organisation) reviews and proposes a level. A proposal above what the rules
    allow is refused here already."""
    rating = _lock(rating)
    _refuse(check_review(by=by, rating=rating, level=level, text=text))
    before = audit.snapshot(rating, ["review_level"])
    rating.review = (text or "").strip()
    rating.review_level = level
    rating.reviewed_on = on or _today()
    rating.save(update_fields=["review", "review_level", "reviewed_on"])
    audit.record(
        by=by,
        action="ratings.review",
        target=rating,
        summary=_("Collective review: %(level)s.") % {"level": Level(level).label},
        changes=audit.diff(before, audit.snapshot(rating, ["review_level"])),
    )
    return rating


def check_review_many(*, by: Actor, round: RatingRound, levels: dict[int, str]) -> list[Refusal]:
    """May ``by`` record the collective's levels ``levels`` (rating id → level) of ``round``
    at once? Each rating is in the round, the viewer's to review (RATE on its cell or
    organisation), not decided, and each level is one the rules allow its subject."""
    if not levels:
        return permission_refusals(by, Perm.RATE, round.organisation.path) or [
            Refusal(code="nothing_to_review", message=gettext_lazy("Choose the ratings to review."))
        ]
    rows = list(
        Rating.objects.filter(round=round, pk__in=list(levels)).values_list(
            *facts.CASE_FIELDS, "organisation__path", "locked"
        )
    )
    for path in sorted({row[-2] for row in rows}):
        refused = permission_refusals(by, Perm.RATE, path)
        if refused:
            return refused
    if not rows:
        refused = permission_refusals(by, Perm.RATE, round.organisation.path)
        if refused:
            return refused
    refusals: list[Refusal] = []
    if len(rows) != len(levels):
        refusals.append(
            Refusal(
                code="ratings_not_in_round",
                message=gettext_lazy("Some of these ratings are not in this round."),
            )
        )
    if any(row[-1] for row in rows):
        refusals += locked_refusals(Rating(locked=True))
    for level in sorted(set(levels.values())):
        refusals += level_refusals(level)
    if refusals:
        return refusals
    ctx = _RoundContext.load(round.year, round.rules)
    cases = [ctx.case(facts.RatingFacts(*row[:-2]), levels[row[0]]) for row in rows]
    return as_refusals(ctx.cap_refusals(cases), field="level", source=round.rules.name)


@transaction.atomic
def review_many(*, by: Actor, round: RatingRound, levels: dict[int, str], on: dt.date | None = None) -> int:
    """Step 2 for many subjects at once (a cell's meeting reviewing all its members,
    a committee entering its organisations' proposals): the collective's proposed
    level for each rating id of ``round``. Refused as a whole when one is not the
    viewer's to review, is locked, or is above what the rules allow."""
    rnd = RatingRound.objects.select_related("organisation").get(pk=round.pk)
    list(
        Rating.objects.select_for_update(of=("self",))
        .filter(round=rnd, pk__in=list(levels))
        .values_list("pk")
    )
    _refuse(check_review_many(by=by, round=rnd, levels=levels))
    on = on or _today()
    by_level: dict[str, list[int]] = {}
    for pk, level in levels.items():
        by_level.setdefault(level, []).append(pk)
    for level, pks in by_level.items():
        for start in range(0, len(pks), 5000):
            Rating.objects.filter(pk__in=pks[start : start + 5000]).update(review_level=level, reviewed_on=on)
    audit.record(
        by=by,
        action="ratings.review_many",
        target=rnd,
        summary=_("Collective review of %(n)d subjects.") % {"n": len(levels)},
        changes={level: len(pks) for level, pks in by_level.items()},
    )
    return len(levels)


@dataclass
class _RoundContext:
    """The facts of one year, loaded once for a step or a whole round."""

    rules: policies.RuleSet
    tree: facts.Tree
    disciplines: facts.YearDisciplines
    subordinates: dict[int, tuple[int, int]]

    @classmethod
    def load(cls, year: int, rules: policies.RuleSet) -> _RoundContext:
        tree = facts.Tree(None)
        disciplines = facts.YearDisciplines.load(year)
        return cls(rules, tree, disciplines, facts.subordinate_counts(tree, disciplines))

    member_of: dict[Any, int] = field(default_factory=dict)

    def case(self, rating: Rating | facts.RatingFacts, level: str, name: str = "") -> policies.Case:
        if isinstance(rating, Rating):
            name = name or rating.subject_name
            rating = facts.RatingFacts(*[getattr(rating, f) for f in facts.CASE_FIELDS])
        if rating.member_id is not None:
            self.member_of[rating.pk] = rating.member_id
        return facts.case_for(
            rating,
            level,
            tree=self.tree,
            disciplines=self.disciplines,
            subordinates=self.subordinates,
            name=name,
        )

    def cap_refusals(self, cases: Sequence[policies.Case]) -> list[policies.Refusal]:
        """Cap refusals, members named (their names are read only when refused)."""
        refusals = policies.cap_refusals(self.rules, cases)
        unnamed = {r.keys[0] for r in refusals if r.keys[0] in self.member_of}
        if not unnamed:
            return refusals
        names = dict(
            Member.objects.filter(pk__in={self.member_of[k] for k in unnamed}).values_list("pk", "full_name")
        )
        named = [
            replace(c, name=names.get(self.member_of[c.key], c.name)) if c.key in unnamed else c
            for c in cases
            if c.key in unnamed
        ]
        return [r for r in refusals if r.keys[0] not in unnamed] + policies.cap_refusals(self.rules, named)

    def group_names(self, cases: Sequence[policies.Case]) -> dict[Any, str]:
        return {c.quota_group: self.tree.name(c.quota_group[1]) for c in cases if c.quota_group is not None}


def _decider_refusals(by: Actor, rnd: RatingRound) -> list[Refusal]:
    # The competent committee is the round's: RATE held on it (not merely below it).
    return permission_refusals(by, Perm.RATE, rnd.organisation.path)


def _quota_refusals_with_decided(
    ctx: _RoundContext,
    year: int,
    cases: list[policies.Case],
    exclude: Sequence[int] = (),
    undecided_as_good: bool = True,
) -> list[policies.Refusal]:
    """Quota refusals for ``cases`` counted together with the decisions already made
    in their groups (``exclude``: a decided rating being corrected).

    With ``undecided_as_good``, each rating of the group not yet decided counts as one
    that may still be decided good: the quota must hold for the group as finally decided,
    so deciding one rating at a time does not depend on the order (the first excellent
    of a group is not refused because its goods are decided after it). The last decision
    of a group is checked exactly.
    """
    groups = {c.quota_group[1] for c in cases if c.quota_group is not None}
    if not groups:
        return []
    others = [ctx.case(f, level) for f, level in facts.decided_in_groups(year, groups, exclude=exclude)]
    everything = others + cases
    if undecided_as_good:
        everything += _undecided_as_good(year, groups, exclude=[*exclude, *(c.key for c in cases)])
    return policies.quota_refusals(ctx.rules, everything, ctx.group_names(everything))


def _undecided_as_good(year: int, group_ids: set[int], exclude: Sequence[Any]) -> list[policies.Case]:
    """One stand-in case rated good for each undecided rating of the groups."""
    rows = (
        Rating.objects.filter(year=year, quota_group_id__in=group_ids, level="")
        .filter(subject_kind__in=(SubjectKind.MEMBER, SubjectKind.ORGANISATION))
        .exclude(pk__in=list(exclude))
        .values_list("pk", "subject_kind", "quota_group_id")
    )
    return [
        policies.Case(key=("undecided", pk), kind=kind, level=Level.GOOD, quota_group=(kind, group))
        for pk, kind, group in rows
    ]


def check_decide(*, by: Actor, rating: Rating, level: str) -> list[Refusal]:
    """May ``by`` decide ``rating`` at ``level`` (step 3)? The round's committee, while the
    rating is not decided; refused, naming the rule and the figures, when the level is
    above the subject's cap or would put its quota group over the excellent quota
    (counted with the group's decisions, its undecided ratings as ones that may still
    be decided good: the order of the decisions does not matter)."""
    refused = _decider_refusals(by, rating.round)
    if refused:
        return refused
    refusals = locked_refusals(rating) or level_refusals(level)
    if refusals:
        return refusals
    rules = rating.round.rules
    ctx = _RoundContext.load(rating.year, rules)
    case = ctx.case(rating, level)
    return as_refusals(ctx.cap_refusals([case]), field="level", source=rules.name) or as_refusals(
        _quota_refusals_with_decided(ctx, rating.year, [case]), field="level", source=rules.name
    )


@transaction.atomic
def decide(*, by: Actor, rating: Rating, level: str, on: dt.date | None = None) -> Rating:
    """Step 3: the competent committee decides the level; the rating is then locked.

    Refused (``check_decide``), naming the rule and the figures, when the level is above
    the subject's cap or would put its quota group over the excellent quota."""
    rating = _lock(rating)
    _refuse(check_decide(by=by, rating=rating, level=level))
    rating.level = level
    rating.decided_by = user_of(by)
    rating.decided_on = on or _today()
    rating.locked = True
    rating.save(update_fields=["level", "decided_by", "decided_on", "locked"])
    audit.record(
        by=by,
        action="ratings.decide",
        target=rating,
        summary=_("Decided: %(level)s.") % {"level": Level(level).label},
        changes={"level": ["", level]},
    )
    return rating


def _round_cases(rnd: RatingRound) -> tuple[_RoundContext | None, list[policies.Case], int]:
    """The undecided ratings of ``rnd`` as cases at their proposed level, and how many
    have no proposal."""
    pending = list(
        Rating.objects.filter(round=rnd, locked=False).values_list(
            *facts.CASE_FIELDS, "review_level", "self_level"
        )
    )
    missing = sum(1 for row in pending if not (row[-2] or row[-1]))
    if missing:
        return None, [], missing
    ctx = _RoundContext.load(rnd.year, rnd.rules)
    return ctx, [ctx.case(facts.RatingFacts(*row[:-2]), row[-2] or row[-1]) for row in pending], 0


def _check_round_cases(
    by: Actor, rnd: RatingRound, ctx: _RoundContext | None, cases: list[policies.Case], missing: int
) -> list[Refusal]:
    refused = _decider_refusals(by, rnd)
    if refused:
        return refused
    if rnd.decided_on is not None and not cases and not missing:
        return [Refusal(code="round_decided", message=gettext_lazy("This round is already decided."))]
    if missing:
        return [
            Refusal(
                code="no_proposed_level",
                message=ngettext(
                    "%(n)d rating has no proposed level yet.",
                    "%(n)d ratings have no proposed level yet.",
                    missing,
                ),
                params={"n": missing},
            )
        ]
    assert ctx is not None
    return as_refusals(ctx.cap_refusals(cases), source=rnd.rules.name) or as_refusals(
        _quota_refusals_with_decided(ctx, rnd.year, cases), source=rnd.rules.name
    )


def check_decide_round(*, by: Actor, round: RatingRound) -> list[Refusal]:
    """May ``by`` decide every undecided rating of ``round`` at its proposed level? The
    round's committee; every rating has a proposal; no decision breaks a rule (caps,
    then the quota counted with the decisions already made)."""
    refused = _decider_refusals(by, round)
    if refused:
        return refused
    return _check_round_cases(by, round, *_round_cases(round))


@transaction.atomic
def decide_round(*, by: Actor, round: RatingRound, on: dt.date | None = None) -> int:
    """Decide every undecided rating of ``round`` at its proposed level (the
    collective's, else the subject's own), all rules applied to all at once.

    Refused as a whole (``check_decide_round``) when a rating has no proposal, or when
    any decision would break a rule; the message names each rule and its figures.
    Returns how many ratings were decided. A few queries whatever the size of the round.
    """
    rnd = RatingRound.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=round.pk)
    refused = _decider_refusals(by, rnd)
    _refuse(refused)
    on = on or _today()
    ctx, cases, missing = _round_cases(rnd)
    _refuse(_check_round_cases(by, rnd, ctx, cases, missing))
    decider = user_of(by)
    by_level: dict[str, list[Any]] = {}
    for case in cases:
        by_level.setdefault(case.level, []).append(case.key)
    for level, pks in by_level.items():
        for start in range(0, len(pks), 5000):
            Rating.objects.filter(pk__in=pks[start : start + 5000]).update(
                level=level, decided_by=decider, decided_on=on, locked=True
            )
    refresh_statistics_after_bulk(Rating, len(cases))  # the levels the reports count changed
    rnd.decided_on = on
    rnd.save(update_fields=["decided_on"])
    audit.record(
        by=by,
        action="ratings.decide_round",
        target=rnd,
        summary=_("Round %(year)s decided for %(org)s: %(n)d ratings.")
        % {"year": rnd.year, "org": rnd.organisation.name, "n": len(cases)},
        changes={level: len(pks) for level, pks in by_level.items()},
    )
    return len(cases)


def check_correct_rating(*, by: Actor, rating: Rating, level: str, reason: str) -> list[Refusal]:
    """May ``by`` change the decided ``rating`` to ``level`` for ``reason``? The round's
    committee, a decided rating, a reason, another level, and the rules checked again
    (the quota counted without the rating's old decision)."""
    refused = _decider_refusals(by, rating.round)
    if refused:
        return refused
    if not rating.locked:
        return [
            Refusal(
                code="not_decided",
                message=gettext_lazy("This rating is not decided yet; decide it instead."),
            )
        ]
    refusals = level_refusals(level)
    if not (reason or "").strip():
        refusals.append(
            Refusal(
                code="reason_required",
                message=gettext_lazy("Give the reason for the correction."),
                field="reason",
            )
        )
    if level == rating.level:
        refusals.append(
            Refusal(
                code="same_level", message=gettext_lazy("The rating already has this level."), field="level"
            )
        )
    if refusals:
        return refusals
    rules = rating.round.rules
    ctx = _RoundContext.load(rating.year, rules)
    case = ctx.case(rating, level)
    return as_refusals(ctx.cap_refusals([case]), field="level", source=rules.name) or as_refusals(
        _quota_refusals_with_decided(ctx, rating.year, [case], exclude=[rating.pk]),
        field="level",
        source=rules.name,
    )


@transaction.atomic
def correct_rating(
    *, by: Actor, rating: Rating, level: str, reason: str, on: dt.date | None = None
) -> Rating:
    """Change a decided rating: the competent committee, with a reason, audited;
    the rules are checked again."""
    rating = _lock(rating)
    _refuse(check_correct_rating(by=by, rating=rating, level=level, reason=reason))
    old = rating.level
    rating.level = level
    rating.decided_by = user_of(by)
    rating.decided_on = on or _today()
    rating.save(update_fields=["level", "decided_by", "decided_on"])
    audit.record(
        by=by,
        action="ratings.correct",
        target=rating,
        summary=_("Corrected: %(reason)s") % {"reason": reason.strip()},
        changes={"level": [old, level]},
    )
    return rating

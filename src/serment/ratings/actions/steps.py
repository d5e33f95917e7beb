"""The three steps of a rating: self-assess, review, decide; and the audited correction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from serment.core import audit
from serment.core.actors import Actor, user_of
from serment.core.db import refresh_statistics_after_bulk
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.members.models import Member

from .. import facts, policies
from ..models import Rating, RatingRound
from ..policies import (
    Level,
    Refusal,
    SubjectKind,
)
from ._common import _lock, _refuse, _require_level, _require_unlocked, _today
from .rounds import _may_self_assess


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
    _may_self_assess(by, rating)
    _require_unlocked(rating)
    _require_level(level, "level")
    if not (text or "").strip():
        raise DomainError(_("Write the self-assessment."), field="text")
    if rating.round.rules.scored and rating.subject_kind != SubjectKind.COLLECTIVE and score is None:
        raise DomainError(
            _("%(rules)s rate on a 100-point score: enter the score.") % {"rules": rating.round.rules.name},
            field="score",
        )
    if score is not None and not (0 <= score <= 100):
        raise DomainError(_("The score is between 0 and 100."), field="score")
    for name, share in (("tasks_exceeded", tasks_exceeded), ("targets_met", targets_met)):
        if share is not None and not (0 <= share <= 1):
            raise DomainError(_("A share is between 0 and 1."), field=name)
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


@transaction.atomic
def review(*, by: Actor, rating: Rating, text: str, level: str, on: dt.date | None = None) -> Rating:
    """Step 2: the collective (the cell for a member, the organisation above for an
    organisation) reviews and proposes a level. A proposal above what the rules
    allow is refused here already."""
    rating = _lock(rating)
    require(by, Perm.RATE, rating.organisation.path)
    _require_unlocked(rating)
    _require_level(level, "level")
    ctx = _RoundContext.load(rating.round.year, rating.round.rules)
    _refuse(ctx.cap_refusals([ctx.case(rating, level)]), field="level")
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


@transaction.atomic
def review_many(*, by: Actor, round: RatingRound, levels: dict[int, str], on: dt.date | None = None) -> int:
    """Step 2 for many subjects at once (a cell's meeting reviewing all its members,
    a committee entering its organisations' proposals): the collective's proposed
    level for each rating id of ``round``. Refused as a whole when one is not the
    viewer's to review, is locked, or is above what the rules allow."""
    rnd = RatingRound.objects.select_related("organisation").get(pk=round.pk)
    rows = list(
        Rating.objects.select_for_update(of=("self",))
        .filter(round=rnd, pk__in=list(levels))
        .values_list(*facts.CASE_FIELDS, "organisation__path", "locked")
    )
    if len(rows) != len(levels):
        raise DomainError(_("Some of these ratings are not in this round."))
    for path in {row[-2] for row in rows}:
        require(by, Perm.RATE, path)
    if any(row[-1] for row in rows):
        raise DomainError(_("This rating is decided and locked; only an audited correction can change it."))
    for level in set(levels.values()):
        _require_level(level, "level")
    ctx = _RoundContext.load(rnd.year, rnd.rules)
    cases = [ctx.case(facts.RatingFacts(*row[:-2]), levels[row[0]]) for row in rows]
    _refuse(ctx.cap_refusals(cases), field="level")
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

    def cap_refusals(self, cases: Sequence[policies.Case]) -> list[Refusal]:
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


def _require_decider(by: Actor, rnd: RatingRound) -> None:
    # The competent committee is the round's: RATE held on it (not merely below it).
    require(by, Perm.RATE, rnd.organisation.path)


def _quota_refusals_with_decided(
    ctx: _RoundContext,
    year: int,
    cases: list[policies.Case],
    exclude: Sequence[int] = (),
    undecided_as_good: bool = True,
) -> list[Refusal]:
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


@transaction.atomic
def decide(*, by: Actor, rating: Rating, level: str, on: dt.date | None = None) -> Rating:
    """Step 3: the competent committee decides the level; the rating is then locked.

    Refused, naming the rule and the figures, when the level is above the subject's
    cap or would put its quota group over the excellent quota (counted against the
    decisions already made in the group)."""
    rating = _lock(rating)
    _require_decider(by, rating.round)
    _require_unlocked(rating)
    _require_level(level, "level")
    ctx = _RoundContext.load(rating.year, rating.round.rules)
    case = ctx.case(rating, level)
    _refuse(ctx.cap_refusals([case]), field="level")
    _refuse(_quota_refusals_with_decided(ctx, rating.year, [case]), field="level")
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


@transaction.atomic
def decide_round(*, by: Actor, round: RatingRound, on: dt.date | None = None) -> int:
    """Decide every undecided rating of ``round`` at its proposed level (the
    collective's, else the subject's own), all rules applied to all at once.

    Refused as a whole when a rating has no proposal, or when any decision would
    break a rule; the message names each rule and its figures. Returns how many
    ratings were decided. A few queries whatever the size of the round.
    """
    rnd = RatingRound.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=round.pk)
    _require_decider(by, rnd)
    on = on or _today()
    pending = list(
        Rating.objects.filter(round=rnd, locked=False).values_list(
            *facts.CASE_FIELDS, "review_level", "self_level"
        )
    )
    missing = sum(1 for row in pending if not (row[-2] or row[-1]))
    if missing:
        raise DomainError(
            ngettext(
                "%(n)d rating has no proposed level yet.",
                "%(n)d ratings have no proposed level yet.",
                missing,
            )
            % {"n": missing}
        )
    ctx = _RoundContext.load(rnd.year, rnd.rules)
    cases = [ctx.case(facts.RatingFacts(*row[:-2]), row[-2] or row[-1]) for row in pending]
    _refuse(ctx.cap_refusals(cases))
    _refuse(_quota_refusals_with_decided(ctx, rnd.year, cases))
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


@transaction.atomic
def correct_rating(
    *, by: Actor, rating: Rating, level: str, reason: str, on: dt.date | None = None
) -> Rating:
    """Change a decided rating: the competent committee, with a reason, audited;
    the rules are checked again."""
    rating = _lock(rating)
    _require_decider(by, rating.round)
    if not rating.locked:
        raise DomainError(_("This rating is not decided yet; decide it instead."))
    _require_level(level, "level")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the correction."), field="reason")
    if level == rating.level:
        raise DomainError(_("The rating already has this level."), field="level")
    ctx = _RoundContext.load(rating.year, rating.round.rules)
    case = ctx.case(rating, level)
    _refuse(ctx.cap_refusals([case]), field="level")
    _refuse(_quota_refusals_with_decided(ctx, rating.year, [case], exclude=[rating.pk]), field="level")
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

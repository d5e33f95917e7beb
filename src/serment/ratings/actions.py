"""Rating work (DOMAIN §4) and the discipline decisions its rules read.

Each function is one atomic, audited change. The three steps of a rating are
``self_assess`` (the subject), ``review`` (the collective: RATE on the cell or
organisation) and ``decide`` (the competent committee: RATE on the round's
committee); ``decide_round`` decides a whole round at once. A decided rating is
locked; ``correct_rating`` is the only way to change it, audited with its reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from serment.core import audit
from serment.core.actors import Actor
from serment.core.db import refresh_statistics_after_bulk
from serment.core.errors import DomainError, NotPermitted
from serment.core.roles import Perm
from serment.core.scoping import SYSTEM, require, scope_for
from serment.members.models import Member
from serment.organisations.models import COMMITTEE_KINDS, Organisation

from . import facts, policies
from .models import Discipline, Rating, RatingRound, RatingTarget
from .policies import (
    MEMBER_DISCIPLINE_FORMS,
    ORGANISATION_DISCIPLINE_FORMS,
    Level,
    Refusal,
    SubjectKind,
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


@transaction.atomic
def open_round(*, by: Actor, organisation: Organisation, year: int, on: dt.date | None = None) -> RatingRound:
    """Open the rating of ``organisation``'s subtree for ``year``: one rating row for
    each member rated that year, each organisation below, each committee's
    leadership collective and each secretary or deputy secretary. Subjects already
    rated that year in another round are left to it."""
    require(by, Perm.RATE, organisation.path)
    if organisation.kind not in COMMITTEE_KINDS:
        raise DomainError(
            _("%(org)s is not a committee: only committees decide ratings.") % {"org": organisation.name},
            field="organisation",
        )
    on = on or _today()
    if year < policies.RULE_SETS[0].effective_from.year:
        raise DomainError(_("No rating rules are recorded for %(year)s.") % {"year": year}, field="year")
    if year > on.year:
        raise DomainError(_("A year cannot be rated before it begins."), field="year")
    if RatingRound.objects.filter(organisation=organisation, year=year).exists():
        raise DomainError(
            _("%(org)s already has a rating round for %(year)s.") % {"org": organisation.name, "year": year},
            field="year",
        )
    rules = policies.rule_set_for_year(year)
    rnd = RatingRound.objects.create(organisation=organisation, year=year, rule_set=rules.code, opened_on=on)
    tree = facts.Tree(organisation)
    taken = _already_rated(year)
    new: list[Rating] = []

    def add(kind: str, org_id: int, member_id: int | None = None, post: str = "") -> None:
        key = (kind, member_id, org_id if kind != SubjectKind.MEMBER else None)
        if key in taken:
            return
        taken.add(key)
        group_pk = org_id if kind != SubjectKind.MEMBER else org_id
        new.append(
            Rating(
                round=rnd,
                year=year,
                subject_kind=kind,
                member_id=member_id,
                organisation_id=org_id,
                quota_group_id=tree.quota_group_for(kind, group_pk),
                post=post,
            )
        )

    for member_id, cell_id in facts.rated_members(organisation, year).items():
        add(SubjectKind.MEMBER, cell_id, member_id)
    for org_id, kind in facts.rated_organisations(organisation, year):
        add(SubjectKind.ORGANISATION, org_id)
        if kind in COMMITTEE_KINDS:
            add(SubjectKind.COLLECTIVE, org_id)
    for member_id, org_id, post in facts.leaders(organisation, year):
        add(SubjectKind.LEADER, org_id, member_id, post)
    _insert_ratings(new)
    audit.record(
        by=by,
        action="ratings.open_round",
        target=rnd,
        summary=_("Rating round %(year)s opened for %(org)s: %(n)d subjects (%(rules)s).")
        % {"year": year, "org": organisation.name, "n": len(new), "rules": rules.name},
    )
    return rnd


def _insert_ratings(ratings: Sequence[Rating]) -> None:
    """Insert many new ratings in one ``executemany``.

    ``bulk_create`` spends most of its time preparing each of the 23 values of each
    row (13 s for a province's 42,000 ratings on SQLite, where a batch holds 45
    rows); the values here are plain already, so the driver takes them as they are.
    """
    fields = [f for f in Rating._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Rating._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )

    def plain(rating: Rating, f) -> Any:
        value = getattr(rating, f.attname)
        if isinstance(f, models.JSONField):
            return json.dumps(value)
        if isinstance(value, Decimal):
            return str(value)
        return value

    with connection.cursor() as cursor:
        for start in range(0, len(ratings), 5000):
            cursor.executemany(
                sql, [tuple(plain(r, f) for f in fields) for r in ratings[start : start + 5000]]
            )
    refresh_statistics_after_bulk(Rating, len(ratings))


def _already_rated(year: int) -> set[tuple[str, int | None, int | None]]:
    taken = set()
    for kind, member_id, org_id in Rating.objects.filter(year=year).values_list(
        "subject_kind", "member_id", "organisation_id"
    ):
        taken.add((kind, member_id, org_id if kind != SubjectKind.MEMBER else None))
    return taken


# The three steps --------------------------------------------------------------


def _may_self_assess(by: Actor, rating: Rating) -> None:
    if by is SYSTEM:
        return
    if rating.subject_kind in (SubjectKind.MEMBER, SubjectKind.LEADER):
        if scope_for(by).member_id != rating.member_id:
            raise NotPermitted(_("Only the member themself fills their self-assessment."))
        return
    require(by, Perm.RATE, rating.organisation.path)


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
    ctx: _RoundContext, year: int, cases: list[policies.Case], exclude: Sequence[int] = ()
) -> list[Refusal]:
    """Quota refusals for ``cases`` counted together with the decisions already made
    in their groups (``exclude``: a decided rating being corrected)."""
    groups = {c.quota_group[1] for c in cases if c.quota_group is not None}
    if not groups:
        return []
    others = [ctx.case(f, level) for f, level in facts.decided_in_groups(year, groups, exclude=exclude)]
    everything = others + cases
    return policies.quota_refusals(ctx.rules, everything, ctx.group_names(everything))


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
    rating.decided_by = by if getattr(by, "pk", None) else None
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
    rnd = RatingRound.objects.select_for_update().select_related("organisation").get(pk=round.pk)
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
    decider = by if getattr(by, "pk", None) else None
    by_level: dict[str, list[int]] = {}
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
    rating.decided_by = by if getattr(by, "pk", None) else None
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


# Discipline -----------------------------------------------------------------


def require_discipline_right(by: Actor, path: str) -> None:
    """Inspection staff, or the committee staff who rate (they hold RATE)."""
    if by is SYSTEM:
        return
    scope = scope_for(by)
    if not (scope.has(Perm.INSPECTION, path) or scope.has(Perm.RATE, path)):
        raise NotPermitted(_("Your role does not allow this here."))


def validate_discipline(
    *,
    member: Member | None,
    organisation: Organisation | None,
    form: str,
    decided_on: dt.date | None,
    deciding_body: str,
    today: dt.date | None = None,
) -> None:
    if (member is None) == (organisation is None):
        raise DomainError(_("Name either a member or an organisation."), field="member")
    allowed = MEMBER_DISCIPLINE_FORMS if member is not None else ORGANISATION_DISCIPLINE_FORMS
    if form not in allowed:
        raise DomainError(
            _("%(form)s is not a form of discipline for %(whom)s.")
            % {"form": form, "whom": _("a member") if member is not None else _("an organisation")},
            field="form",
        )
    if decided_on is None:
        raise DomainError(_("Enter the date of the decision."), field="decided_on")
    if decided_on > (today or _today()):
        raise DomainError(_("The decision cannot be dated in the future."), field="decided_on")
    if not (deciding_body or "").strip():
        raise DomainError(_("Name the deciding body."), field="deciding_body")


@transaction.atomic
def record_discipline(
    *,
    by: Actor,
    form: str,
    decided_on: dt.date,
    deciding_body: str,
    member: Member | None = None,
    organisation: Organisation | None = None,
    self_detected: bool = False,
    document_ref: str = "",
    reason: str = "",
) -> Discipline:
    """Record a discipline decision on a member or an organisation."""
    validate_discipline(
        member=member,
        organisation=organisation,
        form=form,
        decided_on=decided_on,
        deciding_body=deciding_body,
    )
    unit = member.organisation if member is not None else organisation
    require_discipline_right(by, unit.path)
    discipline = Discipline.objects.create(
        member=member,
        organisation=organisation,
        unit=unit,
        form=form,
        decided_on=decided_on,
        deciding_body=deciding_body.strip(),
        self_detected=self_detected,
        document_ref=(document_ref or "").strip(),
        reason=(reason or "").strip(),
    )
    audit.record(
        by=by,
        action="ratings.record_discipline",
        target=discipline,
        summary=_("%(form)s on %(whom)s, %(date)s.")
        % {"form": discipline.get_form_display(), "whom": discipline.subject, "date": decided_on.isoformat()},
    )
    return discipline


# Targets --------------------------------------------------------------------


@transaction.atomic
def set_target(
    *,
    by: Actor,
    organisation: Organisation,
    group: str,
    first_year: int,
    last_year: int,
    good_or_better: Decimal,
    source: str = "",
) -> RatingTarget:
    """Record a target share rated good or better for a subtree and span of years."""
    require(by, Perm.RATE, organisation.path)
    if last_year < first_year:
        raise DomainError(_("The last year is before the first."), field="last_year")
    if not (0 <= good_or_better <= 100):
        raise DomainError(_("A share is between 0 and 100."), field="good_or_better")
    overlapping = RatingTarget.objects.filter(
        organisation=organisation, group=group, first_year__lte=last_year, last_year__gte=first_year
    )
    if overlapping.exists():
        raise DomainError(_("A target for these years is already recorded."), field="first_year")
    target = RatingTarget.objects.create(
        organisation=organisation,
        group=group,
        first_year=first_year,
        last_year=last_year,
        good_or_better=good_or_better,
        source=(source or "").strip(),
    )
    audit.record(
        by=by,
        action="ratings.set_target",
        target=target,
        summary=_("Target %(share)s%% good or better, %(first)s–%(last)s.")
        % {"share": good_or_better, "first": first_year, "last": last_year},
    )
    return target


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


def check_past_ratings(rows: Sequence[PastRating]) -> list[tuple[int, Refusal]]:
    """Every rule the imported decisions would break, counted together with the
    decisions already recorded in the same quota groups: ``(row index, refusal)``."""
    out: list[tuple[int, Refusal]] = []
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
                pk=("row", i),
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
        for refusal in _quota_refusals_with_decided(ctx, year, cases):
            rows_named = [k[1] for k in refusal.keys if isinstance(k, tuple) and k[:1] == ("row",)]
            out.append((rows_named[0] if rows_named else indexes[0], refusal))
    return out


@transaction.atomic
def import_past_ratings(*, by: Actor, rows: Sequence[PastRating]) -> int:
    """Record decided ratings of earlier years (locked), in bulk, all or nothing.

    The round of each deciding committee and year is opened when missing; the rules
    of each year are applied to the imported decisions together with those already
    recorded, and the whole import is refused when one breaks a rule."""
    committees = {c.pk: c for c in Organisation.objects.filter(pk__in={r.committee_id for r in rows})}
    for committee in committees.values():
        require(by, Perm.RATE, committee.path)
        if committee.kind not in COMMITTEE_KINDS:
            raise DomainError(
                _("%(org)s is not a committee: only committees decide ratings.") % {"org": committee.name}
            )
    refusals = check_past_ratings(rows)
    _refuse([r for _i, r in refusals])
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
    decider = by if getattr(by, "pk", None) else None
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


@dataclass(frozen=True)
class PastDiscipline:
    form: str
    decided_on: dt.date
    deciding_body: str
    member: Member | None = None
    organisation: Organisation | None = None
    self_detected: bool = False
    document_ref: str = ""
    reason: str = ""


@transaction.atomic
def import_disciplines(*, by: Actor, rows: Sequence[PastDiscipline]) -> int:
    """Record discipline decisions in bulk (the importer's rows, validated)."""
    made = []
    for r in rows:
        validate_discipline(
            member=r.member,
            organisation=r.organisation,
            form=r.form,
            decided_on=r.decided_on,
            deciding_body=r.deciding_body,
        )
        unit = r.member.organisation if r.member is not None else r.organisation
        require_discipline_right(by, unit.path)
        made.append(
            Discipline(
                member=r.member,
                organisation=r.organisation,
                unit=unit,
                form=r.form,
                decided_on=r.decided_on,
                deciding_body=r.deciding_body.strip(),
                self_detected=r.self_detected,
                document_ref=r.document_ref.strip(),
                reason=r.reason.strip(),
            )
        )
    Discipline.objects.bulk_create(made, batch_size=2000)
    audit.record_many(
        by=by, action="ratings.record_discipline", targets=made, summary=_("Imported discipline decision.")
    )
    return len(made)

"""The rating rules engine (DOMAIN §4): rule sets as data, and the few functions
that apply them.

A rule set carries the numbers one period's regulations set; the year being
rated chooses the set by its effective date (the rating is made at year end, so
the rule set in force on 31 December). The engine is pure: it reads plain
``Case`` values, never the database, so the rules are tested table by table.

Two kinds of rule:
- a *cap* on one subject (disciplined in the year → not completed; a collective
  whose member was disciplined, or with too many disciplined units or too few
  targets met → not completed; under the 2025 rules the score band and, for
  excellent, all tasks on time and enough exceeded);
- the *quota* on a group: those rated excellent may not exceed a share of
  those rated good within the group (for members: their grassroots organisation).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Discipline forms live in the one discipline register (``serment.inspection``);
# re-exported here because the rating rules read them.
from serment.inspection.policies import (  # noqa: F401 (re-exported)
    DISCIPLINE_SEVERITY,
    MEMBER_DISCIPLINE_FORMS,
    ORGANISATION_DISCIPLINE_FORMS,
    DisciplineForm,
)


class Level(models.TextChoices):
    EXCELLENT = "excellent", gettext_lazy("Excellent (hoàn thành xuất sắc)")
    GOOD = "good", gettext_lazy("Good (hoàn thành tốt)")
    COMPLETED = "completed", gettext_lazy("Completed (hoàn thành)")
    NOT_COMPLETED = "not_completed", gettext_lazy("Not completed (không hoàn thành)")


# Best first; a cap lowers a level to the cap, never raises it.
LEVEL_RANK: dict[str, int] = {Level.EXCELLENT: 3, Level.GOOD: 2, Level.COMPLETED: 1, Level.NOT_COMPLETED: 0}
GOOD_OR_BETTER = (Level.EXCELLENT, Level.GOOD)


class SubjectKind(models.TextChoices):
    MEMBER = "member", gettext_lazy("Member")
    ORGANISATION = "organisation", gettext_lazy("Organisation")
    COLLECTIVE = "collective", gettext_lazy("Leadership collective")
    LEADER = "leader", gettext_lazy("Leader or manager")


@dataclass(frozen=True)
class RuleSet:
    """The numbers of one period's regulations."""

    code: str
    name: str
    effective_from: dt.date
    # Excellent may not exceed this share of those rated good in the quota group;
    # None: no quota. ``quota_setting`` names a Django setting that may switch it off.
    excellent_quota: Decimal | None = Decimal("0.20")
    quota_setting: str | None = None
    # Disciplined in the year → not completed; from 2023, not when the subject
    # detected and remedied the fault itself.
    discipline_caps: bool = True
    self_remedy_exempts: bool = False
    # 2018–2022: a collective with a member disciplined at this severity or above
    # (warning) is not completed.
    collective_member_discipline_severity: int | None = None
    # 2023+: a collective is not completed when more than this share of its
    # subordinate units were disciplined, or it met under this share of its targets.
    collective_units_disciplined_max: Decimal | None = None
    collective_targets_met_min: Decimal | None = None
    # 2025+: the 100-point score and its bands (lowest score of each level).
    score_bands: tuple[tuple[str, int], ...] = ()
    excellent_needs_on_time: bool = False
    excellent_min_exceeded: Decimal | None = None  # share of tasks exceeded, e.g. 0.30

    def __str__(self) -> str:
        return self.name

    @property
    def scored(self) -> bool:
        return bool(self.score_bands)

    def quota(self) -> Decimal | None:
        """The excellent quota in force (a setting may switch an unconfirmed one off)."""
        if self.quota_setting and not getattr(settings, self.quota_setting, True):
            return None
        return self.excellent_quota


RULE_SETS: tuple[RuleSet, ...] = (
    # Quy định 132-QĐ/TW (8 Mar 2018) with Hướng dẫn 21-HD/BTCTW (2019).
    RuleSet(
        code="qd132",
        name="Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW",
        effective_from=dt.date(2018, 1, 1),
        collective_member_discipline_severity=DISCIPLINE_SEVERITY[DisciplineForm.WARNING],
    ),
    # Quy định 124-QĐ/TW (4 Oct 2023) with Hướng dẫn 25-HD/BTCTW. Whether the 20%
    # quota still applies is unconfirmed (DOMAIN §4): a setting, on by default.
    RuleSet(
        code="qd124",
        name="Quy định 124-QĐ/TW, Hướng dẫn 25-HD/BTCTW",
        effective_from=dt.date(2023, 1, 1),
        quota_setting="SERMENT_RATINGS_QUOTA_QD124",
        self_remedy_exempts=True,
        collective_units_disciplined_max=Decimal("0.20"),
        collective_targets_met_min=Decimal("0.50"),
    ),
    # Quy định 366-QĐ/TW (30 Aug 2025) with Hướng dẫn 43-HD/BTCTW: the 100-point score.
    RuleSet(
        code="qd366",
        name="Quy định 366-QĐ/TW, Hướng dẫn 43-HD/BTCTW",
        effective_from=dt.date(2025, 1, 1),
        quota_setting="SERMENT_RATINGS_QUOTA_QD366",
        self_remedy_exempts=True,
        collective_units_disciplined_max=Decimal("0.20"),
        collective_targets_met_min=Decimal("0.50"),
        score_bands=((Level.EXCELLENT, 90), (Level.GOOD, 70), (Level.COMPLETED, 50)),
        excellent_needs_on_time=True,
        excellent_min_exceeded=Decimal("0.30"),
    ),
)
RULE_SETS_BY_CODE = {r.code: r for r in RULE_SETS}


def rule_set_for_year(year: int) -> RuleSet:
    """The rule set in force at the end of ``year`` (ratings are made in December)."""
    year_end = dt.date(year, 12, 31)
    applicable = [r for r in RULE_SETS if r.effective_from <= year_end]
    if not applicable:
        raise ValueError(_("No rating rules are recorded for %(year)s.") % {"year": year})
    return max(applicable, key=lambda r: r.effective_from)


@dataclass(frozen=True)
class Discipline:
    form: str
    self_remedied: bool = False


@dataclass(frozen=True)
class Case:
    """One subject being decided, with the facts the rules read."""

    key: Hashable
    kind: str
    level: str
    name: str = ""
    quota_group: Any = None  # None: outside any quota
    disciplines: tuple[Discipline, ...] = ()  # of the subject, in the year
    # Leadership collectives:
    member_disciplines: tuple[Discipline, ...] = ()  # of the collective's members, in the year
    subordinate_units: int = 0
    subordinate_units_disciplined: int = 0
    targets_met: Decimal | None = None  # share 0..1 of the year's targets met
    # 2025 score sheet:
    score: Decimal | None = None
    all_tasks_on_time: bool | None = None
    tasks_exceeded: Decimal | None = None  # share 0..1


@dataclass(frozen=True)
class Cap:
    """The highest level a subject may get, and the rule that set it."""

    level: str
    rule: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str
    keys: tuple[Any, ...] = field(default_factory=tuple)


def _fmt_share(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def _counted_disciplines(rule_set: RuleSet, disciplines: Iterable[Discipline]) -> list[Discipline]:
    return [d for d in disciplines if not (rule_set.self_remedy_exempts and d.self_remedied)]


def cap_for(rule_set: RuleSet, case: Case) -> Cap:
    """The highest level ``case`` may be given under ``rule_set``."""
    caps: list[Cap] = [Cap(Level.EXCELLENT)]
    if rule_set.discipline_caps and _counted_disciplines(rule_set, case.disciplines):
        caps.append(
            Cap(
                Level.NOT_COMPLETED,
                "disciplined",
                _("disciplined in the year (%(rules)s)") % {"rules": rule_set.name},
            )
        )
    if case.kind == SubjectKind.COLLECTIVE:
        caps.extend(_collective_caps(rule_set, case))
    if rule_set.scored and case.kind in (SubjectKind.MEMBER, SubjectKind.LEADER, SubjectKind.ORGANISATION):
        caps.append(_score_cap(rule_set, case))
    return min(caps, key=lambda c: LEVEL_RANK[c.level])


def _collective_caps(rule_set: RuleSet, case: Case) -> list[Cap]:
    caps = []
    severity = rule_set.collective_member_discipline_severity
    if severity is not None and any(
        DISCIPLINE_SEVERITY.get(d.form, 0) >= severity  # type: ignore[call-overload]
        for d in case.member_disciplines
    ):
        caps.append(
            Cap(
                Level.NOT_COMPLETED,
                "collective_member_disciplined",
                _("a member of the collective was disciplined at warning or above (%(rules)s)")
                % {"rules": rule_set.name},
            )
        )
    limit = rule_set.collective_units_disciplined_max
    if (
        limit is not None
        and case.subordinate_units
        and Decimal(case.subordinate_units_disciplined) > limit * case.subordinate_units
    ):
        caps.append(
            Cap(
                Level.NOT_COMPLETED,
                "collective_units_disciplined",
                _("%(n)s of %(total)s subordinate units disciplined, more than %(limit)s (%(rules)s)")
                % {
                    "n": case.subordinate_units_disciplined,
                    "total": case.subordinate_units,
                    "limit": _fmt_share(limit),
                    "rules": rule_set.name,
                },
            )
        )
    floor = rule_set.collective_targets_met_min
    if floor is not None and case.targets_met is not None and case.targets_met < floor:
        caps.append(
            Cap(
                Level.NOT_COMPLETED,
                "collective_targets_met",
                _("%(met)s of targets met, under %(floor)s (%(rules)s)")
                % {"met": _fmt_share(case.targets_met), "floor": _fmt_share(floor), "rules": rule_set.name},
            )
        )
    return caps


def _score_cap(rule_set: RuleSet, case: Case) -> Cap:
    if case.score is None:
        return Cap(
            Level.NOT_COMPLETED,
            "score_missing",
            _("no score sheet (%(rules)s rate on a 100-point score)") % {"rules": rule_set.name},
        )
    band: str = Level.NOT_COMPLETED
    for level, lowest in rule_set.score_bands:
        if case.score >= lowest:
            band = level
            break
    if band == Level.EXCELLENT:
        short_of = []
        if rule_set.excellent_needs_on_time and not case.all_tasks_on_time:
            short_of.append(_("not all tasks done on time"))
        floor = rule_set.excellent_min_exceeded
        if floor is not None and (case.tasks_exceeded is None or case.tasks_exceeded < floor):
            short_of.append(_("under %(floor)s of tasks exceeded") % {"floor": _fmt_share(floor)})
        if short_of:
            return Cap(
                Level.GOOD,
                "excellent_conditions",
                _("score %(score)s but %(why)s (%(rules)s)")
                % {"score": case.score, "why": ", ".join(short_of), "rules": rule_set.name},
            )
    return Cap(
        band,
        "score_band",
        _("score %(score)s (%(rules)s: excellent from 90, good from 70, completed from 50)")
        % {"score": case.score, "rules": rule_set.name},
    )


def apply_caps(rule_set: RuleSet, cases: Sequence[Case]) -> list[Case]:
    """The cases with each level lowered to its cap (the rules say the subject *is*
    not completed; they leave no choice to the committee)."""
    out = []
    for case in cases:
        cap = cap_for(rule_set, case)
        if LEVEL_RANK[case.level] > LEVEL_RANK[cap.level]:
            case = _replace_level(case, cap.level)
        out.append(case)
    return out


def _replace_level(case: Case, level: str) -> Case:
    from dataclasses import replace

    return replace(case, level=level)


def cap_refusals(rule_set: RuleSet, cases: Iterable[Case]) -> list[Refusal]:
    """A refusal for each case whose level is above its cap."""
    refusals = []
    for case in cases:
        cap = cap_for(rule_set, case)
        if LEVEL_RANK[case.level] > LEVEL_RANK[cap.level]:
            refusals.append(
                Refusal(
                    cap.rule,
                    _("%(name)s cannot be rated %(level)s: %(reason)s; at most %(cap)s.")
                    % {
                        "name": case.name or case.key,
                        "level": Level(case.level).label,
                        "reason": cap.reason,
                        "cap": Level(cap.level).label,
                    },
                    (case.key,),
                )
            )
    return refusals


def quota_allows(quota: Decimal, excellent: int, good: int) -> bool:
    """Excellent may not exceed ``quota`` × those rated good (exact arithmetic)."""
    return Decimal(excellent) <= quota * good


def quota_refusals(
    rule_set: RuleSet, cases: Iterable[Case], group_names: dict[Hashable, str] | None = None
) -> list[Refusal]:
    """A refusal for each quota group with too many rated excellent."""
    quota = rule_set.quota()
    if quota is None:
        return []
    excellent: dict[Hashable, list[Hashable]] = defaultdict(list)
    good: dict[Hashable, int] = defaultdict(int)
    for case in cases:
        if case.quota_group is None:
            continue
        if case.level == Level.EXCELLENT:
            excellent[case.quota_group].append(case.key)
        elif case.level == Level.GOOD:
            good[case.quota_group] += 1
    refusals = []
    for group, keys in excellent.items():
        if not quota_allows(quota, len(keys), good[group]):
            refusals.append(
                Refusal(
                    "excellent_quota",
                    _("%(n)s excellent exceeds %(quota)s of %(good)s rated good in %(group)s (%(rules)s).")
                    % {
                        "n": len(keys),
                        "quota": _fmt_share(quota),
                        "good": good[group],
                        "group": (group_names or {}).get(group, group),
                        "rules": rule_set.name,
                    },
                    tuple(keys),
                )
            )
    return refusals


def check(
    rule_set: RuleSet, cases: Sequence[Case], group_names: dict[Hashable, str] | None = None
) -> list[Refusal]:
    """Every rule the decided ``cases`` would break, caps first."""
    return cap_refusals(rule_set, cases) + quota_refusals(rule_set, cases, group_names)


def settle(rule_set: RuleSet, cases: Sequence[Case]) -> list[Case]:
    """Proposed levels made decidable: caps applied, then, in each quota group, the
    excellent beyond the quota lowered to good (highest score first, then key order).

    For tools that propose (the demo, a committee's draft); a decision itself is
    refused rather than silently changed when it breaks the quota.
    """
    capped = apply_caps(rule_set, cases)
    quota = rule_set.quota()
    if quota is None:
        return capped
    by_group: dict[Hashable, list[int]] = defaultdict(list)
    good: dict[Hashable, int] = defaultdict(int)
    for i, case in enumerate(capped):
        if case.quota_group is None:
            continue
        if case.level == Level.EXCELLENT:
            by_group[case.quota_group].append(i)
        elif case.level == Level.GOOD:
            good[case.quota_group] += 1
    out = list(capped)
    for group, indexes in by_group.items():
        indexes.sort(key=lambda i: (-(capped[i].score or 0), str(capped[i].key)))
        kept = len(indexes)
        goods = good[group]
        # each demotion turns one excellent into one good: both sides move
        while kept and not quota_allows(quota, kept, goods):
            kept -= 1
            goods += 1
        for i in indexes[kept:]:
            out[i] = _replace_level(capped[i], Level.GOOD)
    return out

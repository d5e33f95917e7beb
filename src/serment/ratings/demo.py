"""Demo step: the Congress targets, discipline decisions and decided ratings for
2020, 2021 and 2022, made through the importers (the fast path a province uses to
bring its history), so that the reports reproduce the article (DOMAIN §8):

- each year more than 87% of grassroots organisations, and more than 92% of
  members, rated good or better, more than 12 points above the Congress target
  (75% and 80%); cells under grassroots committees shown as a third group;
- an average yearly excellent rate of 13.0% for grassroots organisations and
  14.2% for the committees directly under the province, both counted against
  those rated good (docs/ratings.md says why that base).

Only this generator knows the wanted shares; the reports count the records. Every
level respects the rules of its year (the quota within each group, the discipline
cap), because ``policies.settle`` is applied before the import, which checks again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

from serment.core.actors import SYSTEM
from serment.organisations.models import Kind

from . import facts, policies
from .policies import Case, Level, SubjectKind

YEARS = (2020, 2021, 2022)
SOURCE = "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XIV, nhiệm kỳ 2020–2025"
TARGETS = {  # group -> target share good or better (%), 2020–2025
    "grassroots": Decimal(75),
    "members": Decimal(80),
    "cells": Decimal(75),
    "higher": Decimal(75),
}
# Wanted shares per year. Good or better, of all rated:
GOOD_OR_BETTER = {
    "grassroots": (Fraction(884, 1000), Fraction(889, 1000), Fraction(893, 1000)),
    "cells": (Fraction(880, 1000), Fraction(886, 1000), Fraction(891, 1000)),
    "members": (Fraction(931, 1000), Fraction(935, 1000), Fraction(938, 1000)),
}
# Average yearly excellent share of those rated good (%), as the article gives it.
AVERAGE_EXCELLENT_OF_GOOD = {"grassroots": Fraction(130, 1000), "higher": Fraction(142, 1000)}
MEMBER_EXCELLENT_OF_GOOD = Fraction(15, 100)
CELL_EXCELLENT_OF_GOOD = Fraction(14, 100)
DISCIPLINED_PER_THOUSAND = 2  # members disciplined each year (reprimand or warning)
DECIDED_ON = {2020: dt.date(2021, 1, 15), 2021: dt.date(2022, 1, 14), 2022: dt.date(2023, 1, 13)}


def _numbered(rows: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return [(n, r) for n, r in enumerate(rows, start=2)]


def _fail_on(report, what: str) -> None:
    if not report.ok:
        lines = "\n".join(f"  line {e.row} [{e.column}] {e.message}" for e in report.errors[:20])
        raise RuntimeError(f"demo {what} import refused ({len(report.errors)} errors):\n{lines}")


def _excellent_counts(goods_or_better: list[int], average: Fraction) -> list[int]:
    """Excellent counts per year, out of each year's good-or-better count, whose
    yearly shares of those rated good average ``average`` to one decimal place,
    within the 20% quota; the split closest to even."""
    best: tuple[tuple[Fraction, Fraction], list[int]] | None = None
    centres = [round(n * average / (1 + average)) for n in goods_or_better]
    for deltas in itertools.product(range(-4, 5), repeat=len(goods_or_better)):
        counts = [max(0, c + d) for c, d in zip(centres, deltas, strict=True)]
        goods = [n - e for n, e in zip(goods_or_better, counts, strict=True)]
        if any(g <= 0 or Fraction(e) > Fraction(1, 5) * g for e, g in zip(counts, goods, strict=True)):
            continue
        mean = sum((Fraction(e, g) for e, g in zip(counts, goods, strict=True)), Fraction(0)) / len(counts)
        # closest to the wanted average first (within half a tenth of a point it
        # rounds to it), then the split closest to even
        rank = (max(abs(mean - average), Fraction(5, 10000)), Fraction(max(counts) - min(counts)))
        if best is None or rank < best[0]:
            best = (rank, counts)
    return best[1] if best else [0] * len(goods_or_better)


def _higher_levels(n_by_year: list[int]) -> list[tuple[int, int]]:
    """(excellent, good) per year for the few committees under the province: the
    combinations whose excellent-of-good shares average 14.2%, most rated good or better."""
    target = AVERAGE_EXCELLENT_OF_GOOD["higher"]
    options = []
    ranges = [
        [
            (e, g)
            for e in range(0, 5)
            for g in range(max(1, n - 6), n + 1)
            if e + g <= n and Fraction(e) <= g / Fraction(5)
        ]
        for n in n_by_year
    ]
    for combo in itertools.product(*ranges):
        mean = sum((Fraction(e, g) for e, g in combo), Fraction(0)) / len(combo)
        # closest to the wanted average, then about two not good or better a year
        shortfall = sum(n - e - g for (e, g), n in zip(combo, n_by_year, strict=True))
        options.append((max(abs(mean - target), Fraction(5, 10000)), abs(shortfall - len(combo) * 2), combo))
    options.sort()
    return list(options[0][2]) if options else [(0, n) for n in n_by_year]


def _spread(
    keys: list[Any], groups: dict[Any, Any], *, excellent: int, good: int, completed: int, rng
) -> dict[Any, str]:
    """Levels for ``keys`` with exact counts (the rest not completed), the excellent
    placed so that no group exceeds the 20% quota."""
    keys = list(keys)
    rng.shuffle(keys)
    bad = len(keys) - excellent - good
    levels = {k: Level.COMPLETED for k in keys[:completed]}
    levels.update({k: Level.NOT_COMPLETED for k in keys[completed:bad]})
    upper = keys[bad:]
    by_group: dict[Any, list[Any]] = {}
    for k in upper:
        by_group.setdefault(groups.get(k), []).append(k)
    # each group may hold excellent up to 1/6 of its good-or-better (e ≤ 20% of the rest)
    capacity = {g: len(ks) // 6 for g, ks in by_group.items()}
    total = sum(capacity.values())
    excellent = min(excellent, total)  # small trees: what the quota leaves room for
    shares = {g: Fraction(excellent * capacity[g], total) if total else Fraction(0) for g in by_group}
    given = {g: min(capacity[g], int(s)) for g, s in shares.items()}
    for g in sorted(by_group, key=lambda g: (shares[g] - int(shares[g]), str(g)), reverse=True):
        if sum(given.values()) >= excellent:
            break
        if given[g] < capacity[g]:
            given[g] += 1
    for g in sorted(by_group, key=str):  # whatever rounding left over
        while sum(given.values()) < excellent and given[g] < capacity[g]:
            given[g] += 1
    for g, ks in by_group.items():
        for i, k in enumerate(ks):
            levels[k] = Level.EXCELLENT if i < given[g] else Level.GOOD
    return levels


def build(ctx) -> None:
    from serment.inspection.importers import import_discipline_rows
    from serment.organisations.models import Organisation

    from . import actions
    from .importers import import_rating_rows

    province = ctx.province or Organisation.objects.get(depth=0, parent__isnull=True)
    rng = ctx.rng
    for group, share in TARGETS.items():
        actions.set_target(
            by=SYSTEM,
            organisation=province,
            group=group,
            first_year=2020,
            last_year=2025,
            good_or_better=share,
            source=SOURCE,
        )
    tree = facts.Tree(province)
    code = {pk: n.code for pk, n in tree.nodes.items()}
    from serment.members.models import Member

    cards = dict(Member.objects.values_list("pk", "card_number"))
    admitted = dict(Member.objects.values_list("pk", "admitted_on"))

    rated = {year: facts.rated_members(province, year) for year in YEARS}
    orgs = {year: facts.rated_organisations(province, year) for year in YEARS}

    def kind_ids(year: int, kinds: tuple[str, ...]) -> list[int]:
        return sorted(pk for pk, kind in orgs[year] if kind in kinds)

    # Discipline decisions: a few members each year (rated not completed that year).
    disciplined: dict[int, set[int]] = {}
    discipline_rows = []
    for year in YEARS:
        pool = sorted(
            m for m in rated[year] if admitted[m] < dt.date(year, 1, 1)
        )  # a member before the decision
        chosen = rng.sample(pool, max(1, len(pool) * DISCIPLINED_PER_THOUSAND // 1000))
        disciplined[year] = set(chosen)
        for member_id in chosen:
            grassroots = tree.grassroots_of(rated[year][member_id])
            discipline_rows.append(
                {
                    "card_number": cards[member_id],
                    "form": rng.choice(["reprimand", "reprimand", "reprimand", "warning"]),
                    "decided_on": dt.date(year, rng.randint(2, 11), rng.randint(1, 28)),
                    "deciding_body": f"Ủy ban Kiểm tra {tree.nodes[grassroots].name}"
                    if grassroots
                    else "Ủy ban Kiểm tra",
                    "self_detected": "0",
                    "document_ref": f"{rng.randint(1, 400)}-QĐ/UBKT",
                    "violation": "Vi phạm quy định những điều đảng viên không được làm",
                }
            )
    report = import_discipline_rows(by=SYSTEM, rows=_numbered(discipline_rows), dry_run=False)
    _fail_on(report, "discipline")
    ctx.log(f"  {report.created} discipline decisions imported")

    grassroots_n = [len(kind_ids(y, (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL))) for y in YEARS]
    grassroots_gob = [int(n * s) + 1 for n, s in zip(grassroots_n, GOOD_OR_BETTER["grassroots"], strict=True)]
    grassroots_exc = _excellent_counts(grassroots_gob, AVERAGE_EXCELLENT_OF_GOOD["grassroots"])
    higher = _higher_levels([len(kind_ids(y, (Kind.DISTRICT,))) for y in YEARS])
    not_completed_before: set[int] = set()

    rows: list[dict[str, Any]] = []
    for i, year in enumerate(YEARS):
        rules = policies.rule_set_for_year(year)
        decided_on = DECIDED_ON[year]
        levels: dict[tuple[str, int], str] = {}

        # Grassroots organisations, grouped by the committee above them.
        ids = kind_ids(year, (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL))
        e, gob = grassroots_exc[i], grassroots_gob[i]
        spread = _spread(
            ids,
            {pk: tree.nodes[pk].parent_id for pk in ids},
            excellent=e,
            good=gob - e,
            completed=(len(ids) - gob) * 4 // 5,
            rng=rng,
        )
        levels.update({(SubjectKind.ORGANISATION, pk): lvl for pk, lvl in spread.items()})
        # Cells under grassroots committees, grouped by their grassroots committee.
        ids = kind_ids(year, (Kind.CELL,))
        gob = int(len(ids) * GOOD_OR_BETTER["cells"][i]) + 1
        e = int(gob * CELL_EXCELLENT_OF_GOOD / (1 + CELL_EXCELLENT_OF_GOOD))
        spread = _spread(
            ids,
            {pk: tree.nodes[pk].parent_id for pk in ids},
            excellent=e,
            good=gob - e,
            completed=(len(ids) - gob) * 9 // 10,
            rng=rng,
        )
        levels.update({(SubjectKind.ORGANISATION, pk): lvl for pk, lvl in spread.items()})
        # Other organisations below grassroots committees (sub-committees): good.
        for pk in kind_ids(year, (Kind.SUB_COMMITTEE,)):
            levels[(SubjectKind.ORGANISATION, pk)] = Level.GOOD
        # Committees directly under the province.
        ids = kind_ids(year, (Kind.DISTRICT,))
        e, g = higher[i]
        spread = _spread(ids, {}, excellent=0, good=e + g, completed=len(ids) - e - g, rng=rng)
        tops = [pk for pk in ids if spread[pk] == Level.GOOD]
        for pk in tops[:e]:
            spread[pk] = Level.EXCELLENT
        levels.update({(SubjectKind.ORGANISATION, pk): lvl for pk, lvl in spread.items()})

        # Members, grouped by grassroots organisation; the disciplined are not completed,
        # and a few not completed last year are again (two years running).
        members = sorted(set(rated[year]) - disciplined[year])
        gob = int(len(rated[year]) * GOOD_OR_BETTER["members"][i]) + 1
        e = int(gob * MEMBER_EXCELLENT_OF_GOOD / (1 + MEMBER_EXCELLENT_OF_GOOD))
        not_completed = max(0, (len(rated[year]) - gob) // 6 - len(disciplined[year]))
        again = sorted(not_completed_before & set(members))[:5]
        rest = [m for m in members if m not in set(again)]
        spread = _spread(
            rest,
            {m: tree.grassroots_of(rated[year][m]) for m in rest},
            excellent=e,
            good=gob - e,
            completed=len(rest) - gob - max(0, not_completed - len(again)),
            rng=rng,
        )
        spread.update({m: Level.NOT_COMPLETED for m in again})
        spread.update({m: Level.NOT_COMPLETED for m in disciplined[year]})
        levels.update({(SubjectKind.MEMBER, m): lvl for m, lvl in spread.items()})
        not_completed_before = {m for m, lvl in spread.items() if lvl == Level.NOT_COMPLETED}

        # The engine has the last word: whatever was spread must already be decidable.
        cases = [
            Case(
                key=key,
                kind=key[0],
                level=lvl,
                quota_group=(
                    key[0],
                    tree.quota_group_for(
                        key[0], rated[year][key[1]] if key[0] == SubjectKind.MEMBER else key[1]
                    ),
                ),
            )
            for key, lvl in levels.items()
        ]
        problems = policies.quota_refusals(rules, cases)
        if problems:
            raise RuntimeError(f"demo ratings for {year} break the quota: {problems[0].message}")

        for (kind, pk), lvl in sorted(levels.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            if kind == SubjectKind.MEMBER:
                rows.append(
                    {
                        "year": year,
                        "subject": kind,
                        "card_number": cards[pk],
                        "org_code": code[rated[year][pk]],
                        "level": lvl,
                        "decided_by_code": province.code,
                        "decided_on": decided_on,
                    }
                )
            else:
                rows.append(
                    {
                        "year": year,
                        "subject": kind,
                        "card_number": "",
                        "org_code": code[pk],
                        "level": lvl,
                        "decided_by_code": province.code,
                        "decided_on": decided_on,
                    }
                )
    report = import_rating_rows(by=SYSTEM, rows=_numbered(rows), dry_run=False)
    _fail_on(report, "rating")
    ctx.log(f"  {report.created} decided ratings imported for {YEARS[0]}–{YEARS[-1]}")

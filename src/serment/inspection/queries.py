"""Reads of the inspection register.

Two families:
- domain reads without a viewer (``member_disciplines``, ``in_force``,
  ``disciplined_in_year``, ``disciplines_in_force_or_within``): the one way rating and
  cadre work ask the register; their callers have already scoped their subjects;
- page, export and report reads, which start from the viewer's scoped queryset
  (``*_for(viewer)``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from serment.core.actors import SYSTEM
from serment.core.roles import Perm
from serment.core.scoping import scope_for

from . import policies
from .models import Case, DisciplineComplaint, DisciplineDecision, Inspection
from .policies import ComplaintOutcome

CHUNK = 900  # ids per IN (...) clause: under SQLite's and PostgreSQL's limits


@dataclass(frozen=True)
class DisciplineFact:
    """One discipline decision as it stood on the date asked."""

    decision_id: int
    member_id: int | None
    organisation_id: int | None
    form: str  # "reprimand" | "warning" | "dismissal" | "expulsion" | "dissolution" (as of the date asked)
    decided_on: dt.date
    announced_on: dt.date  # the date the 12-month lapse and the QĐ 80 bars count from
    lapses_on: dt.date | None  # None: never lapses (expulsion)
    document_ref: str
    deciding_body: str
    self_detected: bool


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(ids))
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _decisions(qs: QuerySet, as_of: dt.date) -> QuerySet:
    """Decisions known on ``as_of`` and not annulled by then, with their complaints
    decided by then (one extra query for the whole chunk). A decision whose rights were
    restored after its annulment (Quy định 117-QĐ/TW) is read as if it had never been
    taken, whatever the date asked."""
    return (
        qs.filter(decided_on__lte=as_of)
        .exclude(annulled_on__lte=as_of)
        .exclude(rights_restored_on__isnull=False)
        .prefetch_related(
            Prefetch(
                "complaints",
                queryset=DisciplineComplaint.objects.filter(decided_on__lte=as_of).order_by(
                    "decided_on", "pk"
                ),
                to_attr="decided_complaints",
            )
        )
        .order_by("-decided_on", "-pk")
    )


def _facts(decisions: Iterable[DisciplineDecision]) -> list[DisciplineFact]:
    """Turn decisions into facts: the form after complaint outcomes, and the lapse
    date — 12 months from announcement, or from the decision on a complaint about it
    (Quy định 69-QĐ/TW); a later decision on the same subject announced before an
    earlier one lapsed (a repeat or new violation) carries the earlier one along
    until the later lapses. A complaint that annulled the decision removes it."""
    facts: list[DisciplineFact] = []
    for d in decisions:
        form, counted_from, annulled = d.form, d.announced_on, False
        for c in d.decided_complaints:  # type: ignore[attr-defined]  # the Prefetch's to_attr
            if c.outcome == ComplaintOutcome.ANNULLED:
                annulled = True
            elif c.outcome == ComplaintOutcome.CHANGED:
                form = c.new_form
            counted_from = max(counted_from, c.decided_on)
        if annulled:
            continue
        facts.append(
            DisciplineFact(
                decision_id=d.pk,
                member_id=d.member_id,
                organisation_id=d.organisation_id,
                form=form,
                decided_on=d.decided_on,
                announced_on=d.announced_on,
                lapses_on=policies.lapse_date(form, counted_from),
                document_ref=d.document_ref,
                deciding_body=d.deciding_body,
                self_detected=d.self_detected,
            )
        )
    return _carry_along(facts)


def _carry_along(facts: list[DisciplineFact]) -> list[DisciplineFact]:
    """A new violation while a decision is in force: the earlier decision lapses no
    sooner than the new one (``facts`` newest first, any subjects)."""
    by_subject: dict[tuple[str, int | None], list[DisciplineFact]] = defaultdict(list)
    for f in facts:
        key = ("m", f.member_id) if f.member_id is not None else ("o", f.organisation_id)
        by_subject[key].append(f)
    carried: dict[int, DisciplineFact] = {}
    for group in by_subject.values():
        later: DisciplineFact | None = None
        for f in group:  # newest first
            new = f
            if (
                later is not None
                and f.lapses_on is not None
                and later.lapses_on is not None
                and later.announced_on < f.lapses_on < later.lapses_on
            ):
                new = replace(f, lapses_on=later.lapses_on)
            carried[f.decision_id] = new
            later = new
    return [carried[f.decision_id] for f in facts]


def member_disciplines(member_ids: Iterable[int], *, as_of: dt.date) -> dict[int, list[DisciplineFact]]:
    """Decisions on these members known and not annulled on ``as_of``, with the form in effect then
    (after any complaint outcome), newest first. One query (chunked), no per-member query."""
    out: dict[int, list[DisciplineFact]] = {}
    for chunk in _chunks(member_ids):
        for f in _facts(_decisions(DisciplineDecision.objects.filter(member_id__in=chunk), as_of)):
            if f.member_id is not None:  # always, for this filter
                out.setdefault(f.member_id, []).append(f)
    return out


def organisation_disciplines(
    organisation_ids: Iterable[int], *, as_of: dt.date
) -> dict[int, list[DisciplineFact]]:
    """As ``member_disciplines``, for decisions on organisations."""
    out: dict[int, list[DisciplineFact]] = {}
    for chunk in _chunks(organisation_ids):
        for f in _facts(_decisions(DisciplineDecision.objects.filter(organisation_id__in=chunk), as_of)):
            if f.organisation_id is not None:  # always, for this filter
                out.setdefault(f.organisation_id, []).append(f)
    return out


def in_force(fact: DisciplineFact, on: dt.date) -> bool:
    """Is the decision in force on ``on``? From the decision until it lapses by
    itself (never, for expulsion). Annulled decisions are not facts at all."""
    return fact.decided_on <= on and (fact.lapses_on is None or on < fact.lapses_on)


def within_months(fact: DisciplineFact, on: dt.date, months: int) -> bool:
    """Was the decision announced within ``months`` before ``on`` (Quy định 80-QĐ/TW
    bars: 12 months after a reprimand, 30 after a warning, 60 after dismissal)?"""
    return fact.announced_on <= on < policies.add_months(fact.announced_on, months)


@dataclass(frozen=True)
class YearDisciplines:
    """Decisions taken in one year, by subject: what the rating rules read."""

    of_member: dict[int, list[DisciplineFact]]
    of_organisation: dict[int, list[DisciplineFact]]


def disciplined_in_year(
    *,
    member_ids: Iterable[int] | None = None,
    organisation_ids: Iterable[int] | None = None,
    year: int,
    as_of: dt.date | None = None,
) -> YearDisciplines:
    """Decisions taken in ``year`` (by decision date) on these members and
    organisations (``None``: all), as known on ``as_of`` (default: the later of
    31 December and today, so an annulment or a complaint outcome counts)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    day = as_of or max(end, timezone.localdate())
    in_year = DisciplineDecision.objects.filter(decided_on__range=(start, end))

    def load(field: str, ids: Iterable[int] | None) -> dict[int, list[DisciplineFact]]:
        out: dict[int, list[DisciplineFact]] = {}
        chunks = [None] if ids is None else list(_chunks(ids))
        for chunk in chunks:
            qs = in_year.filter(**{f"{field}__isnull": False})
            if chunk is not None:
                qs = qs.filter(**{f"{field}__in": chunk})
            for f in _facts(_decisions(qs, day)):
                out.setdefault(getattr(f, field), []).append(f)
        return out

    return YearDisciplines(
        of_member=load("member_id", member_ids) if member_ids is None or member_ids else {},
        of_organisation=load("organisation_id", organisation_ids)
        if organisation_ids is None or organisation_ids
        else {},
    )


# Viewer-scoped reads ---------------------------------------------------------


def decisions_for(viewer: Any, *, org=None) -> QuerySet:
    """The discipline register as ``viewer`` may see it: inspection staff the
    subtree where they hold the role, a member the decisions on themselves."""
    qs = DisciplineDecision.objects.visible_to(viewer).select_related("member", "organisation", "unit")
    if org is not None:
        qs = qs.filter(unit__path__subtree=org.path)
    return qs


def cases_for(viewer: Any, *, org=None) -> QuerySet:
    qs = Case.objects.permitted(viewer, Perm.INSPECTION).select_related(
        "committee", "concerned_member", "concerned_organisation"
    )
    if org is not None:
        qs = qs.filter(committee__path__subtree=org.path)
    return qs


def inspections_for(viewer: Any, *, org=None) -> QuerySet:
    qs = Inspection.objects.permitted(viewer, Perm.INSPECTION).select_related(
        "committee", "subject_member", "subject_organisation"
    )
    if org is not None:
        qs = qs.filter(committee__path__subtree=org.path)
    return qs


def may_see_sender(viewer: Any, case: Case) -> bool:
    """Only the staff of the handling committee itself see who wrote (DOMAIN §7);
    the levels above see the case, not the name."""
    if viewer is SYSTEM:
        return True
    return any(
        g.organisation_id == case.committee_id and g.role == "inspection_staff"
        for g in scope_for(viewer).grants
    )


def is_inspection_staff(viewer: Any) -> bool:
    return scope_for(viewer).has(Perm.INSPECTION)


def statuses(decisions: Iterable[DisciplineDecision], on: dt.date) -> dict[int, str]:
    """``{decision id: "in_force" | "lapsed" | "annulled"}`` on ``on``, for a page of the
    register: a handful of queries whatever the number of rows."""
    decisions = list(decisions)
    facts: dict[int, DisciplineFact] = {}
    for per_subject in (
        member_disciplines({d.member_id for d in decisions if d.member_id}, as_of=on),
        organisation_disciplines({d.organisation_id for d in decisions if d.organisation_id}, as_of=on),
    ):
        for fs in per_subject.values():
            facts.update({f.decision_id: f for f in fs})
    out = {}
    for d in decisions:
        fact = facts.get(d.pk)
        if fact is None:
            out[d.pk] = "annulled" if d.decided_on <= on else "lapsed"
        else:
            out[d.pk] = "in_force" if in_force(fact, on) else "lapsed"
    return out


def status_of(decision: DisciplineDecision, on: dt.date) -> str:
    return statuses([decision], on)[decision.pk]


def subject_filter(*, member=None, organisation=None) -> Q:
    return Q(member=member) if member is not None else Q(organisation=organisation)

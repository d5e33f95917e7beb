"""Reads of member development shared by the pages, the exports and the CLI.

Every figure is counted from records (docs/admissions.md says which):
- *admitted in a year*: members whose ``admitted_on`` falls in the year, whether they came
  through the pipeline or were imported with their admission date, attributed to the
  first cell on their record (the cell that admitted them), and counted even if they left later;
- *members at the start of the year*: membership periods open when the year began
  (started before 1 January, not ended before it), by the cell of that period;
- *candidates at each step*: candidates still in progress, by the last step recorded;
- *due for recognition*: current probationary members whose probation ends by a date.

Lists (the drill-downs) start from the viewer's scoped querysets; counts are for an
organisation the viewer sees, over its whole subtree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import ExtractYear, StrIndex, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from serment.core.db import report_query
from serment.core.reporting import percent
from serment.core.roles import Perm
from serment.core.scoping import SYSTEM, scope_for
from serment.members import rules as member_rules
from serment.members.models import Member, Membership
from serment.members.rules import add_months
from serment.organisations.models import Organisation

from .models import (
    POSITION,
    STEP_ORDER,
    AdmissionTarget,
    Candidate,
    CandidateQuerySet,
    PeerFigure,
    Step,
    StepKind,
)
from .rules import rules_on

NOT_STARTED = "registered"  # a candidate with no step recorded yet


def _first_cell_path() -> Subquery:
    """The path of the first cell on a member's record: where they were admitted
    (read through the (member, starts_on) index)."""
    return Subquery(
        Membership.objects.filter(member=OuterRef("pk"))
        .order_by("starts_on", "pk")
        .values("organisation__path")[:1]
    )


def _admitted_between(org: Organisation | None, start: dt.date, end: dt.date) -> QuerySet[Member]:
    """Members admitted from ``start`` to ``end`` by a cell of ``org``'s subtree, with
    ``first_cell_path``. The admission dates are a range of the ``admitted_on`` index, so
    the first-cell subquery runs once per member admitted in the period (a few thousand a
    year in a province), never over the whole register (issue 14)."""
    qs = Member.objects.filter(admitted_on__range=(start, end)).annotate(first_cell_path=_first_cell_path())
    if org is not None:
        qs = qs.filter(first_cell_path__subtree=org.path)
    return qs


def _prefix(org: Organisation | None) -> str:
    return org.path if org is not None else ""


def admitted_in_year(org: Organisation | None, year: int) -> QuerySet[Member]:
    """Members admitted in ``year`` by a cell of ``org``'s subtree (None: the whole tree)."""
    return _admitted_between(org, dt.date(year, 1, 1), dt.date(year, 12, 31))


def admitted_count(org: Organisation | None, year: int) -> int:
    """How many members ``admitted_in_year`` holds."""
    return admitted_in_year(org, year).count()


def admitted_by_year(org: Organisation | None, years: range) -> dict[int, int]:
    """``admitted_count`` for each of ``years`` in one query (the dashboard's trend)."""
    if not years:
        return {}
    counted = dict(
        _admitted_between(org, dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
        .annotate(year=ExtractYear("admitted_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
        .order_by()
    )
    return {y: counted.get(y, 0) for y in years}


def _child_path(lookup: str, root_path: str):
    """The path of the root's child that contains the row, computed by the database
    (``"1/14/203/7/"`` under ``"1/"`` → ``"1/14/"``; a row at the root itself → the root)."""
    n = len(root_path)
    return Substr(lookup, 1, Value(n) + StrIndex(Substr(lookup, n + 1), Value("/")), output_field=CharField())


def periods_at_start_of_year(org: Organisation | None, year: int) -> QuerySet[Membership]:
    """Membership periods open when ``year`` began: started before 1 January and not
    ended before it (a member who left on 1 January was still on the register)."""
    start = dt.date(year, 1, 1)
    qs = Membership.objects.filter(starts_on__lt=start).exclude(ends_on__lt=start)
    if org is not None:
        qs = qs.filter(organisation__path__subtree=org.path)
    return qs


def probation_end(admitted_on: dt.date) -> dt.date:
    return member_rules.probation_end(admitted_on)


def due_for_recognition(org: Organisation | None, by: dt.date) -> QuerySet[Member]:
    """Current probationary members of ``org``'s subtree whose probation ends on or before ``by``."""
    latest_admission = add_months(by, -member_rules.rules_on(by).probation_months)
    qs = Member.objects.current().filter(official_on__isnull=True, admitted_on__lte=latest_admission)
    if org is not None:
        qs = qs.in_subtree(org)
    return qs


def _last_position() -> Subquery:
    return Subquery(
        Step.objects.filter(candidate=OuterRef("pk")).order_by("-position").values("position")[:1]
    )


def candidates_with_last_step(org: Organisation | None) -> CandidateQuerySet:
    qs = Candidate.objects.in_progress().annotate(last_position=_last_position())
    if org is not None:
        qs = qs.in_subtree(org)
    return qs


def _target_for(org: Organisation | None, year: int) -> int | None:
    if org is not None:
        return (
            AdmissionTarget.objects.filter(organisation=org, year=year)
            .values_list("target", flat=True)
            .first()
        )
    total = [
        t
        for t in AdmissionTarget.objects.filter(organisation__parent__isnull=True, year=year).values_list(
            "target", flat=True
        )
    ]
    return sum(total) if total else None


# --- what the report shows ---------------------------------------------------------


@dataclass(frozen=True)
class StepCount:
    kind: str
    label: Any  # a lazy translation
    count: int


@dataclass(frozen=True)
class RankedCommittee:
    organisation: Organisation
    admitted: int
    target: int | None
    members_at_start: int
    rank: int = 0

    @property
    def of_target(self) -> Decimal | None:
        return percent(self.admitted, self.target or 0)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.admitted, self.members_at_start)


@dataclass(frozen=True)
class PeerLine:
    name: str
    admitted: int
    members: int
    rate: Decimal
    is_self: bool
    rank: int = 0


@dataclass
class AdmissionReport:
    organisation: Organisation | None
    year: int
    as_of: dt.date
    admitted: int
    target: int | None
    members_at_start: int
    candidates: list[StepCount]
    due_for_recognition: int
    ranking: list[RankedCommittee] = field(default_factory=list)
    peers: list[PeerLine] = field(default_factory=list)

    @property
    def of_target(self) -> Decimal | None:
        return percent(self.admitted, self.target or 0)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.admitted, self.members_at_start)

    @property
    def candidates_in_progress(self) -> int:
        return sum(s.count for s in self.candidates)

    @property
    def peer_rank(self) -> int | None:
        own = [p for p in self.peers if p.is_self]
        return own[0].rank if own and len(self.peers) > 1 else None

    @property
    def peer_count(self) -> int:
        return len(self.peers) if self.peer_rank else 0


def _competition_ranks(values: list[Decimal]) -> list[int]:
    """1, 2, 2, 4: equal values share a rank; values are in descending order."""
    ranks: list[int] = []
    for i, v in enumerate(values):
        ranks.append(ranks[-1] if i and v == values[i - 1] else i + 1)
    return ranks


def committees_ranked(org: Organisation, year: int) -> list[RankedCommittee]:
    """The organisations directly under ``org``, ranked by admissions against the members
    they had at the start of the year (three queries, whatever their number: each grouped by child)."""
    children = list(Organisation.objects.filter(parent=org).order_by("code"))
    if not children:
        return []
    # One grouped query each: the child containing each row is computed from its path.
    admitted = dict(
        admitted_in_year(org, year)
        .annotate(child=_child_path("first_cell_path", org.path))
        .values("child")
        .annotate(n=Count("pk"))
        .values_list("child", "n")
        .order_by()
    )
    at_start = dict(
        periods_at_start_of_year(org, year)
        .annotate(child=_child_path("organisation__path", org.path))
        .values("child")
        .annotate(n=Count("member", distinct=True))
        .values_list("child", "n")
        .order_by()
    )
    targets = dict(
        AdmissionTarget.objects.filter(organisation__in=children, year=year).values_list(
            "organisation_id", "target"
        )
    )
    rows = [
        RankedCommittee(
            organisation=c,
            admitted=admitted.get(c.path, 0),
            target=targets.get(c.pk),
            members_at_start=at_start.get(c.path, 0),
        )
        for c in children
    ]
    # Ranked by the published figure (one decimal): equal figures share a rank.
    rows.sort(key=lambda r: (-(r.rate or Decimal(0)), r.organisation.code))
    ranks = _competition_ranks([r.rate or Decimal(0) for r in rows])
    return [
        RankedCommittee(r.organisation, r.admitted, r.target, r.members_at_start, rank)
        for r, rank in zip(rows, ranks, strict=True)
    ]


def peer_comparison(org: Organisation, year: int, admitted: int, members_at_start: int) -> list[PeerLine]:
    """The imported published figures of peers, with ``org`` itself, ranked by rate."""
    figures = list(PeerFigure.objects.filter(organisation=org, year=year))
    if not figures:
        return []
    own_rate = percent(admitted, members_at_start, places=2) or Decimal(0)
    lines = [PeerLine(f.peer_name, f.admitted, f.members, f.rate, False) for f in figures]
    lines.append(PeerLine(org.name, admitted, members_at_start, own_rate, True))
    lines.sort(key=lambda p: (-p.rate, not p.is_self, p.name))
    ranks = _competition_ranks([p.rate for p in lines])
    return [
        PeerLine(p.name, p.admitted, p.members, p.rate, p.is_self, rank)
        for p, rank in zip(lines, ranks, strict=True)
    ]


def sole_root(viewer: Any) -> Organisation | None:
    """The one organisation at the top of what the viewer sees (None if several or none)."""
    roots = scope_for(viewer).paths_for(Perm.VIEW)
    if viewer is SYSTEM:
        tops = list(Organisation.objects.filter(parent__isnull=True)[:2])
        return tops[0] if len(tops) == 1 else None
    if len(roots) != 1:
        return None
    return Organisation.objects.filter(path=roots[0]).first()


def check_visible(viewer: Any, org: Organisation | None) -> None:
    """Reports are for an organisation the viewer sees (the whole tree: the system only)."""
    if org is None:
        if viewer is not SYSTEM:
            raise Http404(_("Not found."))
        return
    if not scope_for(viewer).has(Perm.VIEW, org.path):
        raise Http404(_("Not found."))


@report_query
def admission_report(*, viewer: Any, org: Organisation | None, year: int, as_of: dt.date) -> AdmissionReport:
    """Every figure of the yearly admission report for ``org``'s subtree."""
    check_visible(viewer, org)
    admitted = admitted_count(org, year)
    members_at_start = periods_at_start_of_year(org, year).values("member").distinct().count()
    by_position = dict(
        candidates_with_last_step(org)
        .values("last_position")
        .annotate(n=Count("pk"))
        .values_list("last_position", "n")
    )
    candidates = [StepCount(NOT_STARTED, _("Registered, no step yet"), by_position.get(None, 0))]
    candidates += [
        StepCount(kind, StepKind(kind).label, by_position.get(POSITION[kind], 0))
        for kind in STEP_ORDER
        if kind != StepKind.CEREMONY
    ]
    due = due_for_recognition(org, dt.date(year, 12, 31)).count()
    subject = org if org is not None else sole_root(SYSTEM)
    ranking = committees_ranked(subject, year) if subject is not None else []
    peers = peer_comparison(subject, year, admitted, members_at_start) if subject is not None else []
    return AdmissionReport(
        organisation=org,
        year=year,
        as_of=as_of,
        admitted=admitted,
        target=_target_for(org, year),
        members_at_start=members_at_start,
        candidates=candidates,
        due_for_recognition=due,
        ranking=ranking,
        peers=peers,
    )


# --- drill-downs: the records behind each figure, through the viewer's scope -------


def admitted_list(*, viewer: Any, org: Organisation | None, year: int) -> QuerySet[Member]:
    """The members counted as admitted (those the viewer may see today)."""
    ids = admitted_in_year(org, year).values("pk")
    return (
        Member.objects.visible_to(viewer)
        .filter(pk__in=ids)
        .select_related("organisation")
        .order_by("admitted_on", "full_name", "pk")
    )


def at_start_list(*, viewer: Any, org: Organisation | None, year: int) -> QuerySet[Member]:
    ids = periods_at_start_of_year(org, year).values("member")
    return (
        Member.objects.visible_to(viewer)
        .filter(pk__in=ids)
        .select_related("organisation")
        .order_by("full_name", "pk")
    )


def candidates_at_step(*, viewer: Any, org: Organisation | None, kind: str) -> CandidateQuerySet:
    """Candidates in progress whose last recorded step is ``kind`` (or none yet)."""
    qs = Candidate.objects.visible_to(viewer).in_progress().annotate(last_position=_last_position())
    if org is not None:
        qs = qs.in_subtree(org)
    if kind == NOT_STARTED:
        qs = qs.filter(last_position__isnull=True)
    else:
        qs = qs.filter(last_position=POSITION[kind])
    return qs.select_related("organisation").order_by("full_name", "pk")


def due_list(*, viewer: Any, org: Organisation | None, by: dt.date) -> QuerySet[Member]:
    ids = due_for_recognition(org, by).values("pk")
    return (
        Member.objects.visible_to(viewer)
        .filter(pk__in=ids)
        .select_related("organisation")
        .order_by("admitted_on", "full_name", "pk")
    )


def reminders(*, viewer: Any, today: dt.date) -> QuerySet[Member]:
    """The in-app reminder: probationary members of the viewer's cells whose probation
    ends within the reminder period (30 days) or has ended without a vote."""
    horizon = today + dt.timedelta(days=rules_on(today).reminder_days_before)
    latest_admission = add_months(horizon, -member_rules.rules_on(today).probation_months)
    return (
        Member.objects.permitted(viewer, Perm.ADMISSIONS)
        .current()
        .filter(official_on__isnull=True, admitted_on__lte=latest_admission)
        .select_related("organisation")
        .order_by("admitted_on", "full_name", "pk")
    )


def search_candidates(*, viewer: Any, org: Organisation | None = None, status: str = "", q: str = ""):
    qs = Candidate.objects.visible_to(viewer).annotate(last_position=_last_position())
    if org is not None:
        qs = qs.in_subtree(org)
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(Q(full_name__icontains=q.strip()) | Q(citizen_id=q.strip()))
    return qs.select_related("organisation").order_by("full_name", "pk")


def step_label(position: int | None) -> Any:
    if position is None:
        return _("Registered, no step yet")
    return StepKind(STEP_ORDER[position - 1]).label


def targets_for(*, viewer: Any, org: Organisation, year: int) -> QuerySet[AdmissionTarget]:
    return (
        AdmissionTarget.objects.visible_to(viewer)
        .filter(year=year, organisation__path__subtree=org.path, organisation__depth__lte=org.depth + 1)
        .select_related("organisation")
        .order_by("organisation__path")
    )


def latest_admission_year(viewer: Any, org: Organisation) -> int | None:
    """The latest year in which members of ``org``'s subtree were admitted (what a report
    page opens on), among the members the viewer sees."""
    from django.db.models import Max

    latest = (
        Member.objects.visible_to(viewer)
        .filter(organisation__path__subtree=org.path, admitted_on__lte=timezone.localdate())
        .aggregate(day=Max("admitted_on"))["day"]
    )
    return latest.year if latest else None

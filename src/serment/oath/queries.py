"""Reads of the oath campaign shared by pages, exports and the CLI.

Coverage (DOMAIN §3, docs/oath.md) is counted from records as of a date:
- cells: cells and grassroots cells of the subtree that exist on the date; a cell
  *held the meeting* when it has a closed meeting of the campaign dated on or before it;
- members: the members on the register on the date, placed in the cell they belonged
  to that day (``Membership``) and in the activity state of that day (``ActivityPeriod``);
  a member *reported* when they presented at a closed meeting dated on or before it.
Each figure is a grouped count in the database, level by level (one row per child of
the chosen organisation), so the number of queries does not grow with the tree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import StrIndex, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core.db import report_query
from serment.core.errors import NotPermitted
from serment.core.reporting import percent
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, scope_for
from serment.members.models import ActivityPeriod, Member, Membership, State
from serment.organisations.models import MEMBER_HOLDING_KINDS, Organisation

from .models import (
    AssessmentStatus,
    Attendance,
    Campaign,
    CellMeeting,
    MeetingStatus,
    Notice,
    Oath,
    Presentation,
    Promise,
    SelfAssessment,
)

# Who is listed behind each member figure of the coverage report.
MEMBER_CATEGORIES = {
    "register": gettext_lazy("On the register"),
    "expected": gettext_lazy("Expected"),
    "reported": gettext_lazy("Reported"),
    "exempt": gettext_lazy("Exempt"),
    "transferred_out": gettext_lazy("Temporarily transferred out"),
    "absent": gettext_lazy("Absent from the meeting"),
    "not_reported": gettext_lazy("No report recorded"),
}
CELL_CATEGORIES = {
    "all": gettext_lazy("Cells"),
    "held": gettext_lazy("Held the meeting"),
    "not_held": gettext_lazy("Did not hold the meeting"),
}


# --- the subtree and its levels --------------------------------------------------


def _root_path(org: Organisation | None) -> str:
    return org.path if org is not None else ""


def _child_path(lookup: str, root_path: str):
    """The path of the chosen organisation's child that contains the row, computed
    by the database (``"1/14/203/7/"`` under ``"1/"`` → ``"1/14/"``)."""
    n = len(root_path)
    return Substr(lookup, 1, Value(n) + StrIndex(Substr(lookup, n + 1), Value("/")), output_field=CharField())


def _require_report_scope(viewer: Any, org: Organisation | None) -> None:
    """Coverage is for staff whose scope covers the chosen subtree."""
    if not scope_for(viewer).has(Perm.VIEW, _root_path(org)):
        raise NotPermitted(_("Your role does not allow this report here."))


def levels(org: Organisation | None) -> list[Organisation]:
    """The rows of the report: the chosen organisation's children (the roots of the
    tree when none is chosen)."""
    qs = (
        Organisation.objects.filter(parent=org)
        if org is not None
        else Organisation.objects.filter(parent=None)
    )
    return list(qs.order_by("code"))


# --- the records counted -----------------------------------------------------------


def closed_meetings(campaign: Campaign, as_of: dt.date) -> QuerySet:
    """The campaign's meetings closed and dated by ``as_of``: the ones that count."""
    return CellMeeting.objects.filter(campaign=campaign, status=MeetingStatus.CLOSED, held_on__lte=as_of)


def _among(qs: QuerySet, among: QuerySet | None) -> QuerySet:
    return qs if among is None else qs.filter(member_id__in=among)


def reported_members(campaign: Campaign, as_of: dt.date, among: QuerySet | None = None) -> QuerySet:
    """Ids of the members who presented at a meeting that counts (one row each),
    limited to the member ids ``among`` selects when given (a subtree's register: a
    small subtree then reads its members' rows by index, not the whole campaign's)."""
    return (
        _among(
            Presentation.objects.filter(meeting_id__in=closed_meetings(campaign, as_of).values("pk")), among
        )
        .values("member_id")
        .distinct()
        .order_by()
    )


def absent_members(campaign: Campaign, as_of: dt.date, among: QuerySet | None = None) -> QuerySet:
    """Ids of the members recorded absent at a meeting that counts (one row each)."""
    return (
        _among(
            Attendance.objects.filter(
                meeting_id__in=closed_meetings(campaign, as_of).values("pk"), present=False
            ),
            among,
        )
        .values("member_id")
        .distinct()
        .order_by()
    )


def activity_on(as_of: dt.date, among: QuerySet | None = None) -> QuerySet:
    """``(member_id, state)`` of every member outside ordinary activity on ``as_of``
    (exempt, temporarily transferred out), one row each: periods do not overlap, and
    should two ever do, the first state in alphabetical order is the one counted."""
    return (
        _among(ActivityPeriod.objects.filter(starts_on__lte=as_of), among)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=as_of))
        .values("member_id")
        .annotate(state=Min("state"))
        .order_by()
    )


def _in_state(as_of: dt.date, state: str, among: QuerySet | None) -> QuerySet:
    return (
        _among(ActivityPeriod.objects.filter(starts_on__lte=as_of, state=state), among)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=as_of))
        .values("member_id")
    )


def held_cells(campaign: Campaign, as_of: dt.date) -> QuerySet:
    """``(cell_id, held_on)``: the cells that held a meeting that counts, with the first one."""
    return closed_meetings(campaign, as_of).values("cell_id").annotate(first=Min("held_on")).order_by()


def _cells_in_subtree(org: Organisation | None, as_of: dt.date) -> QuerySet:
    return (
        Organisation.objects.filter(path__subtree=_root_path(org), kind__in=MEMBER_HOLDING_KINDS)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=as_of))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of))
    )


def cells_as_of(org: Organisation | None, campaign: Campaign, as_of: dt.date) -> QuerySet:
    """Cells and grassroots cells of the subtree existing on ``as_of``, with ``held``
    (a closed meeting dated by then) and ``held_on`` (the first such meeting).

    ``held`` is a membership test against the set of cells that held the meeting,
    computed once (not a subquery per cell); ``held_on`` is read per row, for the
    lists behind a figure only."""
    closed = closed_meetings(campaign, as_of)
    first = closed.filter(cell=OuterRef("pk")).order_by("held_on").values("held_on")[:1]
    return _cells_in_subtree(org, as_of).annotate(
        held=Case(
            When(pk__in=closed.values("cell_id"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        held_on=Subquery(first),
    )


def register_frozen_at(campaign: Campaign) -> dt.datetime | None:
    """A closed campaign's denominator is the register as Serment knew it at closing:
    members put on the register later (an import today of people admitted years ago)
    do not change its totals. An open campaign counts the register as it is."""
    return campaign.closed_at


def _register(org: Organisation | None, campaign: Campaign, as_of: dt.date) -> QuerySet:
    """``Membership`` rows of the members on the register on ``as_of`` in the subtree."""
    register = Membership.objects.filter(organisation__path__subtree=_root_path(org), starts_on__lte=as_of)
    frozen = register_frozen_at(campaign)
    if frozen is not None:
        register = register.filter(member__created_at__lte=frozen)
    return register.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=as_of))


def _members_of(org: Organisation | None, register: QuerySet) -> QuerySet | None:
    """The member ids the sets of a subtree's report are limited to: its register's.
    None for a whole tree (no organisation, or a root: a campaign covers one tree),
    where the limit would select every row and only cost a join."""
    return None if org is None or org.parent_id is None else register.values("member_id")


def register_as_of(org: Organisation | None, campaign: Campaign, as_of: dt.date) -> QuerySet:
    """One ``Membership`` row per member on the register on ``as_of`` in the subtree
    (the cell they belonged to that day), annotated with ``state_on`` (activity state
    that day), ``reported`` (presented at a closed meeting by then) and ``absent``
    (recorded absent at such a meeting).

    Each annotation is a membership test against a set computed once for the whole
    query (``member_id IN (…)``), never a subquery correlated per row; ``coverage``
    counts the same sets with joins (``_coverage_member_counts``)."""
    register = _register(org, campaign, as_of)
    among = _members_of(org, register)
    return register.annotate(
        state_on=Case(
            When(member_id__in=_in_state(as_of, State.EXEMPT, among), then=Value(State.EXEMPT.value)),
            When(
                member_id__in=_in_state(as_of, State.TRANSFERRED_OUT, among),
                then=Value(State.TRANSFERRED_OUT.value),
            ),
            default=Value(State.ACTIVE.value),
            output_field=CharField(),
        ),
        reported=Case(
            When(member_id__in=reported_members(campaign, as_of, among), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        absent=Case(
            When(member_id__in=absent_members(campaign, as_of, among), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def _member_filter(campaign: Campaign, category: str) -> Q:
    counted = campaign.counted_states()
    expected = campaign.expected_states
    return {
        "register": Q(),
        "expected": Q(state_on__in=counted),
        "reported": Q(state_on__in=counted, reported=True),
        "exempt": Q(state_on=State.EXEMPT, reported=False),
        "transferred_out": Q(state_on=State.TRANSFERRED_OUT, reported=False),
        "absent": Q(state_on__in=expected, reported=False, absent=True),
        "not_reported": Q(state_on__in=expected, reported=False, absent=False),
    }[category]


# --- the report ------------------------------------------------------------------


@dataclass
class CoverageRow:
    organisation: Organisation | None  # None: the whole tree
    cells: int = 0
    cells_held: int = 0
    members: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEMBER_CATEGORIES, 0))

    @property
    def cells_percent(self) -> Decimal | None:
        return percent(self.cells_held, self.cells)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.members["reported"], self.members["expected"])

    def add(self, other: CoverageRow) -> None:
        self.cells += other.cells
        self.cells_held += other.cells_held
        for k, v in other.members.items():
            self.members[k] += v


@dataclass
class Coverage:
    campaign: Campaign
    organisation: Organisation | None
    as_of: dt.date
    total: CoverageRow
    rows: list[CoverageRow]


def _sql(qs: QuerySet, alias: str) -> tuple[str, tuple[Any, ...]]:
    sql, params = qs.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


def _rows(sql: str, params: tuple[Any, ...], alias: str) -> list[tuple[Any, ...]]:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _coverage_cell_counts(
    org: Organisation | None, campaign: Campaign, as_of: dt.date
) -> list[tuple[str, bool, int]]:
    """``(level, held, cells)``: the cells of the subtree joined once to the set of
    cells that held the meeting (a hash join on PostgreSQL), grouped by level."""
    alias = router.db_for_read(Organisation)
    cells_sql, cells_params = _sql(
        _cells_in_subtree(org, as_of)
        .annotate(level=_child_path("path", _root_path(org)))
        .values("id", "level")
        .order_by(),
        alias,
    )
    held_sql, held_params = _sql(
        closed_meetings(campaign, as_of).values("cell_id").distinct().order_by(), alias
    )
    sql = (
        "SELECT c.level, CASE WHEN h.cell_id IS NULL THEN 0 ELSE 1 END AS held, COUNT(*) "
        f"FROM ({cells_sql}) c LEFT JOIN ({held_sql}) h ON h.cell_id = c.id "
        "GROUP BY c.level, CASE WHEN h.cell_id IS NULL THEN 0 ELSE 1 END"
    )
    return [(level, bool(held), n) for level, held, n in _rows(sql, cells_params + held_params, alias)]


def _coverage_member_counts(
    org: Organisation | None, campaign: Campaign, as_of: dt.date
) -> list[tuple[str, str, int, int, int]]:
    """``(level, state, members, reported, absent and not reported)`` in one query.

    Set-based: the register of the day, the activity states of the day, the members
    who reported and those recorded absent are four sets, each computed once and
    joined on the member (hash joins on PostgreSQL, which spill to disk at national
    scale instead of falling back to a subquery per row). On SQLite, which has no
    hash join and builds an automatic index on each joined set, the same sets are
    membership tests (``register_as_of``): one temporary index per set, computed once,
    measured faster there for every scope."""
    alias = router.db_for_read(Membership)
    root = _root_path(org)
    if connections[alias].vendor != "postgresql":
        grouped = (
            register_as_of(org, campaign, as_of)
            .annotate(level=_child_path("organisation__path", root))
            .values("level", "state_on")
            .annotate(
                n=Count("pk"),
                reported_n=Count("pk", filter=Q(reported=True)),
                absent_n=Count("pk", filter=Q(reported=False, absent=True)),
            )
            .order_by()
        )
        return [(g["level"], g["state_on"], g["n"], g["reported_n"], g["absent_n"]) for g in grouped]
    register = _register(org, campaign, as_of)
    among = _members_of(org, register)
    parts = [
        _sql(register.values("member_id", "organisation_id").order_by(), alias),
        _sql(activity_on(as_of, among), alias),
        _sql(reported_members(campaign, as_of, among), alias),
        _sql(absent_members(campaign, as_of, among), alias),
        _sql(
            Organisation.objects.filter(path__subtree=root)
            .annotate(level=_child_path("path", root))
            .values("id", "level")
            .order_by(),
            alias,
        ),
    ]
    (reg, states, reported, absent, orgs) = (p[0] for p in parts)
    params = sum((p[1] for p in parts), ())
    state = f"COALESCE(s.state, '{State.ACTIVE.value}')"
    # Counted per cell first (integer keys), then the few cell rows summed per level.
    sql = (
        "SELECT o.level, c.state, SUM(c.n), SUM(c.reported), SUM(c.absent) FROM ("
        f"SELECT r.organisation_id, {state} AS state, COUNT(*) AS n, COUNT(p.member_id) AS reported, "
        "SUM(CASE WHEN p.member_id IS NULL AND a.member_id IS NOT NULL THEN 1 ELSE 0 END) AS absent "
        f"FROM ({reg}) r "
        f"LEFT JOIN ({states}) s ON s.member_id = r.member_id "
        f"LEFT JOIN ({reported}) p ON p.member_id = r.member_id "
        f"LEFT JOIN ({absent}) a ON a.member_id = r.member_id "
        f"GROUP BY r.organisation_id, {state}"
        f") c JOIN ({orgs}) o ON o.id = c.organisation_id "
        "GROUP BY o.level, c.state"
    )
    return [(lv, st, int(n), int(rep), int(ab or 0)) for lv, st, n, rep, ab in _rows(sql, params, alias)]


@report_query
def coverage(*, viewer: Any, campaign: Campaign, org: Organisation | None, as_of: dt.date) -> Coverage:
    """Coverage of ``campaign`` in ``org``'s subtree (the whole tree if None) on
    ``as_of``, one row per child. Three queries whatever the size
    (the levels, then two grouped, set-based counts)."""
    _require_report_scope(viewer, org)
    children = levels(org)
    rows = {c.path: CoverageRow(c) for c in children}
    total = CoverageRow(org)

    def row_for(path: str) -> CoverageRow:
        # rows directly in the chosen organisation (a cell chosen) count in the total only
        return rows.get(path) or CoverageRow(None)

    for level, held, n in _coverage_cell_counts(org, campaign, as_of):
        r = CoverageRow(None, cells=n, cells_held=n if held else 0)
        row_for(level).add(r)
        total.add(r)

    counted, expected = set(campaign.counted_states()), set(campaign.expected_states)
    for level, state, n, reported, absent in _coverage_member_counts(org, campaign, as_of):
        r = CoverageRow(None)
        r.members["register"] = n
        if state in counted:
            r.members["expected"] = n
            r.members["reported"] = reported
        if state == State.EXEMPT:
            r.members["exempt"] = n - reported
        elif state == State.TRANSFERRED_OUT:
            r.members["transferred_out"] = n - reported
        if state in expected:
            r.members["absent"] = absent
            r.members["not_reported"] = n - reported - absent
        row_for(level).add(r)
        total.add(r)
    return Coverage(
        campaign=campaign, organisation=org, as_of=as_of, total=total, rows=[rows[c.path] for c in children]
    )


def coverage_cells(
    *, viewer: Any, campaign: Campaign, org: Organisation | None, as_of: dt.date, category: str = "all"
) -> QuerySet:
    """The cells behind a cell figure of the coverage report."""
    _require_report_scope(viewer, org)
    qs = cells_as_of(org, campaign, as_of)
    if category == "held":
        qs = qs.filter(held=True)
    elif category == "not_held":
        qs = qs.filter(held=False)
    return qs.select_related("parent").order_by("code")


def coverage_members(
    *, viewer: Any, campaign: Campaign, org: Organisation | None, as_of: dt.date, category: str
) -> QuerySet:
    """The members behind a member figure of the coverage report (``Membership`` rows:
    the member and the cell they belonged to on ``as_of``)."""
    _require_report_scope(viewer, org)
    return (
        register_as_of(org, campaign, as_of)
        .filter(_member_filter(campaign, category))
        .select_related("member", "organisation")
        .order_by("organisation__code", "member__sort_name", "member_id")
    )


# --- campaigns, meetings, the member's own page -------------------------------------


def campaigns_for(viewer: Any) -> QuerySet:
    """Campaigns the viewer may see (launched above or inside their scope)."""
    return Campaign.objects.visible_to(viewer).select_related("organisation")


def campaign_for_report(
    *, viewer: Any, org: Organisation | None, as_of: dt.date, year: int | None = None
) -> Campaign | None:
    """The campaign a coverage report is about: the latest started by ``as_of``
    among those covering ``org`` (launched by it or above it)."""
    qs = Campaign.objects.visible_to(viewer).filter(starts_on__lte=as_of)
    qs = qs.covering(org.path) if org is not None else qs.filter(organisation__parent__isnull=True)
    if year:
        qs = qs.filter(starts_on__year=year)
    return qs.select_related("organisation").order_by("-starts_on", "-pk").first()


def meetings_for(viewer: Any, campaign: Campaign, perm: str = Perm.VIEW) -> QuerySet:
    return (
        CellMeeting.objects.permitted(viewer, perm)
        .filter(campaign=campaign)
        .select_related("cell")
        .annotate(presented=Count("presentations", distinct=True))
        .order_by("cell__code", "held_on")
    )


@dataclass
class MeetingSheet:
    """Everything the secretary's meeting page shows, in a few queries."""

    meeting: CellMeeting
    rows: list[dict[str, Any]]  # one per member of the cell on the meeting date


def meeting_sheet(meeting: CellMeeting) -> MeetingSheet:
    """The members of the cell on the meeting date with their self-assessment
    status, attendance and presentation. Caller fetched ``meeting`` through the scope."""
    memberships = (
        Membership.objects.filter(organisation=meeting.cell, starts_on__lte=meeting.held_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=meeting.held_on))
        .select_related("member")
        .order_by("member__sort_name", "member_id")
    )
    ids = [m.member_id for m in memberships]
    attendance = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting, member_id__in=ids)}
    presentations = {p.member_id: p for p in Presentation.objects.filter(meeting=meeting, member_id__in=ids)}
    assessments = dict(
        SelfAssessment.objects.filter(campaign_id=meeting.campaign_id, member_id__in=ids).values_list(
            "member_id", "status"
        )
    )
    rows = [
        {
            "member": ms.member,
            "assessment": assessments.get(ms.member_id, ""),
            "submitted": assessments.get(ms.member_id) == AssessmentStatus.SUBMITTED,
            "attendance": attendance.get(ms.member_id),
            "presentation": presentations.get(ms.member_id),
        }
        for ms in memberships
    ]
    return MeetingSheet(meeting=meeting, rows=rows)


def other_meetings(meeting: CellMeeting) -> list[CellMeeting]:
    """The cell's other meetings for the same campaign (a second one is shown, not hidden)."""
    return list(
        CellMeeting.objects.filter(campaign_id=meeting.campaign_id, cell_id=meeting.cell_id)
        .exclude(pk=meeting.pk)
        .order_by("held_on", "pk")
    )


def not_submitted(*, viewer: Any, campaign: Campaign, cell: Organisation) -> QuerySet:
    """Members of the cell expected in the campaign who have not submitted yet."""
    submitted = SelfAssessment.objects.filter(campaign=campaign, status=AssessmentStatus.SUBMITTED).values(
        "member_id"
    )
    return (
        Member.objects.permitted(viewer, Perm.RUN_MEETINGS)
        .filter(organisation=cell, state__in=campaign.expected_states)
        .exclude(pk__in=submitted)
        .order_by("sort_name", "pk")
    )


@dataclass
class MyOath:
    member: Member
    oath: Oath | None
    promises: list[Promise]
    campaigns: list[Campaign]
    assessments: dict[int, SelfAssessment]
    feedback: list[Presentation]
    notices: list[Notice]


def my_oath(*, viewer: Any, member: Member) -> MyOath:
    """The member's page: their oath, promises, campaigns, self-assessments and the
    collective's feedback (only from closed meetings). Caller fetched ``member``
    through the scope."""
    campaigns = list(
        Campaign.objects.covering(member.organisation.path)
        .select_related("organisation")
        .order_by("-starts_on")
    )
    return MyOath(
        member=member,
        oath=Oath.objects.visible_to(viewer).filter(member=member).first(),
        promises=list(
            Promise.objects.visible_to(viewer)
            .filter(member=member)
            .prefetch_related("updates")
            .order_by("made_on")
        ),
        campaigns=campaigns,
        assessments={
            a.campaign_id: a for a in SelfAssessment.objects.visible_to(viewer).filter(member=member)
        },
        feedback=list(
            Presentation.objects.visible_to(viewer)
            .filter(member=member, meeting__status=MeetingStatus.CLOSED)
            .select_related("meeting__campaign", "meeting__cell")
            .order_by("-meeting__held_on")
        ),
        notices=list(Notice.objects.visible_to(viewer).filter(member=member, read_at__isnull=True)[:5]),
    )


def first_held_on(campaign: Campaign, cell: Organisation) -> dt.date | None:
    return CellMeeting.objects.filter(campaign=campaign, cell=cell, status=MeetingStatus.CLOSED).aggregate(
        d=Min("held_on")
    )["d"]


def get_campaign(viewer: Any, pk: int) -> Campaign:
    return get_visible_or_404(Campaign.objects.select_related("organisation"), viewer, pk=pk)

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

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, StrIndex, Substr
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


def _at_closed_meeting(model, campaign: Campaign, as_of: dt.date) -> QuerySet:
    """``model`` rows (presentations, attendance) of a member at the campaign's closed
    meetings dated by ``as_of``, correlated on the outer row's ``member_id``.

    The meeting test is ``meeting_id + 0 IN (closed meetings)``: the ``+ 0`` stops
    the database from probing its (meeting, member) index once per meeting of the
    campaign for every member (thousands of probes each); it finds the member's
    few rows by member and checks them against the meetings, listed once.
    """
    closed = CellMeeting.objects.filter(campaign=campaign, status=MeetingStatus.CLOSED, held_on__lte=as_of)
    return (
        model.objects.filter(member=OuterRef("member_id"))
        .annotate(meeting_key=F("meeting_id") + 0)
        .filter(meeting_key__in=closed.values("pk"))
    )


def cells_as_of(org: Organisation | None, campaign: Campaign, as_of: dt.date) -> QuerySet:
    """Cells and grassroots cells of the subtree existing on ``as_of``, with ``held``
    (a closed meeting dated by then) and ``held_on`` (the first such meeting)."""
    closed = CellMeeting.objects.filter(
        cell=OuterRef("pk"), campaign=campaign, status=MeetingStatus.CLOSED, held_on__lte=as_of
    )
    return (
        Organisation.objects.filter(path__subtree=_root_path(org), kind__in=MEMBER_HOLDING_KINDS)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=as_of))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of))
        .annotate(held=Exists(closed), held_on=Subquery(closed.order_by("held_on").values("held_on")[:1]))
    )


def register_frozen_at(campaign: Campaign) -> dt.datetime | None:
    """A closed campaign's denominator is the register as Serment knew it at closing:
    members put on the register later (an import today of people admitted years ago)
    do not change its totals. An open campaign counts the register as it is."""
    return campaign.closed_at


def register_as_of(org: Organisation | None, campaign: Campaign, as_of: dt.date) -> QuerySet:
    """One ``Membership`` row per member on the register on ``as_of`` in the subtree
    (the cell they belonged to that day), annotated with ``state_on`` (activity state
    that day), ``reported`` (presented at a closed meeting by then) and ``absent``
    (recorded absent at such a meeting)."""
    state_on = (
        ActivityPeriod.objects.filter(member=OuterRef("member_id"), starts_on__lte=as_of)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=as_of))
        .order_by()  # periods do not overlap: at most one covers the date
        .values("state")[:1]
    )
    presented = _at_closed_meeting(Presentation, campaign, as_of)
    absent = _at_closed_meeting(Attendance, campaign, as_of).filter(present=False)
    register = Membership.objects.filter(organisation__path__subtree=_root_path(org), starts_on__lte=as_of)
    frozen = register_frozen_at(campaign)
    if frozen is not None:
        register = register.filter(member__created_at__lte=frozen)
    return register.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=as_of)).annotate(
        state_on=Coalesce(Subquery(state_on), Value(State.ACTIVE.value)),
        reported=Exists(presented),
        absent=Exists(absent),
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


@report_query
def coverage(*, viewer: Any, campaign: Campaign, org: Organisation | None, as_of: dt.date) -> Coverage:
    """Coverage of ``campaign`` in ``org``'s subtree (the whole tree if None) on
    ``as_of``, one row per child. Three grouped queries whatever the size."""
    _require_report_scope(viewer, org)
    root = _root_path(org)
    children = levels(org)
    rows = {c.path: CoverageRow(c) for c in children}
    total = CoverageRow(org)

    def row_for(path: str) -> CoverageRow:
        # rows directly in the chosen organisation (a cell chosen) count in the total only
        return rows.get(path) or CoverageRow(None)

    cell_counts = (
        cells_as_of(org, campaign, as_of)
        .annotate(level=_child_path("path", root))
        .values("level", "held")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for c in cell_counts:
        r = CoverageRow(None, cells=c["n"], cells_held=c["n"] if c["held"] else 0)
        row_for(c["level"]).add(r)
        total.add(r)

    # Grouped by level and state only, the two flags counted inside each group: each
    # subquery runs once per member (and "absent" only for those who did not report).
    member_counts = (
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
    counted, expected = set(campaign.counted_states()), set(campaign.expected_states)
    for m in member_counts:
        r = CoverageRow(None)
        state, n, reported, absent = m["state_on"], m["n"], m["reported_n"], m["absent_n"]
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
        row_for(m["level"]).add(r)
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

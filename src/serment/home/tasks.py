"""Each person's tasks: what is waiting for them, each linking to the page where it
is done. The home page shows this list and the reminders send the same list
(``home.actions.send_reminders``).

Built from the apps' own queries; nothing is stored: a task disappears once done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from serment.core.roles import Perm, Role
from serment.core.scoping import ancestor_paths, scope_for
from serment.organisations.models import COMMITTEE_KINDS, Kind, Organisation

from . import messages

CELL_KINDS = (Kind.CELL, Kind.GRASSROOTS_CELL)
# How long after its deadline a campaign stays on committee staff's list (overdue).
OVERDUE_SHOWN_DAYS = 30


@dataclass(frozen=True)
class Task:
    key: str  # stable: one task, one key (a reminder replaces the last one for the same key)
    message: str  # a key of home.messages.MESSAGES
    params: dict[str, Any]
    url: str
    due_on: dt.date | None = None
    today: dt.date | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        return messages.render(self.message, self.params)

    @property
    def says_its_due_date(self) -> bool:
        """The message already states the deadline ("… by 06/01/2027"): the list does
        not repeat it after the text."""
        return self.due_on is not None and self.params.get("date") == self.due_on.isoformat()

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.today is not None and self.due_on < self.today


def _query(url: str, **params: Any) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}" if params else url


# --- a secretary's cell ---------------------------------------------------------------


def _open_campaigns(path: str, today: dt.date):
    from serment.oath.models import Campaign

    return (
        Campaign.objects.covering(path)
        .filter(starts_on__lte=today, deadline__gte=today)
        .select_related("organisation")
        .order_by("deadline", "pk")
    )


def _cell_tasks(user, cell: Organisation, today: dt.date) -> list[Task]:
    from serment.oath import queries as oath_queries
    from serment.oath.models import CellMeeting
    from serment.ratings.models import Rating, RatingRound, SubjectKind

    tasks: list[Task] = []
    open_rounds = RatingRound.objects.filter(
        decided_on__isnull=True, organisation__path__in=ancestor_paths(cell.path)
    ).order_by("year", "pk")
    for rnd in open_rounds:
        n = Rating.objects.filter(
            round=rnd, organisation=cell, subject_kind=SubjectKind.MEMBER, review_level="", locked=False
        ).count()
        if n:
            tasks.append(
                Task(
                    key=f"rating.review:{rnd.pk}:{cell.pk}",
                    message="rating.review",
                    params={"year": rnd.year, "n": n, "cell": cell.name},
                    url=_query(reverse("ratings:round", args=[rnd.pk]), status="undecided"),
                    today=today,
                )
            )
    for campaign in _open_campaigns(cell.path, today):
        meeting = CellMeeting.objects.filter(campaign=campaign, cell=cell).order_by("held_on", "pk").first()
        if meeting is None:
            tasks.append(
                Task(
                    key=f"oath.meeting_not_scheduled:{campaign.pk}:{cell.pk}",
                    message="oath.meeting_not_scheduled",
                    params={"campaign": campaign.title, "cell": cell.name},
                    url=reverse("oath:campaign", args=[campaign.pk]),
                    due_on=campaign.ends_on,
                    today=today,
                )
            )
        n = oath_queries.not_submitted(viewer=user, campaign=campaign, cell=cell).count()
        if n:
            tasks.append(
                Task(
                    key=f"oath.assessments_not_submitted:{campaign.pk}:{cell.pk}",
                    message="oath.assessments_not_submitted",
                    params={"campaign": campaign.title, "n": n, "cell": cell.name},
                    url=reverse("oath:meeting", args=[meeting.pk])
                    if meeting
                    else reverse("oath:campaign", args=[campaign.pk]),
                    due_on=campaign.deadline,
                    today=today,
                )
            )
    return tasks


def _probation_tasks(user, today: dt.date) -> list[Task]:
    from serment.admissions import queries as admission_queries

    tasks = []
    for m in admission_queries.reminders(viewer=user, today=today)[:50]:
        ends = admission_queries.probation_end(m.admitted_on)
        days = (ends - today).days
        tasks.append(
            Task(
                key=f"admissions.probation:{m.pk}",
                message="admissions.probation_ending" if days >= 0 else "admissions.probation_ended",
                params={"member": m.full_name, "date": ends.isoformat(), "days": days},
                url=reverse("admissions:probation", args=[m.pk]),
                due_on=ends,
                today=today,
            )
        )
    return tasks


# --- committee staff ---------------------------------------------------------------


def _committee_tasks(user, org: Organisation, today: dt.date) -> list[Task]:
    from serment.oath import queries as oath_queries
    from serment.oath.models import Campaign
    from serment.ratings.models import RatingRound

    tasks: list[Task] = []
    rounds = (
        RatingRound.objects.filter(decided_on__isnull=True, organisation__path__subtree=org.path)
        .select_related("organisation")
        .annotate(total=Count("ratings"), undecided=Count("ratings", filter=Q(ratings__locked=False)))
        .order_by("year", "organisation__path")[:20]
    )
    for rnd in rounds:
        if rnd.undecided:
            tasks.append(
                Task(
                    key=f"rating.undecided:{rnd.pk}",
                    message="rating.undecided",
                    params={
                        "year": rnd.year,
                        "org": rnd.organisation.name,
                        "n": rnd.undecided,
                        "total": rnd.total,
                    },
                    url=_query(reverse("ratings:round", args=[rnd.pk]), status="undecided"),
                    due_on=dt.date(rnd.year, 12, 31),
                    today=today,
                )
            )
    campaigns = (
        Campaign.objects.filter(
            Q(organisation__path__in=ancestor_paths(org.path)) | Q(organisation__path__subtree=org.path),
            starts_on__lte=today,
            deadline__gte=today - dt.timedelta(days=OVERDUE_SHOWN_DAYS),
        )
        .select_related("organisation")
        .order_by("deadline", "pk")[:10]
    )
    for campaign in campaigns:
        # a campaign launched inside the subtree is counted over its own subtree
        within = campaign.organisation if campaign.organisation.path.startswith(org.path) else org
        cov = oath_queries.coverage(viewer=user, campaign=campaign, org=within, as_of=today)
        not_held = cov.total.cells - cov.total.cells_held
        if not_held:
            tasks.append(
                Task(
                    key=f"oath.cells_not_held:{campaign.pk}:{org.pk}",
                    message="oath.cells_not_held",
                    params={
                        "campaign": campaign.title,
                        "n": not_held,
                        "total": cov.total.cells,
                        "org": within.name,
                    },
                    url=_query(
                        reverse("oath:coverage_list", args=[campaign.pk, "cells"]),
                        category="not_held",
                        org=within.pk,
                        as_of=today.isoformat(),
                    ),
                    due_on=campaign.deadline,
                    today=today,
                )
            )
    return tasks


# --- inspection staff ----------------------------------------------------------------

# How soon before its deadline a case becomes a task (unconfirmed: a setting).
CASE_DAYS_AHEAD = 14


def _inspection_tasks(user, today: dt.date) -> list[Task]:
    """Open cases (to be handled, not closed) whose deadline is within two weeks or
    passed, through the inspection app's own scoped query."""
    from django.conf import settings

    from serment.inspection import queries as inspection_queries

    ahead = getattr(settings, "SERMENT_CASE_TASK_DAYS", CASE_DAYS_AHEAD)
    cases = (
        inspection_queries.cases_for(user)
        .filter(handled=True, closed_on__isnull=True, due_on__isnull=False)
        .filter(due_on__lte=today + dt.timedelta(days=ahead))
        .order_by("due_on", "pk")[:30]
    )
    return [
        Task(
            key=f"inspection.case_due:{case.pk}",
            message="inspection.case_due",
            params={
                "case": case.reference or f"#{case.pk}",
                "kind": str(case.get_kind_display()),
                "date": case.due_on.isoformat(),
            },
            url=reverse("inspection:case", args=[case.pk]),
            due_on=case.due_on,
            today=today,
        )
        for case in cases
    ]


# --- the member themself -------------------------------------------------------------


def own_tasks(user, today: dt.date) -> list[Task]:
    """A member's own tasks: the open self-assessment, their own rating step."""
    from serment.members.models import Member
    from serment.oath.models import AssessmentStatus, SelfAssessment
    from serment.ratings.models import Rating, SubjectKind

    member_id = scope_for(user).member_id
    if member_id is None:
        return []
    member = Member.objects.select_related("organisation").filter(pk=member_id).first()
    if member is None or member.organisation is None:
        return []
    tasks: list[Task] = []
    submitted = set(
        SelfAssessment.objects.filter(member=member, status=AssessmentStatus.SUBMITTED).values_list(
            "campaign_id", flat=True
        )
    )
    for campaign in _open_campaigns(member.organisation.path, today):
        if campaign.pk in submitted or member.state not in campaign.expected_states:
            continue
        tasks.append(
            Task(
                key=f"oath.own_assessment:{campaign.pk}:{member.pk}",
                message="oath.own_assessment",
                params={"campaign": campaign.title, "date": campaign.deadline.isoformat()},
                url=reverse("oath:assessment", args=[campaign.pk]),
                due_on=campaign.deadline,
                today=today,
            )
        )
    for rating in (
        Rating.objects.filter(
            member=member,
            subject_kind=SubjectKind.MEMBER,
            self_level="",
            locked=False,
            round__decided_on__isnull=True,
        )
        .select_related("round")
        .order_by("year")
    ):
        tasks.append(
            Task(
                key=f"rating.own_self_assessment:{rating.pk}",
                message="rating.own_self_assessment",
                params={"year": rating.year},
                url=reverse("ratings:step", args=[rating.pk, "self-assess"]),
                today=today,
            )
        )
    return tasks


def tasks_for(user, today: dt.date) -> list[Task]:
    """Everything waiting for ``user`` on ``today``: their cells' tasks (as secretary),
    their subtrees' rounds and campaigns (as committee staff), probations ending, and
    their own tasks as a member. Overdue tasks first, then by due date."""
    scope = scope_for(user)
    tasks: list[Task] = []
    grants = [g for g in scope.grants]
    org_ids = {g.organisation_id for g in grants}
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=org_ids)}
    seen: set[int] = set()
    for g in sorted(grants, key=lambda g: g.path):
        org = orgs.get(g.organisation_id)
        if org is None or org.pk in seen:
            continue
        if g.role == Role.SECRETARY and org.kind in CELL_KINDS:
            seen.add(org.pk)
            tasks += _cell_tasks(user, org, today)
        elif g.role in (Role.ADMIN, Role.ORG_STAFF) and org.kind in COMMITTEE_KINDS:
            seen.add(org.pk)
            tasks += _committee_tasks(user, org, today)
    if scope.has(Perm.INSPECTION):
        tasks += _inspection_tasks(user, today)
    if any(g.role == Role.SECRETARY for g in grants) and scope.has(Perm.ADMISSIONS):
        tasks += _probation_tasks(user, today)
    tasks += own_tasks(user, today)
    return sorted(tasks, key=lambda t: (not t.overdue, t.due_on or dt.date.max, t.key))

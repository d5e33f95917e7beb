"""What the rating rules need to know, read in bulk (a handful of queries for a
whole province, none per row): who is rated in a year, each subject's quota
group, and the discipline decisions of the year (asked of the inspection
register, the only place discipline is read from).

Reads only; ``actions`` and the importer call these.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from serment.inspection.queries import disciplined_in_year
from serment.members.models import ActivityPeriod, Membership, PostHolding, State
from serment.organisations.models import COMMITTEE_KINDS, GRASSROOTS_KINDS, Kind, Organisation

from . import policies
from .models import Rating
from .policies import Case, SubjectKind

# Posts whose holders are rated as leaders, and whose holders form the collective.
LEADER_POSTS = ("secretary", "deputy_secretary")
COLLECTIVE_POSTS = ("secretary", "deputy_secretary", "standing_member", "committee_member")


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


@dataclass(frozen=True)
class OrgNode:
    pk: int
    code: str
    name: str
    kind: str
    path: str
    parent_id: int | None


class Tree:
    """The organisations of one subtree in memory (a few thousand rows at most)."""

    def __init__(self, root: Organisation | None):
        qs = Organisation.objects.all()
        if root is not None:
            # the ancestors too, so a subtree's quota groups above the root resolve
            qs = qs.filter(Q(path__subtree=root.path) | Q(pk__in=root.ancestor_ids()))
        self.nodes = {
            pk: OrgNode(pk, code, name, kind, path, parent_id)
            for pk, code, name, kind, path, parent_id in qs.values_list(
                "pk", "code", "name", "kind", "path", "parent_id"
            )
        }
        self.by_code = {n.code: n for n in self.nodes.values()}

    def grassroots_of(self, pk: int) -> int | None:
        node = self.nodes.get(pk)
        for ancestor in reversed([int(x) for x in node.path.strip("/").split("/")] if node else []):
            n = self.nodes.get(ancestor)
            if n is not None and n.kind in GRASSROOTS_KINDS:
                return n.pk
        return None

    def quota_group_for(self, kind: str, pk: int) -> int | None:
        """Members: their grassroots organisation; organisations: the committee above."""
        if kind == SubjectKind.MEMBER:
            return self.grassroots_of(pk)
        if kind == SubjectKind.ORGANISATION:
            return self.nodes[pk].parent_id if pk in self.nodes else None
        return None

    def name(self, pk: int | None) -> str:
        node = self.nodes.get(pk) if pk is not None else None
        return f"{node.name} ({node.code})" if node else str(pk)


def _exists_on(day: dt.date) -> Q:
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=day)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
    )


def rated_members(root: Organisation, year: int) -> dict[int, int]:
    """``{member id: cell id}`` for members rated in ``year`` within ``root``'s subtree:
    on the register in a cell there on 31 December, and not exempt from work and
    activities then (exempt members are not rated, Hướng dẫn 21-HD/BTCTW)."""
    day = year_end(year)
    periods = (
        Membership.objects.filter(starts_on__lte=day, organisation__path__subtree=root.path)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        .filter(member__admitted_on__lte=day)
        .exclude(member__state=State.LEFT, member__left_on__lte=day)
        .order_by("starts_on")
        .values_list("member_id", "organisation_id")
    )
    cells = dict(periods)
    exempt = set(
        ActivityPeriod.objects.filter(state=State.EXEMPT, starts_on__lte=day, member_id__in=cells.keys())
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        .values_list("member_id", flat=True)
    )
    return {m: c for m, c in cells.items() if m not in exempt}


def rated_organisations(root: Organisation, year: int) -> list[tuple[int, str]]:
    """``(id, kind)`` of the organisations strictly below ``root`` that existed on 31 December."""
    return list(
        Organisation.objects.filter(path__subtree=root.path)
        .exclude(pk=root.pk)
        .filter(_exists_on(year_end(year)))
        .values_list("pk", "kind")
    )


def collective_organisations(root: Organisation, year: int) -> list[int]:
    """Committees strictly below ``root`` whose leadership collective is rated."""
    return [pk for pk, kind in rated_organisations(root, year) if kind in COMMITTEE_KINDS]


def leaders(root: Organisation, year: int) -> list[tuple[int, int, str]]:
    """``(member id, organisation id, post)`` of secretaries and deputies on 31 December."""
    day = year_end(year)
    return list(
        PostHolding.objects.filter(
            organisation__path__subtree=root.path, post__in=LEADER_POSTS, starts_on__lte=day
        )
        .exclude(organisation=root)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        .values_list("member_id", "organisation_id", "post")
    )


@dataclass
class YearDisciplines:
    """The discipline decisions of one year, indexed as the rules read them."""

    of_member: dict[int, list[policies.Discipline]]
    of_organisation: dict[int, list[policies.Discipline]]
    collective_members: dict[int, list[policies.Discipline]]  # organisation id -> its post holders'

    @classmethod
    def load(cls, year: int, member_ids: Iterable[int] | None = None) -> YearDisciplines:
        """Read from the one discipline register (``inspection.queries``), with each
        decision's form as it stands after complaints; annulled decisions do not count."""
        start, end = dt.date(year, 1, 1), year_end(year)
        register = disciplined_in_year(year=year)
        of_member: dict[int, list[policies.Discipline]] = {
            m: [policies.Discipline(f.form, f.self_detected) for f in fs]
            for m, fs in register.of_member.items()
        }
        of_org: dict[int, list[policies.Discipline]] = {
            o: [policies.Discipline(f.form, f.self_detected) for f in fs]
            for o, fs in register.of_organisation.items()
        }
        collective: dict[int, list[policies.Discipline]] = defaultdict(list)
        if of_member:
            holders = (
                PostHolding.objects.filter(member_id__in=of_member.keys(), post__in=COLLECTIVE_POSTS)
                .filter(starts_on__lte=end)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
                .values_list("organisation_id", "member_id")
            )
            for org_id, member_id in set(holders):
                collective[org_id].extend(of_member[member_id])
        return cls(dict(of_member), dict(of_org), dict(collective))


def subordinate_counts(tree: Tree, disciplines: YearDisciplines) -> dict[int, tuple[int, int]]:
    """``{organisation id: (direct subordinate units, of which disciplined in the year)}``."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for node in tree.nodes.values():
        if node.parent_id is not None:
            counts[node.parent_id][0] += 1
            if node.pk in disciplines.of_organisation:
                counts[node.parent_id][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


@dataclass(frozen=True)
class RatingFacts:
    """One rating row's fields as the engine needs them (from ``values()``)."""

    pk: int
    subject_kind: str
    member_id: int | None
    organisation_id: int
    quota_group_id: int | None
    score: object = None
    all_tasks_on_time: bool | None = None
    tasks_exceeded: object = None
    targets_met: object = None


CASE_FIELDS = (
    "pk",
    "subject_kind",
    "member_id",
    "organisation_id",
    "quota_group_id",
    "score",
    "all_tasks_on_time",
    "tasks_exceeded",
    "targets_met",
)


def case_for(
    facts: RatingFacts,
    level: str,
    *,
    tree: Tree,
    disciplines: YearDisciplines,
    subordinates: dict[int, tuple[int, int]],
    name: str = "",
) -> Case:
    kind = facts.subject_kind
    if kind in (SubjectKind.MEMBER, SubjectKind.LEADER):
        own = disciplines.of_member.get(facts.member_id, [])
    elif kind == SubjectKind.ORGANISATION:
        own = disciplines.of_organisation.get(facts.organisation_id, [])
    else:
        own = []
    units, disciplined = subordinates.get(facts.organisation_id, (0, 0))
    return Case(
        key=facts.pk,
        kind=kind,
        level=level,
        name=name or tree.name(facts.organisation_id),
        # members and organisations under the same committee are separate quota groups
        quota_group=(kind, facts.quota_group_id)
        if kind in (SubjectKind.MEMBER, SubjectKind.ORGANISATION) and facts.quota_group_id is not None
        else None,
        disciplines=tuple(own),
        member_disciplines=tuple(disciplines.collective_members.get(facts.organisation_id, []))
        if kind == SubjectKind.COLLECTIVE
        else (),
        subordinate_units=units if kind == SubjectKind.COLLECTIVE else 0,
        subordinate_units_disciplined=disciplined if kind == SubjectKind.COLLECTIVE else 0,
        targets_met=facts.targets_met,
        score=facts.score,
        all_tasks_on_time=facts.all_tasks_on_time,
        tasks_exceeded=facts.tasks_exceeded,
    )


def decided_in_groups(
    year: int, group_ids: Iterable[int], exclude: Iterable[int] = ()
) -> list[tuple[RatingFacts, str]]:
    """Decided ratings of ``year`` in the given quota groups, as ``(facts, level)``."""
    rows = (
        Rating.objects.filter(year=year, quota_group_id__in=set(group_ids))
        .filter(subject_kind__in=(SubjectKind.MEMBER, SubjectKind.ORGANISATION))
        .exclude(level="")
        .exclude(pk__in=list(exclude))
        .values_list(*CASE_FIELDS, "level")
    )
    return [(RatingFacts(*r[:-1]), r[-1]) for r in rows]


__all__ = ["Kind", "Tree", "YearDisciplines", "case_for", "rated_members", "rated_organisations"]

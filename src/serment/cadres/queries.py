"""Reads of cadre work shared by the pages, the report and the CLI.

Who sees what: organisation staff and administrators (``Perm.CADRES``) and leaders
(``Perm.READ_CADRES``, read only) their subtree; a cell secretary the posts of their
own cell; a member their own posts, decisions and planning.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet

from serment.core.reporting import percent
from serment.core.roles import Perm, Role
from serment.core.scoping import Scope, scope_for
from serment.members.models import Member, Membership, PostHolding
from serment.members.rules import age_on
from serment.organisations.models import Kind, Organisation

from .bars import Barred, barred
from .models import REMOVALS, LocalityOverride, Movement, PlanEntry
from .rules import (
    DEPARTMENT_POSTS,
    KEY_LEADER_ORG_KINDS,
    KEY_LEADER_POSTS,
    non_local_goal,
    planning_rules,
)


def _scope_q(
    viewer: Any, path_lookup: str, member_lookup: str, *, cell_secretaries: bool = False
) -> Q | None:
    scope = scope_for(viewer)
    roots = scope.paths_for(Perm.READ_CADRES)
    if cell_secretaries:
        roots += [g.path for g in scope.grants if g.role == Role.SECRETARY]
    conditions = [Q(**{f"{path_lookup}__startswith": p}) for p in roots]
    if scope.member_id is not None:
        conditions.append(Q(**{member_lookup: scope.member_id}))
    return reduce(or_, conditions) if conditions else None


def _visible(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs.filter(q) if q is not None else qs.none()


def visible_posts(viewer: Any) -> QuerySet:
    """Post holdings the viewer may read (by the post's organisation)."""
    return _visible(
        PostHolding.objects.all(), _scope_q(viewer, "organisation__path", "member_id", cell_secretaries=True)
    )


def visible_movements(viewer: Any) -> QuerySet:
    return _visible(Movement.objects.all(), _scope_q(viewer, "organisation__path", "member_id"))


def visible_plan(viewer: Any) -> QuerySet:
    return _visible(PlanEntry.objects.all(), _scope_q(viewer, "organisation__path", "member_id"))


def may_read(viewer: Any) -> bool:
    """Whether the cadre pages are offered to the viewer at all."""
    return scope_may_read(scope_for(viewer))


def scope_may_read(scope: Scope) -> bool:
    """``may_read`` for a scope already computed (the menu has one)."""
    return scope.has(Perm.READ_CADRES) or any(g.role == Role.SECRETARY for g in scope.grants)


def may_manage(viewer: Any, org: Organisation | None = None) -> bool:
    return scope_for(viewer).has(Perm.CADRES, org.path if org is not None else None)


def _in(qs: QuerySet, org: Organisation | None, lookup: str = "organisation__path") -> QuerySet:
    return qs.filter(**{f"{lookup}__startswith": org.path}) if org is not None else qs


def _open_on(day: dt.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=day))


def posts_in(viewer: Any, org: Organisation | None = None, *, on: dt.date | None = None) -> QuerySet:
    """Posts held on ``on`` (default: open ones) in ``org``'s subtree."""
    qs = _in(visible_posts(viewer), org)
    qs = qs.filter(_open_on(on)) if on else qs.filter(ends_on__isnull=True)
    return qs.select_related("member", "organisation").order_by(
        "organisation__path", "post", "member__full_name"
    )


def own_posts(viewer: Any) -> QuerySet:
    member_id = scope_for(viewer).member_id
    if member_id is None:
        return PostHolding.objects.none()
    return (
        PostHolding.objects.filter(member_id=member_id).select_related("organisation").order_by("-starts_on")
    )


def own_plan(viewer: Any) -> QuerySet:
    member_id = scope_for(viewer).member_id
    if member_id is None:
        return PlanEntry.objects.none()
    return (
        PlanEntry.objects.filter(member_id=member_id).select_related("organisation").order_by("-term_start")
    )


# --- Local and non-local -------------------------------------------------------------

DISTRICT_PREFIXES = ("đảng bộ ", "huyện ", "thị xã ", "thành phố ", "khối ")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").casefold().strip()


def place_name(district: Organisation) -> str:
    """ "Đảng bộ Huyện Tuy Phong" → "tuy phong": what a home town mentions."""
    name = _plain(district.name)
    changed = True
    while changed:
        changed = False
        for prefix in DISTRICT_PREFIXES:
            if name.startswith(prefix):
                name, changed = name[len(prefix) :].strip(), True
    return name


@dataclass(frozen=True)
class Locality:
    is_local: bool
    basis: str  # "override", "home_town", "previous_work", "none"
    reason: str = ""


def locality_of(member: Member, district: Organisation, *, before: dt.date) -> Locality:
    """Is ``member`` local to ``district``? An explicit override (the latest one on or
    before ``before``) wins; otherwise local when their home town is in the district
    or they were a member or held a post in its subtree before ``before``."""
    override = (
        LocalityOverride.objects.filter(member=member, organisation=district, decided_on__lte=before)
        .order_by("-decided_on", "-pk")
        .first()
    )
    if override is not None:
        return Locality(override.is_local, "override", override.reason)
    place = place_name(district)
    if place and place in _plain(member.home_town):
        return Locality(True, "home_town")
    worked = (
        Membership.objects.filter(
            member=member, organisation__path__subtree=district.path, starts_on__lt=before
        ).exists()
        or PostHolding.objects.filter(
            member=member, organisation__path__subtree=district.path, starts_on__lt=before
        ).exists()
    )
    if worked:
        return Locality(True, "previous_work")
    return Locality(False, "none")


@dataclass(frozen=True)
class DistrictSecretary:
    holding: PostHolding
    locality: Locality


def district_secretaries(viewer: Any, org: Organisation | None, *, on: dt.date) -> list[DistrictSecretary]:
    """Secretaries of committees directly under the province on ``on``, local or not
    (judged on the day the holding began)."""
    holdings = posts_in(viewer, org, on=on).filter(organisation__kind=Kind.DISTRICT, post="secretary")
    return [DistrictSecretary(h, locality_of(h.member, h.organisation, before=h.starts_on)) for h in holdings]


# --- The report ----------------------------------------------------------------------

TRANSFER_APPOINT_NOMINATE = ("rotation", "transfer", "appointment", "reappointment", "nomination")
HIGH_LEVELS = ("central", "provincial")
FIGURES = (
    "transferred_appointed_nominated",
    "key_leaders_removed",
    "department_heads_moved",
    "non_local_from_departments",
)


def movements_in(viewer: Any, org: Organisation | None, start: dt.date, end: dt.date) -> QuerySet:
    return _in(visible_movements(viewer), org).filter(decided_on__range=(start, end))


def figure_movements(
    viewer: Any, org: Organisation | None, start: dt.date, end: dt.date, figure: str
) -> list[Movement]:
    """The decisions behind one figure of the report (its drill-down)."""
    qs = movements_in(viewer, org, start, end).select_related(
        "member", "organisation", "from_holding__organisation", "to_holding"
    )
    if figure == "transferred_appointed_nominated":
        # cadres transferred, appointed or nominated to posts under the management of
        # the provincial standing committee or the Central Committee
        qs = qs.filter(kind__in=TRANSFER_APPOINT_NOMINATE, management_level__in=HIGH_LEVELS)
    elif figure == "key_leaders_removed":
        qs = qs.filter(
            kind__in=REMOVALS,
            from_holding__post__in=KEY_LEADER_POSTS,
            from_holding__organisation__kind__in=KEY_LEADER_ORG_KINDS,
        )
    elif figure == "department_heads_moved":
        qs = qs.filter(
            kind__in=("rotation", "transfer"),
            from_holding__post="department_head",
            from_holding__organisation__kind=Kind.PROVINCE,
        ).exclude(post="secretary", organisation__kind=Kind.DISTRICT)
    elif figure == "non_local_from_departments":
        candidates = qs.filter(
            kind__in=("rotation", "transfer", "appointment"),
            post="secretary",
            organisation__kind=Kind.DISTRICT,
            from_holding__post__in=DEPARTMENT_POSTS,
            from_holding__organisation__kind=Kind.PROVINCE,
        )
        return [
            m
            for m in candidates.order_by("decided_on", "pk")
            if not locality_of(m.member, m.organisation, before=m.effective_on).is_local
        ]
    elif figure.startswith("kind:"):
        kind, _sep, level = figure[5:].partition(":")
        qs = qs.filter(kind=kind, **({"deciding_level": level} if level else {}))
    else:
        return []
    return list(qs.order_by("decided_on", "pk"))


@dataclass
class PlanningShares:
    people: int = 0
    entries: int = 0
    seats: int = 0
    young: int = 0
    women: int = 0
    ethnic_minority: int = 0
    targets: dict[str, int] = field(default_factory=dict)

    @property
    def per_seat(self):
        from decimal import ROUND_HALF_UP, Decimal

        return (
            (Decimal(self.entries) / self.seats).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if self.seats
            else None
        )

    def share(self, n: int):
        return percent(n, self.people)


def planning_shares(viewer: Any, org: Organisation | None, *, on: dt.date) -> PlanningShares:
    """People planned on ``on``: the pool per seat and the shares of young, women and
    ethnic-minority cadres (settings: ``SERMENT_CADRE_PLANNING``)."""
    rules = planning_rules()
    entries = (
        _in(visible_plan(viewer), org)
        .filter(added_on__lte=on)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))
        .values_list(
            "member_id",
            "organisation_id",
            "post",
            "term_start",
            "member__date_of_birth",
            "member__sex",
            "member__ethnicity",
        )
    )
    out = PlanningShares(targets=dict(rules["targets_percent"]))
    people: dict[int, tuple] = {}
    groups = set()
    for member_id, org_id, post, term, born, sex, ethnicity in entries:
        out.entries += 1
        groups.add((org_id, post))
        people.setdefault(member_id, (born, sex, ethnicity, term))
    out.people = len(people)
    out.seats = sum(rules["seats"].get(post, 1) for _org, post in groups)
    for born, sex, ethnicity, term in people.values():
        out.young += age_on(born, dt.date(term, 1, 1)) < rules["young_under"]
        out.women += sex == "female"
        out.ethnic_minority += bool(ethnicity) and _plain(ethnicity) != _plain(rules["majority_ethnicity"])
    return out


def barred_people(viewer: Any, org: Organisation | None, *, on: dt.date) -> tuple[list[Barred], list[Barred]]:
    """(post holders barred or flagged for removal, planned people barred: to be
    removed from planning), on ``on``."""
    holders = {h.member_id: h.member for h in posts_in(viewer, org, on=on)}
    plan = (
        _in(visible_plan(viewer), org)
        .filter(added_on__lte=on)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))
        .select_related("member")
    )
    planned = {e.member_id: e.member for e in plan}
    found = {b.member.pk: b for b in barred({**holders, **planned}.values(), on=on, kind="planning")}
    return (
        [found[pk] for pk in holders if pk in found],
        [found[pk] for pk in planned if pk in found and found[pk].refusals],
    )


@dataclass
class CadreReport:
    org: Organisation | None
    start: dt.date
    end: dt.date
    by_kind_and_level: list[tuple[str, str, int]]
    figures: dict[str, tuple[int, int]]  # figure -> (people, decisions)
    district_secretaries: list[DistrictSecretary]
    planning: PlanningShares
    barred_holders: list[Barred]
    barred_planned: list[Barred]

    @property
    def non_local(self) -> int:
        return sum(1 for s in self.district_secretaries if not s.locality.is_local)

    @property
    def non_local_percent(self):
        return percent(self.non_local, len(self.district_secretaries))

    @property
    def goal(self) -> tuple[int, int]:
        return non_local_goal()

    @property
    def flagged_for_removal(self) -> int:
        return sum(1 for b in self.barred_holders if b.flagged_for_removal)


def cadre_report(viewer: Any, *, org: Organisation | None, start: dt.date, end: dt.date) -> CadreReport:
    """Everything ``serment report cadres`` and the report page show."""
    by_kind = list(
        movements_in(viewer, org, start, end)
        .values_list("kind", "deciding_level")
        .annotate(n=Count("pk"))
        .order_by("kind", "deciding_level")
    )
    figures = {}
    for figure in FIGURES:
        rows = figure_movements(viewer, org, start, end, figure)
        figures[figure] = (len({m.member_id for m in rows}), len(rows))
    holders, planned = barred_people(viewer, org, on=end)
    return CadreReport(
        org=org,
        start=start,
        end=end,
        by_kind_and_level=by_kind,
        figures=figures,
        district_secretaries=district_secretaries(viewer, org, on=end),
        planning=planning_shares(viewer, org, on=end),
        barred_holders=holders,
        barred_planned=planned,
    )


def members_by_id(ids: Iterable[int]) -> dict[int, Member]:
    return {m.pk: m for m in Member.objects.filter(pk__in=list(ids))}

"""Opening a rating round: one rating row per subject."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor, is_actor
from serment.core.bulk import insert_rows
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import SYSTEM, permission_refusals, scope_for
from serment.organisations.models import COMMITTEE_KINDS, Organisation

from .. import facts, policies
from ..models import Rating, RatingRound
from ..policies import (
    SubjectKind,
)
from ._common import _today


def check_open_round(
    *, by: Actor, organisation: Organisation, year: int | None, on: dt.date | None = None
) -> list[Refusal]:
    """May ``by`` open the rating of ``organisation``'s subtree for ``year``? RATE on it, a
    committee, a year the rules cover that has begun, no round of it for that year yet."""
    refused = permission_refusals(by, Perm.RATE, organisation.path)
    if refused:
        return refused
    refusals: list[Refusal] = []
    if organisation.kind not in COMMITTEE_KINDS:
        refusals.append(
            Refusal(
                code="not_a_committee",
                message=gettext_lazy("%(org)s is not a committee: only committees decide ratings."),
                params={"org": organisation.name},
                field="organisation",
            )
        )
    if year is None:
        return refusals
    on = on or _today()
    if year < policies.RULE_SETS[0].effective_from.year:
        refusals.append(
            Refusal(
                code="no_rules_for_year",
                message=gettext_lazy("No rating rules are recorded for %(year)s."),
                params={"year": year},
                field="year",
            )
        )
    elif year > on.year:
        refusals.append(
            Refusal(
                code="year_not_begun",
                message=gettext_lazy("A year cannot be rated before it begins."),
                field="year",
            )
        )
    elif RatingRound.objects.filter(organisation=organisation, year=year).exists():
        refusals.append(
            Refusal(
                code="round_exists",
                message=gettext_lazy("%(org)s already has a rating round for %(year)s."),
                params={"org": organisation.name, "year": year},
                field="year",
            )
        )
    return refusals


@transaction.atomic
def open_round(*, by: Actor, organisation: Organisation, year: int, on: dt.date | None = None) -> RatingRound:
    """Open the rating of ``organisation``'s subtree for ``year``: one rating row for
    each member rated that year, each organisation below, each committee's
    leadership collective and each secretary or deputy secretary. Subjects already
    rated that year in another round are left to it."""
    refuse_if_any(check_open_round(by=by, organisation=organisation, year=year, on=on))
    on = on or _today()
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
    """Insert many new ratings with the one raw bulk inserter (``core.bulk``):
    ``bulk_create`` spends most of its time preparing each value (13 s for a
    province's 42,000 ratings on SQLite)."""
    names = [f.attname for f in Rating._meta.concrete_fields if not f.primary_key]
    insert_rows(Rating, names, ([getattr(r, n) for n in names] for r in ratings))


def _already_rated(year: int) -> set[tuple[str, int | None, int | None]]:
    taken: set[tuple[str, int | None, int | None]] = set()
    for kind, member_id, org_id in Rating.objects.filter(year=year).values_list(
        "subject_kind", "member_id", "organisation_id"
    ):
        taken.add((kind, member_id, org_id if kind != SubjectKind.MEMBER else None))
    return taken


# The three steps --------------------------------------------------------------


def self_assess_permission_refusals(by: Actor, rating: Rating) -> list[Refusal]:
    """Who writes a self-assessment: the member themself for a member or a leader;
    RATE on the organisation for an organisation or a collective."""
    if rating.subject_kind in (SubjectKind.MEMBER, SubjectKind.LEADER):
        if not is_actor(by):
            return permission_refusals(by, Perm.RATE, None)
        if by is SYSTEM or (rating.member_id is not None and scope_for(by).member_id == rating.member_id):
            return []
        return [
            Refusal(
                code="not_permitted",
                message=gettext_lazy("Only the member themself fills their self-assessment."),
            )
        ]
    return permission_refusals(by, Perm.RATE, rating.organisation.path)

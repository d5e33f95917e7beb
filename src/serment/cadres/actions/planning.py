"""Planning (quy hoạch) for a term, and its yearly review."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.members.models import Member, PostKind
from serment.members.rules import age_on
from serment.organisations.models import Organisation

from ..bars import bar_refusals
from ..models import (
    PlanEntry,
)
from ..rules import planning_rules
from ._common import PLANNING_SOURCE, _member_refusals

# --- Planning --------------------------------------------------------------------------


def check_add_to_planning(
    *, member: Member, organisation: Organisation, post: str, term_start: int, on: dt.date
) -> list[Refusal]:
    """Whether a person may be planned for a post for a term: not already planned,
    young enough at first planning for a full term of working age, and not barred."""
    refusals = _member_refusals(member)
    if post not in PostKind.values:
        refusals.append(Refusal(code="invalid_post", message=gettext_lazy("Choose a post."), field="post"))
    rules = planning_rules()
    if (
        PlanEntry.objects.current()
        .filter(member=member, organisation=organisation, post=post, term_start=term_start)
        .exists()
    ):
        refusals.append(
            Refusal(
                code="already_planned",
                message=gettext_lazy("%(name)s is already planned for this post and term."),
                params={"name": member.full_name},
                field="member",
            )
        )
    first_time = not PlanEntry.objects.filter(member=member).exists()
    if first_time:
        start = dt.date(term_start, 1, 1)
        limit = rules["retirement_age_female" if member.sex == "female" else "retirement_age_male"]
        age = age_on(member.date_of_birth, start)
        if age + rules["term_years"] > limit:
            refusals.append(
                Refusal(
                    code="too_old_for_first_planning",
                    message=gettext_lazy(
                        "%(name)s is %(age)s at the start of the term: a first planning needs a full "
                        "term of %(years)s years of working age left (retirement at %(limit)s)."
                    ),
                    params={
                        "name": member.full_name,
                        "age": age,
                        "years": rules["term_years"],
                        "limit": limit,
                    },
                    source=PLANNING_SOURCE,
                    field="member",
                )
            )
    if refusals:
        return refusals
    return bar_refusals(member=member, kind="planning", on=on, organisation=organisation, post=post)


@transaction.atomic
def add_to_planning(
    *,
    by: Actor,
    member: Member,
    organisation: Organisation,
    post: str,
    term_start: int,
    on: dt.date,
    document_ref: str = "",
) -> PlanEntry:
    """Plan (quy hoạch) a person for a post of an organisation for a term."""
    require(by, Perm.CADRES, organisation.path)
    member = Member.objects.select_for_update().get(pk=member.pk)
    refuse_if_any(
        check_add_to_planning(
            member=member, organisation=organisation, post=post, term_start=term_start, on=on
        )
    )
    entry = PlanEntry.objects.create(
        member=member,
        organisation=organisation,
        post=post,
        term_start=term_start,
        added_on=on,
        document_ref=document_ref,
    )
    audit.record(
        by=by,
        action="cadres.plan",
        target=member,
        summary=_("Planned for %(post)s of %(org)s, term %(term)s")
        % {"post": entry.get_post_display(), "org": organisation.name, "term": entry.term_label},
        changes={"plan_entry": entry.pk, "on": on, "document_ref": document_ref},
    )
    return entry


def check_remove_from_planning(*, entry: PlanEntry, on: dt.date, reason: str) -> list[Refusal]:
    refusals = []
    if entry.removed_on is not None:
        refusals.append(
            Refusal(code="already_removed", message=gettext_lazy("This person is no longer planned."))
        )
    elif on < entry.added_on:
        refusals.append(
            Refusal(
                code="removed_before_planned",
                message=gettext_lazy("The removal is before the planning."),
                field="on",
            )
        )
    if not (reason or "").strip():
        refusals.append(
            Refusal(code="reason_required", message=gettext_lazy("Give the reason."), field="reason")
        )
    return refusals


@transaction.atomic
def remove_from_planning(*, by: Actor, entry: PlanEntry, on: dt.date, reason: str) -> PlanEntry:
    """Take a person out of the planning (yearly review, a bar, their own request…)."""
    require(by, Perm.CADRES, entry.organisation.path)
    entry = (
        PlanEntry.objects.select_for_update(of=("self",))
        .select_related("member", "organisation")
        .get(pk=entry.pk)
    )
    refuse_if_any(check_remove_from_planning(entry=entry, on=on, reason=reason))
    entry.removed_on, entry.removal_reason = on, reason.strip()
    entry.save(update_fields=["removed_on", "removal_reason"])
    audit.record(
        by=by,
        action="cadres.unplan",
        target=entry.member,
        summary=_("Removed from planning for %(post)s of %(org)s")
        % {"post": entry.get_post_display(), "org": entry.organisation.name},
        changes={"plan_entry": entry.pk, "on": on, "reason": entry.removal_reason},
    )
    return entry

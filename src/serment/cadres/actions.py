"""Every change of cadre work: posts held, movement decisions, planning, and the
local/non-local overrides. Each action checks with its ``check_*`` (the bars of
``bars.py`` included), writes in one transaction and records the audit entry."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import require, require_actor
from serment.members.models import HoldingChange, ManagementLevel, Member, PostHolding, PostKind, State
from serment.members.rules import age_on
from serment.organisations.models import Kind, Organisation

from .bars import bar_refusals
from .models import (
    ENDS_HOLDING,
    NEEDS_FROM_HOLDING,
    OPENS_HOLDING,
    Grounds,
    LocalityOverride,
    Movement,
    MovementKind,
    PlanEntry,
)
from .rules import planning_rules

PLANNING_SOURCE = "Quy định 50-QĐ/TW (2021) — defaults unconfirmed (settings)"


def default_management_level(organisation: Organisation, post: str) -> str:
    """The level that decides on a post, when the record does not say: the Central
    Committee for the province's secretary and deputies, the provincial standing
    committee for the province's other posts and district secretaries, deputies and
    standing members, the district for the rest of a district, the grassroots
    committee for cells."""
    if organisation.kind == Kind.PROVINCE:
        return (
            ManagementLevel.CENTRAL
            if post in ("secretary", "deputy_secretary")
            else ManagementLevel.PROVINCIAL
        )
    if organisation.kind == Kind.DISTRICT:
        if post in ("secretary", "deputy_secretary", "standing_member"):
            return ManagementLevel.PROVINCIAL
        return ManagementLevel.DISTRICT
    if organisation.kind in (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL):
        return ManagementLevel.DISTRICT
    return ManagementLevel.GRASSROOTS


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _member_refusals(member: Member) -> list[Refusal]:
    if member.state == State.LEFT:
        return [
            Refusal(
                code="member_left",
                message=gettext_lazy("%(name)s is no longer on the register."),
                params={"name": member.full_name},
                field="member",
            )
        ]
    return []


def _seat_refusals(
    *, member: Member, organisation: Organisation, post: str, except_holding: PostHolding | None = None
) -> list[Refusal]:
    refusals = []
    if post not in PostKind.values:
        return [Refusal(code="invalid_post", message=gettext_lazy("Choose a post."), field="post")]
    open_same = PostHolding.objects.filter(organisation=organisation, post=post, ends_on__isnull=True)
    if except_holding is not None:
        open_same = open_same.exclude(pk=except_holding.pk)
    if open_same.filter(member=member).exists():
        refusals.append(
            Refusal(
                code="post_already_held",
                message=gettext_lazy("%(name)s already holds this post."),
                params={"name": member.full_name},
                field="post",
            )
        )
    elif post == PostKind.SECRETARY:
        holder = open_same.select_related("member").first()
        if holder is not None:
            refusals.append(
                Refusal(
                    code="post_taken",
                    message=gettext_lazy(
                        "%(org)s already has a secretary, %(holder)s: end that post first "
                        "(or record the movement that ends it)."
                    ),
                    params={"org": organisation.name, "holder": holder.member.full_name},
                    field="post",
                )
            )
    return refusals


# --- Posts held ----------------------------------------------------------------------


def _bar_kind_for(began_how: str) -> str:
    """A post recorded without a movement is weighed as an appointment (or an election)."""
    if began_how in (
        HoldingChange.ELECTION,
        HoldingChange.REAPPOINTMENT,
        HoldingChange.ROTATION,
        HoldingChange.TRANSFER,
    ):
        return began_how
    return "appointment"


def check_assign_post(
    *,
    member: Member,
    organisation: Organisation,
    post: str,
    on: dt.date,
    began_how: str = HoldingChange.RECORDED,
) -> list[Refusal]:
    """May ``member`` take ``post`` in ``organisation`` from ``on``? The seat rules and
    the discipline and rating bars (a post recorded directly does not escape them)."""
    refusals = _member_refusals(member)
    refusals += _seat_refusals(member=member, organisation=organisation, post=post)
    if on < member.admitted_on:
        refusals.append(
            Refusal(
                code="post_before_admission",
                message=gettext_lazy("A post starts after admission."),
                field="on",
            )
        )
    if not refusals:
        refusals += bar_refusals(
            member=member, kind=_bar_kind_for(began_how), on=on, organisation=organisation, post=post
        )
    return refusals


def _open_holding(
    *,
    member,
    organisation,
    post,
    on,
    title="",
    reason="",
    management_level="",
    began_how=HoldingChange.RECORDED,
) -> PostHolding:
    holding = PostHolding(
        member=member,
        organisation=organisation,
        post=post,
        title=title,
        starts_on=on,
        reason=reason,
        management_level=management_level or default_management_level(organisation, post),
        began_how=began_how,
    )
    holding.save()  # the check validated the fields; the constraints guard the rest
    return holding


@transaction.atomic
def assign_post(
    *,
    by: Actor,
    member: Member,
    organisation: Organisation,
    post: str,
    on: dt.date,
    title: str = "",
    reason: str = "",
    management_level: str = "",
    began_how: str = HoldingChange.RECORDED,
) -> PostHolding:
    """Record that a member holds a post in an organisation from ``on`` (e.g. elected
    at a congress), subject to the same bars as an appointment."""
    require(by, Perm.MANAGE_MEMBERS, organisation.path)
    member = Member.objects.select_for_update().get(pk=member.pk)
    refuse_if_any(
        check_assign_post(member=member, organisation=organisation, post=post, on=on, began_how=began_how)
    )
    holding = _open_holding(
        member=member,
        organisation=organisation,
        post=post,
        on=on,
        title=title,
        reason=reason,
        management_level=management_level,
        began_how=began_how,
    )
    audit.record(
        by=by,
        action="member.assign_post",
        target=member,
        summary=_("%(post)s of %(org)s") % {"post": holding.get_post_display(), "org": organisation.name},
        changes={"post": post, "organisation": organisation.code, "on": on, "began_how": began_how},
    )
    return holding


def check_end_post(*, holding: PostHolding, on: dt.date) -> list[Refusal]:
    if holding.ends_on is not None:
        return [Refusal(code="post_already_ended", message=gettext_lazy("This post has already ended."))]
    if on < holding.starts_on:
        return [
            Refusal(
                code="post_end_before_start",
                message=gettext_lazy("A post cannot end before it starts."),
                field="on",
            )
        ]
    return []


def _close_holding(holding: PostHolding, on: dt.date, how: str, reason: str = "") -> None:
    holding.ends_on, holding.ended_how = on, how
    holding.reason = reason or holding.reason
    holding.save(update_fields=["ends_on", "ended_how", "reason"])


@transaction.atomic
def end_post(
    *, by: Actor, holding: PostHolding, on: dt.date, reason: str = "", ended_how: str = HoldingChange.RECORDED
) -> PostHolding:
    """Record that a post ended (without a movement decision on file)."""
    require(by, Perm.MANAGE_MEMBERS, holding.organisation.path)
    holding = (
        PostHolding.objects.select_for_update().select_related("member", "organisation").get(pk=holding.pk)
    )
    refuse_if_any(check_end_post(holding=holding, on=on))
    _close_holding(holding, on, ended_how, reason)
    audit.record(
        by=by,
        action="member.end_post",
        target=holding.member,
        summary=_("%(post)s of %(org)s ended")
        % {"post": holding.get_post_display(), "org": holding.organisation.name},
        changes={"post": holding.post, "on": on, "ended_how": ended_how},
    )
    return holding


# --- Movement decisions -----------------------------------------------------------------


def check_record_movement(
    *,
    member: Member,
    kind: str,
    decided_on: dt.date,
    effective_on: dt.date | None = None,
    document_ref: str = "",
    deciding_body: str = "",
    deciding_level: str = "",
    organisation: Organisation | None = None,
    post: str = "",
    from_holding: PostHolding | None = None,
) -> list[Refusal]:
    """Whether a movement decision may be recorded: its fields, the posts it ends and
    opens, and the bars (discipline in force, the months after a discipline, the
    "not completed" rating), on the decision's date."""
    effective_on = effective_on or decided_on
    refusals = _member_refusals(member)
    if kind not in MovementKind.values:
        return refusals + [
            Refusal(code="invalid_kind", message=gettext_lazy("Choose the kind of decision."), field="kind")
        ]
    if not (document_ref or "").strip():
        refusals.append(
            Refusal(
                code="document_required",
                message=gettext_lazy("Give the decision number."),
                field="document_ref",
            )
        )
    if not (deciding_body or "").strip():
        refusals.append(
            Refusal(
                code="body_required", message=gettext_lazy("Say which body decided."), field="deciding_body"
            )
        )
    if deciding_level not in ManagementLevel.values:
        refusals.append(
            Refusal(
                code="level_required",
                message=gettext_lazy("Say at which level the decision was made."),
                field="deciding_level",
            )
        )
    if effective_on < decided_on:
        refusals.append(
            Refusal(
                code="effective_before_decision",
                message=gettext_lazy("A decision takes effect on or after its date."),
                field="effective_on",
            )
        )
    if kind in NEEDS_FROM_HOLDING and from_holding is None:
        refusals.append(
            Refusal(
                code="holding_required",
                message=gettext_lazy("Say which post the decision is about."),
                field="from_holding",
            )
        )
    if from_holding is not None:
        if from_holding.member_id != member.pk:
            refusals.append(
                Refusal(
                    code="holding_of_someone_else",
                    message=gettext_lazy("This post is held by someone else."),
                    field="from_holding",
                )
            )
        elif from_holding.ends_on is not None or from_holding.starts_on > effective_on:
            refusals.append(
                Refusal(
                    code="holding_not_open",
                    message=gettext_lazy("%(name)s does not hold this post on %(date)s."),
                    params={"name": member.full_name, "date": _d(effective_on)},
                    field="from_holding",
                )
            )
        if kind == MovementKind.REAPPOINTMENT and (
            organisation is not None
            and (from_holding.organisation_id != organisation.pk or from_holding.post != post)
        ):
            refusals.append(
                Refusal(
                    code="reappointment_same_post",
                    message=gettext_lazy("A reappointment is to the same post."),
                    field="post",
                )
            )
    if kind in OPENS_HOLDING or kind == MovementKind.NOMINATION:
        if organisation is None:
            refusals.append(
                Refusal(
                    code="organisation_required",
                    message=gettext_lazy("Choose the organisation."),
                    field="organisation",
                )
            )
        else:
            seat = _seat_refusals(
                member=member, organisation=organisation, post=post, except_holding=from_holding
            )
            if kind == MovementKind.NOMINATION:
                seat = [r for r in seat if r.code == "invalid_post"]
            refusals += seat
    if refusals:
        return refusals
    return bar_refusals(member=member, kind=kind, on=decided_on, organisation=organisation, post=post)


@transaction.atomic
def record_movement(
    *,
    by: Actor,
    member: Member,
    kind: str,
    decided_on: dt.date,
    document_ref: str,
    deciding_body: str,
    deciding_level: str,
    organisation: Organisation | None = None,
    post: str = "",
    title: str = "",
    management_level: str = "",
    from_holding: PostHolding | None = None,
    effective_on: dt.date | None = None,
    grounds: str = Grounds.WORK,
    reason: str = "",
    promise: str = "",
) -> Movement:
    """Record a decision on a person's post: rotation, transfer, appointment,
    reappointment, nomination for election, election result, dismissal, removal,
    relief, or a proposal for removal. The old holding is closed and the new one
    opened in the same transaction; a promise made on appointment or as a candidate
    goes to the oath app."""
    require_actor(by)
    effective_on = effective_on or decided_on
    for org in {o for o in (organisation, from_holding.organisation if from_holding else None) if o}:
        require(by, Perm.CADRES, org.path)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if from_holding is not None:
        from_holding = (
            PostHolding.objects.select_for_update().select_related("organisation").get(pk=from_holding.pk)
        )
        if organisation is None:
            organisation, post = from_holding.organisation, post or from_holding.post
    refuse_if_any(
        check_record_movement(
            member=member,
            kind=kind,
            decided_on=decided_on,
            effective_on=effective_on,
            document_ref=document_ref,
            deciding_body=deciding_body,
            deciding_level=deciding_level,
            organisation=organisation,
            post=post,
            from_holding=from_holding,
        )
    )
    if from_holding is not None and kind in ENDS_HOLDING:
        _close_holding(from_holding, effective_on, kind, reason)
    to_holding = None
    if kind in OPENS_HOLDING:
        to_holding = _open_holding(
            member=member,
            organisation=organisation,
            post=post,
            on=effective_on,
            title=title,
            reason=document_ref,
            management_level=management_level,
            began_how=kind,
        )
    movement = Movement.objects.create(
        member=member,
        kind=kind,
        organisation=organisation,
        post=post,
        title=title,
        management_level=_level_of(management_level, to_holding, from_holding, organisation, post),
        deciding_level=deciding_level,
        deciding_body=deciding_body.strip(),
        document_ref=document_ref.strip(),
        decided_on=decided_on,
        effective_on=effective_on,
        grounds=grounds,
        reason=reason,
        from_holding=from_holding,
        to_holding=to_holding,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    audit.record(
        by=by,
        action=f"cadres.{kind}",
        target=member,
        summary=_("%(kind)s: %(post)s of %(org)s (%(ref)s)")
        % {
            "kind": movement.get_kind_display(),
            "post": movement.get_post_display(),
            "org": organisation.name,
            "ref": movement.document_ref,
        },
        changes={
            "movement": movement.pk,
            "decided_on": decided_on,
            "effective_on": effective_on,
            "deciding_body": movement.deciding_body,
            "post_left": from_holding.pk if from_holding else None,
            "post_taken": to_holding.pk if to_holding else None,
            "grounds": grounds,
        },
    )
    if promise.strip():
        from serment.oath.actions import add_promise

        occasion = "election" if kind in (MovementKind.NOMINATION, MovementKind.ELECTION) else "appointment"
        to_whom = "voters" if occasion == "election" else "collective"
        add_promise(
            by=by, member=member, made_on=effective_on, occasion=occasion, to_whom=to_whom, text=promise
        )
    return movement


def _level_of(given: str, to_holding, from_holding, organisation: Organisation, post: str) -> str:
    if given:
        return given
    for holding in (to_holding, from_holding):
        if holding is not None and holding.management_level:
            return holding.management_level
    return default_management_level(organisation, post)


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
    entry = PlanEntry.objects.select_for_update().select_related("member", "organisation").get(pk=entry.pk)
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


# --- Local and non-local ---------------------------------------------------------------


def check_set_locality(*, member: Member, district: Organisation, reason: str) -> list[Refusal]:
    refusals = []
    if district.kind != Kind.DISTRICT:
        refusals.append(
            Refusal(
                code="not_a_district",
                message=gettext_lazy(
                    "Local or non-local is said of a committee directly under the province."
                ),
                field="organisation",
            )
        )
    if not (reason or "").strip():
        refusals.append(
            Refusal(code="reason_required", message=gettext_lazy("Give the reason."), field="reason")
        )
    return refusals


@transaction.atomic
def set_locality(
    *, by: Actor, member: Member, district: Organisation, is_local: bool, reason: str, on: dt.date
) -> LocalityOverride:
    """Record explicitly that a person is (or is not) local to a district, overriding
    what their home town and previous work say."""
    require(by, Perm.CADRES, district.path)
    refuse_if_any(check_set_locality(member=member, district=district, reason=reason))
    override = LocalityOverride.objects.create(
        member=member, organisation=district, is_local=is_local, reason=reason.strip(), decided_on=on
    )
    audit.record(
        by=by,
        action="cadres.set_locality",
        target=member,
        summary=(_("Local to %(org)s") if is_local else _("Non-local to %(org)s")) % {"org": district.name},
        changes={"is_local": is_local, "reason": override.reason, "on": on},
    )
    return override


def check_award(*, member: Member, on: dt.date) -> list[Refusal]:
    """No award while a discipline is in force (Quy định 69-QĐ/TW): for the apps that
    propose awards."""
    return _member_refusals(member) or bar_refusals(member=member, kind="award", on=on)

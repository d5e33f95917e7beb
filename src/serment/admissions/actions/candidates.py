"""A candidate's way to admission: registration, steps in order, ceremony, withdrawal.

Each action has its ``check_<action>`` beside it: the form, the page's buttons and the
importer's row report call the same function the action refuses with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError, Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.rulesets import add_working_days
from serment.core.scoping import permission_refusals
from serment.members import actions as member_actions
from serment.members.models import Member, Membership, MembershipKind, State
from serment.members.rules import add_months
from serment.oath.actions import record_oath
from serment.organisations.models import GRASSROOTS_KINDS, Organisation

from ..models import (
    POSITION,
    Candidate,
    CandidateStatus,
    Introducer,
    Step,
    StepKind,
)
from ..rules import add_years, age_in_months, rules_on
from ._common import (
    CANDIDATE_FIELDS,
    CHARTER_4,
    HD_01,
    _limit,
    _lock,
    _years_months,
    in_progress_refusals,
    steps_for,
)


def check_register_candidate(
    *,
    by: Actor,
    organisation: Organisation | None,
    full_name: str,
    sex: str,
    citizen_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> list[Refusal]:
    """May ``by`` register this candidate in ``organisation``?"""
    try:
        member_actions.validate_cell(organisation)
    except DomainError as error:
        return [Refusal(code=error.code, message=error.message, field=error.field)]
    assert organisation is not None
    refused = permission_refusals(by, Perm.ADMISSIONS, organisation.path)
    if refused:
        return refused
    refusals = []
    unknown = set(details or {}) - set(CANDIDATE_FIELDS)
    if unknown:
        refusals.append(
            Refusal(
                code="unknown_fields",
                message=gettext_lazy("Unknown fields: %(fields)s"),
                params={"fields": ", ".join(sorted(unknown))},
            )
        )
    if not (full_name or "").strip():
        refusals.append(
            Refusal(code="name_required", message=gettext_lazy("A full name is required."), field="full_name")
        )
    if sex not in ("male", "female"):
        refusals.append(
            Refusal(
                code="invalid_sex",
                message=gettext_lazy("Sex must be one of: %(values)s."),
                params={"values": "male, female"},
                field="sex",
            )
        )
    citizen_id = (citizen_id or "").strip() or None
    if citizen_id:
        if Candidate.objects.filter(citizen_id=citizen_id).exists():
            refusals.append(
                Refusal(
                    code="citizen_id_taken",
                    message=gettext_lazy("The citizen ID %(value)s belongs to another candidate."),
                    params={"value": citizen_id},
                    field="citizen_id",
                )
            )
        elif Member.objects.filter(citizen_id=citizen_id).exists():
            refusals.append(
                Refusal(
                    code="already_member",
                    message=gettext_lazy(
                        "The citizen ID %(value)s belongs to a member: they are already in the Party."
                    ),
                    params={"value": citizen_id},
                    field="citizen_id",
                )
            )
    return refusals


@transaction.atomic
def register_candidate(
    *,
    by: Actor,
    organisation: Organisation,
    full_name: str,
    date_of_birth: dt.date,
    sex: str,
    **details: Any,
) -> Candidate:
    """A cell starts preparing the admission of a person who is not yet a member."""
    citizen_id = (details.pop("citizen_id", "") or "").strip() or None
    refuse_if_any(
        check_register_candidate(
            by=by,
            organisation=organisation,
            full_name=full_name,
            sex=sex,
            citizen_id=citizen_id,
            details=details,
        )
    )
    candidate = Candidate.objects.create(
        organisation=organisation,
        full_name=full_name.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        citizen_id=citizen_id,
        **{k: str(v).strip() for k, v in details.items() if v is not None},
    )
    audit.record(
        by=by,
        action="candidate.register",
        target=candidate,
        summary=_("Candidate registered in %(org)s") % {"org": organisation.name},
        changes=audit.snapshot(candidate, (*CANDIDATE_FIELDS, "organisation")),
    )
    return candidate


@dataclass(frozen=True)
class IntroducerInput:
    member: Member
    worked_together_since: dt.date


def _order_refusals(candidate: Candidate, kind: str, on: dt.date) -> list[Refusal]:
    """The step comes next, after every earlier one, and is not dated before them."""
    sequence = steps_for(candidate.organisation)
    if kind not in sequence:
        return [
            Refusal(
                code="step_not_applicable",
                message=gettext_lazy("A candidate of %(org)s has no step “%(step)s”."),
                params={"org": candidate.organisation.name, "step": StepKind(kind).label},
                field="kind",
            )
        ]
    done = list(Step.objects.filter(candidate=candidate).order_by("position"))
    done_kinds = {s.kind for s in done}
    if kind in done_kinds:
        return [
            Refusal(
                code="step_already_recorded",
                message=gettext_lazy("The step “%(step)s” is already recorded for %(name)s."),
                params={"step": StepKind(kind).label, "name": candidate.full_name},
                field="kind",
            )
        ]
    missing = [k for k in sequence[: sequence.index(kind)] if k not in done_kinds]
    if missing:
        return [
            Refusal(
                code="step_out_of_order",
                message=gettext_lazy("Record “%(missing)s” before “%(step)s”."),
                params={"missing": StepKind(missing[0]).label, "step": StepKind(kind).label},
                source=HD_01,
                field="kind",
            )
        ]
    if done and on < done[-1].on:
        return [
            Refusal(
                code="step_dated_before_previous",
                message=gettext_lazy("“%(step)s” cannot be dated before “%(previous)s” (%(date)s)."),
                params={
                    "step": StepKind(kind).label,
                    "previous": done[-1].get_kind_display(),
                    "date": done[-1].on,
                },
                field="on",
            )
        ]
    return []


def _introducer_refusals(
    candidate: Candidate, on: dt.date, introducers: Sequence[IntroducerInput], youth_union: bool
) -> list[Refusal]:
    r = rules_on(on)
    needed = r.introducers_with_youth_union if youth_union else r.introducers_required
    if len(introducers) < needed:
        if youth_union:
            message = gettext_lazy(
                "With a youth-union recommendation, %(n)d official members must still introduce the candidate."
            )
        else:
            message = gettext_lazy(
                "%(n)d official members must introduce the candidate (or the youth union must recommend them)."
            )
        return [
            Refusal(
                code="introducers_missing",
                message=message,
                params={"n": needed},
                source=CHARTER_4,
                field="introducers",
            )
        ]
    fresh = Member.objects.in_bulk([i.member.pk for i in introducers])  # as the register stands now
    seen: set[int] = set()
    for item in introducers:
        m = fresh[item.member.pk]
        if m.pk in seen:
            return [
                Refusal(
                    code="introducer_twice",
                    message=gettext_lazy("%(name)s is named twice."),
                    params={"name": m.full_name},
                    field="introducers",
                )
            ]
        seen.add(m.pk)
        if m.state == State.LEFT or m.admitted_on > on:
            return [
                Refusal(
                    code="introducer_not_member",
                    message=gettext_lazy(
                        "%(name)s is not a member of the Party and cannot introduce a candidate."
                    ),
                    params={"name": m.full_name},
                    source=CHARTER_4,
                    field="introducers",
                )
            ]
        if m.official_on is None or m.official_on > on:
            return [
                Refusal(
                    code="introducer_probationary",
                    message=gettext_lazy(
                        "%(name)s is a probationary member; only official members can introduce a candidate."
                    ),
                    params={"name": m.full_name},
                    source=CHARTER_4,
                    field="introducers",
                )
            ]
        known_until = add_months(item.worked_together_since, r.introducer_min_months_known)
        if known_until > on:
            return [
                Refusal(
                    code="introducer_known_too_briefly",
                    message=gettext_lazy(
                        "%(name)s has worked with the candidate since %(since)s, less than %(n)d months "
                        "before %(date)s."
                    ),
                    params={
                        "name": m.full_name,
                        "since": item.worked_together_since,
                        "n": r.introducer_min_months_known,
                        "date": on,
                    },
                    source=CHARTER_4,
                    field="introducers",
                )
            ]
    return []


def official_members_of_cell(cell: Organisation, on: dt.date) -> int:
    """Official members of ``cell`` on ``on``, counted from the membership periods."""
    return (
        Membership.objects.filter(organisation=cell, starts_on__lte=on, member__official_on__lte=on)
        .exclude(ends_on__lte=on)
        .exclude(member__left_on__lte=on)
        .values("member")
        .distinct()
        .count()
    )


def _cell_resolution_refusals(
    candidate: Candidate, on: dt.date, votes_for: int | None, votes_against: int | None
) -> list[Refusal]:
    r = rules_on(on)
    refusals = []
    months = age_in_months(candidate.date_of_birth, on)
    if months < r.min_age_months:
        refusals.append(
            Refusal(
                code="too_young",
                message=gettext_lazy(
                    "%(name)s is %(age)s old at the cell's consideration; the minimum is %(min)s."
                ),
                params={
                    "name": candidate.full_name,
                    "age": _years_months(months),
                    "min": _limit(r.min_age_months),
                },
                source="Điều lệ Đảng, Điều 1",
                field="on",
            )
        )
    if months > r.max_age_months:
        refusals.append(
            Refusal(
                code="too_old",
                message=gettext_lazy(
                    "%(name)s is %(age)s old at the cell's consideration; the maximum is %(max)s."
                ),
                params={
                    "name": candidate.full_name,
                    "age": _years_months(months),
                    "max": _limit(r.max_age_months),
                },
                source=HD_01,
                field="on",
            )
        )
    certificate = Step.objects.get(candidate=candidate, kind=StepKind.CERTIFICATE)
    expires = add_years(certificate.on, r.certificate_valid_years)
    if on >= expires:
        refusals.append(
            Refusal(
                code="certificate_expired",
                message=gettext_lazy(
                    "The Party-awareness class certificate of %(date)s expired on %(expires)s "
                    "(valid %(n)d years); the candidate must attend the class again."
                ),
                params={
                    "date": certificate.on,
                    "expires": expires,
                    "n": r.certificate_valid_years,
                },
                source=HD_01,
                field="on",
            )
        )
    if refusals:
        return refusals
    return vote_refusals(
        cell=candidate.organisation,
        on=on,
        votes_for=votes_for,
        votes_against=votes_against,
        numerator=r.cell_vote_numerator,
        denominator=r.cell_vote_denominator,
        strictly_more=False,
        source=CHARTER_4,
    )


def vote_refusals(
    *,
    cell: Organisation,
    on: dt.date,
    votes_for: int | None,
    votes_against: int | None,
    numerator: int,
    denominator: int,
    strictly_more: bool,
    source: str,
) -> list[Refusal]:
    """A cell's vote counted against its official members on ``on``: at least (or, with
    ``strictly_more``, more than) ``numerator``/``denominator`` of them in favour."""
    if votes_for is None:
        return [
            Refusal(
                code="votes_missing",
                message=gettext_lazy("Give the number of votes in favour."),
                field="votes_for",
            )
        ]
    official = official_members_of_cell(cell, on)
    cast = votes_for + (votes_against or 0)
    if cast > official:
        return [
            Refusal(
                code="more_votes_than_members",
                message=gettext_lazy("%(votes)d votes were cast but the cell has %(n)d official members."),
                params={"votes": cast, "n": official},
                field="votes_for",
            )
        ]
    if strictly_more:
        needed = official * numerator // denominator + 1
        message = gettext_lazy(
            "%(votes)d of the cell's %(n)d official members voted in favour; recognition needs more than "
            "%(num)d/%(den)d of them (%(needed)d)."
        )
    else:
        needed = -(-official * numerator // denominator)  # ceiling
        message = gettext_lazy(
            "%(votes)d of the cell's %(n)d official members voted in favour; admission needs at least "
            "%(num)d/%(den)d of them (%(needed)d)."
        )
    if votes_for < needed:
        return [
            Refusal(
                code="vote_short",
                message=message,
                params={
                    "votes": votes_for,
                    "n": official,
                    "num": numerator,
                    "den": denominator,
                    "needed": needed,
                },
                source=source,
                field="votes_for",
            )
        ]
    return []


def deciding_body(candidate: Candidate, kind: str) -> Organisation:
    """Whose step ``kind`` is: the cell's for most steps; the grassroots committee's for its
    resolution; the committee above the grassroots organisation for the admission decision
    (Charter Art. 4: the competent committee decides, not the cell)."""
    cell = candidate.organisation
    if kind not in (StepKind.GRASSROOTS_RESOLUTION, StepKind.DECISION):
        return cell
    grassroots = cell.grassroots() or cell
    if kind == StepKind.GRASSROOTS_RESOLUTION:
        return grassroots
    if grassroots.kind in GRASSROOTS_KINDS and grassroots.parent is not None:
        return grassroots.parent
    return grassroots


def check_record_step(
    *,
    by: Actor,
    candidate: Candidate,
    kind: str,
    on: dt.date,
    introducers: Sequence[IntroducerInput] = (),
    youth_union_recommendation: bool = False,
    votes_for: int | None = None,
    votes_against: int | None = None,
) -> list[Refusal]:
    """May ``by`` record step ``kind`` of ``candidate`` on ``on``? The grassroots resolution
    and the decision belong to the higher bodies, so a cell secretary may not record them."""
    if kind not in StepKind.values:
        refused = permission_refusals(by, Perm.ADMISSIONS, candidate.organisation.path)
        return refused or [Refusal(code="invalid_step", message=gettext_lazy("Choose a step."), field="kind")]
    refused = permission_refusals(by, Perm.ADMISSIONS, deciding_body(candidate, kind).path)
    if refused:
        return refused
    refusals = in_progress_refusals(candidate)
    if refusals:
        return refusals
    if kind == StepKind.CEREMONY:
        return [
            Refusal(
                code="ceremony_has_its_form",
                message=gettext_lazy("The ceremony is recorded with the admission ceremony form."),
                field="kind",
            )
        ]
    refusals = _order_refusals(candidate, kind, on)
    if refusals:
        return refusals
    if kind == StepKind.INTRODUCERS:
        refusals += _introducer_refusals(candidate, on, introducers, youth_union_recommendation)
    elif introducers or youth_union_recommendation:
        refusals.append(
            Refusal(
                code="introducers_at_their_step",
                message=gettext_lazy("Introducers are recorded at the introducers step."),
                field="introducers",
            )
        )
    if kind == StepKind.CELL_RESOLUTION:
        refusals += _cell_resolution_refusals(candidate, on, votes_for, votes_against)
    elif votes_for is not None or votes_against is not None:
        refusals.append(
            Refusal(
                code="vote_at_cell_resolution",
                message=gettext_lazy("A vote is recorded at the cell resolution."),
                field="votes_for",
            )
        )
    return refusals


@transaction.atomic
def record_step(
    *,
    by: Actor,
    candidate: Candidate,
    kind: str,
    on: dt.date,
    document_ref: str = "",
    notes: str = "",
    introducers: Sequence[IntroducerInput] = (),
    youth_union_recommendation: bool = False,
    votes_for: int | None = None,
    votes_against: int | None = None,
) -> Step:
    """Record the next step of a candidate's admission, dated, with its document.

    The ceremony is recorded by ``hold_ceremony``, which also creates the member.
    """
    candidate = _lock(candidate)
    refuse_if_any(
        check_record_step(
            by=by,
            candidate=candidate,
            kind=kind,
            on=on,
            introducers=introducers,
            youth_union_recommendation=youth_union_recommendation,
            votes_for=votes_for,
            votes_against=votes_against,
        )
    )
    step = Step.objects.create(
        candidate=candidate,
        kind=kind,
        position=POSITION[kind],
        on=on,
        document_ref=(document_ref or "").strip(),
        notes=(notes or "").strip(),
        youth_union_recommendation=youth_union_recommendation,
        votes_for=votes_for,
        votes_against=votes_against,
    )
    for item in introducers:
        Introducer.objects.create(
            candidate=candidate, member=item.member, worked_together_since=item.worked_together_since
        )
    changes: dict[str, Any] = {"step": kind, "on": on, "document_ref": step.document_ref}
    if introducers:
        changes["introducers"] = [i.member.full_name for i in introducers]
    if youth_union_recommendation:
        changes["youth_union_recommendation"] = True
    if votes_for is not None:
        changes["votes"] = [votes_for, votes_against or 0]
    audit.record(
        by=by,
        action="candidate.step",
        target=candidate,
        summary=StepKind(kind).label,
        changes=changes,
    )
    return step


def check_hold_ceremony(*, by: Actor, candidate: Candidate, on: dt.date) -> list[Refusal]:
    """May the ceremony be recorded on ``on``? It comes after the decision and within the
    working days the rules allow after it."""
    refused = permission_refusals(by, Perm.ADMISSIONS, candidate.organisation.path)
    if refused:
        return refused
    refusals = in_progress_refusals(candidate) or _order_refusals(candidate, StepKind.CEREMONY, on)
    if refusals:
        return refusals
    decision = Step.objects.filter(candidate=candidate, kind=StepKind.DECISION).first()
    if decision is not None:
        days = rules_on(decision.on).ceremony_within_working_days
        due = add_working_days(decision.on, days)
        if on > due:
            refusals.append(
                Refusal(
                    code="ceremony_too_late",
                    message=gettext_lazy(
                        "The ceremony is due within %(n)d working days of the decision of %(decision)s, "
                        "that is by %(due)s; the admission must be decided again."
                    ),
                    params={"n": days, "decision": decision.on, "due": due},
                    source=HD_01,
                    field="on",
                )
            )
    return refusals


@transaction.atomic
def hold_ceremony(
    *,
    by: Actor,
    candidate: Candidate,
    on: dt.date,
    document_ref: str = "",
    card_number: str | None = None,
    place: str = "",
    notes: str = "",
) -> Member:
    """The admission ceremony: the candidate becomes a probationary member of their cell,
    admitted on the ceremony date, and the oath they take there is recorded (dated) for
    the oath campaign through ``serment.oath.actions.record_oath``."""
    candidate = _lock(candidate)
    refuse_if_any(check_hold_ceremony(by=by, candidate=candidate, on=on))
    member = member_actions.register_member(
        by=by,
        organisation=candidate.organisation,
        full_name=candidate.full_name,
        date_of_birth=candidate.date_of_birth,
        sex=candidate.sex,
        admitted_on=on,
        how=MembershipKind.ADMISSION,
        ethnicity=candidate.ethnicity,
        religion=candidate.religion,
        home_town=candidate.home_town,
        citizen_id=candidate.citizen_id,
        card_number=card_number,
        phone=candidate.phone,
        education_level=candidate.education_level,
    )
    record_oath(by=by, member=member, taken_on=on, place=place)
    Step.objects.create(
        candidate=candidate,
        kind=StepKind.CEREMONY,
        position=POSITION[StepKind.CEREMONY],
        on=on,
        document_ref=(document_ref or "").strip(),
        notes=(notes or "").strip(),
    )
    candidate.status, candidate.member = CandidateStatus.ADMITTED, member
    candidate.save(update_fields=["status", "member"])
    audit.record(
        by=by,
        action="candidate.admit",
        target=candidate,
        summary=_("Admitted; oath taken at the ceremony"),
        changes={"on": on, "member": member.pk, "document_ref": document_ref},
    )
    return member


def check_withdraw_candidate(*, by: Actor, candidate: Candidate, reason: str = "") -> list[Refusal]:
    refused = permission_refusals(by, Perm.ADMISSIONS, candidate.organisation.path)
    if refused:
        return refused
    refusals = in_progress_refusals(candidate)
    if not (reason or "").strip():
        refusals.append(
            Refusal(
                code="reason_required", message=gettext_lazy("Say why the admission stops."), field="reason"
            )
        )
    return refusals


@transaction.atomic
def withdraw_candidate(*, by: Actor, candidate: Candidate, on: dt.date, reason: str) -> Candidate:
    """The admission stops (the candidate withdraws, or a step was refused)."""
    candidate = _lock(candidate)
    refuse_if_any(check_withdraw_candidate(by=by, candidate=candidate, reason=reason))
    candidate.status, candidate.withdrawn_on, candidate.withdrawn_reason = (
        CandidateStatus.WITHDRAWN,
        on,
        reason.strip(),
    )
    candidate.save(update_fields=["status", "withdrawn_on", "withdrawn_reason"])
    audit.record(by=by, action="candidate.withdraw", target=candidate, summary=reason, changes={"on": on})
    return candidate

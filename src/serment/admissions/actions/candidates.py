"""A candidate's way to admission: registration, steps in order, ceremony, withdrawal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.members import actions as member_actions
from serment.members.models import Member, Membership, MembershipKind, State
from serment.members.rules import add_months
from serment.oath.actions import record_oath
from serment.organisations.models import Organisation

from ..models import (
    POSITION,
    Candidate,
    CandidateStatus,
    Introducer,
    Step,
    StepKind,
)
from ..rules import add_years, age_in_months, rules_on
from ._common import CANDIDATE_FIELDS, _limit, _lock, _require_in_progress, _years_months, steps_for


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
    member_actions.validate_cell(organisation)
    require(by, Perm.ADMISSIONS, organisation.path)
    unknown = set(details) - set(CANDIDATE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(_("A full name is required."), field="full_name")
    if sex not in ("male", "female"):
        raise DomainError(_("Sex must be one of: %s.") % "male, female", field="sex")
    citizen_id = (details.pop("citizen_id", "") or "").strip() or None
    if citizen_id:
        if Candidate.objects.filter(citizen_id=citizen_id).exists():
            raise DomainError(
                _("The citizen ID %(value)s belongs to another candidate.") % {"value": citizen_id},
                field="citizen_id",
            )
        if Member.objects.filter(citizen_id=citizen_id).exists():
            raise DomainError(
                _("The citizen ID %(value)s belongs to a member: they are already in the Party.")
                % {"value": citizen_id},
                field="citizen_id",
            )
    candidate = Candidate.objects.create(
        organisation=organisation,
        full_name=full_name,
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


def _check_order(candidate: Candidate, kind: str, on: dt.date) -> list[Step]:
    """The step comes next, after every earlier one, and is not dated before them."""
    sequence = steps_for(candidate.organisation)
    if kind not in sequence:
        raise DomainError(
            _("A candidate of %(org)s has no step “%(step)s”.")
            % {"org": candidate.organisation.name, "step": StepKind(kind).label},
            field="kind",
        )
    done = list(Step.objects.filter(candidate=candidate).order_by("position"))
    done_kinds = {s.kind for s in done}
    if kind in done_kinds:
        raise DomainError(
            _("The step “%(step)s” is already recorded for %(name)s.")
            % {"step": StepKind(kind).label, "name": candidate.full_name},
            field="kind",
        )
    missing = [k for k in sequence[: sequence.index(kind)] if k not in done_kinds]
    if missing:
        raise DomainError(
            _("Record “%(missing)s” before “%(step)s”.")
            % {"missing": StepKind(missing[0]).label, "step": StepKind(kind).label},
            field="kind",
        )
    if done and on < done[-1].on:
        raise DomainError(
            _("“%(step)s” cannot be dated before “%(previous)s” (%(date)s).")
            % {"step": StepKind(kind).label, "previous": done[-1].get_kind_display(), "date": done[-1].on},
            field="on",
        )
    return done


def _check_introducers(
    candidate: Candidate, on: dt.date, introducers: Sequence[IntroducerInput], youth_union: bool
) -> None:
    r = rules_on(on)
    needed = r.introducers_with_youth_union if youth_union else r.introducers_required
    if len(introducers) < needed:
        if youth_union:
            message = _(
                "With a youth-union recommendation, %(n)d official members must still introduce the candidate."
            )
        else:
            message = _(
                "%(n)d official members must introduce the candidate (or the youth union must recommend them)."
            )
        raise DomainError(message % {"n": needed}, field="introducers")
    fresh = Member.objects.in_bulk([i.member.pk for i in introducers])  # as the register stands now
    seen: set[int] = set()
    for item in introducers:
        m = fresh[item.member.pk]
        if m.pk in seen:
            raise DomainError(_("%(name)s is named twice.") % {"name": m.full_name}, field="introducers")
        seen.add(m.pk)
        if m.state == State.LEFT or m.admitted_on > on:
            raise DomainError(
                _("%(name)s is not a member of the Party and cannot introduce a candidate.")
                % {"name": m.full_name},
                field="introducers",
            )
        if m.official_on is None or m.official_on > on:
            raise DomainError(
                _("%(name)s is a probationary member; only official members can introduce a candidate.")
                % {"name": m.full_name},
                field="introducers",
            )
        known_until = add_months(item.worked_together_since, r.introducer_min_months_known)
        if known_until > on:
            raise DomainError(
                _(
                    "%(name)s has worked with the candidate since %(since)s, less than %(n)d months "
                    "before %(date)s."
                )
                % {
                    "name": m.full_name,
                    "since": item.worked_together_since.isoformat(),
                    "n": r.introducer_min_months_known,
                    "date": on.isoformat(),
                },
                field="introducers",
            )


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


def _check_cell_resolution(
    candidate: Candidate, on: dt.date, votes_for: int | None, votes_against: int | None
):
    r = rules_on(on)
    months = age_in_months(candidate.date_of_birth, on)
    if months < r.min_age_months:
        raise DomainError(
            _("%(name)s is %(age)s old at the cell's consideration; the minimum is %(min)s.")
            % {"name": candidate.full_name, "age": _years_months(months), "min": _limit(r.min_age_months)},
            field="on",
        )
    if months > r.max_age_months:
        raise DomainError(
            _("%(name)s is %(age)s old at the cell's consideration; the maximum is %(max)s.")
            % {"name": candidate.full_name, "age": _years_months(months), "max": _limit(r.max_age_months)},
            field="on",
        )
    certificate = Step.objects.get(candidate=candidate, kind=StepKind.CERTIFICATE)
    expires = add_years(certificate.on, r.certificate_valid_years)
    if on >= expires:
        raise DomainError(
            _(
                "The Party-awareness class certificate of %(date)s expired on %(expires)s "
                "(valid %(n)d years); the candidate must attend the class again."
            )
            % {
                "date": certificate.on.isoformat(),
                "expires": expires.isoformat(),
                "n": r.certificate_valid_years,
            },
            field="on",
        )
    if votes_for is None:
        raise DomainError(_("Give the number of votes in favour."), field="votes_for")
    official = official_members_of_cell(candidate.organisation, on)
    needed = -(-official * r.cell_vote_numerator // r.cell_vote_denominator)  # ceiling
    if votes_for + (votes_against or 0) > official:
        raise DomainError(
            _("%(votes)d votes were cast but the cell has %(n)d official members.")
            % {"votes": votes_for + (votes_against or 0), "n": official},
            field="votes_for",
        )
    if votes_for < needed:
        raise DomainError(
            _(
                "%(votes)d of the cell's %(n)d official members voted in favour; admission needs at least "
                "%(num)d/%(den)d of them (%(needed)d)."
            )
            % {
                "votes": votes_for,
                "n": official,
                "num": r.cell_vote_numerator,
                "den": r.cell_vote_denominator,
                "needed": needed,
            },
            field="votes_for",
        )


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
    require(by, Perm.ADMISSIONS, candidate.organisation.path)
    candidate = _lock(candidate)
    _require_in_progress(candidate)
    if kind not in StepKind.values:
        raise DomainError(_("Choose a step."), field="kind")
    if kind == StepKind.CEREMONY:
        raise DomainError(_("The ceremony is recorded with the admission ceremony form."), field="kind")
    _check_order(candidate, kind, on)
    if kind == StepKind.INTRODUCERS:
        _check_introducers(candidate, on, introducers, youth_union_recommendation)
    elif introducers or youth_union_recommendation:
        raise DomainError(_("Introducers are recorded at the introducers step."), field="introducers")
    if kind == StepKind.CELL_RESOLUTION:
        _check_cell_resolution(candidate, on, votes_for, votes_against)
    elif votes_for is not None or votes_against is not None:
        raise DomainError(_("A vote is recorded at the cell resolution."), field="votes_for")
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
    require(by, Perm.ADMISSIONS, candidate.organisation.path)
    candidate = _lock(candidate)
    _require_in_progress(candidate)
    _check_order(candidate, StepKind.CEREMONY, on)
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


@transaction.atomic
def withdraw_candidate(*, by: Actor, candidate: Candidate, on: dt.date, reason: str) -> Candidate:
    """The admission stops (the candidate withdraws, or a step was refused)."""
    require(by, Perm.ADMISSIONS, candidate.organisation.path)
    candidate = _lock(candidate)
    _require_in_progress(candidate)
    if not (reason or "").strip():
        raise DomainError(_("Say why the admission stops."), field="reason")
    candidate.status, candidate.withdrawn_on, candidate.withdrawn_reason = (
        CandidateStatus.WITHDRAWN,
        on,
        reason.strip(),
    )
    candidate.save(update_fields=["status", "withdrawn_on", "withdrawn_reason"])
    audit.record(by=by, action="candidate.withdraw", target=candidate, summary=reason, changes={"on": on})
    return candidate

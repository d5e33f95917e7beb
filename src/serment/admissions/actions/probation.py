"""Probation: the helper, recognition as official or its refusal."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.members import actions as member_actions
from serment.members.models import LeftReason, Member, State
from serment.members.rules import add_months

from ..models import (
    ProbationHelper,
    ProbationReview,
)
from ..rules import rules_on


def _require_probationary(member: Member) -> None:
    if member.state == State.LEFT:
        raise DomainError(_("%(name)s is no longer on the register.") % {"name": member.full_name})
    if member.official_on is not None:
        raise DomainError(_("%(name)s is already an official member.") % {"name": member.full_name})


@transaction.atomic
def assign_helper(*, by: Actor, member: Member, helper: Member, on: dt.date) -> ProbationHelper:
    """Assign an official member of the cell to help a probationary member."""
    require(by, Perm.ADMISSIONS, member.organisation.path)
    member = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    helper = Member.objects.get(pk=helper.pk)
    _require_probationary(member)
    if helper.pk == member.pk:
        raise DomainError(_("A member cannot help themself."), field="helper")
    if helper.state == State.LEFT or helper.official_on is None or helper.official_on > on:
        raise DomainError(
            _("%(name)s is not an official member and cannot be a helper.") % {"name": helper.full_name},
            field="helper",
        )
    if helper.organisation_id != member.organisation_id:
        raise DomainError(
            _("The helper must belong to the same cell (%(org)s).") % {"org": member.organisation.name},
            field="helper",
        )
    if on < member.admitted_on:
        raise DomainError(_("A helper is assigned after the admission."), field="on")
    current = ProbationHelper.objects.select_for_update().filter(member=member, ends_on__isnull=True).first()
    if current is not None:
        if current.helper_id == helper.pk:
            raise DomainError(
                _("%(name)s is already the helper.") % {"name": helper.full_name}, field="helper"
            )
        current.ends_on = max(on, current.assigned_on)
        current.save(update_fields=["ends_on"])
    assignment = ProbationHelper.objects.create(member=member, helper=helper, assigned_on=on)
    audit.record(
        by=by,
        action="member.assign_helper",
        target=member,
        summary=_("Probation helper: %(name)s") % {"name": helper.full_name},
        changes={"helper": helper.full_name, "on": on},
    )
    return assignment


def _close_helper(member: Member, on: dt.date) -> None:
    ProbationHelper.objects.filter(member=member, ends_on__isnull=True, assigned_on__lte=on).update(
        ends_on=on
    )


@transaction.atomic
def recognise(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    votes_for: int | None = None,
    votes_against: int | None = None,
    document_ref: str = "",
) -> ProbationReview:
    """The cell votes to recognise a probationary member as official (dated)."""
    require(by, Perm.ADMISSIONS, member.organisation.path)
    member = Member.objects.get(pk=member.pk)
    _require_probationary(member)
    member_actions.recognise_as_official(by=by, member=member, on=on, document_ref=document_ref)
    _close_helper(member, on)
    return ProbationReview.objects.create(
        member=member,
        on=on,
        recognised=True,
        votes_for=votes_for,
        votes_against=votes_against,
        document_ref=document_ref.strip(),
    )


@transaction.atomic
def refuse_recognition(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    reason: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    document_ref: str = "",
) -> ProbationReview:
    """The cell's vote does not recognise the member: they leave the register."""
    require(by, Perm.ADMISSIONS, member.organisation.path)
    member = Member.objects.get(pk=member.pk)
    _require_probationary(member)
    if not (reason or "").strip():
        raise DomainError(_("Say why the member is not recognised."), field="reason")
    end = add_months(member.admitted_on, rules_on(on).probation_months)
    if on < end:
        raise DomainError(
            _("Probation lasts until %(date)s; the vote cannot be dated earlier.")
            % {"date": end.isoformat()},
            field="on",
        )
    _close_helper(member, on)
    member_actions.remove_from_register(
        by=by,
        member=member,
        on=on,
        reason=LeftReason.NOT_RECOGNISED,
        details=reason.strip(),
        document_ref=document_ref,
    )
    return ProbationReview.objects.create(
        member=member,
        on=on,
        recognised=False,
        votes_for=votes_for,
        votes_against=votes_against,
        document_ref=document_ref.strip(),
        notes=reason.strip(),
    )

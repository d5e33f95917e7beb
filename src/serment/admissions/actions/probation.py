"""Probation: the helper, recognition as official or its refusal.

Recognition is ONE action (``recognise``): the member page offers it through the
probation page, so the helper is always closed and the cell's vote always written.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.members import actions as member_actions
from serment.members.models import LeftReason, Member, State
from serment.members.rules import probation_end

from ..models import ProbationHelper, ProbationReview
from ..rules import rules_on
from ._common import CHARTER_5, HD_01
from .candidates import vote_refusals


def _probationary_refusals(member: Member) -> list[Refusal]:
    if member.state == State.LEFT:
        return [
            Refusal(
                code="member_left",
                message=gettext_lazy("%(name)s is no longer on the register."),
                params={"name": member.full_name},
            )
        ]
    if member.official_on is not None:
        return [
            Refusal(
                code="already_official",
                message=gettext_lazy("%(name)s is already an official member."),
                params={"name": member.full_name},
            )
        ]
    return []


def check_assign_helper(*, by: Actor, member: Member, helper: Member, on: dt.date) -> list[Refusal]:
    """May ``helper`` be assigned to ``member`` on ``on``?"""
    refused = permission_refusals(by, Perm.ADMISSIONS, member.organisation.path)
    if refused:
        return refused
    refusals = _probationary_refusals(member)
    if refusals:
        return refusals
    if helper.pk == member.pk:
        return [
            Refusal(
                code="helper_is_member",
                message=gettext_lazy("A member cannot help themself."),
                field="helper",
            )
        ]
    if helper.state == State.LEFT or helper.official_on is None or helper.official_on > on:
        refusals.append(
            Refusal(
                code="helper_not_official",
                message=gettext_lazy("%(name)s is not an official member and cannot be a helper."),
                params={"name": helper.full_name},
                source=CHARTER_5,
                field="helper",
            )
        )
    elif helper.organisation_id != member.organisation_id:
        refusals.append(
            Refusal(
                code="helper_other_cell",
                message=gettext_lazy("The helper must belong to the same cell (%(org)s)."),
                params={"org": member.organisation.name},
                source=CHARTER_5,
                field="helper",
            )
        )
    if on < member.admitted_on:
        refusals.append(
            Refusal(
                code="helper_before_admission",
                message=gettext_lazy("A helper is assigned after the admission."),
                field="on",
            )
        )
    current = ProbationHelper.objects.filter(member=member, ends_on__isnull=True).first()
    if current is not None and current.helper_id == helper.pk:
        refusals.append(
            Refusal(
                code="helper_already",
                message=gettext_lazy("%(name)s is already the helper."),
                params={"name": helper.full_name},
                field="helper",
            )
        )
    return refusals


@transaction.atomic
def assign_helper(*, by: Actor, member: Member, helper: Member, on: dt.date) -> ProbationHelper:
    """Assign an official member of the cell to help a probationary member."""
    member = Member.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)
    helper = Member.objects.get(pk=helper.pk)
    refuse_if_any(check_assign_helper(by=by, member=member, helper=helper, on=on))
    current = ProbationHelper.objects.select_for_update().filter(member=member, ends_on__isnull=True).first()
    if current is not None:
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


RECOGNITION_TOO_EARLY = gettext_lazy("Probation lasts until %(date)s; recognition cannot be dated earlier.")
VOTE_TOO_EARLY = gettext_lazy("Probation lasts until %(date)s; the vote cannot be dated earlier.")


def _vote_date_refusals(member: Member, on: dt.date, message=VOTE_TOO_EARLY) -> list[Refusal]:
    end = probation_end(member.admitted_on)
    if on < end:
        return [
            Refusal(
                code="probation_not_over",
                message=message,
                params={"date": end},
                source=CHARTER_5,
                field="on",
            )
        ]
    return []


def check_recognise(
    *, by: Actor, member: Member, on: dt.date, votes_for: int | None, votes_against: int | None = None
) -> list[Refusal]:
    """May the cell's vote of ``on`` recognise ``member`` as official? It is dated after the
    12 months of probation and needs more than half of the cell's official members in favour
    (Charter Art. 5: voted as for admission)."""
    refused = permission_refusals(by, Perm.ADMISSIONS, member.organisation.path)
    if refused:
        return refused
    refusals = _probationary_refusals(member) or _vote_date_refusals(member, on, RECOGNITION_TOO_EARLY)
    if refusals:
        return refusals
    r = rules_on(on)
    return vote_refusals(
        cell=member.organisation,
        on=on,
        votes_for=votes_for,
        votes_against=votes_against,
        numerator=r.recognition_vote_numerator,
        denominator=r.recognition_vote_denominator,
        strictly_more=True,
        source=CHARTER_5,
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
    """The cell votes on ``on`` to recognise a probationary member as official.

    The member is official from the day the 12 months of probation end, even when the
    cell votes later (Quy định 24-QĐ/TW; HD 01-HD/TW 2021); the vote's date is the review's.
    """
    member = Member.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)
    refuse_if_any(
        check_recognise(by=by, member=member, on=on, votes_for=votes_for, votes_against=votes_against)
    )
    official_on = probation_end(member.admitted_on)
    member.official_on = official_on
    member.save(update_fields=["official_on", "updated_at"])
    _close_helper(member, on)
    review = ProbationReview.objects.create(
        member=member,
        on=on,
        recognised=True,
        votes_for=votes_for,
        votes_against=votes_against,
        document_ref=document_ref.strip(),
    )
    audit.record(
        by=by,
        action="member.recognise",
        target=member,
        summary=_("Recognised as official"),
        changes={
            "official_on": [None, official_on],
            "vote_on": on,
            "votes": [votes_for, votes_against or 0],
            "document_ref": document_ref,
        },
    )
    return review


def check_refuse_recognition(*, by: Actor, member: Member, on: dt.date, reason: str) -> list[Refusal]:
    refused = permission_refusals(by, Perm.ADMISSIONS, member.organisation.path)
    if refused:
        return refused
    refusals = _probationary_refusals(member)
    if refusals:
        return refusals
    if not (reason or "").strip():
        refusals.append(
            Refusal(
                code="reason_required",
                message=gettext_lazy("Say why the member is not recognised."),
                source=HD_01,
                field="reason",
            )
        )
    return refusals + _vote_date_refusals(member, on)


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
    member = Member.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)
    refuse_if_any(check_refuse_recognition(by=by, member=member, on=on, reason=reason))
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

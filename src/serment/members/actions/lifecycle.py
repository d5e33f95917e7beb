"""A member's life in the register: admission, details, official, exemption, leaving (DOMAIN §2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.organisations.models import Organisation

from ..models import (
    ActivityPeriod,
    ExemptionReason,
    HoldingChange,
    LeftReason,
    Member,
    Membership,
    MembershipKind,
    PostHolding,
    State,
)
from ..names import name_keys
from ._common import (
    DETAIL_FIELDS,
    RECORD_FIELDS,
    _end_membership,
    _lock,
    _require_active,
    _require_current,
    _require_date_after,
    clean_member_details,
    validate_admission_dates,
    validate_cell,
    validate_exemption,
    validate_identity,
    validate_leaving,
)


@transaction.atomic
def register_member(
    *,
    by: Actor,
    organisation: Organisation,
    full_name: str,
    date_of_birth: dt.date,
    sex: str,
    admitted_on: dt.date,
    official_on: dt.date | None = None,
    joined_cell_on: dt.date | None = None,
    how: str = MembershipKind.REGISTERED,
    **details: Any,
) -> Member:
    """Put a member on the register in ``organisation`` (a cell).

    Used for members who already belong to the Party (import, transfer in from
    another province); a new admission goes through the admission pipeline, which
    calls this with ``how=ADMISSION``.
    """
    validate_cell(organisation)
    require(by, Perm.MANAGE_MEMBERS, organisation.path)
    data = clean_member_details({"full_name": full_name, "sex": sex, **details})
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    validate_admission_dates(
        date_of_birth=date_of_birth,
        admitted_on=admitted_on,
        official_on=official_on,
        joined_cell_on=joined_cell_on,
    )
    joined = joined_cell_on or admitted_on
    validate_identity(card_number=data.get("card_number"), citizen_id=data.get("citizen_id"))
    member = Member.objects.create(
        organisation=organisation,
        date_of_birth=date_of_birth,
        admitted_on=admitted_on,
        official_on=official_on,
        **data,
        **name_keys(data["full_name"]),
    )
    Membership.objects.create(member=member, organisation=organisation, starts_on=joined, kind=how)
    audit.record(
        by=by,
        action="member.register",
        target=member,
        summary=_("Registered in %(org)s") % {"org": organisation.name},
        changes=audit.snapshot(member, RECORD_FIELDS),
    )
    return member


@transaction.atomic
def update_member_details(*, by: Actor, member: Member, **fields: Any) -> Member:
    """Correct personal details (name, identity, contact, education…)."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    member = _lock(member)
    data = clean_member_details(fields)
    validate_identity(
        card_number=data.get("card_number", member.card_number),
        citizen_id=data.get("citizen_id", member.citizen_id),
        exclude_pk=member.pk,
    )
    before = audit.snapshot(member, DETAIL_FIELDS)
    for k, v in data.items():
        setattr(member, k, v)
    for k, v in name_keys(member.full_name).items():
        setattr(member, k, v)
    if member.admitted_on <= member.date_of_birth:
        raise DomainError(_("The date of birth must be before the admission date."), field="date_of_birth")
    member.save()
    changes = audit.diff(before, audit.snapshot(member, DETAIL_FIELDS))
    if changes:
        audit.record(
            by=by, action="member.update", target=member, changes=changes, summary=_("Details corrected")
        )
    return member


@transaction.atomic
def exempt_member(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    reason: str,
    until: dt.date | None = None,
    details: str = "",
    document_ref: str = "",
) -> ActivityPeriod:
    """Exempt a member from work and Party activities (decided by the cell).

    Age: men over 60, women over 55. Illness: 3 months or more. Any other reason
    needs a written request (document reference) and a duration.
    """
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    member = _lock(member)
    _require_active(member)
    validate_exemption(
        full_name=member.full_name,
        sex=member.sex,
        date_of_birth=member.date_of_birth,
        on=on,
        reason=reason,
        until=until,
        document_ref=document_ref,
    )
    period = ActivityPeriod.objects.create(
        member=member,
        state=State.EXEMPT,
        starts_on=on,
        planned_end=until,
        reason=reason,
        details=details,
        document_ref=document_ref,
    )
    member.state = State.EXEMPT
    member.save(update_fields=["state", "updated_at"])
    audit.record(
        by=by,
        action="member.exempt",
        target=member,
        summary=_("Exempt from activities: %(reason)s") % {"reason": ExemptionReason(reason).label},
        changes={"state": [State.ACTIVE, State.EXEMPT], "on": on, "until": until, "reason": reason},
    )
    return period


@transaction.atomic
def resume_activity(*, by: Actor, member: Member, on: dt.date) -> Member:
    """End an exemption or return from a temporary transfer."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    member = _lock(member)
    _require_current(member)
    period = ActivityPeriod.objects.select_for_update().filter(member=member, ends_on__isnull=True).first()
    if period is None or member.state == State.ACTIVE:
        raise DomainError(_("%(name)s is already active.") % {"name": member.full_name})
    _require_date_after(on, period.starts_on, "on", _("The return is dated before the period began."))
    period.ends_on = on
    period.save(update_fields=["ends_on"])
    old = member.state
    member.state = State.ACTIVE
    member.save(update_fields=["state", "updated_at"])
    audit.record(
        by=by,
        action="member.resume",
        target=member,
        summary=_("Back to ordinary activity"),
        changes={"state": [old, State.ACTIVE], "on": on},
    )
    return member


@transaction.atomic
def remove_from_register(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    reason: str,
    details: str = "",
    document_ref: str = "",
) -> Member:
    """The member leaves the register: struck off, expelled, deceased, resigned,
    transferred out of the province, or not recognised as official."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    member = _lock(member)
    _require_current(member)
    validate_leaving(
        on=on,
        reason=reason,
        admitted_on=member.admitted_on,
        official_on=member.official_on,
        document_ref=document_ref,
    )
    _end_membership(member, on)
    open_period = ActivityPeriod.objects.filter(member=member, ends_on__isnull=True).first()
    if open_period is not None:
        open_period.ends_on = max(on, open_period.starts_on)
        open_period.save(update_fields=["ends_on"])
    PostHolding.objects.filter(member=member, ends_on__isnull=True).update(
        ends_on=on, ended_how=HoldingChange.LEFT_REGISTER
    )
    old = member.state
    member.state, member.left_on, member.left_reason = State.LEFT, on, reason
    member.save(update_fields=["state", "left_on", "left_reason", "updated_at"])
    audit.record(
        by=by,
        action="member.leave",
        target=member,
        summary=LeftReason(reason).label,
        changes={
            "state": [old, State.LEFT],
            "on": on,
            "reason": reason,
            "details": details,
            "document_ref": document_ref,
        },
    )
    return member


def strike_off(
    *, by: Actor, member: Member, on: dt.date, details: str = "", document_ref: str = ""
) -> Member:
    """Xóa tên: e.g. three months in a year missing meetings or dues without reason."""
    return remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.STRUCK_OFF, details=details, document_ref=document_ref
    )


def expel(*, by: Actor, member: Member, on: dt.date, document_ref: str, details: str = "") -> Member:
    """Khai trừ, by a disciplinary decision."""
    return remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.EXPELLED, details=details, document_ref=document_ref
    )


def record_death(*, by: Actor, member: Member, on: dt.date, details: str = "") -> Member:
    return remove_from_register(by=by, member=member, on=on, reason=LeftReason.DECEASED, details=details)


def transfer_out_of_province(
    *, by: Actor, member: Member, on: dt.date, destination: str, document_ref: str = ""
) -> Member:
    if not (destination or "").strip():
        raise DomainError(_("Say where the member goes."), field="destination")
    return remove_from_register(
        by=by,
        member=member,
        on=on,
        reason=LeftReason.TRANSFERRED_AWAY,
        details=destination,
        document_ref=document_ref,
    )

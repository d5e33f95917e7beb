"""A member's life in the register: admission, details, official, exemption, leaving (DOMAIN §2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.dates import show_date
from serment.core.errors import PERMISSION_CODES, DomainError, Refusal, refusals_of, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
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


def check_register_member(
    *,
    by: Actor,
    organisation: Organisation | None,
    date_of_birth: dt.date,
    admitted_on: dt.date,
    official_on: dt.date | None = None,
    joined_cell_on: dt.date | None = None,
    details: dict[str, Any],
) -> list[Refusal]:
    """May ``by`` put this member on the register of ``organisation``? ``details``: the
    record's fields (full name, sex, card number…)."""
    cell_refused = refusals_of(lambda: validate_cell(organisation))
    if cell_refused:
        return cell_refused
    assert organisation is not None
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, organisation.path)
    if refused:
        return refused

    def validate() -> None:
        data = clean_member_details(details)
        unknown = set(data) - set(DETAIL_FIELDS)
        if unknown:
            raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)), code="unknown_fields")
        validate_admission_dates(
            date_of_birth=date_of_birth,
            admitted_on=admitted_on,
            official_on=official_on,
            joined_cell_on=joined_cell_on,
        )
        validate_identity(card_number=data.get("card_number"), citizen_id=data.get("citizen_id"))

    return refusals_of(validate)


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
    fields = {"full_name": full_name, "sex": sex, **details}
    refuse_if_any(
        check_register_member(
            by=by,
            organisation=organisation,
            date_of_birth=date_of_birth,
            admitted_on=admitted_on,
            official_on=official_on,
            joined_cell_on=joined_cell_on,
            details=fields,
        )
    )
    data = clean_member_details(fields)
    joined = joined_cell_on or admitted_on
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


def check_update_member_details(*, by: Actor, member: Member, fields: dict[str, Any]) -> list[Refusal]:
    """May ``by`` correct these details of ``member``?"""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused

    def validate() -> None:
        unknown = set(fields) - set(DETAIL_FIELDS)
        if unknown:
            raise DomainError(
                _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)),
                code="field_not_editable",
            )
        data = clean_member_details(fields)
        if "card_number" in data or "citizen_id" in data:
            validate_identity(
                card_number=data.get("card_number", member.card_number),
                citizen_id=data.get("citizen_id", member.citizen_id),
                exclude_pk=member.pk,
            )
        if member.admitted_on <= data.get("date_of_birth", member.date_of_birth):
            raise DomainError(
                _("The date of birth must be before the admission date."),
                field="date_of_birth",
                code="admitted_before_birth",
            )

    return refusals_of(validate)


@transaction.atomic
def update_member_details(*, by: Actor, member: Member, **fields: Any) -> Member:
    """Correct personal details (name, identity, contact, education…)."""
    member = _lock(member)
    refuse_if_any(check_update_member_details(by=by, member=member, fields=fields))
    data = clean_member_details(fields)
    before = audit.snapshot(member, DETAIL_FIELDS)
    for k, v in data.items():
        setattr(member, k, v)
    for k, v in name_keys(member.full_name).items():
        setattr(member, k, v)
    member.save()
    changes = audit.diff(before, audit.snapshot(member, DETAIL_FIELDS))
    if changes:
        audit.record(
            by=by, action="member.update", target=member, changes=changes, summary=_("Details corrected")
        )
    return member


def check_exempt_member(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    reason: str,
    until: dt.date | None = None,
    document_ref: str = "",
) -> list[Refusal]:
    """May ``member`` be exempted from ``on`` for ``reason``? (Quy định 24-QĐ/TW.)"""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused

    def validate() -> None:
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

    return refusals_of(validate)


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
    member = _lock(member)
    refuse_if_any(
        check_exempt_member(
            by=by, member=member, on=on, reason=reason, until=until, document_ref=document_ref
        )
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


def check_resume_activity(*, by: Actor, member: Member, on: dt.date) -> list[Refusal]:
    """May ``member`` be back to ordinary activity on ``on``?"""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused

    def validate() -> None:
        _require_current(member)
        period = None
        if member.state != State.ACTIVE:
            period = ActivityPeriod.objects.filter(member=member, ends_on__isnull=True).first()
        if period is None:
            raise DomainError(
                _("%(name)s is already active.") % {"name": member.full_name}, code="already_active"
            )
        _require_date_after(on, period.starts_on, "on", _("The return is dated before the period began."))

    return refusals_of(validate)


@transaction.atomic
def resume_activity(*, by: Actor, member: Member, on: dt.date) -> Member:
    """End an exemption or return from a temporary transfer."""
    member = _lock(member)
    refuse_if_any(check_resume_activity(by=by, member=member, on=on))
    period = ActivityPeriod.objects.select_for_update().get(member=member, ends_on__isnull=True)
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


def check_remove_from_register(
    *, by: Actor, member: Member, on: dt.date, reason: str, document_ref: str = ""
) -> list[Refusal]:
    """May ``member`` leave the register on ``on`` for ``reason``?"""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused

    def validate() -> None:
        _require_current(member)
        validate_leaving(
            on=on,
            reason=reason,
            admitted_on=member.admitted_on,
            official_on=member.official_on,
            document_ref=document_ref,
        )
        current = Membership.objects.filter(member=member, ends_on__isnull=True).first()
        if current is not None and on < current.starts_on:
            raise DomainError(
                _("The date is before the member joined the current cell (%(date)s).")
                % {"date": show_date(current.starts_on)},
                field="on",
                code="before_current_cell",
            )

    return refusals_of(validate)


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
    member = _lock(member)
    refuse_if_any(
        check_remove_from_register(by=by, member=member, on=on, reason=reason, document_ref=document_ref)
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


def check_strike_off(*, by: Actor, member: Member, on: dt.date, document_ref: str = "") -> list[Refusal]:
    """May ``member`` be struck from the register on ``on`` (the decision's reference required)?"""
    return check_remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.STRUCK_OFF, document_ref=document_ref
    )


def strike_off(
    *, by: Actor, member: Member, on: dt.date, details: str = "", document_ref: str = ""
) -> Member:
    """Xóa tên: e.g. three months in a year missing meetings or dues without reason."""
    return remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.STRUCK_OFF, details=details, document_ref=document_ref
    )


def check_expel(*, by: Actor, member: Member, on: dt.date, document_ref: str = "") -> list[Refusal]:
    """May ``member`` be expelled on ``on`` (the decision's reference required)?"""
    return check_remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.EXPELLED, document_ref=document_ref
    )


def expel(*, by: Actor, member: Member, on: dt.date, document_ref: str, details: str = "") -> Member:
    """Khai trừ, by a disciplinary decision."""
    return remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.EXPELLED, details=details, document_ref=document_ref
    )


def check_record_death(*, by: Actor, member: Member, on: dt.date) -> list[Refusal]:
    """May the death of ``member`` on ``on`` be recorded?"""
    return check_remove_from_register(by=by, member=member, on=on, reason=LeftReason.DECEASED)


def record_death(*, by: Actor, member: Member, on: dt.date, details: str = "") -> Member:
    """The member died: they leave the register on that day."""
    return remove_from_register(by=by, member=member, on=on, reason=LeftReason.DECEASED, details=details)


def check_transfer_out_of_province(
    *, by: Actor, member: Member, on: dt.date, destination: str, document_ref: str = ""
) -> list[Refusal]:
    """May ``member`` be transferred out of the province on ``on`` to ``destination``?"""
    refusals = check_remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.TRANSFERRED_AWAY, document_ref=document_ref
    )
    if any(r.code in PERMISSION_CODES for r in refusals):
        return refusals
    if not (destination or "").strip():
        refusals.append(
            Refusal(
                code="destination_required",
                message=gettext_lazy("Say where the member goes."),
                field="destination",
            )
        )
    return refusals


def transfer_out_of_province(
    *, by: Actor, member: Member, on: dt.date, destination: str, document_ref: str = ""
) -> Member:
    """The member moves to a Party organisation outside the province: they leave its register."""
    refuse_if_any(
        check_transfer_out_of_province(
            by=by, member=member, on=on, destination=destination, document_ref=document_ref
        )
    )
    return remove_from_register(
        by=by,
        member=member,
        on=on,
        reason=LeftReason.TRANSFERRED_AWAY,
        details=destination,
        document_ref=document_ref,
    )


def check_reinstate_member(
    *, by: Actor, member: Member, cell: Organisation | None, on: dt.date | None
) -> list[Refusal]:
    """May ``member``, expelled, be put back on the register in ``cell`` from ``on``? Only
    after an expulsion (an annulled one: ``inspection.actions.restore_rights``): a member
    who died or left for another reason is not; a cell, from the day they left or later."""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, cell.path if cell is not None else None)
    if refused:
        return refused
    if member.state != State.LEFT:
        return [
            Refusal(
                code="member_on_register",
                message=gettext_lazy("%(name)s is on the register."),
                params={"name": member.full_name},
            )
        ]
    if member.left_reason == LeftReason.DECEASED:
        return [
            Refusal(
                code="member_deceased",
                message=gettext_lazy("%(name)s died on %(date)s."),
                params={"name": member.full_name, "date": member.left_on},
            )
        ]
    if member.left_reason != LeftReason.EXPELLED:
        return [
            Refusal(
                code="member_left_otherwise",
                message=gettext_lazy(
                    "%(name)s left the register on %(date)s for another reason: %(reason)s."
                ),
                params={
                    "name": member.full_name,
                    "date": member.left_on,
                    "reason": member.get_left_reason_display(),
                },
            )
        ]
    refusals = refusals_of(lambda: validate_cell(cell, field="cell"))
    if on is None:
        refusals.append(Refusal(code="date_required", message=gettext_lazy("Enter the date."), field="on"))
    elif member.left_on is not None and on < member.left_on:
        refusals.append(
            Refusal(
                code="date_too_early",
                message=gettext_lazy("The date is before the member left the register (%(date)s)."),
                params={"date": member.left_on},
                field="on",
            )
        )
    return refusals


@transaction.atomic
def reinstate_member(
    *, by: Actor, member: Member, cell: Organisation, on: dt.date, document_ref: str = "", details: str = ""
) -> Member:
    """Put an expelled member back on the register, in ``cell`` from ``on`` (an annulled
    expulsion, Quy định 117-QĐ/TW): a new membership period, the member active again.
    Their admission and official dates are those they had."""
    member = _lock(member)
    refuse_if_any(check_reinstate_member(by=by, member=member, cell=cell, on=on))
    Membership.objects.create(
        member=member,
        organisation=cell,
        starts_on=on,
        kind=MembershipKind.REINSTATED,
        reason=(details or "")[:300],
        document_ref=(document_ref or "")[:100],
    )
    old = (member.state, member.left_on, member.left_reason)
    member.state, member.left_on, member.left_reason, member.organisation = State.ACTIVE, None, "", cell
    member.save(update_fields=["state", "left_on", "left_reason", "organisation", "updated_at"])
    audit.record(
        by=by,
        action="member.reinstate",
        target=member,
        summary=details or str(MembershipKind.REINSTATED.label),
        changes={
            "state": [old[0], State.ACTIVE],
            "left_on": [old[1], None],
            "left_reason": [old[2], ""],
            "cell": cell.code,
            "on": on,
            "document_ref": document_ref,
        },
    )
    return member

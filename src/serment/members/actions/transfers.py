"""Transfers between cells: for good, or for a while (study, work)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError, Refusal, refusals_of, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.organisations.models import Organisation

from ..models import (
    ActivityPeriod,
    Member,
    Membership,
    MembershipKind,
    State,
)
from ._common import (
    _end_membership,
    _lock,
    _require_active,
    _require_current,
    validate_cell,
    validate_temporary_transfer,
)


def check_transfer_member(
    *, by: Actor, member: Member, to: Organisation | None, internal: bool = False
) -> list[Refusal]:
    """May ``by`` transfer ``member`` to ``to``? Both cells must be in the actor's scope."""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused

    def validate_member() -> None:
        _require_current(member)
        if member.state == State.TRANSFERRED_OUT:
            raise DomainError(
                _("End the temporary transfer before an official transfer."),
                code="temporarily_transferred_out",
            )

    refused = refusals_of(validate_member) or refusals_of(lambda: validate_cell(to, field="to"))
    if refused:
        return refused
    assert to is not None
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, to.path)
    if refused:
        return refused

    def validate() -> None:
        if to.pk == member.organisation_id:
            raise DomainError(
                _("The member is already in %(org)s.") % {"org": to.name}, field="to", code="already_in_cell"
            )
        if internal:
            source = member.organisation
            src_root, dst_root = source.grassroots(), to.grassroots()
            if src_root is None or dst_root is None or src_root.pk != dst_root.pk or source.kind != "cell":
                raise DomainError(
                    _("An internal transfer stays within one grassroots committee."),
                    field="to",
                    code="internal_transfer_outside_grassroots",
                )

    return refusals_of(validate)


@transaction.atomic
def transfer_member(
    *,
    by: Actor,
    member: Member,
    to: Organisation,
    on: dt.date,
    internal: bool = False,
    reason: str = "",
    document_ref: str = "",
) -> Member:
    """Move a member's Party activities to another cell (official transfer).

    ``internal``: a transfer between cells of the same grassroots committee.
    Both the source and the destination must be in the actor's scope; a transfer
    to another committee outside it is done by a user whose scope covers both.
    """
    member = _lock(member)
    refuse_if_any(check_transfer_member(by=by, member=member, to=to, internal=internal))
    source = member.organisation
    _end_membership(member, on)
    Membership.objects.create(
        member=member,
        organisation=to,
        starts_on=on,
        kind=MembershipKind.INTERNAL_TRANSFER if internal else MembershipKind.OFFICIAL_TRANSFER,
        reason=reason,
        document_ref=document_ref,
    )
    member.organisation = to
    member.save(update_fields=["organisation", "updated_at"])
    audit.record(
        by=by,
        action="member.transfer",
        target=member,
        summary=_("Transferred from %(src)s to %(dst)s") % {"src": source.name, "dst": to.name},
        changes={
            "organisation": [source.name, to.name],
            "on": on,
            "internal": internal,
            "reason": reason,
            "document_ref": document_ref,
        },
    )
    return member


def check_transfer_temporarily(
    *, by: Actor, member: Member, on: dt.date, until: dt.date, destination: str, for_training: bool = False
) -> list[Refusal]:
    """May ``member`` be temporarily transferred out from ``on`` to ``until``?"""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused

    def validate() -> None:
        _require_active(member)
        validate_temporary_transfer(on=on, until=until, destination=destination, for_training=for_training)

    return refusals_of(validate)


@transaction.atomic
def transfer_temporarily(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    until: dt.date,
    destination: str,
    for_training: bool = False,
    reason: str = "",
    document_ref: str = "",
) -> ActivityPeriod:
    """Temporary transfer of Party activities out (3 months to under a year;
    training up to 2 years). The member stays on the home cell's register."""
    member = _lock(member)
    refuse_if_any(
        check_transfer_temporarily(
            by=by, member=member, on=on, until=until, destination=destination, for_training=for_training
        )
    )
    period = ActivityPeriod.objects.create(
        member=member,
        state=State.TRANSFERRED_OUT,
        starts_on=on,
        planned_end=until,
        reason="training" if for_training else "work",
        details=reason,
        destination=destination.strip(),
        document_ref=document_ref,
    )
    member.state = State.TRANSFERRED_OUT
    member.save(update_fields=["state", "updated_at"])
    audit.record(
        by=by,
        action="member.transfer_temporarily",
        target=member,
        summary=_("Temporarily transferred to %(dst)s until %(date)s") % {"dst": destination, "date": until},
        changes={
            "state": [State.ACTIVE, State.TRANSFERRED_OUT],
            "on": on,
            "until": until,
            "destination": destination,
            "for_training": for_training,
        },
    )
    return period

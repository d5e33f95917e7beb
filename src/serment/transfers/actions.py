"""The transfer letter's actions: issue it (sending side), receive the package
(receiving side), record the acknowledgement (sending side, between two databases)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.dates import show_date
from serment.core.errors import DomainError, Refusal, refusals_of, refuse_if_any
from serment.core.imports import parse_date
from serment.core.roles import Perm
from serment.core.rulesets import add_working_days
from serment.core.scoping import permission_refusals
from serment.members import actions as member_actions
from serment.members.actions._common import validate_cell
from serment.members.models import (
    ActivityPeriod,
    LeftReason,
    Member,
    Membership,
    MembershipKind,
    PostHolding,
    State,
)
from serment.organisations.models import Organisation

from .models import PriorPeriod, TransferLetter, TransferReceipt
from .package import ACK_SCHEMA, build_package, checksum_of

# HD 01-HD/TW: a member transferred in is presented to the new cell within 30 working days.
PRESENT_WITHIN_WORKING_DAYS = 30


# --- sending side ------------------------------------------------------------------------


def check_issue_transfer_letter(*, by: Actor, member: Member, number: str) -> list[Refusal]:
    """May ``by`` issue the transfer letter of ``member``? The member left the register by
    an official transfer to another committee; one letter per transfer."""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused
    refusals = []
    if member.state != State.LEFT or member.left_reason != LeftReason.TRANSFERRED_AWAY:
        refusals.append(
            Refusal(
                "not_transferred_away",
                gettext_lazy("Record the official transfer to the other committee first."),
            )
        )
    elif TransferLetter.objects.filter(member=member).exists():
        refusals.append(Refusal("letter_already_issued", gettext_lazy("This transfer's letter is issued.")))
    if not (number or "").strip():
        refusals.append(
            Refusal("letter_number_required", gettext_lazy("Give the letter's number."), field="number")
        )
    elif len(number.strip()) > 100:
        refusals.append(
            Refusal("letter_number_too_long", gettext_lazy("At most 100 characters."), field="number")
        )
    return refusals


@transaction.atomic
def issue_transfer_letter(*, by: Actor, member: Member, number: str, on: dt.date) -> TransferLetter:
    """Issue the letter of ``member``'s official transfer and its package, as of ``on``."""
    member = Member.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)
    refuse_if_any(check_issue_transfer_letter(by=by, member=member, number=number))
    package_id = str(uuid.uuid4())
    destination = _destination(member)
    document = build_package(
        package_id=package_id, member=member, number=number.strip(), issued_on=on, destination=destination
    )
    letter = TransferLetter.objects.create(
        member=member,
        from_organisation=member.organisation,
        destination=destination[:200],
        number=number.strip(),
        issued_on=on,
        package_id=package_id,
        checksum=document["checksum"],
        package=document,
    )
    audit.record(
        by=by,
        action="transfer.issue_letter",
        target=member,
        summary=_("Transfer letter %(number)s to %(dst)s") % {"number": letter.number, "dst": destination},
        changes={"letter": letter.number, "package": package_id},
    )
    return letter


def _destination(member: Member) -> str:
    entry = audit.history_of(member).filter(action="member.leave").first()
    details = (entry.changes or {}).get("details") if entry is not None else ""
    return str(details or "")


def check_record_acknowledgement(*, by: Actor, letter: TransferLetter, acknowledgement: Any) -> list[Refusal]:
    """Does the receiving side's acknowledgement answer this letter's package?"""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, letter.from_organisation.path)
    if refused:
        return refused
    if not isinstance(acknowledgement, dict) or acknowledgement.get("schema") != ACK_SCHEMA:
        return [Refusal("not_an_acknowledgement", gettext_lazy("This is not a transfer acknowledgement."))]
    if (
        str(acknowledgement.get("package_id")) != str(letter.package_id)
        or acknowledgement.get("checksum") != letter.checksum
    ):
        return [
            Refusal(
                "acknowledgement_mismatch",
                gettext_lazy("This acknowledgement is for another package."),
                field="package_id",
            )
        ]
    try:
        received = parse_date(acknowledgement.get("received_on"))
    except ValueError:
        received = None
    if received is None or received < letter.issued_on:
        return [
            Refusal(
                "bad_received_on",
                gettext_lazy("The acknowledgement's date is missing or before the letter."),
                field="received_on",
            )
        ]
    if letter.received_on is not None:
        return [
            Refusal("letter_already_received", gettext_lazy("This letter is already marked as received."))
        ]
    return []


@transaction.atomic
def record_acknowledgement(*, by: Actor, letter: TransferLetter, acknowledgement: Any) -> TransferLetter:
    """Mark the letter received, from the receiving side's acknowledgement (two databases)."""
    letter = (
        TransferLetter.objects.select_for_update(of=("self",))
        .select_related("from_organisation")
        .get(pk=letter.pk)
    )
    refuse_if_any(check_record_acknowledgement(by=by, letter=letter, acknowledgement=acknowledgement))
    letter.received_on = parse_date(acknowledgement["received_on"])
    receiver = acknowledgement.get("received_by") or {}
    letter.received_note = (
        _("Acknowledged by %(org)s") % {"org": str(receiver.get("name", ""))[:200]}
        if isinstance(receiver, dict)
        else ""
    )[:300]
    letter.save(update_fields=["received_on", "received_note"])
    audit.record(
        by=by,
        action="transfer.acknowledged",
        target=letter.member,
        summary=letter.received_note,
        changes={"letter": letter.number, "received_on": letter.received_on},
    )
    return letter


# --- receiving side ------------------------------------------------------------------------


def check_receive_transfer(
    *, by: Actor, package: dict[str, Any], cell: Organisation | None, on: dt.date
) -> list[Refusal]:
    """May ``by`` receive this (verified) package into ``cell`` on ``on``?"""
    refused = refusals_of(lambda: validate_cell(cell, field="cell"))
    if refused:
        return refused
    assert cell is not None
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, cell.path)
    if refused:
        return refused
    if TransferReceipt.objects.filter(package_id=package["package_id"]).exists():
        return [Refusal("package_already_received", gettext_lazy("This package is already imported."))]
    issued = parse_date(package["letter"]["issued_on"])
    if on < issued:
        return [
            Refusal(
                "received_before_issued",
                gettext_lazy("The package cannot be received before its letter was issued."),
                field="on",
            )
        ]
    return []


def _date(value: Any) -> dt.date | None:
    return parse_date(value) if value else None


def _organisations(package: dict[str, Any]) -> dict[str, Organisation]:
    history = package["history"]
    codes = {p["organisation"]["code"] for p in history["memberships"] + history["posts"]}
    return {o.code: o for o in Organisation.objects.filter(code__in=codes)}


@transaction.atomic
def receive_transfer(
    *, by: Actor, package: dict[str, Any], cell: Organisation, on: dt.date
) -> TransferReceipt:
    """Put the transferred member on this register in ``cell`` from ``on``, with their
    history, and open the deadline for presenting them to the cell.

    When the letter was issued from this same database, the member's own record comes
    back on the register and the letter is marked received. Otherwise the member is
    registered anew (``members.register_member``) with their history: periods at
    organisations this database holds (same code) as its own rows, the others kept as
    ``PriorPeriod``s.
    """
    refuse_if_any(check_receive_transfer(by=by, package=package, cell=cell, on=on))
    letter = (
        TransferLetter.objects.select_for_update(of=("self",))
        .filter(package_id=package["package_id"])
        .first()
    )
    if letter is not None:
        member = _back_on_register(by=by, letter=letter, cell=cell, on=on)
    else:
        member = _register_with_history(by=by, package=package, cell=cell, on=on)
    receipt = TransferReceipt.objects.create(
        package_id=package["package_id"],
        checksum=package["checksum"],
        member=member,
        cell=cell,
        sender=str(package["letter"]["from_committee"]["name"])[:200],
        letter_number=str(package["letter"]["number"])[:100],
        received_on=on,
        present_by=add_working_days(on, PRESENT_WITHIN_WORKING_DAYS),
    )
    audit.record(
        by=by,
        action="transfer.receive",
        target=member,
        summary=_("Transfer received from %(org)s; to be presented to the cell by %(date)s")
        % {"org": receipt.sender, "date": show_date(receipt.present_by)},
        changes={"package": str(receipt.package_id), "cell": cell.name, "present_by": receipt.present_by},
    )
    return receipt


def _back_on_register(*, by: Actor, letter: TransferLetter, cell: Organisation, on: dt.date) -> Member:
    member = Member.objects.select_for_update(of=("self",)).get(pk=letter.member_id)
    if member.state != State.LEFT or member.left_on is None or on < member.left_on:
        raise DomainError(_("This member is back on the register already."), code="package_already_received")
    member.state, member.left_on, member.left_reason, member.organisation = State.ACTIVE, None, "", cell
    member.save(update_fields=["state", "left_on", "left_reason", "organisation", "updated_at"])
    Membership.objects.create(
        member=member,
        organisation=cell,
        starts_on=on,
        kind=MembershipKind.OFFICIAL_TRANSFER,
        document_ref=letter.number,
    )
    letter.received_on = on
    letter.received_note = _("Imported into %(org)s") % {"org": cell.name}
    letter.save(update_fields=["received_on", "received_note"])
    return member


def _register_with_history(*, by: Actor, package: dict[str, Any], cell: Organisation, on: dt.date) -> Member:
    record = package["member"]
    details = {
        k: v
        for k, v in record.items()
        if k not in ("full_name", "date_of_birth", "sex", "admitted_on", "official_on")
        and v not in (None, "")
    }
    member = member_actions.register_member(
        by=by,
        organisation=cell,
        full_name=record["full_name"],
        date_of_birth=_date(record["date_of_birth"]),
        sex=record["sex"],
        admitted_on=_date(record["admitted_on"]),
        official_on=_date(record.get("official_on")),
        joined_cell_on=on,
        how=MembershipKind.TRANSFER_IN,
        **details,
    )
    known = _organisations(package)
    history = package["history"]
    for m in history["memberships"]:
        starts, ends = _date(m["starts_on"]), _date(m["ends_on"]) or on
        org = known.get(m["organisation"]["code"])
        if org is not None:
            Membership.objects.create(
                member=member,
                organisation=org,
                starts_on=starts,
                ends_on=ends,
                kind=m["kind"],
                reason=m["reason"],
                document_ref=m["document_ref"],
            )
        else:
            PriorPeriod.objects.create(
                member=member,
                kind="cell",
                organisation_code=m["organisation"]["code"][:40],
                organisation_name=m["organisation"]["name"][:200],
                starts_on=starts,
                ends_on=ends,
                how=m["kind"][:30],
                reason=m["reason"][:300],
                document_ref=m["document_ref"][:100],
            )
    for p in history["activity_periods"]:
        ActivityPeriod.objects.create(
            member=member,
            state=p["state"],
            starts_on=_date(p["starts_on"]),
            planned_end=_date(p["planned_end"]),
            ends_on=_date(p["ends_on"]) or on,
            reason=p["reason"],
            details=p["details"],
            destination=p["destination"],
            document_ref=p["document_ref"],
        )
    for h in history["posts"]:
        org = known.get(h["organisation"]["code"])
        starts, ends = _date(h["starts_on"]), _date(h["ends_on"]) or on
        if org is not None:
            PostHolding.objects.create(
                member=member,
                organisation=org,
                post=h["post"],
                title=h["title"],
                starts_on=starts,
                ends_on=ends,
                reason=h["reason"],
                management_level=h["management_level"],
                began_how=h["began_how"],
                ended_how=h["ended_how"],
            )
        else:
            PriorPeriod.objects.create(
                member=member,
                kind="post",
                organisation_code=h["organisation"]["code"][:40],
                organisation_name=h["organisation"]["name"][:200],
                starts_on=starts,
                ends_on=ends,
                how=h["began_how"][:30],
                post=h["post"][:30],
                title=h["title"][:200],
                reason=h["reason"][:300],
            )
    return member


def acknowledgement_of(receipt: TransferReceipt) -> dict[str, Any]:
    """What the receiving side sends back so that the sender marks the letter received."""
    document = {
        "schema": ACK_SCHEMA,
        "schema_version": "1.0",
        "package_id": str(receipt.package_id),
        "checksum": receipt.checksum,
        "received_on": receipt.received_on.isoformat(),
        "received_by": {"code": receipt.cell.code, "name": receipt.cell.name},
    }
    document["signature"] = checksum_of(document)
    return document

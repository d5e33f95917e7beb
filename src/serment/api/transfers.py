"""Transfer letters through the API: issue the letter of an official transfer, fetch it
as PDF and its package as JSON, import a package (the receiving side), answer with the
acknowledgement and record it (the sending side). Everything goes through
``serment.transfers.actions`` and its checks; out of scope answers 404."""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from serment.core.errors import refuse_if_any
from serment.core.scoping import get_visible_or_404
from serment.members.models import Member
from serment.organisations.models import Organisation
from serment.transfers import actions
from serment.transfers.letter import letter_pdf
from serment.transfers.models import TransferLetter, TransferReceipt
from serment.transfers.package import package_file, read_package

from .common import READ_ERRORS, WRITE_ERRORS, BoundedDate

router = Router(tags=["transfers"])


class LetterOut(Schema):
    id: int
    member_id: int
    number: str
    issued_on: dt.date
    destination: str
    package_id: str
    checksum: str
    received_on: dt.date | None
    received_note: str

    @staticmethod
    def resolve_package_id(obj) -> str:
        return str(obj.package_id)


class LetterIn(Schema):
    number: str
    on: BoundedDate | None = None


@router.post("/members/{member_id}/transfer-letter", response={200: LetterOut, **WRITE_ERRORS})
def issue_letter(request, member_id: int, body: LetterIn):
    """Issue the letter of the member's official transfer to another committee (recorded
    first as leaving the register, reason ``transferred_away``) and its package."""
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    refuse_if_any(actions.check_issue_transfer_letter(by=request.user, member=member, number=body.number))
    return actions.issue_transfer_letter(
        by=request.user, member=member, number=body.number, on=body.on or timezone.localdate()
    )


def _letter(request, letter_id: int) -> TransferLetter:
    return get_visible_or_404(
        TransferLetter.objects.select_related("from_organisation"), request.user, pk=letter_id
    )


@router.get("/transfer-letters/{letter_id}", response={200: LetterOut, **READ_ERRORS})
def letter(request, letter_id: int):
    return _letter(request, letter_id)


FILE_ANSWER = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


@router.get(
    "/transfer-letters/{letter_id}/letter.pdf",
    response=READ_ERRORS,
    openapi_extra={"responses": {200: {"description": "The letter (PDF)", **FILE_ANSWER}}},
)
def letter_as_pdf(request, letter_id: int):
    """The letter in the official form, as PDF."""
    found = _letter(request, letter_id)
    answer = HttpResponse(letter_pdf(found), content_type="application/pdf")
    answer["Content-Disposition"] = f'attachment; filename="transfer-letter-{found.pk}.pdf"'
    return answer


@router.get(
    "/transfer-letters/{letter_id}/package.json",
    response=READ_ERRORS,
    openapi_extra={"responses": {200: {"description": "The package (JSON)", **FILE_ANSWER}}},
)
def letter_package(request, letter_id: int):
    """The package the receiving committee imports (docs/import-formats/transfer-package.md)."""
    found = _letter(request, letter_id)
    answer = HttpResponse(package_file(found.package), content_type="application/octet-stream")
    answer["Content-Disposition"] = f'attachment; filename="transfer-package-{found.package_id}.json"'
    return answer


ACKNOWLEDGEMENT_BODY = {
    "requestBody": {
        "content": {"application/json": {"schema": {"type": "object"}}},
        "required": True,
        "description": "The acknowledgement file the receiving side answered with.",
    }
}


@router.post(
    "/transfer-letters/{letter_id}/acknowledgement",
    response={200: LetterOut, **WRITE_ERRORS},
    openapi_extra=ACKNOWLEDGEMENT_BODY,
)
def record_acknowledgement(request, letter_id: int):
    """The sending side records the receiving side's acknowledgement (two databases): the
    letter is then marked received on the acknowledgement's date. Once only."""
    found = _letter(request, letter_id)
    try:
        document = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        document = None
    return actions.record_acknowledgement(by=request.user, letter=found, acknowledgement=document)


class ReceiptOut(Schema):
    id: int
    package_id: str
    member_id: int
    cell_id: int
    sender: str
    letter_number: str
    received_on: dt.date
    present_by: dt.date
    presented_on: dt.date | None

    @staticmethod
    def resolve_package_id(obj) -> str:
        return str(obj.package_id)


class ReceiveFilters(Schema):
    cell: int


PACKAGE_BODY = {
    "requestBody": {
        "content": {"application/json": {"schema": {"type": "object"}}},
        "required": True,
        "description": "The package file as the sending side gave it.",
    }
}


@router.post("/transfer-packages", response={200: ReceiptOut, **WRITE_ERRORS}, openapi_extra=PACKAGE_BODY)
def receive_package(request, filters: Query[ReceiveFilters]):
    """The receiving side imports a package into one of its cells (``?cell=ID``): the
    member is registered with their history; the deadline for presenting them to the
    cell opens (30 working days)."""
    cell = get_visible_or_404(Organisation.objects.all(), request.user, pk=filters.cell)
    package = read_package(request.body)
    return actions.receive_transfer(by=request.user, package=package, cell=cell, on=timezone.localdate())


@router.get("/transfer-receipts/{receipt_id}", response={200: ReceiptOut, **READ_ERRORS})
def receipt(request, receipt_id: int):
    return get_visible_or_404(TransferReceipt.objects.select_related("cell"), request.user, pk=receipt_id)


@router.get(
    "/transfer-receipts/{receipt_id}/acknowledgement",
    response=READ_ERRORS,
    openapi_extra={"responses": {200: {"description": "The acknowledgement (JSON)", **FILE_ANSWER}}},
)
def acknowledgement(request, receipt_id: int):
    """What the receiving side sends back to the sender, who records it."""
    found = get_visible_or_404(TransferReceipt.objects.select_related("cell"), request.user, pk=receipt_id)
    document = actions.acknowledgement_of(found)
    answer = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type="application/octet-stream",
    )
    answer["Content-Disposition"] = f'attachment; filename="transfer-acknowledgement-{found.package_id}.json"'
    return answer

"""The transfer package: a member's record and dated history as one JSON document with
a schema version and a checksum (docs/import-formats/transfer-package.md).

The checksum is the SHA-256 of the package's canonical JSON (keys sorted, no spaces,
UTF-8) without the ``checksum`` key: any change to the file, even one date, fails it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as SchemaError

from serment.core.imports import ImportFileError, max_import_bytes
from serment.members.models import ActivityPeriod, Member, Membership, PostHolding

SCHEMA = "serment.transfer-package"
SCHEMA_VERSION = "1.0"
ACK_SCHEMA = "serment.transfer-acknowledgement"
# The record's fields a package carries (members.actions' DETAIL_FIELDS and the dates).
MEMBER_FIELDS = (
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "religion",
    "home_town",
    "citizen_id",
    "card_number",
    "phone",
    "email",
    "education_level",
    "theory_level",
    "admitted_on",
    "official_on",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def checksum_of(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical({k: v for k, v in document.items() if k != "checksum"})).hexdigest()


def _organisation(org) -> dict[str, str]:
    return {"code": org.code, "name": org.name}


def history_of(member: Member) -> dict[str, Any]:
    """The member's dated history as the package carries it (oldest first)."""
    return {
        "memberships": [
            {
                "organisation": _organisation(m.organisation),
                "starts_on": _plain(m.starts_on),
                "ends_on": _plain(m.ends_on),
                "kind": m.kind,
                "reason": m.reason,
                "document_ref": m.document_ref,
            }
            for m in Membership.objects.filter(member=member)
            .select_related("organisation")
            .order_by("starts_on", "pk")
        ],
        "activity_periods": [
            {
                "state": p.state,
                "starts_on": _plain(p.starts_on),
                "planned_end": _plain(p.planned_end),
                "ends_on": _plain(p.ends_on),
                "reason": p.reason,
                "details": p.details,
                "destination": p.destination,
                "document_ref": p.document_ref,
            }
            for p in ActivityPeriod.objects.filter(member=member).order_by("starts_on", "pk")
        ],
        "posts": [
            {
                "organisation": _organisation(h.organisation),
                "post": h.post,
                "title": h.title,
                "starts_on": _plain(h.starts_on),
                "ends_on": _plain(h.ends_on),
                "reason": h.reason,
                "management_level": h.management_level,
                "began_how": h.began_how,
                "ended_how": h.ended_how,
            }
            for h in PostHolding.objects.filter(member=member)
            .select_related("organisation")
            .order_by("starts_on", "pk")
        ],
        "left": {"on": _plain(member.left_on), "reason": member.left_reason} if member.left_on else None,
    }


def build_package(
    *, package_id: str, member: Member, number: str, issued_on: dt.date, destination: str
) -> dict[str, Any]:
    """The package of ``member``'s transfer letter, checksum included."""
    cell = member.organisation
    committee = cell.grassroots() or cell
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "package_id": package_id,
        "letter": {
            "number": number,
            "issued_on": issued_on.isoformat(),
            "from_cell": _organisation(cell),
            "from_committee": _organisation(committee),
            "destination": destination,
        },
        "member": {name: _plain(getattr(member, name)) for name in MEMBER_FIELDS},
        "history": history_of(member),
    }
    document["checksum"] = checksum_of(document)
    return document


def package_file(document: dict[str, Any]) -> bytes:
    """The package as the file handed over (indented, UTF-8; the checksum does not
    depend on the layout)."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


# --- the package's shape, checked before anything is read from it -------------------------

Text = Field(default="", max_length=300)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class OrganisationRef(_Strict):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)


class LetterPart(_Strict):
    number: str = Field(min_length=1, max_length=100)
    issued_on: dt.date
    from_cell: OrganisationRef
    from_committee: OrganisationRef
    destination: str = Field(default="", max_length=200)


class MemberPart(_Strict):
    full_name: str = Field(min_length=1, max_length=120)
    date_of_birth: dt.date
    sex: str = Field(max_length=10)
    ethnicity: str | None = Field(default="", max_length=60)
    religion: str | None = Field(default="", max_length=60)
    home_town: str | None = Field(default="", max_length=200)
    citizen_id: str | None = Field(default=None, max_length=20)
    card_number: str | None = Field(default=None, max_length=20)
    phone: str | None = Field(default="", max_length=20)
    email: str | None = Field(default="", max_length=254)
    education_level: str | None = Field(default="", max_length=60)
    theory_level: str | None = Field(default="", max_length=60)
    admitted_on: dt.date
    official_on: dt.date | None = None


class MembershipPart(_Strict):
    organisation: OrganisationRef
    starts_on: dt.date
    ends_on: dt.date | None = None
    kind: str = Field(max_length=20)
    reason: str = Text
    document_ref: str = Field(default="", max_length=100)


class ActivityPart(_Strict):
    state: str = Field(max_length=20)
    starts_on: dt.date
    planned_end: dt.date | None = None
    ends_on: dt.date | None = None
    reason: str = Field(default="", max_length=20)
    details: str = Text
    destination: str = Field(default="", max_length=200)
    document_ref: str = Field(default="", max_length=100)


class PostPart(_Strict):
    organisation: OrganisationRef
    post: str = Field(max_length=30)
    title: str = Field(default="", max_length=200)
    starts_on: dt.date
    ends_on: dt.date | None = None
    reason: str = Text
    management_level: str = Field(default="", max_length=20)
    began_how: str = Field(default="recorded", max_length=20)
    ended_how: str = Field(default="", max_length=20)


class HistoryPart(_Strict):
    memberships: list[MembershipPart] = Field(max_length=500)
    activity_periods: list[ActivityPart] = Field(default=[], max_length=500)
    posts: list[PostPart] = Field(default=[], max_length=500)


class PackagePart(_Strict):
    package_id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    letter: LetterPart
    member: MemberPart
    history: HistoryPart


def _refuse(message, code: str) -> ImportFileError:
    return ImportFileError(message, code=code)


def read_package(data: bytes, *, schema: str = SCHEMA) -> dict[str, Any]:
    """The package in ``data``, verified: JSON, its schema and version, its checksum.
    Raises ``ImportFileError`` with a code (``too_large``, ``not_utf8``, ``package_not_json``, ``package_schema``,
    ``package_version``, ``package_checksum_mismatch``)."""
    if len(data) > max_import_bytes():
        raise _refuse(gettext_lazy("The file is too large."), "too_large")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            gettext_lazy(
                "The package is not UTF-8 text (an invalid byte on line %(line)d): it was damaged on "
                "the way; ask the sending committee for it again."
            )
            % {"line": data[: exc.start].count(b"\n") + 1},
            "not_utf8",
        ) from None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise _refuse(
            gettext_lazy("This file is not a transfer package (not JSON)."), "package_not_json"
        ) from None
    if not isinstance(document, dict) or document.get("schema") != schema:
        raise _refuse(gettext_lazy("This file is not a transfer package."), "package_schema")
    if str(document.get("schema_version", "")).split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise _refuse(
            gettext_lazy("This package's schema version is not one this Serment reads."), "package_version"
        )
    if document.get("checksum") != checksum_of(document):
        raise _refuse(
            gettext_lazy("The package's checksum does not match its content: it was changed or damaged."),
            "package_checksum_mismatch",
        )
    try:
        PackagePart.model_validate(document)
    except SchemaError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise ImportFileError(
            gettext_lazy("The package is not in the documented form (%(where)s: %(problem)s).")
            % {"where": where, "problem": first.get("msg", "")},
            code="package_invalid",
        ) from None
    return document

"""The version rule of API writes (issue 13, item 3: no lost updates).

A record's version is ``core.audit.version_of`` it: the id of the last audit entry about
it (every change is audited, so every change moves it). A read answers it as the
``ETag`` header (``"1234"``) and as the body's ``version``; a write that edits an
existing record sends it back in ``If-Match``. Without ``If-Match`` the write is refused
(428, ``version_required``); when the record changed since, it is refused (409,
``stale_form``) with what changed, who changed it and the current version.

The check runs inside the write's transaction after the record's row is locked, so of
two writers holding the same version exactly one gets through.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.errors import DomainError, Refusal, Refused


class VersionRequired(DomainError):
    """A write that edits a record came without ``If-Match``."""

    status_code = 428

    def __init__(self):
        super().__init__(
            gettext_lazy("Send the version you read in the If-Match header (the ETag of the record)."),
            field="If-Match",
            code="version_required",
        )


class Stale(Refused):
    """The record changed since the version the client read: a 409 with what changed."""

    status_code = 409

    def __init__(self, refusals: list[Refusal], current: int):
        super().__init__(refusals)
        self.current_version = current


def etag(version: int) -> str:
    return f'"{version}"'


def version_of(record: models.Model) -> int:
    return audit.version_of(record)


def parse_if_match(value: str | None) -> int:
    """The version named by an ``If-Match`` header (``"12"``, ``W/"12"`` or ``12``)."""
    if value is None or not value.strip():
        raise VersionRequired()
    text = value.strip().removeprefix("W/").strip().strip('"')
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise DomainError(
            gettext_lazy('If-Match names a version: the record\'s ETag, e.g. "1234".'),
            field="If-Match",
            code="bad_version",
        )
    return int(text)


def refuse_if_stale(record: models.Model, if_match: str | None) -> None:
    """Refuse the write when ``record`` changed since the version in ``if_match``.
    Call it inside the write's transaction, after locking ``record``'s row."""
    version = parse_if_match(if_match)
    refusals = audit.check_not_stale(target=record, version=version)
    current = version_of(record)
    if refusals:
        raise Stale(refusals, current=current)
    if version != current:
        raise DomainError(
            gettext_lazy("This is not a version of this record: read it again."),
            field="If-Match",
            code="bad_version",
        )

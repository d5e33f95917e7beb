"""The member export: the members a viewer may see, with the import's columns, so
an exported file can be imported again (``docs/import-formats.md``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Subquery

from serment.core.roles import Perm
from serment.organisations.models import Organisation

from . import export_labels
from .importers import COLUMNS
from .models import ActivityPeriod, Membership, State
from .queries import search_members

HEADER = [c.key for c in COLUMNS]  # the keys; a download uses ``header(language)``


def header(language: str | None = None) -> list[str]:
    """The export's header in the reader's language, which the import reads back."""
    return export_labels.header(COLUMNS, language)


_DETAILS = (
    "card_number",
    "citizen_id",
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "religion",
    "home_town",
    "phone",
    "email",
    "education_level",
    "theory_level",
    "admitted_on",
    "official_on",
)


def member_rows(
    *,
    viewer: Any,
    q: str = "",
    organisation: Organisation | None = None,
    standing: str = "",
    state: str = "",
    language: str | None = None,
) -> Iterator[list[Any]]:
    """Rows of the export, in ``HEADER`` order: the member list's filters
    (``search_members``) over the members the viewer may export."""
    members = search_members(
        viewer=viewer, q=q, organisation=organisation, standing=standing, state=state, perm=Perm.EXPORT
    )
    joined = Membership.objects.filter(member=OuterRef("pk"), organisation=OuterRef("organisation")).order_by(
        "-starts_on"
    )
    rows = members.annotate(
        joined_cell_on=Subquery(joined.values("starts_on")[:1]),
    ).values("pk", "state", "left_on", "left_reason", "organisation__code", "joined_cell_on", *_DETAILS)
    periods = {
        p["member_id"]: p
        for p in ActivityPeriod.objects.filter(member__in=members.values("pk"), ends_on__isnull=True).values(
            "member_id", "starts_on", "planned_end", "reason", "destination", "document_ref"
        )
    }
    for r in rows.iterator(chunk_size=2000):
        period = periods.get(r["pk"], {})
        if r["state"] == State.LEFT:
            since, until, reason = r["left_on"], None, r["left_reason"]
            destination = document_ref = ""
        else:
            since, until, reason = (
                period.get("starts_on"),
                period.get("planned_end"),
                period.get("reason", ""),
            )
            destination, document_ref = period.get("destination", ""), period.get("document_ref", "")
        yield export_labels.localise(
            HEADER,
            [
                *(r[k] for k in _DETAILS),
                r["organisation__code"],
                r["joined_cell_on"],
                r["state"],
                since,
                until,
                reason,
                destination,
                document_ref,
            ],
            language,
        )

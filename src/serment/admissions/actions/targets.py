"""Admission targets and peer-province figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.imports import normalise_header
from serment.core.reporting import percent
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.organisations.models import Organisation

from ..models import (
    AdmissionTarget,
    PeerFigure,
)


def check_set_target(
    *, by: Actor, organisation: Organisation, year: int, target: int, set_by: Organisation | None = None
) -> list[Refusal]:
    """May ``by`` set this target? A committee sets targets for itself and the committees
    under it, not for cells."""
    setter = set_by or organisation
    if not organisation.is_within(setter):
        return [
            Refusal(
                code="target_outside_setter",
                message=gettext_lazy("%(org)s is not under %(setter)s."),
                params={"org": organisation.name, "setter": setter.name},
                field="organisation",
            )
        ]
    refused = permission_refusals(by, Perm.ADMISSIONS, setter.path)
    if refused:
        return refused
    refusals = []
    if organisation.holds_members:
        refusals.append(
            Refusal(
                code="target_for_cell",
                message=gettext_lazy("Targets are set for committees, not for cells (%(org)s)."),
                params={"org": organisation.name},
                field="organisation",
            )
        )
    if not 1900 <= int(year) <= 2200:
        refusals.append(
            Refusal(code="invalid_year", message=gettext_lazy("Give a year such as 2024."), field="year")
        )
    if int(target) <= 0:
        refusals.append(
            Refusal(
                code="target_not_positive",
                message=gettext_lazy("The target must be a positive number."),
                field="target",
            )
        )
    return refusals


@transaction.atomic
def set_target(
    *,
    by: Actor,
    organisation: Organisation,
    year: int,
    target: int,
    set_by: Organisation | None = None,
    document_ref: str = "",
) -> AdmissionTarget:
    """Set (or change) the yearly admission target of a committee. A committee sets
    targets for itself and for the committees under it."""
    refuse_if_any(check_set_target(by=by, organisation=organisation, year=year, target=target, set_by=set_by))
    setter = set_by or organisation
    existing = (
        AdmissionTarget.objects.select_for_update().filter(organisation=organisation, year=year).first()
    )
    before = existing.target if existing else None
    row, _created = AdmissionTarget.objects.update_or_create(
        organisation=organisation,
        year=year,
        defaults={"target": int(target), "set_by": setter, "document_ref": (document_ref or "").strip()},
    )
    audit.record(
        by=by,
        action="admissions.set_target",
        target=organisation,
        summary=_("Admission target %(year)d: %(n)d") % {"year": year, "n": target},
        changes={"target": [before, int(target)], "year": year, "set_by": setter.code},
    )
    return row


@dataclass(frozen=True)
class PeerRow:
    peer_name: str
    year: int
    admitted: int
    members: int
    rate: Any = None  # Decimal or None: computed from admitted / members
    source: str = ""


def peer_row_refusals(*, organisation: Organisation, row: PeerRow) -> list[Refusal]:
    """The rules on one published figure of a peer (the importer asks them row by row):
    a named peer other than ``organisation`` itself (counted from the register), a positive
    number of members, a published rate that reads as a percentage."""
    refusals: list[Refusal] = []
    name = (row.peer_name or "").strip()
    if not name:
        refusals.append(
            Refusal(code="peer_name_required", message=gettext_lazy("Name the peer."), field="peer_name")
        )
    elif normalise_header(name) == normalise_header(organisation.name):
        refusals.append(
            Refusal(
                code="peer_is_self",
                message=gettext_lazy(
                    "%(name)s itself is counted from the register; leave it out of the file."
                ),
                params={"name": name},
                field="peer_name",
            )
        )
    if not row.members or row.members <= 0:
        refusals.append(
            Refusal(
                code="members_not_positive",
                message=gettext_lazy("The number of members must be positive."),
                field="members",
            )
        )
    if row.rate is not None and not Decimal(0) <= row.rate < Decimal(1000):
        refusals.append(
            Refusal(
                code="rate_out_of_range",
                message=gettext_lazy("“%(v)s” is not a percentage."),
                params={"v": row.rate},
                field="rate",
            )
        )
    return refusals


def check_replace_peer_figures(
    *, by: Actor, organisation: Organisation, rows: Sequence[PeerRow]
) -> list[Refusal]:
    """May ``by`` replace the peers' figures of ``organisation`` for the years in ``rows``?
    ADMISSIONS on it; each row obeys ``peer_row_refusals``; a peer appears once a year."""
    refused = permission_refusals(by, Perm.ADMISSIONS, organisation.path)
    if refused:
        return refused
    refusals: list[Refusal] = []
    for row in rows:
        refusals += peer_row_refusals(organisation=organisation, row=row)
    return refusals + [r for _i, r in repeated_peer_refusals(rows)]


def repeated_peer_refusals(rows: Sequence[PeerRow]) -> list[tuple[int, Refusal]]:
    """A peer appears once a year: ``(row index, refusal)`` for each repeat."""
    out: list[tuple[int, Refusal]] = []
    seen: set[tuple[int, str]] = set()
    for i, row in enumerate(rows):
        key = (row.year, normalise_header(row.peer_name or ""))
        if key in seen:
            out.append(
                (
                    i,
                    Refusal(
                        code="peer_twice",
                        message=gettext_lazy("This peer and year appear twice in the file."),
                        field="peer_name",
                    ),
                )
            )
        seen.add(key)
    return out


@transaction.atomic
def replace_peer_figures(*, by: Actor, organisation: Organisation, rows: Sequence[PeerRow]) -> int:
    """Replace the published figures of peers for the years in ``rows`` (the table is
    imported whole for each year)."""
    refuse_if_any(check_replace_peer_figures(by=by, organisation=organisation, rows=rows))
    years = sorted({r.year for r in rows})
    PeerFigure.objects.filter(organisation=organisation, year__in=years).delete()
    figures = PeerFigure.objects.bulk_create(
        [
            PeerFigure(
                organisation=organisation,
                peer_name=r.peer_name.strip(),
                year=r.year,
                admitted=r.admitted,
                members=r.members,
                rate=r.rate
                if r.rate is not None
                else (percent(r.admitted, r.members, places=2) or Decimal(0)),
                source=r.source,
            )
            for r in rows
        ]
    )
    audit.record(
        by=by,
        action="admissions.peer_figures",
        target=organisation,
        summary=_("Peer comparison imported: %(n)d figures") % {"n": len(figures)},
        changes={"years": years, "rows": len(figures)},
    )
    return len(figures)

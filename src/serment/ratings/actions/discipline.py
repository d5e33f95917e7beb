"""Discipline decisions the rating rules read (recorded one at a time or imported)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import DomainError, NotPermitted
from serment.core.roles import Perm
from serment.core.scoping import SYSTEM, scope_for
from serment.members.models import Member
from serment.organisations.models import Organisation

from ..models import Discipline
from ..policies import (
    MEMBER_DISCIPLINE_FORMS,
    ORGANISATION_DISCIPLINE_FORMS,
)
from ._common import _today

# Discipline -----------------------------------------------------------------


def require_discipline_right(by: Actor, path: str) -> None:
    """Inspection staff, or the committee staff who rate (they hold RATE)."""
    if by is SYSTEM:
        return
    scope = scope_for(by)
    if not (scope.has(Perm.INSPECTION, path) or scope.has(Perm.RATE, path)):
        raise NotPermitted(_("Your role does not allow this here."))


def validate_discipline(
    *,
    member: Member | None,
    organisation: Organisation | None,
    form: str,
    decided_on: dt.date | None,
    deciding_body: str,
    today: dt.date | None = None,
) -> None:
    if (member is None) == (organisation is None):
        raise DomainError(_("Name either a member or an organisation."), field="member")
    allowed = MEMBER_DISCIPLINE_FORMS if member is not None else ORGANISATION_DISCIPLINE_FORMS
    if form not in allowed:
        raise DomainError(
            _("%(form)s is not a form of discipline for %(whom)s.")
            % {"form": form, "whom": _("a member") if member is not None else _("an organisation")},
            field="form",
        )
    if decided_on is None:
        raise DomainError(_("Enter the date of the decision."), field="decided_on")
    if decided_on > (today or _today()):
        raise DomainError(_("The decision cannot be dated in the future."), field="decided_on")
    if not (deciding_body or "").strip():
        raise DomainError(_("Name the deciding body."), field="deciding_body")


@transaction.atomic
def record_discipline(
    *,
    by: Actor,
    form: str,
    decided_on: dt.date,
    deciding_body: str,
    member: Member | None = None,
    organisation: Organisation | None = None,
    self_detected: bool = False,
    document_ref: str = "",
    reason: str = "",
) -> Discipline:
    """Record a discipline decision on a member or an organisation."""
    validate_discipline(
        member=member,
        organisation=organisation,
        form=form,
        decided_on=decided_on,
        deciding_body=deciding_body,
    )
    unit = member.organisation if member is not None else organisation
    assert unit is not None  # validate_discipline: a member or an organisation
    require_discipline_right(by, unit.path)
    discipline = Discipline.objects.create(
        member=member,
        organisation=organisation,
        unit=unit,
        form=form,
        decided_on=decided_on,
        deciding_body=deciding_body.strip(),
        self_detected=self_detected,
        document_ref=(document_ref or "").strip(),
        reason=(reason or "").strip(),
    )
    audit.record(
        by=by,
        action="ratings.record_discipline",
        target=discipline,
        summary=_("%(form)s on %(whom)s, %(date)s.")
        % {"form": discipline.get_form_display(), "whom": discipline.subject, "date": decided_on.isoformat()},
    )
    return discipline


# Targets --------------------------------------------------------------------


@dataclass(frozen=True)
class PastDiscipline:
    form: str
    decided_on: dt.date
    deciding_body: str
    member: Member | None = None
    organisation: Organisation | None = None
    self_detected: bool = False
    document_ref: str = ""
    reason: str = ""


@transaction.atomic
def import_disciplines(*, by: Actor, rows: Sequence[PastDiscipline]) -> int:
    """Record discipline decisions in bulk (the importer's rows, validated)."""
    made = []
    for r in rows:
        validate_discipline(
            member=r.member,
            organisation=r.organisation,
            form=r.form,
            decided_on=r.decided_on,
            deciding_body=r.deciding_body,
        )
        unit = r.member.organisation if r.member is not None else r.organisation
        assert unit is not None
        require_discipline_right(by, unit.path)
        made.append(
            Discipline(
                member=r.member,
                organisation=r.organisation,
                unit=unit,
                form=r.form,
                decided_on=r.decided_on,
                deciding_body=r.deciding_body.strip(),
                self_detected=r.self_detected,
                document_ref=r.document_ref.strip(),
                reason=r.reason.strip(),
            )
        )
    Discipline.objects.bulk_create(made, batch_size=2000)
    audit.record_many(
        by=by, action="ratings.record_discipline", targets=made, summary=_("Imported discipline decision.")
    )
    return len(made)

"""Local and non-local overrides, and the award check."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.members.models import Member
from serment.organisations.models import Kind, Organisation

from ..bars import bar_refusals
from ..models import (
    LocalityOverride,
)
from ._common import _member_refusals

# --- Local and non-local ---------------------------------------------------------------


def check_set_locality(*, member: Member, district: Organisation, reason: str) -> list[Refusal]:
    refusals = []
    if district.kind != Kind.DISTRICT:
        refusals.append(
            Refusal(
                code="not_a_district",
                message=gettext_lazy(
                    "Local or non-local is said of a committee directly under the province."
                ),
                field="organisation",
            )
        )
    if not (reason or "").strip():
        refusals.append(
            Refusal(code="reason_required", message=gettext_lazy("Give the reason."), field="reason")
        )
    return refusals


@transaction.atomic
def set_locality(
    *, by: Actor, member: Member, district: Organisation, is_local: bool, reason: str, on: dt.date
) -> LocalityOverride:
    """Record explicitly that a person is (or is not) local to a district, overriding
    what their home town and previous work say."""
    require(by, Perm.CADRES, district.path)
    refuse_if_any(check_set_locality(member=member, district=district, reason=reason))
    override = LocalityOverride.objects.create(
        member=member, organisation=district, is_local=is_local, reason=reason.strip(), decided_on=on
    )
    audit.record(
        by=by,
        action="cadres.set_locality",
        target=member,
        summary=(_("Local to %(org)s") if is_local else _("Non-local to %(org)s")) % {"org": district.name},
        changes={"is_local": is_local, "reason": override.reason, "on": on},
    )
    return override


def check_award(*, member: Member, on: dt.date) -> list[Refusal]:
    """No award while a discipline is in force (Quy định 69-QĐ/TW): for the apps that
    propose awards."""
    return _member_refusals(member) or bar_refusals(member=member, kind="award", on=on)

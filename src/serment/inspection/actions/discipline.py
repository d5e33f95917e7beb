"""Discipline decisions: record (with their effects on the member register, in
the same transaction), annul (Quy định 117-QĐ/TW), import in bulk.

Each action is one atomic, audited change; ``check_<action>`` beside it answers
"may this happen?" with refusal codes, and the form, the importer and the pages
call the same function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from serment.core import audit
from serment.core.actors import SYSTEM, Actor, is_actor
from serment.core.dates import show_date
from serment.core.errors import Refusal, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import scope_for
from serment.members import actions as member_actions
from serment.members.models import HoldingChange, LeftReason, Member, PostHolding, State
from serment.organisations.models import Organisation

from ..models import DisciplineDecision
from ..policies import (
    MEMBER_DISCIPLINE_FORMS,
    ORGANISATION_DISCIPLINE_FORMS,
    SOURCE_ANNULMENT,
    DisciplineForm,
)

SOURCE_CHARTER = "Điều lệ Đảng; Quy định 69-QĐ/TW (2022)"


def _today() -> dt.date:
    return timezone.localdate()


def check_inspection_right(by: Actor, path: str) -> list[Refusal]:
    """Only inspection staff of the subtree (or ``SYSTEM``) record inspection work."""
    if not is_actor(by):
        return [Refusal(code="no_actor", message=_("No one is named as acting; nothing was changed."))]
    if by is SYSTEM or scope_for(by).has(Perm.INSPECTION, path):
        return []
    return [Refusal(code="not_permitted", message=_("Your role does not allow this here."))]


def _unit_of(member: Member | None, organisation: Organisation | None) -> Organisation:
    """The organisation a decision belongs to: the member's cell, or the organisation."""
    unit = member.organisation if member is not None else organisation
    assert unit is not None  # callers name a member or an organisation
    return unit


def check_record_discipline(
    *,
    by: Actor,
    form: str,
    decided_on: dt.date | None,
    deciding_body: str,
    member: Member | None = None,
    organisation: Organisation | None = None,
    announced_on: dt.date | None = None,
    document_ref: str = "",
    today: dt.date | None = None,
) -> list[Refusal]:
    """Every reason this decision may not be recorded."""
    if (member is None) == (organisation is None):
        return [
            Refusal(code="one_subject", message=_("Name either a member or an organisation."), field="member")
        ]
    refusals = check_inspection_right(by, _unit_of(member, organisation).path)
    if refusals:
        return refusals
    allowed = MEMBER_DISCIPLINE_FORMS if member is not None else ORGANISATION_DISCIPLINE_FORMS
    if form not in allowed:
        refusals.append(
            Refusal(
                code="form_not_for_subject",
                message=_("This form of discipline does not apply to %(whom)s."),
                params={"whom": gettext("a member") if member is not None else gettext("an organisation")},
                source=SOURCE_CHARTER,
                field="form",
            )
        )
    if not (deciding_body or "").strip():
        refusals.append(
            Refusal(
                code="deciding_body_required", message=_("Name the deciding body."), field="deciding_body"
            )
        )
    if member is not None and form == DisciplineForm.EXPULSION and not (document_ref or "").strip():
        refusals.append(
            Refusal(
                code="document_ref_required",
                message=_("An expulsion needs the reference of the decision."),
                field="document_ref",
            )
        )
    if decided_on is None:
        refusals.append(
            Refusal(code="date_required", message=_("Enter the date of the decision."), field="decided_on")
        )
        return refusals
    if decided_on > (today or _today()):
        refusals.append(
            Refusal(
                code="date_in_future",
                message=_("The decision cannot be dated in the future."),
                field="decided_on",
            )
        )
    if announced_on is not None and announced_on < decided_on:
        refusals.append(
            Refusal(
                code="dates_out_of_order",
                message=_("The decision cannot be announced before it was taken."),
                field="announced_on",
            )
        )
    if member is not None:
        refusals += _member_refusals(member, form, decided_on)
    elif organisation is not None:
        refusals += _organisation_refusals(organisation, decided_on)
    return refusals


def _member_refusals(member: Member, form: str, decided_on: dt.date) -> list[Refusal]:
    refusals = []
    if decided_on < member.admitted_on:
        refusals.append(
            Refusal(
                code="dates_out_of_order",
                message=_("The decision is dated before the member's admission (%(day)s)."),
                params={"day": member.admitted_on},
                field="decided_on",
            )
        )
    expelled = (
        DisciplineDecision.objects.filter(
            member=member, form=DisciplineForm.EXPULSION, decided_on__lte=decided_on
        )
        .filter(annulled_on__isnull=True)
        .exclude(complaints__outcome__in=("annulled", "changed"))
        .order_by("decided_on")
        .first()
    )
    if expelled is not None:
        refusals.append(
            Refusal(
                code="after_expulsion",
                message=_("%(name)s was expelled on %(day)s: no decision can follow."),
                params={"name": member.full_name, "day": expelled.decided_on},
                source=SOURCE_CHARTER,
                field="decided_on",
            )
        )
    elif member.state == State.LEFT and member.left_on is not None and member.left_on <= decided_on:
        # An expulsion imported after the register already shows it is the same fact.
        if not (form == DisciplineForm.EXPULSION and member.left_reason == LeftReason.EXPELLED):
            refusals.append(
                Refusal(
                    code="member_left",
                    message=_("%(name)s left the register on %(day)s and cannot be disciplined."),
                    params={"name": member.full_name, "day": member.left_on},
                    field="member",
                )
            )
    if form == DisciplineForm.DISMISSAL and not _posts_held(member, decided_on).exists():
        refusals.append(
            Refusal(
                code="no_post",
                message=_("%(name)s held no post on %(day)s to be dismissed from."),
                params={"name": member.full_name, "day": decided_on},
                field="form",
            )
        )
    return refusals


def _organisation_refusals(organisation: Organisation, decided_on: dt.date) -> list[Refusal]:
    refusals = []
    if organisation.dissolved_on is not None and organisation.dissolved_on <= decided_on:
        refusals.append(
            Refusal(
                code="organisation_dissolved",
                message=_("%(name)s was dissolved on %(day)s."),
                params={"name": organisation.name, "day": organisation.dissolved_on},
                field="organisation",
            )
        )
    return refusals


def _posts_held(member: Member, day: dt.date):
    return PostHolding.objects.filter(member=member, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def _apply_effects(decision: DisciplineDecision, by: Actor) -> None:
    """Expulsion takes the member off the register; dismissal ends the posts held.
    Through the member register's own actions, acting as ``SYSTEM`` (inspection
    staff do not manage members); the decision's audit entry names who recorded it."""
    member = decision.member
    if member is None:
        return
    details = gettext("Discipline decision %(ref)s (%(body)s)") % {
        "ref": decision.document_ref or decision.pk,
        "body": decision.deciding_body,
    }
    if decision.form == DisciplineForm.EXPULSION and member.state != State.LEFT:
        member_actions.expel(
            by=SYSTEM,
            member=member,
            on=decision.decided_on,
            document_ref=decision.document_ref,
            details=details,
        )
    elif decision.form == DisciplineForm.DISMISSAL:
        for holding in (
            _posts_held(member, decision.decided_on)
            .filter(ends_on__isnull=True)
            .select_related("organisation", "member")
        ):
            member_actions.end_post(
                by=SYSTEM,
                holding=holding,
                on=decision.decided_on,
                reason=details,
                ended_how=HoldingChange.DISMISSAL,
            )


@transaction.atomic
def record_discipline(
    *,
    by: Actor,
    form: str,
    decided_on: dt.date,
    deciding_body: str,
    member: Member | None = None,
    organisation: Organisation | None = None,
    announced_on: dt.date | None = None,
    self_detected: bool = False,
    document_ref: str = "",
    violation: str = "",
) -> DisciplineDecision:
    """Record a discipline decision on a member or an organisation, with its effects:
    an expulsion takes the member off the register (reason "expelled"), a dismissal
    from post ends the posts they hold — in the same transaction."""
    if member is not None:  # as it is now, locked: a stale copy must not let a leaver through
        member = (
            Member.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)
        )
    refuse_if_any(
        check_record_discipline(
            by=by,
            form=form,
            decided_on=decided_on,
            deciding_body=deciding_body,
            member=member,
            organisation=organisation,
            announced_on=announced_on,
            document_ref=document_ref,
        )
    )
    decision = DisciplineDecision.objects.create(
        member=member,
        organisation=organisation,
        unit=_unit_of(member, organisation),
        form=form,
        decided_on=decided_on,
        announced_on=announced_on or decided_on,
        deciding_body=deciding_body.strip(),
        self_detected=self_detected,
        document_ref=(document_ref or "").strip(),
        violation=(violation or "").strip(),
    )
    audit.record(
        by=by,
        action="inspection.record_discipline",
        target=decision,
        summary=gettext("%(form)s on %(whom)s, %(date)s.")
        % {"form": decision.get_form_display(), "whom": decision.subject, "date": show_date(decided_on)},
        changes={"form": form, "decided_on": decided_on, "document_ref": decision.document_ref},
    )
    _apply_effects(decision, by)
    return decision


@dataclass(frozen=True)
class PastDiscipline:
    """One row of a discipline import, resolved."""

    form: str
    decided_on: dt.date
    deciding_body: str
    member: Member | None = None
    organisation: Organisation | None = None
    announced_on: dt.date | None = None
    self_detected: bool = False
    document_ref: str = ""
    violation: str = ""


@transaction.atomic
def import_disciplines(*, by: Actor, rows: Sequence[PastDiscipline]) -> int:
    """Record discipline decisions in bulk (the importer's rows, already checked),
    through ``record_discipline`` so every effect and audit entry happens."""
    for r in sorted(rows, key=lambda r: r.decided_on):
        record_discipline(
            by=by,
            form=r.form,
            decided_on=r.decided_on,
            deciding_body=r.deciding_body,
            member=r.member,
            organisation=r.organisation,
            announced_on=r.announced_on,
            self_detected=r.self_detected,
            document_ref=r.document_ref,
            violation=r.violation,
        )
    return len(rows)


def check_annul_discipline(
    *, by: Actor, decision: DisciplineDecision, on: dt.date | None, document_ref: str, reason: str
) -> list[Refusal]:
    refusals = check_inspection_right(by, decision.unit.path)
    if refusals:
        return refusals
    if decision.annulled_on is not None:
        refusals.append(Refusal(code="already_annulled", message=_("This decision is already annulled.")))
    if on is None:
        refusals.append(
            Refusal(code="date_required", message=_("Enter the date of the annulment."), field="on")
        )
    elif on < decision.decided_on:
        refusals.append(
            Refusal(
                code="dates_out_of_order",
                message=_("A decision cannot be annulled before it was taken."),
                field="on",
            )
        )
    elif on > _today():
        refusals.append(
            Refusal(code="date_in_future", message=_("The date cannot be in the future."), field="on")
        )
    if not (document_ref or "").strip():
        refusals.append(
            Refusal(
                code="document_ref_required",
                message=_("Give the reference of the annulment decision."),
                source=SOURCE_ANNULMENT,
                field="document_ref",
            )
        )
    if not (reason or "").strip():
        refusals.append(
            Refusal(code="reason_required", message=_("Say why the decision was wrong."), field="reason")
        )
    return refusals


@transaction.atomic
def annul_discipline(
    *, by: Actor, decision: DisciplineDecision, on: dt.date, document_ref: str, reason: str
) -> DisciplineDecision:
    """A decision found wrong is annulled, with an apology and restoration of rights
    (Quy định 117-QĐ/TW): from ``on`` the register no longer counts it."""
    decision = (
        DisciplineDecision.objects.select_for_update(of=("self",)).select_related("unit").get(pk=decision.pk)
    )
    refuse_if_any(
        check_annul_discipline(by=by, decision=decision, on=on, document_ref=document_ref, reason=reason)
    )
    decision.annulled_on, decision.annulment_ref = on, document_ref.strip()
    decision.annulment_reason = reason.strip()
    decision.save(update_fields=["annulled_on", "annulment_ref", "annulment_reason"])
    audit.record(
        by=by,
        action="inspection.annul_discipline",
        target=decision,
        summary=gettext("Annulled on %(day)s (%(ref)s): %(reason)s")
        % {"day": show_date(on), "ref": decision.annulment_ref, "reason": decision.annulment_reason},
        changes={"annulled_on": [None, on], "annulment_ref": decision.annulment_ref},
    )
    return decision

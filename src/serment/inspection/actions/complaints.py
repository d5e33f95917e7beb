"""Complaints about discipline (Charter Art. 39; Quy định 22-QĐ/TW 2021, Art. 22):
lodged by the disciplined member or organisation within the window, to the next
level up, to the final level for the form; decided by upholding, changing or
annulling the decision. The decision stays in force while a complaint runs; the
register answers the outcome from the day it was decided (``queries``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from serment.core import audit
from serment.core.actors import SYSTEM, Actor
from serment.core.dates import show_date
from serment.core.errors import Refusal, refuse_if_any
from serment.members import actions as member_actions
from serment.members.models import State

from .. import policies
from ..models import DisciplineComplaint, DisciplineDecision
from ..policies import (
    MEMBER_DISCIPLINE_FORMS,
    ORGANISATION_DISCIPLINE_FORMS,
    SOURCE_COMPLAINT,
    ComplaintLevel,
    ComplaintOutcome,
    DisciplineForm,
)
from .discipline import check_inspection_right


def check_lodge_complaint(
    *,
    by: Actor,
    decision: DisciplineDecision,
    received_decision_on: dt.date | None,
    lodged_on: dt.date | None,
    level: int | None,
    handling_body: str,
    today: dt.date | None = None,
) -> list[Refusal]:
    refusals = check_inspection_right(by, decision.unit.path)
    if refusals:
        return refusals
    if decision.annulled_on is not None:
        refusals.append(Refusal(code="annulled", message=_("This decision was annulled.")))
    earlier = list(decision.complaints.order_by("lodged_on", "pk"))
    if any(c.pending for c in earlier):
        refusals.append(
            Refusal(
                code="complaint_pending",
                message=_("A complaint about this decision is still being handled."),
                source=SOURCE_COMPLAINT,
            )
        )
    if any(c.outcome == ComplaintOutcome.ANNULLED for c in earlier):
        refusals.append(Refusal(code="annulled", message=_("This decision was annulled.")))
    if not (handling_body or "").strip():
        refusals.append(
            Refusal(
                code="handling_body_required",
                message=_("Name the body handling the complaint."),
                field="handling_body",
            )
        )
    if received_decision_on is None or lodged_on is None:
        refusals.append(Refusal(code="date_required", message=_("Enter both dates."), field="lodged_on"))
        return refusals
    rules = policies.rules_on(lodged_on)
    if lodged_on > (today or timezone.localdate()):
        refusals.append(
            Refusal(code="date_in_future", message=_("The date cannot be in the future."), field="lodged_on")
        )
    # The window runs from receiving the decision complained about: the original, or
    # the previous level's decision on a complaint.
    floor = max([decision.decided_on] + [c.decided_on for c in earlier if c.decided_on])
    if received_decision_on < floor or lodged_on < received_decision_on:
        refusals.append(
            Refusal(
                code="dates_out_of_order",
                message=_(
                    "The decision must be received after it was taken, and the complaint lodged after that."
                ),
                field="received_decision_on",
            )
        )
    elif lodged_on > policies.complaint_deadline(received_decision_on):
        refusals.append(
            Refusal(
                code="complaint_late",
                message=_(
                    "A complaint must be lodged within %(months)s month(s) of receiving the decision (by %(day)s)."
                ),
                params={
                    "months": rules.complaint_window_months,
                    "day": policies.complaint_deadline(received_decision_on),
                },
                source=SOURCE_COMPLAINT,
                field="lodged_on",
            )
        )
    if level is None or level not in ComplaintLevel.values:
        refusals.append(
            Refusal(
                code="level_required", message=_("Choose the level handling the complaint."), field="level"
            )
        )
        return refusals
    current_form = decision.form
    for c in earlier:
        if c.outcome == ComplaintOutcome.CHANGED:
            current_form = c.new_form
    final = rules.final_level[current_form]
    if earlier and max(c.level for c in earlier) >= final:
        refusals.append(
            Refusal(
                code="final_level_reached",
                message=_("The complaint was already decided at the final level."),
                source=SOURCE_COMPLAINT,
                field="level",
            )
        )
    elif earlier and level <= max(c.level for c in earlier):
        refusals.append(
            Refusal(
                code="level_not_above",
                message=_("A new complaint goes to the level above the one that last decided."),
                source=SOURCE_COMPLAINT,
                field="level",
            )
        )
    elif level > final:
        refusals.append(
            Refusal(
                code="beyond_final_level",
                message=_("For this form the final level is: %(level)s."),
                params={"level": ComplaintLevel(final).label},
                source=SOURCE_COMPLAINT,
                field="level",
            )
        )
    return refusals


@transaction.atomic
def lodge_complaint(
    *,
    by: Actor,
    decision: DisciplineDecision,
    received_decision_on: dt.date,
    lodged_on: dt.date,
    level: int,
    handling_body: str,
    grounds: str = "",
) -> DisciplineComplaint:
    """Record a complaint by the disciplined member or organisation. The decision
    stays in force meanwhile."""
    decision = (
        DisciplineDecision.objects.select_for_update(of=("self",)).select_related("unit").get(pk=decision.pk)
    )
    refuse_if_any(
        check_lodge_complaint(
            by=by,
            decision=decision,
            received_decision_on=received_decision_on,
            lodged_on=lodged_on,
            level=level,
            handling_body=handling_body,
        )
    )
    complaint = DisciplineComplaint.objects.create(
        decision=decision,
        received_decision_on=received_decision_on,
        lodged_on=lodged_on,
        level=level,
        handling_body=handling_body.strip(),
        grounds=(grounds or "").strip(),
    )
    audit.record(
        by=by,
        action="inspection.lodge_complaint",
        target=decision,
        summary=gettext("Complaint lodged on %(day)s to %(body)s.")
        % {"day": show_date(lodged_on), "body": complaint.handling_body},
        changes={"complaint": complaint.pk, "level": level},
    )
    return complaint


def check_decide_complaint(
    *,
    by: Actor,
    complaint: DisciplineComplaint,
    outcome: str,
    decided_on: dt.date | None,
    new_form: str = "",
    today: dt.date | None = None,
) -> list[Refusal]:
    decision = complaint.decision
    refusals = check_inspection_right(by, decision.unit.path)
    if refusals:
        return refusals
    if not complaint.pending:
        refusals.append(Refusal(code="complaint_decided", message=_("This complaint is already decided.")))
    if outcome not in ComplaintOutcome.values:
        refusals.append(Refusal(code="outcome_required", message=_("Choose the outcome."), field="outcome"))
    if decided_on is None:
        refusals.append(
            Refusal(code="date_required", message=_("Enter the date of the decision."), field="decided_on")
        )
    elif decided_on < complaint.lodged_on:
        refusals.append(
            Refusal(
                code="dates_out_of_order",
                message=_("A complaint cannot be decided before it was lodged."),
                field="decided_on",
            )
        )
    elif decided_on > (today or timezone.localdate()):
        refusals.append(
            Refusal(code="date_in_future", message=_("The date cannot be in the future."), field="decided_on")
        )
    if outcome == ComplaintOutcome.CHANGED:
        allowed = MEMBER_DISCIPLINE_FORMS if decision.member_id else ORGANISATION_DISCIPLINE_FORMS
        if new_form not in allowed:
            refusals.append(
                Refusal(code="new_form_required", message=_("Choose the new form."), field="new_form")
            )
        elif new_form == decision.form:
            refusals.append(
                Refusal(
                    code="new_form_same",
                    message=_("The new form is the same as the decision's."),
                    field="new_form",
                )
            )
    elif new_form:
        refusals.append(
            Refusal(
                code="new_form_unexpected",
                message=_("Only a changed decision has a new form."),
                field="new_form",
            )
        )
    return refusals


@transaction.atomic
def decide_complaint(
    *,
    by: Actor,
    complaint: DisciplineComplaint,
    outcome: str,
    decided_on: dt.date,
    new_form: str = "",
    document_ref: str = "",
) -> DisciplineComplaint:
    """Decide a complaint: uphold, change or annul the decision. A change to
    expulsion takes the member off the register, as an expulsion decision would."""
    complaint = (
        DisciplineComplaint.objects.select_for_update(of=("self",))
        .select_related("decision__unit", "decision__member")
        .get(pk=complaint.pk)
    )
    refuse_if_any(
        check_decide_complaint(
            by=by, complaint=complaint, outcome=outcome, decided_on=decided_on, new_form=new_form
        )
    )
    complaint.outcome, complaint.decided_on = outcome, decided_on
    complaint.new_form, complaint.document_ref = new_form, (document_ref or "").strip()
    complaint.save(update_fields=["outcome", "decided_on", "new_form", "document_ref"])
    decision = complaint.decision
    audit.record(
        by=by,
        action="inspection.decide_complaint",
        target=decision,
        summary=gettext("Complaint decided on %(day)s: %(outcome)s.")
        % {"day": show_date(decided_on), "outcome": ComplaintOutcome(outcome).label},
        changes={"complaint": complaint.pk, "outcome": outcome, "new_form": new_form},
    )
    member = decision.member
    if new_form == DisciplineForm.EXPULSION and member is not None and member.state != State.LEFT:
        member_actions.expel(
            by=SYSTEM,
            member=member,
            on=decided_on,
            document_ref=complaint.document_ref or decision.document_ref or str(decision.pk),
            details=gettext("Complaint decision on discipline %(ref)s") % {"ref": decision.document_ref},
        )
    return complaint

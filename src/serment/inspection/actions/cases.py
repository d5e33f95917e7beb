"""Petitions, complaints and denunciations (đơn thư) received by a committee's
inspection commission: received, classified, handled within a deadline taken from
rule data (``policies.case_due_date``), closed with an outcome. An anonymous
denunciation (or complaint) is recorded but, by regulation, not handled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.errors import Refusal, refuse_if_any
from serment.members.models import Member
from serment.organisations.models import COMMITTEE_KINDS, Organisation

from .. import policies
from ..models import Case
from ..policies import CaseChannel, CaseKind, CaseOutcome
from .discipline import check_inspection_right

SOURCE_CASES = "Quy định 22-QĐ/TW (2021); deadlines unconfirmed (rule data)"
# Not handled when anonymous: a denunciation (DOMAIN §7) and a complaint, which
# only the person concerned may lodge.
NOT_HANDLED_WHEN_ANONYMOUS = (CaseKind.DENUNCIATION, CaseKind.COMPLAINT)


def check_receive_case(
    *,
    by: Actor,
    committee: Organisation,
    kind: str,
    channel: str,
    received_on: dt.date | None,
    summary: str,
    anonymous: bool = False,
    sender_name: str = "",
    concerned_member: Member | None = None,
    concerned_organisation: Organisation | None = None,
    today: dt.date | None = None,
) -> list[Refusal]:
    refusals = check_inspection_right(by, committee.path)
    if refusals:
        return refusals
    if committee.kind not in COMMITTEE_KINDS:
        refusals.append(
            Refusal(
                code="not_a_committee",
                message=_("Only a committee's inspection commission handles cases."),
                field="committee",
            )
        )
    if kind not in CaseKind.values:
        refusals.append(Refusal(code="kind_required", message=_("Choose the kind."), field="kind"))
    if channel not in CaseChannel.values:
        refusals.append(Refusal(code="channel_required", message=_("Choose the channel."), field="channel"))
    if not (summary or "").strip():
        refusals.append(Refusal(code="summary_required", message=_("Summarise the case."), field="summary"))
    if anonymous and (sender_name or "").strip():
        refusals.append(
            Refusal(
                code="anonymous_with_sender",
                message=_("An anonymous case has no sender."),
                field="sender_name",
            )
        )
    if not anonymous and not (sender_name or "").strip():
        refusals.append(
            Refusal(
                code="sender_required",
                message=_("Name the sender, or mark the case anonymous."),
                field="sender_name",
            )
        )
    if received_on is None:
        refusals.append(
            Refusal(code="date_required", message=_("Enter the date received."), field="received_on")
        )
    elif received_on > (today or timezone.localdate()):
        refusals.append(
            Refusal(
                code="date_in_future", message=_("The date cannot be in the future."), field="received_on"
            )
        )
    for concerned, field in (
        (concerned_member, "concerned_card"),
        (concerned_organisation, "concerned_org_code"),
    ):
        path = (
            concerned.organisation.path if isinstance(concerned, Member) else getattr(concerned, "path", None)
        )
        if path is not None and not path.startswith(committee.path):
            refusals.append(
                Refusal(
                    code="not_competent",
                    message=_(
                        "%(who)s is outside %(committee)s: assign the case to the competent committee."
                    ),
                    params={"who": str(concerned), "committee": committee.name},
                    field=field,
                )
            )
    return refusals


@transaction.atomic
def receive_case(
    *,
    by: Actor,
    committee: Organisation,
    kind: str,
    channel: str,
    received_on: dt.date,
    summary: str,
    reference: str = "",
    anonymous: bool = False,
    sender_name: str = "",
    sender_contact: str = "",
    concerned_member: Member | None = None,
    concerned_organisation: Organisation | None = None,
) -> Case:
    """Record a case received by ``committee``. Its deadline comes from the rule set
    in effect on the day received; an anonymous denunciation is filed, not handled."""
    refuse_if_any(
        check_receive_case(
            by=by,
            committee=committee,
            kind=kind,
            channel=channel,
            received_on=received_on,
            summary=summary,
            anonymous=anonymous,
            sender_name=sender_name,
            concerned_member=concerned_member,
            concerned_organisation=concerned_organisation,
        )
    )
    handled = not (anonymous and kind in NOT_HANDLED_WHEN_ANONYMOUS)
    rules = policies.rules_on(received_on)
    case = Case.objects.create(
        committee=committee,
        kind=kind,
        channel=channel,
        received_on=received_on,
        reference=(reference or "").strip(),
        anonymous=anonymous,
        sender_name=(sender_name or "").strip(),
        sender_contact=(sender_contact or "").strip() if not anonymous else "",
        concerned_member=concerned_member,
        concerned_organisation=concerned_organisation,
        summary=summary.strip(),
        handled=handled,
        due_on=policies.case_due_date(kind, committee.depth, received_on) if handled else None,
        rule_set=rules.code if handled else "",
        closed_on=None if handled else received_on,
        outcome="" if handled else CaseOutcome.NOT_HANDLED,
    )
    # The audit entry never names the sender (DOMAIN §7: the denouncer stays hidden).
    audit.record(
        by=by,
        action="inspection.receive_case",
        target=case,
        summary=gettext("%(kind)s received on %(day)s.")
        % {"kind": case.get_kind_display(), "day": received_on},
        changes={"kind": kind, "handled": handled, "due_on": case.due_on},
    )
    return case


def check_close_case(
    *, by: Actor, case: Case, outcome: str, closed_on: dt.date | None, today: dt.date | None = None
) -> list[Refusal]:
    refusals = check_inspection_right(by, case.committee.path)
    if refusals:
        return refusals
    if not case.handled:
        refusals.append(
            Refusal(
                code="not_handled",
                message=_("An anonymous denunciation is recorded but not handled."),
                source=SOURCE_CASES,
            )
        )
    elif case.closed_on is not None:
        refusals.append(Refusal(code="already_closed", message=_("This case is already closed.")))
    if outcome not in CaseOutcome.values or outcome == CaseOutcome.NOT_HANDLED:
        refusals.append(Refusal(code="outcome_required", message=_("Choose the outcome."), field="outcome"))
    if closed_on is None:
        refusals.append(
            Refusal(code="date_required", message=_("Enter the closing date."), field="closed_on")
        )
    elif closed_on < case.received_on:
        refusals.append(
            Refusal(
                code="dates_out_of_order",
                message=_("A case cannot close before it was received."),
                field="closed_on",
            )
        )
    elif closed_on > (today or timezone.localdate()):
        refusals.append(
            Refusal(code="date_in_future", message=_("The date cannot be in the future."), field="closed_on")
        )
    return refusals


@transaction.atomic
def close_case(*, by: Actor, case: Case, outcome: str, closed_on: dt.date, outcome_note: str = "") -> Case:
    """Close a case with its outcome (founded, partly founded, unfounded, transferred)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("committee").get(pk=case.pk)
    refuse_if_any(check_close_case(by=by, case=case, outcome=outcome, closed_on=closed_on))
    case.outcome, case.closed_on, case.outcome_note = outcome, closed_on, (outcome_note or "").strip()
    case.save(update_fields=["outcome", "closed_on", "outcome_note"])
    audit.record(
        by=by,
        action="inspection.close_case",
        target=case,
        summary=gettext("Closed on %(day)s: %(outcome)s.")
        % {"day": closed_on, "outcome": CaseOutcome(outcome).label},
        changes={"outcome": outcome, "closed_on": closed_on, "late": case.is_overdue(closed_on)},
    )
    return case

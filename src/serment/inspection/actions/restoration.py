"""Restoring rights after an annulled discipline decision (Quy định 117-QĐ/TW, 2023).

A decision found wrong is annulled (``annul_discipline``, or a complaint whose outcome
annuls it); restoring the member's rights then undoes its effects, through the member
register's and cadre work's own actions: an expelled member is back on the register
from the annulment's date (a new membership in their last cell, or a cell the
inspection staff choose within their scope); the posts a dismissal ended are held
again from that date. From then the register, rating and cadre queries read the
decision as if it had never been taken (``inspection.queries``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from serment.cadres import actions as cadre_actions
from serment.core import audit
from serment.core.actors import SYSTEM, Actor
from serment.core.dates import show_date
from serment.core.errors import Refusal, refuse_if_any
from serment.members import actions as member_actions
from serment.members.models import HoldingChange, LeftReason, Member, Membership, PostHolding, State
from serment.organisations.models import Organisation

from ..models import DisciplineDecision
from ..policies import SOURCE_ANNULMENT, ComplaintOutcome, DisciplineForm
from .discipline import check_inspection_right


def annulled_on(decision: DisciplineDecision) -> dt.date | None:
    """The day ``decision`` stopped counting: its annulment, or the decision on a
    complaint that annulled it (the earlier of the two)."""
    days = [decision.annulled_on] if decision.annulled_on is not None else []
    complaint = (
        decision.complaints.filter(outcome=ComplaintOutcome.ANNULLED, decided_on__isnull=False)
        .order_by("decided_on")
        .first()
    )
    if complaint is not None and complaint.decided_on is not None:
        days.append(complaint.decided_on)
    return min(days) if days else None


def last_cell(member: Member) -> Organisation | None:
    """The cell the member was last in (their current one while on the register)."""
    period = (
        Membership.objects.filter(member=member)
        .select_related("organisation")
        .order_by("-starts_on", "-pk")
        .first()
    )
    return period.organisation if period is not None else None


def posts_ended_by(decision: DisciplineDecision) -> list[PostHolding]:
    """The posts a dismissal ended: those closed on the decision's day as a dismissal
    (``record_discipline``), or, for decisions recorded before that was marked, closed
    that day with the decision's reference as the reason."""
    if decision.member_id is None or decision.form != DisciplineForm.DISMISSAL:
        return []
    marked = Q(ended_how=HoldingChange.DISMISSAL)
    if decision.document_ref:
        marked |= Q(ended_how=HoldingChange.RECORDED, reason__contains=decision.document_ref)
    return list(
        PostHolding.objects.filter(member_id=decision.member_id, ends_on=decision.decided_on)
        .filter(marked)
        .select_related("organisation")
        .order_by("pk")
    )


def _left_refusals(member: Member, since: dt.date) -> list[Refusal]:
    """A member who died, or left the register for a reason other than this expulsion."""
    if member.state != State.LEFT:
        return []
    if member.left_reason == LeftReason.DECEASED:
        return [
            Refusal(
                code="member_deceased",
                message=_("%(name)s died on %(day)s: there are no rights to restore on the register."),
                params={"name": member.full_name, "day": member.left_on},
                field="member",
            )
        ]
    return [
        Refusal(
            code="member_left_otherwise",
            message=_("%(name)s left the register on %(day)s for another reason (%(reason)s)."),
            params={
                "name": member.full_name,
                "day": member.left_on,
                "reason": member.get_left_reason_display(),
            },
            field="member",
        )
    ]


def check_restore_rights(
    *, by: Actor, decision: DisciplineDecision, cell: Organisation | None = None
) -> list[Refusal]:
    """May ``by`` restore the rights taken by ``decision``? Inspection staff of the unit
    (or ``SYSTEM``); the decision annulled, its rights not yet restored; for an
    expulsion, the member still off the register because of it (not dead, not left for
    another reason) and a cell within the staff's scope (by default the last one); for a
    dismissal, the member on the register and each post free to be held again."""
    refusals = check_inspection_right(by, decision.unit.path)
    if refusals:
        return refusals
    annulled = annulled_on(decision)
    if annulled is None:
        return [
            Refusal(
                code="not_annulled",
                message=_("Rights are restored only after the decision is annulled."),
                source=SOURCE_ANNULMENT,
            )
        ]
    if decision.rights_restored_on is not None:
        return [
            Refusal(
                code="rights_already_restored",
                message=_("The rights were already restored on %(day)s."),
                params={"day": decision.rights_restored_on},
            )
        ]
    member = decision.member
    if member is None:
        return []
    if decision.form == DisciplineForm.EXPULSION:
        if member.state != State.LEFT:
            return []  # back on the register already: nothing to undo there
        if member.left_reason != LeftReason.EXPELLED:
            return _left_refusals(member, annulled)
        target = cell if cell is not None else last_cell(member)
        if target is None:
            return [Refusal(code="cell_required", message=_("Choose the cell."), field="cell")]
        out_of_scope = check_inspection_right(by, target.path)
        if out_of_scope:
            return [
                Refusal(
                    code="cell_out_of_scope",
                    message=_("This cell is outside your scope: choose a cell within it."),
                    field="cell",
                )
            ]
        return member_actions.check_reinstate_member(by=SYSTEM, member=member, cell=target, on=annulled)
    if decision.form == DisciplineForm.DISMISSAL:
        if member.state == State.LEFT:
            return _left_refusals(member, annulled)
        refusals = []
        for holding in posts_ended_by(decision):
            refusals += cadre_actions.check_assign_post(
                member=member, organisation=holding.organisation, post=holding.post, on=annulled
            )
        return refusals
    return []


@transaction.atomic
def restore_rights(
    *, by: Actor, decision: DisciplineDecision, cell: Organisation | None = None
) -> DisciplineDecision:
    """Restore the rights an annulled decision took (Quy định 117-QĐ/TW): an expelled
    member is back on the register from the annulment's date, in ``cell`` (default:
    their last cell); the posts a dismissal ended are held again from that date. The
    effects go through the member and cadre actions, acting as ``SYSTEM`` (inspection
    staff do not manage members); this decision's audit entry names who restored."""
    decision = (
        DisciplineDecision.objects.select_for_update(of=("self",))
        .select_related("unit", "member__organisation")
        .get(pk=decision.pk)
    )
    if decision.member is not None:  # as it is now, locked
        decision.member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=decision.member.pk)
        )
    refuse_if_any(check_restore_rights(by=by, decision=decision, cell=cell))
    day = annulled_on(decision)
    assert day is not None  # the check refuses a decision not annulled
    member = decision.member
    details = gettext("Rights restored: decision %(ref)s annulled (%(annulment)s)") % {
        "ref": decision.document_ref or decision.pk,
        "annulment": decision.annulment_ref or show_date(day),
    }
    changes: dict[str, object] = {"rights_restored_on": [None, timezone.localdate()], "from": day}
    if member is not None and decision.form == DisciplineForm.EXPULSION and member.state == State.LEFT:
        target = cell if cell is not None else last_cell(member)
        assert target is not None
        member_actions.reinstate_member(
            by=SYSTEM,
            member=member,
            cell=target,
            on=day,
            document_ref=decision.annulment_ref,
            details=details,
        )
        changes["cell"] = target.code
    elif member is not None and decision.form == DisciplineForm.DISMISSAL:
        restored = []
        for holding in posts_ended_by(decision):
            cadre_actions.assign_post(
                by=SYSTEM,
                member=member,
                organisation=holding.organisation,
                post=holding.post,
                on=day,
                title=holding.title,
                reason=details,
                management_level=holding.management_level,
            )
            restored.append(holding.pk)
        changes["posts"] = restored
    decision.rights_restored_on = timezone.localdate()
    decision.save()
    audit.record(
        by=by,
        action="inspection.restore_rights",
        target=decision,
        summary=details,
        changes=changes,
    )
    return decision

"""The yearly plan of inspections and supervisions of a committee's inspection
commission: planned with a subject, team, dates and a deadline; concluded with
findings and a dated conclusion."""

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
from serment.organisations.models import Organisation

from ..models import Inspection
from ..policies import ActivityKind, ActivityMode, Conclusion
from .discipline import check_inspection_right


def check_plan_inspection(
    *,
    by: Actor,
    committee: Organisation,
    year: int,
    kind: str,
    mode: str,
    topic: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    deadline: dt.date | None,
    subject_member: Member | None = None,
    subject_organisation: Organisation | None = None,
) -> list[Refusal]:
    refusals = check_inspection_right(by, committee.path)
    if refusals:
        return refusals
    if kind not in ActivityKind.values:
        refusals.append(Refusal(code="kind_required", message=_("Choose the kind."), field="kind"))
    if mode not in ActivityMode.values:
        refusals.append(Refusal(code="mode_required", message=_("Choose the mode."), field="mode"))
    if not (topic or "").strip():
        refusals.append(Refusal(code="topic_required", message=_("State the subject matter."), field="topic"))
    if (subject_member is None) == (subject_organisation is None):
        refusals.append(
            Refusal(
                code="one_subject",
                message=_("Name either a member or an organisation."),
                field="subject_card",
            )
        )
    else:
        subject = subject_member.organisation if subject_member is not None else subject_organisation
        assert subject is not None  # exactly one of them, checked above
        path = subject.path
        if not path.startswith(committee.path):
            refusals.append(
                Refusal(
                    code="not_competent",
                    message=_("The subject is outside %(committee)s."),
                    params={"committee": committee.name},
                    field="subject_card" if subject_member is not None else "subject_org_code",
                )
            )
    if starts_on is None or ends_on is None or deadline is None:
        refusals.append(
            Refusal(code="date_required", message=_("Enter the dates and the deadline."), field="starts_on")
        )
        return refusals
    if starts_on.year != year:
        refusals.append(
            Refusal(
                code="wrong_year",
                message=_("The inspection must start in the plan's year."),
                field="starts_on",
            )
        )
    if ends_on < starts_on or deadline < ends_on:
        refusals.append(
            Refusal(
                code="dates_out_of_order",
                message=_("The dates must run in order: start, end, deadline for the conclusion."),
                field="ends_on",
            )
        )
    return refusals


@transaction.atomic
def plan_inspection(
    *,
    by: Actor,
    committee: Organisation,
    year: int,
    kind: str,
    mode: str,
    topic: str,
    starts_on: dt.date,
    ends_on: dt.date,
    deadline: dt.date,
    subject_member: Member | None = None,
    subject_organisation: Organisation | None = None,
    team: str = "",
) -> Inspection:
    """Add an inspection or a supervision to ``committee``'s plan for ``year``."""
    refuse_if_any(
        check_plan_inspection(
            by=by,
            committee=committee,
            year=year,
            kind=kind,
            mode=mode,
            topic=topic,
            starts_on=starts_on,
            ends_on=ends_on,
            deadline=deadline,
            subject_member=subject_member,
            subject_organisation=subject_organisation,
        )
    )
    inspection = Inspection.objects.create(
        committee=committee,
        year=year,
        kind=kind,
        mode=mode,
        topic=topic.strip(),
        team=(team or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
        subject_member=subject_member,
        subject_organisation=subject_organisation,
    )
    audit.record(
        by=by,
        action="inspection.plan",
        target=inspection,
        summary=gettext("Planned: %(what)s") % {"what": str(inspection)},
        changes={"year": year, "kind": kind, "mode": mode, "deadline": deadline},
    )
    return inspection


def check_conclude_inspection(
    *,
    by: Actor,
    inspection: Inspection,
    conclusion: str,
    concluded_on: dt.date | None,
    today: dt.date | None = None,
) -> list[Refusal]:
    refusals = check_inspection_right(by, inspection.committee.path)
    if refusals:
        return refusals
    if inspection.concluded_on is not None:
        refusals.append(Refusal(code="already_concluded", message=_("This inspection is already concluded.")))
    if conclusion not in Conclusion.values:
        refusals.append(
            Refusal(code="conclusion_required", message=_("Choose the conclusion."), field="conclusion")
        )
    if concluded_on is None:
        refusals.append(
            Refusal(
                code="date_required", message=_("Enter the date of the conclusion."), field="concluded_on"
            )
        )
    elif concluded_on < inspection.starts_on:
        refusals.append(
            Refusal(
                code="dates_out_of_order",
                message=_("An inspection cannot conclude before it starts."),
                field="concluded_on",
            )
        )
    elif concluded_on > (today or timezone.localdate()):
        refusals.append(
            Refusal(
                code="date_in_future", message=_("The date cannot be in the future."), field="concluded_on"
            )
        )
    return refusals


@transaction.atomic
def conclude_inspection(
    *, by: Actor, inspection: Inspection, conclusion: str, concluded_on: dt.date, findings: str = ""
) -> Inspection:
    """Record the findings and the dated conclusion."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("committee").get(pk=inspection.pk)
    )
    refuse_if_any(
        check_conclude_inspection(
            by=by, inspection=inspection, conclusion=conclusion, concluded_on=concluded_on
        )
    )
    inspection.conclusion, inspection.concluded_on = conclusion, concluded_on
    inspection.findings = (findings or "").strip()
    inspection.save(update_fields=["conclusion", "concluded_on", "findings"])
    audit.record(
        by=by,
        action="inspection.conclude",
        target=inspection,
        summary=gettext("Concluded on %(day)s: %(conclusion)s.")
        % {"day": concluded_on, "conclusion": Conclusion(conclusion).label},
        changes={
            "conclusion": conclusion,
            "concluded_on": concluded_on,
            "late": concluded_on > inspection.deadline,
        },
    )
    return inspection

"""Launching an oath campaign, self-assessments and reminders (DOMAIN §3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor, user_of
from serment.core.dates import show_date
from serment.core.errors import DomainError, Refusal, refusals_of, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals, require
from serment.members.models import Member, State
from serment.organisations.models import COMMITTEE_KINDS, Organisation

from ..models import (
    AssessmentStatus,
    Campaign,
    Notice,
    Promise,
    PromiseNote,
    SelfAssessment,
)
from ._common import (
    ASSESSMENT_TEXTS,
    EXPECTABLE_STATES,
    _check_cell,
    _require_member_themself,
    report_type_for,
)


def check_launch_campaign(
    *,
    by: Actor,
    organisation: Organisation,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    deadline: dt.date,
    expected_states: Sequence[str] = (State.ACTIVE,),
) -> list[Refusal]:
    """May ``by`` launch this campaign from ``organisation`` (a committee) for its subtree?"""
    refused = permission_refusals(by, Perm.MANAGE_CAMPAIGNS, organisation.path)
    if refused:
        return refused

    def validate() -> None:
        if organisation.kind not in COMMITTEE_KINDS:
            raise DomainError(
                _("A campaign is launched by a committee."),
                field="organisation",
                code="campaign_by_committee",
            )
        if not (title or "").strip():
            raise DomainError(_("Give the campaign a title."), field="title", code="title_required")
        if ends_on < starts_on:
            raise DomainError(
                _("The campaign ends before it starts."), field="ends_on", code="campaign_ends_before_start"
            )
        if deadline < ends_on:
            raise DomainError(
                _("The reporting deadline is before the end of the campaign."),
                field="deadline",
                code="deadline_before_end",
            )
        states = [s for s in EXPECTABLE_STATES if s in set(expected_states)]
        if not states or set(expected_states) - set(EXPECTABLE_STATES):
            raise DomainError(
                _("Choose which members are expected to take part."),
                field="expected_states",
                code="expected_states_required",
            )

    return refusals_of(validate)


@transaction.atomic
def launch_campaign(
    *,
    by: Actor,
    organisation: Organisation,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    deadline: dt.date,
    expected_states: Sequence[str] = (State.ACTIVE,),
    count_whole_register: bool = False,
    presentation_without_self_assessment: bool = False,
) -> Campaign:
    """A committee launches a campaign for its subtree."""
    refuse_if_any(
        check_launch_campaign(
            by=by,
            organisation=organisation,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            deadline=deadline,
            expected_states=expected_states,
        )
    )
    title = title.strip()
    states = [s for s in EXPECTABLE_STATES if s in set(expected_states)]
    campaign = Campaign.objects.create(
        organisation=organisation,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
        expected_states=states,
        count_whole_register=count_whole_register,
        presentation_without_self_assessment=presentation_without_self_assessment,
        launched_by=user_of(by),
    )
    audit.record(
        by=by,
        action="oath.launch_campaign",
        target=campaign,
        summary=title,
        changes={
            "organisation": organisation.code,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "deadline": deadline,
            "expected_states": states,
            "count_whole_register": count_whole_register,
            "presentation_without_self_assessment": presentation_without_self_assessment,
        },
    )
    return campaign


# --- self-assessment ---------------------------------------------------------------


def _check_campaign_concerns(campaign: Campaign, member: Member) -> None:
    if member.state == State.LEFT or not member.organisation.path.startswith(campaign.organisation.path):
        raise DomainError(
            _("This campaign does not concern %(name)s.") % {"name": member.full_name},
            code="campaign_does_not_concern",
        )


def _check_before_deadline(campaign: Campaign) -> None:
    if timezone.localdate() > campaign.deadline:
        raise DomainError(
            _("The campaign's deadline (%(d)s) has passed.") % {"d": show_date(campaign.deadline)},
            code="deadline_passed",
        )


def check_save_self_assessment(
    *, by: Actor, campaign: Campaign, member: Member, promise_notes: dict[int, str] | None = None
) -> list[Refusal]:
    """May ``by`` save ``member``'s draft self-assessment for ``campaign``? Only the member,
    in a campaign that concerns them, before the deadline, not once submitted; notes only
    on their own promises. The page is read-only when this refuses without a field."""
    refused = refusals_of(lambda: _require_member_themself(by, member))
    if refused:
        return refused

    def validate() -> None:
        _check_campaign_concerns(campaign, member)
        _check_before_deadline(campaign)
        if SelfAssessment.objects.filter(
            campaign=campaign, member=member, status=AssessmentStatus.SUBMITTED
        ).exists():
            raise DomainError(_("This self-assessment is already submitted."), code="already_submitted")
        notes = {int(k) for k in (promise_notes or {})}
        own = set(Promise.objects.filter(member=member, pk__in=notes).values_list("pk", flat=True))
        if notes - own:
            raise DomainError(
                _("A note refers to a promise that is not yours."),
                field="promise_notes",
                code="note_on_others_promise",
            )

    return refusals_of(validate)


@transaction.atomic
def save_self_assessment(
    *,
    by: Actor,
    campaign: Campaign,
    member: Member,
    kept: str = "",
    not_well: str = "",
    not_done: str = "",
    will_do: str = "",
    promise_notes: dict[int, str] | None = None,
) -> SelfAssessment:
    """Save the member's self-assessment as a draft (only the member writes it)."""
    refuse_if_any(
        check_save_self_assessment(by=by, campaign=campaign, member=member, promise_notes=promise_notes)
    )
    assessment, created = SelfAssessment.objects.select_for_update().get_or_create(
        campaign=campaign, member=member
    )
    if assessment.status == AssessmentStatus.SUBMITTED:  # submitted since the check: refuse the same way
        refuse_if_any(check_save_self_assessment(by=by, campaign=campaign, member=member))
    texts = {"kept": kept, "not_well": not_well, "not_done": not_done, "will_do": will_do}
    for name, value in texts.items():
        setattr(assessment, name, (value or "").strip())
    assessment.save()
    notes = {int(k): (v or "").strip() for k, v in (promise_notes or {}).items()}
    for promise_id, note in notes.items():
        if note:
            PromiseNote.objects.update_or_create(
                assessment=assessment, promise_id=promise_id, defaults={"note": note}
            )
        else:
            PromiseNote.objects.filter(assessment=assessment, promise_id=promise_id).delete()
    audit.record(
        by=by,
        action="oath.save_self_assessment",
        target=assessment,
        summary=_("Draft saved"),
        changes={"created": created},
    )
    return assessment


def check_submit_self_assessment(*, by: Actor, assessment: SelfAssessment) -> list[Refusal]:
    """May the member submit ``assessment``? Only the member, before the deadline, every part written."""
    refused = refusals_of(lambda: _require_member_themself(by, assessment.member))
    if refused:
        return refused

    def validate() -> None:
        _check_before_deadline(assessment.campaign)
        if assessment.status == AssessmentStatus.SUBMITTED:
            raise DomainError(_("This self-assessment is already submitted."), code="already_submitted")
        for name in ASSESSMENT_TEXTS:
            if not getattr(assessment, name).strip():
                raise DomainError(
                    _("Write every part of the self-assessment before submitting."),
                    field=name,
                    code="assessment_incomplete",
                )

    return refusals_of(validate)


@transaction.atomic
def submit_self_assessment(*, by: Actor, assessment: SelfAssessment) -> SelfAssessment:
    """Submit the self-assessment; its report type follows from the member's promises."""
    assessment = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("campaign", "member")
        .get(pk=assessment.pk)
    )
    refuse_if_any(check_submit_self_assessment(by=by, assessment=assessment))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.report_type = report_type_for(assessment.member, timezone.localdate())
    assessment.save(update_fields=["status", "submitted_at", "report_type", "updated_at"])
    audit.record(
        by=by,
        action="oath.submit_self_assessment",
        target=assessment,
        summary=_("Submitted"),
        changes={"report_type": assessment.report_type},
    )
    return assessment


# --- the cell's thematic meeting ---------------------------------------------------


# --- reminders ---------------------------------------------------------------------


def check_remind_not_submitted(*, campaign: Campaign, today: dt.date) -> list[Refusal]:
    """Reminders make sense only while a self-assessment can still be written."""
    if campaign.closed_at is not None or today > campaign.deadline:
        return [
            Refusal(
                code="campaign_deadline_passed",
                message=gettext_lazy(
                    "The deadline (%(date)s) has passed: nobody can be reminded to write now."
                ),
                params={"date": campaign.deadline},
            )
        ]
    return []


@transaction.atomic
def remind_not_submitted(*, by: Actor, campaign: Campaign, cell: Organisation) -> int:
    """Send the cell's active members who have not submitted an in-app notice, and an
    e-mail after commit where they have an address and mail is configured."""
    require(by, Perm.RUN_MEETINGS, cell.path)
    _check_cell(campaign, cell)
    refuse_if_any(check_remind_not_submitted(campaign=campaign, today=timezone.localdate()))
    submitted = SelfAssessment.objects.filter(campaign=campaign, status=AssessmentStatus.SUBMITTED).values(
        "member_id"
    )
    members = list(
        Member.objects.filter(organisation=cell, state__in=campaign.expected_states).exclude(pk__in=submitted)
    )
    text = _("Please write and submit your self-assessment for “%(title)s” by %(date)s.") % {
        "title": campaign.title,
        "date": show_date(campaign.deadline),
    }
    Notice.objects.bulk_create([Notice(member=m, campaign=campaign, text=text) for m in members])
    addresses = [m.email for m in members if m.email]
    if addresses and settings.EMAIL_BACKEND:
        transaction.on_commit(
            lambda: send_mail(
                campaign.title, text, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True
            )
        )
    audit.record(
        by=by,
        action="oath.remind",
        target=campaign,
        summary=cell.name,
        changes={"cell": cell.code, "members": len(members)},
    )
    return len(members)


def check_close_campaign(*, campaign: Campaign, today: dt.date) -> list[Refusal]:
    """A campaign is closed once its reporting deadline has passed, and only once."""
    if campaign.closed_at is not None:
        return [Refusal(code="campaign_closed", message=gettext_lazy("This campaign is already closed."))]
    if today <= campaign.deadline:
        return [
            Refusal(
                code="campaign_not_over",
                message=gettext_lazy("The campaign can be closed after its reporting deadline, %(date)s."),
                params={"date": campaign.deadline},
            )
        ]
    return []


@transaction.atomic
def close_campaign(*, by: Actor, campaign: Campaign) -> Campaign:
    """Close the campaign: its figures are final. The denominator stays the register as
    Serment knew it at closing; members put on the register later do not move it."""
    require(by, Perm.MANAGE_CAMPAIGNS, campaign.organisation.path)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    refuse_if_any(check_close_campaign(campaign=campaign, today=timezone.localdate()))
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])
    audit.record(
        by=by, action="oath.close_campaign", target=campaign, changes={"closed_at": campaign.closed_at}
    )
    return campaign

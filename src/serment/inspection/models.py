"""The inspection commission's records (DOMAIN §7). All confidential: every
queryset here answers only to inspection staff (``Perm.INSPECTION``) of the
subtree, whatever permission a caller asks for, plus the person concerned for
the discipline decisions on themselves."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from serment.core.dates import show_date
from serment.core.roles import Perm
from serment.core.scoping import ScopedQuerySet, scope_for

from .policies import (
    ActivityKind,
    ActivityMode,
    CaseChannel,
    CaseKind,
    CaseOutcome,
    ComplaintLevel,
    ComplaintOutcome,
    Conclusion,
    DisciplineForm,
)


class ConfidentialQuerySet(ScopedQuerySet):
    """Rows seen by inspection staff of the subtree only. ``VIEW`` (what pages,
    exports and other apps' generic code ask for) means ``INSPECTION`` here: an
    administrator, organisation staff, a leader or a secretary without an
    inspection role sees nothing, so their pages answer 404."""

    self_visible = False

    def permitted(self, user: Any, perm: str = Perm.VIEW) -> ScopedQuerySet:
        scope = scope_for(user)
        wanted = Perm.INSPECTION if perm in (Perm.VIEW, Perm.EXPORT, Perm.INSPECTION) else perm
        conditions = [Q(**{f"{self.scope_path_lookup}__startswith": p}) for p in scope.paths_for(wanted)]
        if perm == Perm.VIEW and self.self_visible and self.scope_member_lookup and scope.member_id:
            conditions.append(Q(**{self.scope_member_lookup: scope.member_id}))
        if not conditions:
            return self.none()
        return self.filter(reduce(or_, conditions))


class DisciplineQuerySet(ConfidentialQuerySet):
    scope_path_lookup = "unit__path"
    scope_member_lookup = "member"
    self_visible = True  # the person concerned sees the decisions on themselves


class DisciplineDecision(models.Model):
    """A discipline decision on a member or an organisation: the one register that
    rating and cadre work read (through ``queries``)."""

    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_decisions",
        verbose_name=_("member"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_decisions",
        verbose_name=_("disciplined organisation"),
    )
    # Where the record sits in the tree: the member's cell at the decision, or the
    # disciplined organisation itself. Scoping reads this.
    unit = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    form = models.CharField(_("form"), max_length=20, choices=DisciplineForm.choices)
    deciding_body = models.CharField(_("deciding body"), max_length=200)
    document_ref = models.CharField(_("document reference"), max_length=100, blank=True)
    violation = models.CharField(_("violation"), max_length=500, blank=True)
    decided_on = models.DateField(_("decided on"))
    announced_on = models.DateField(_("announced on"))
    self_detected = models.BooleanField(_("self-detected and remedied"), default=False)
    # Quy định 117-QĐ/TW: a decision found wrong is annulled, rights restored.
    annulled_on = models.DateField(_("annulled on"), null=True, blank=True)
    annulment_ref = models.CharField(_("annulment document"), max_length=100, blank=True)
    annulment_reason = models.CharField(_("reason for annulment"), max_length=500, blank=True)
    # The rights restored after the annulment (``actions.restore_rights``): from then the
    # register, rating and cadre work read the decision as if it had never been taken.
    rights_restored_on = models.DateField(_("rights restored on"), null=True, blank=True)

    objects = DisciplineQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("discipline decision")
        verbose_name_plural = _("discipline decisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(organisation__isnull=True))
                | (Q(member__isnull=True) & Q(organisation__isnull=False)),
                name="discipline_decision_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(announced_on__gte=F("decided_on")), name="discipline_announced_after_decision"
            ),
            models.CheckConstraint(
                condition=Q(annulled_on__isnull=True) | Q(annulled_on__gte=F("decided_on")),
                name="discipline_annulled_after_decision",
            ),
        ]
        indexes = [models.Index(fields=["member", "decided_on"]), models.Index(fields=["decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {show_date(self.decided_on)}"

    @property
    def subject(self):
        return self.member or self.organisation


class ComplaintQuerySet(ConfidentialQuerySet):
    scope_path_lookup = "decision__unit__path"
    scope_member_lookup = "decision__member"
    self_visible = True


class DisciplineComplaint(models.Model):
    """A complaint by the disciplined member or organisation about a decision, to
    the next level up (Charter Art. 39; Quy định 22-QĐ/TW Art. 22). The decision
    stays in force while it runs; the outcome upholds, changes or annuls it."""

    decision = models.ForeignKey(
        DisciplineDecision, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("decision")
    )
    received_decision_on = models.DateField(_("decision received by the complainant on"))
    lodged_on = models.DateField(_("lodged on"))
    level = models.PositiveSmallIntegerField(_("handled at"), choices=ComplaintLevel.choices)
    handling_body = models.CharField(_("handling body"), max_length=200)
    grounds = models.CharField(_("grounds"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ComplaintOutcome.choices, blank=True)
    new_form = models.CharField(_("new form"), max_length=20, choices=DisciplineForm.choices, blank=True)
    decided_on = models.DateField(_("complaint decided on"), null=True, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=100, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "lodged_on", "pk"]
        verbose_name = _("complaint about discipline")
        verbose_name_plural = _("complaints about discipline")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", decided_on__isnull=True)
                | (~Q(outcome="") & Q(decided_on__isnull=False)),
                name="complaint_outcome_dated",
            ),
            models.CheckConstraint(
                condition=Q(outcome="changed", new_form__gt="") | (~Q(outcome="changed") & Q(new_form="")),
                name="complaint_new_form_when_changed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} – {show_date(self.lodged_on)}"

    @property
    def pending(self) -> bool:
        return not self.outcome


class CaseQuerySet(ConfidentialQuerySet):
    scope_path_lookup = "committee__path"
    scope_member_lookup = None

    def overdue_on(self, day: dt.date):
        """Cases to handle whose deadline passed before ``day`` unclosed, or that were closed late."""
        return self.filter(handled=True, due_on__lt=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=F("due_on"))
        )


class Case(models.Model):
    """A petition, complaint or denunciation (đơn thư) received by a committee's
    inspection commission. Nobody but its staff sees it; the sender's identity only
    the staff of the handling committee itself."""

    committee = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="inspection_cases",
        verbose_name=_("handling committee"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=CaseChannel.choices)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("register number"), max_length=50, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    sender_contact = models.CharField(_("sender's address or phone"), max_length=200, blank=True)
    concerned_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member concerned"),
    )
    concerned_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation concerned"),
    )
    summary = models.CharField(_("summary"), max_length=1000)
    # False for an anonymous denunciation: recorded, by regulation not handled.
    handled = models.BooleanField(_("to be handled"), default=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    rule_set = models.CharField(_("deadline rules"), max_length=20, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CaseOutcome.choices, blank=True)
    outcome_note = models.CharField(_("conclusion"), max_length=1000, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("petition or denunciation")
        verbose_name_plural = _("petitions and denunciations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("received_on")),
                name="case_closed_after_received",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(sender_name=""), name="case_anonymous_has_no_sender"
            ),
        ]
        indexes = [models.Index(fields=["committee", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference or self.pk} ({show_date(self.received_on)})"

    def is_overdue(self, day: dt.date) -> bool:
        if not self.handled or self.due_on is None:
            return False
        return (self.closed_on or day) > self.due_on and day > self.due_on


class InspectionQuerySet(ConfidentialQuerySet):
    scope_path_lookup = "committee__path"
    scope_member_lookup = None


class Inspection(models.Model):
    """One inspection or supervision in a committee's yearly plan."""

    committee = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("committee"),
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=ActivityMode.choices)
    subject_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member inspected"),
    )
    subject_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation inspected"),
    )
    topic = models.CharField(_("subject matter"), max_length=500)
    team = models.CharField(_("team"), max_length=500, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    deadline = models.DateField(_("deadline for the conclusion"))
    findings = models.TextField(_("findings"), blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=30, choices=Conclusion.choices, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "starts_on", "pk"]
        verbose_name = _("inspection or supervision")
        verbose_name_plural = _("inspections and supervisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject_member__isnull=False) & Q(subject_organisation__isnull=True))
                | (Q(subject_member__isnull=True) & Q(subject_organisation__isnull=False)),
                name="inspection_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")) & Q(deadline__gte=F("starts_on")),
                name="inspection_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(conclusion="", concluded_on__isnull=True)
                | (~Q(conclusion="") & Q(concluded_on__isnull=False)),
                name="inspection_conclusion_dated",
            ),
        ]
        indexes = [models.Index(fields=["committee", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"

    @property
    def subject(self):
        return self.subject_member or self.subject_organisation

    def is_overdue(self, day: dt.date) -> bool:
        return (self.concluded_on or day) > self.deadline and day > self.deadline

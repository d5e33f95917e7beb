"""Movement decisions, planning and the local/non-local overrides (DOMAIN §6).

Posts held are ``members.PostHolding`` (a dated period per holder, with how it began
and ended and the level managing it); a movement links the holding it ended and the
one it opened.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.dates import show_date
from serment.core.scoping import ScopedQuerySet
from serment.members.models import ManagementLevel, PostKind


class MovementKind(models.TextChoices):
    ROTATION = "rotation", _("Rotation (luân chuyển)")
    TRANSFER = "transfer", _("Transfer (điều động)")
    APPOINTMENT = "appointment", _("Appointment (bổ nhiệm)")
    REAPPOINTMENT = "reappointment", _("Reappointment (bổ nhiệm lại)")
    NOMINATION = "nomination", _("Nomination for election (giới thiệu ứng cử)")
    ELECTION = "election", _("Election result")
    DISMISSAL = "dismissal", _("Dismissal from office (miễn nhiệm)")
    REMOVAL = "removal", _("Removal from post (cách chức)")
    RELIEF = "relief", _("Relieved of the post (cho thôi giữ chức vụ)")
    REMOVAL_PROPOSED = "removal_proposed", _("Proposal to the higher level to remove from office")


# What each kind does to post holdings.
OPENS_HOLDING = ("rotation", "transfer", "appointment", "reappointment", "election")
ENDS_HOLDING = (
    "rotation",
    "transfer",
    "appointment",
    "reappointment",
    "election",
    "dismissal",
    "removal",
    "relief",
)
NEEDS_FROM_HOLDING = ("reappointment", "dismissal", "removal", "relief", "removal_proposed")
REMOVALS = ("dismissal", "removal", "relief", "removal_proposed")


class Grounds(models.TextChoices):
    WORK = "work", _("Needs of the work")
    DISCIPLINE = "discipline", _("Discipline")
    RATING = "rating", _("Rated not completed")
    REQUEST = "request", _("Own request")
    AGE = "age", _("Age or health")


class MovementQuerySet(ScopedQuerySet):
    # The record sits where the decision places the person (or where they leave).
    scope_path_lookup = "organisation__path"
    scope_member_lookup = "member"


class Movement(models.Model):
    """One decision of a deciding body about one person's post."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="movements", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("organisation"),
    )
    post = models.CharField(_("post"), max_length=30, choices=PostKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    management_level = models.CharField(
        _("under the management of"), max_length=20, choices=ManagementLevel.choices
    )
    deciding_level = models.CharField(_("deciding level"), max_length=20, choices=ManagementLevel.choices)
    deciding_body = models.CharField(_("deciding body"), max_length=200)
    document_ref = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    effective_on = models.DateField(_("effective on"))
    grounds = models.CharField(
        pgettext_lazy("cadre decision", "grounds"),
        max_length=20,
        choices=Grounds.choices,
        default=Grounds.WORK,
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The post the decision is about on the way out (ended, or proposed for removal)
    # and the post it opened.
    from_holding = models.ForeignKey(
        "members.PostHolding",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements_out",
        verbose_name=_("post left"),
    )
    to_holding = models.ForeignKey(
        "members.PostHolding",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements_in",
        verbose_name=_("post taken"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "pk"]
        verbose_name = _("cadre decision")
        verbose_name_plural = _("cadre decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=F("decided_on")), name="movement_effective_after"
            ),
        ]
        indexes = [models.Index(fields=["decided_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_ref} {show_date(self.decided_on)}"


class PlanQuerySet(ScopedQuerySet):
    scope_path_lookup = "organisation__path"
    scope_member_lookup = "member"

    def current(self) -> "PlanQuerySet":
        return self.filter(removed_on__isnull=True)


class PlanEntry(models.Model):
    """A person planned (quy hoạch) for a post of an organisation for a term."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="plan_entries", verbose_name=_("member")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="plan_entries",
        verbose_name=_("organisation"),
    )
    post = models.CharField(_("post"), max_length=30, choices=PostKind.choices)
    term_start = models.PositiveSmallIntegerField(_("term from (year)"))
    added_on = models.DateField(_("planned on"))
    document_ref = models.CharField(_("decision number"), max_length=100, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__path", "post", "member__full_name", "pk"]
        verbose_name = _("planning entry")
        verbose_name_plural = _("planning entries")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organisation", "post", "term_start"],
                condition=Q(removed_on__isnull=True),
                name="planned_once_per_post_term",
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("added_on")),
                name="plan_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} for {self.post} of {self.organisation_id} ({self.term_start})"

    @property
    def term_label(self) -> str:
        return f"{self.term_start}–{self.term_start + 5}"


class LocalityQuerySet(ScopedQuerySet):
    scope_path_lookup = "organisation__path"
    scope_member_lookup = "member"


class LocalityOverride(models.Model):
    """An explicit decision that a person is (or is not) local to a district,
    overriding what their home town and previous work say. The latest one counts."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    is_local = models.BooleanField(_("local"))
    reason = models.CharField(_("reason"), max_length=500)
    decided_on = models.DateField(_("decided on"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = LocalityQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("local/non-local override")

    def __str__(self) -> str:
        return f"{self.member_id} {'local' if self.is_local else 'non-local'} to {self.organisation_id}"

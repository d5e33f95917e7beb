"""The member registry and each member's dated history (DOMAIN §2).

``Member.organisation`` and ``Member.state`` are the *current* cell and activity
state, kept by the actions in step with the dated periods (``Membership``,
``ActivityPeriod``) so that scoping and lists are one indexed join, not a
history scan. Standing (probationary/official) is not stored: it is
``official_on`` being set.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.dates import show_date
from serment.core.scoping import ScopedQuerySet


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Standing(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")


class State(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXEMPT = "exempt", pgettext_lazy("activity state", "Exempt from work and activities")
    TRANSFERRED_OUT = "transferred_out", pgettext_lazy("activity state", "Temporarily transferred out")
    LEFT = "left", _("Left the Party register")


class LeftReason(models.TextChoices):
    STRUCK_OFF = "struck_off", _("Struck from the register")
    EXPELLED = "expelled", _("Expelled")
    DECEASED = "deceased", _("Deceased")
    RESIGNED = "resigned", _("Resigned")
    TRANSFERRED_AWAY = "transferred_away", _("Transferred out of the province")
    NOT_RECOGNISED = "not_recognised", _("Not recognised as official")


class MemberQuerySet(ScopedQuerySet):
    scope_path_lookup = "organisation__path"
    scope_member_lookup = "pk"

    def current(self) -> "MemberQuerySet":
        """On the register (not left)."""
        return self.exclude(state=State.LEFT)

    def in_subtree(self, org) -> "MemberQuerySet":
        return self.filter(organisation__path__subtree=org.path)

    def with_standing(self, standing: str) -> "MemberQuerySet":
        return self.filter(official_on__isnull=(standing == Standing.PROBATIONARY))


class Member(models.Model):
    full_name = models.CharField(_("full name"), max_length=120, db_index=True)
    # Derived from full_name by members.names.name_keys, in every action that writes a name.
    search_name = models.CharField(max_length=120, db_index=True, editable=False, default="")
    sort_name = models.CharField(max_length=102, db_index=True, editable=False, default="")
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    home_town = models.CharField(_("home town"), max_length=200, blank=True)
    citizen_id = models.CharField(_("citizen ID"), max_length=20, null=True, blank=True, unique=True)
    card_number = models.CharField(_("Party card number"), max_length=20, null=True, blank=True, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education_level = models.CharField(_("education level"), max_length=60, blank=True)
    theory_level = models.CharField(_("political-theory level"), max_length=60, blank=True)
    admitted_on = models.DateField(_("date of admission"))
    official_on = models.DateField(_("date of becoming official"), null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("cell"),
    )
    state = models.CharField(_("activity state"), max_length=20, choices=State.choices, default=State.ACTIVE)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=LeftReason.choices, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        verbose_name=_("sign-in account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["organisation", "state"]),
            # the admission year's range (admissions.queries: admitted in a year)
            models.Index(fields=["admitted_on"], name="member_admitted_on_idx"),
            # probationary members (official_on is null) by admission date: due for recognition
            models.Index(fields=["official_on", "admitted_on"], name="member_probation_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_on__isnull=True) | Q(official_on__gte=F("admitted_on")),
                name="member_official_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(admitted_on__gt=F("date_of_birth")),
                name="member_admitted_after_birth",
            ),
            models.CheckConstraint(
                condition=(Q(state="left") & Q(left_on__isnull=False) & ~Q(left_reason=""))
                | (~Q(state="left") & Q(left_on__isnull=True) & Q(left_reason="")),
                name="member_left_fields_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def standing(self) -> str:
        return Standing.OFFICIAL if self.official_on else Standing.PROBATIONARY

    def get_standing_display(self) -> str:
        return Standing(self.standing).label

    @property
    def is_current(self) -> bool:
        return self.state != State.LEFT


class HistoryQuerySet(ScopedQuerySet):
    scope_path_lookup = "member__organisation__path"
    scope_member_lookup = "member"


class MembershipKind(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    REGISTERED = "registered", _("Registered (import)")
    INTERNAL_TRANSFER = "internal_transfer", _("Internal transfer")
    OFFICIAL_TRANSFER = "official_transfer", _("Official transfer")
    TRANSFER_IN = "transfer_in", _("Transferred in from outside the province")
    REINSTATED = "reinstated", _("Back on the register (expulsion annulled)")


class Membership(models.Model):
    """A dated period in one cell. Exactly one open period per current member."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("cell"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    kind = models.CharField(_("how"), max_length=20, choices=MembershipKind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=100, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["member", "starts_on", "pk"]
        verbose_name = _("membership period")
        indexes = [
            # covers "the members of a subtree's cells on a day" without reading the rows
            # (admissions: members at the start of the year, by committee)
            models.Index(
                fields=["organisation", "starts_on", "ends_on", "member"], name="membership_org_period_idx"
            ),
            # the first cell of a member (admissions: where a member was admitted)
            models.Index(fields=["member", "starts_on"], name="membership_member_start_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ends_on__isnull=True), name="one_current_cell_per_member"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="membership_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.organisation_id} from {show_date(self.starts_on)}"


class ExemptionReason(models.TextChoices):
    AGE = "age", _("Age (men over 60, women over 55)")
    ILLNESS = "illness", _("Illness of 3 months or more")
    REQUEST = "request", _("Other reason, on written request")


class ActivityPeriod(models.Model):
    """A dated period outside ordinary activity: exemption or temporary transfer out."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="activity_periods")
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=[
            (State.EXEMPT.value, State.EXEMPT.label),
            (State.TRANSFERRED_OUT.value, State.TRANSFERRED_OUT.label),
        ],
    )
    starts_on = models.DateField(_("from"))
    planned_end = models.DateField(_("planned until"), null=True, blank=True)
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    details = models.CharField(_("details"), max_length=300, blank=True)
    destination = models.CharField(_("destination"), max_length=200, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=100, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["member", "starts_on", "pk"]
        verbose_name = _("activity period")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ends_on__isnull=True), name="one_open_activity_period"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="activity_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.state} from {show_date(self.starts_on)}"

    def get_reason_display(self) -> str:
        try:
            return ExemptionReason(self.reason).label
        except ValueError:
            return self.reason


class PostKind(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    STANDING_MEMBER = "standing_member", _("Standing committee member")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    DEPARTMENT_HEAD = "department_head", _("Head of department")
    DEPUTY_HEAD = "deputy_head", _("Deputy head of department")
    OTHER = "other", _("Other post")


class ManagementLevel(models.TextChoices):
    """Which level decides on a post (cadre management, DOMAIN §6)."""

    CENTRAL = "central", _("Central Committee")
    PROVINCIAL = "provincial", _("Provincial standing committee")
    DISTRICT = "district", _("District-level standing committee")
    GRASSROOTS = "grassroots", _("Grassroots committee")


class HoldingChange(models.TextChoices):
    """How a post holding began or ended (the cadre app's movements, or a plain record)."""

    RECORDED = "recorded", _("Recorded")
    ELECTION = "election", _("Election")
    APPOINTMENT = "appointment", _("Appointment")
    REAPPOINTMENT = "reappointment", _("Reappointment")
    ROTATION = "rotation", _("Rotation")
    TRANSFER = "transfer", _("Transfer")
    DISMISSAL = "dismissal", _("Dismissal from office")
    REMOVAL = "removal", _("Removal from post")
    RELIEF = "relief", _("Relieved of the post")
    TERM_END = "term_end", _("End of term")
    LEFT_REGISTER = "left_register", _("Left the Party register")


class PostHolding(models.Model):
    """A post held by a member in an organisation, for a dated period, with how it
    began and ended and the level that manages the post."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="posts")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="post_holdings",
        verbose_name=_("organisation"),
    )
    post = models.CharField(_("post"), max_length=30, choices=PostKind.choices)
    title = models.CharField(pgettext_lazy("post", "title"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    management_level = models.CharField(
        _("under the management of"), max_length=20, choices=ManagementLevel.choices, blank=True
    )
    began_how = models.CharField(
        _("began by"), max_length=20, choices=HoldingChange.choices, default=HoldingChange.RECORDED
    )
    ended_how = models.CharField(_("ended by"), max_length=20, choices=HoldingChange.choices, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["member", "starts_on", "pk"]
        verbose_name = _("post held")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="post_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["member", "organisation", "post"],
                condition=Q(ends_on__isnull=True),
                name="post_held_once_at_a_time",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(ends_on__isnull=True, post="secretary"),
                name="one_secretary_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "post"], name="post_org_post_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.post} of {self.organisation_id} from {show_date(self.starts_on)}"

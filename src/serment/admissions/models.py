"""Member development (DOMAIN §5): candidates moving through the admission steps,
probation helpers, recognition votes, yearly targets and the published figures of peers.

Candidate records are personal data: they are scoped by the candidate's cell exactly
like members, and only staff of that subtree see them (a candidate has no sign-in).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.scoping import ScopedQuerySet


class StepKind(models.TextChoices):
    """The steps of an admission, in the order they must be recorded."""

    CERTIFICATE = "certificate", _("Party-awareness class certificate")
    APPLICATION = "application", _("Application")
    CV = "cv", _("CV")
    INTRODUCERS = "introducers", _("Introducers")
    OPINIONS = "opinions", _("Verification of opinions")
    CELL_RESOLUTION = "cell_resolution", _("Cell resolution")
    GRASSROOTS_RESOLUTION = "grassroots_resolution", _("Grassroots committee resolution")
    DECISION = "decision", _("Admission decision")
    CEREMONY = "ceremony", _("Admission ceremony")


STEP_ORDER: tuple[str, ...] = tuple(StepKind.values)
POSITION: dict[str, int] = {kind: n for n, kind in enumerate(STEP_ORDER, start=1)}


class CandidateStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("candidate", "In progress")
    ADMITTED = "admitted", _("Admitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CandidateQuerySet(ScopedQuerySet):
    scope_path_lookup = "organisation__path"
    scope_member_lookup = None
    self_visible = False

    def in_subtree(self, org) -> "CandidateQuerySet":
        return self.filter(organisation__path__subtree=org.path)

    def in_progress(self) -> "CandidateQuerySet":
        return self.filter(status=CandidateStatus.IN_PROGRESS)


class Candidate(models.Model):
    """A person not yet a member, whose admission a cell is preparing."""

    full_name = models.CharField(_("full name"), max_length=120, db_index=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=[("male", _("Male")), ("female", _("Female"))])
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    home_town = models.CharField(_("home town"), max_length=200, blank=True)
    citizen_id = models.CharField(_("citizen ID"), max_length=20, null=True, blank=True, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    education_level = models.CharField(_("education level"), max_length=60, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("cell"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.IN_PROGRESS
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason"), max_length=300, blank=True)
    member = models.OneToOneField(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidacy",
        verbose_name=_("member record"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="admitted", member__isnull=False)
                | (~Q(status="admitted") & Q(member__isnull=True)),
                name="candidate_admitted_has_member",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class StepQuerySet(ScopedQuerySet):
    scope_path_lookup = "candidate__organisation__path"
    scope_member_lookup = None
    self_visible = False


class Step(models.Model):
    """One dated step of a candidate's admission, with its document reference."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=30, choices=StepKind.choices)
    position = models.PositiveSmallIntegerField(editable=False)  # POSITION[kind], for ordering in SQL
    on = models.DateField(_("date"))
    document_ref = models.CharField(_("document reference"), max_length=100, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # The introducers step: a youth-union recommendation instead of (some) introducers.
    youth_union_recommendation = models.BooleanField(_("youth-union recommendation"), default=False)
    # The cell resolution: the vote.
    votes_for = models.PositiveSmallIntegerField(_("votes in favour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["candidate", "position"]
        verbose_name = _("admission step")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind"], name="one_step_of_each_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.on})"


class Introducer(models.Model):
    """An official member who introduces a candidate, and since when they have worked together."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="introducers")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="introduced", verbose_name=_("introducer")
    )
    worked_together_since = models.DateField(_("worked with the candidate since"))

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["candidate", "pk"]
        verbose_name = _("introducer")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "member"], name="introducer_once_per_candidate"),
        ]

    def __str__(self) -> str:
        return str(self.member)


class ProbationQuerySet(ScopedQuerySet):
    scope_path_lookup = "member__organisation__path"
    scope_member_lookup = "member"


class ProbationHelper(models.Model):
    """An official member assigned to help a probationary member (Charter, Art. 5)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="probation_helpers")
    helper = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="helping", verbose_name=_("helper")
    )
    assigned_on = models.DateField(_("assigned on"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = ProbationQuerySet.as_manager()

    class Meta:
        ordering = ["member", "assigned_on", "pk"]
        verbose_name = _("probation helper")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ends_on__isnull=True), name="one_current_helper"
            ),
            models.CheckConstraint(condition=~Q(member=F("helper")), name="helper_is_someone_else"),
        ]

    def __str__(self) -> str:
        return str(self.helper)


class ProbationReview(models.Model):
    """The cell's vote at the end of probation: recognised as official or not."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="probation_review")
    on = models.DateField(_("date of the cell's vote"))
    recognised = models.BooleanField(_("recognised as official"))
    votes_for = models.PositiveSmallIntegerField(_("votes in favour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=100, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = ProbationQuerySet.as_manager()

    class Meta:
        verbose_name = _("probation review")

    def __str__(self) -> str:
        return f"{self.member} ({self.on})"


class TargetQuerySet(ScopedQuerySet):
    scope_path_lookup = "organisation__path"
    scope_member_lookup = None
    self_visible = False


class AdmissionTarget(models.Model):
    """How many members a committee plans to admit in a year."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="admission_targets",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.PositiveIntegerField(_("target"))
    set_by = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    document_ref = models.CharField(_("document reference"), max_length=100, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["year", "organisation__path"]
        verbose_name = _("admission target")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_target_per_year"),
            models.CheckConstraint(condition=Q(target__gt=0), name="target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.target}"


class PeerFigure(models.Model):
    """Published admission figures of a peer outside the system (e.g. another province),
    compared with ``organisation`` (the committee that imported the table)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="peer_figures",
        verbose_name=_("compared with"),
    )
    peer_name = models.CharField(_("peer"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    admitted = models.PositiveIntegerField(_("admitted"))
    members = models.PositiveIntegerField(_("members"))
    rate = models.DecimalField(_("admission rate (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["year", "-rate", "peer_name"]
        verbose_name = _("peer figure")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "peer_name"], name="one_figure_per_peer_year"
            ),
            models.CheckConstraint(condition=Q(members__gt=0), name="peer_members_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.peer_name} {self.year}"

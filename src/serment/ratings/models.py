"""Rating rounds, ratings and targets (DOMAIN §4). The discipline decisions the
rules read live in the one register of ``serment.inspection``."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.roles import Perm
from serment.core.scoping import ScopedQuerySet, ancestor_paths, scope_for, subtree_q

from .policies import RULE_SETS, Level, SubjectKind


class RatingRoundQuerySet(ScopedQuerySet):
    """A round is the committee's, but the cells and committees under it take part in it
    (a cell secretary reviews their cell's members): a round is visible to whoever sees
    its committee's subtree or any part of it. What they see *in* it is the ratings their
    scope covers (``queries.round_ratings``, ``queries.rounds_for``)."""

    scope_path_lookup = "organisation__path"
    scope_member_lookup = None

    def permitted(self, user, perm: str = Perm.VIEW):
        roots = scope_for(user).paths_for(perm)
        if not roots:
            return self.none()
        above = {a for root in roots for a in ancestor_paths(root)}
        return self.filter(
            reduce(or_, [subtree_q("organisation__path", root) for root in roots])
            | Q(organisation__path__in=sorted(above))
        )


class RatingRound(models.Model):
    """A committee's rating of its subtree for one year."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="rating_rounds",
        verbose_name=_("deciding committee"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rule_set = models.CharField(
        _("rule set"), max_length=10, choices=[(r.code, r.name) for r in RULE_SETS], editable=False
    )
    opened_on = models.DateField(_("opened on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    objects = RatingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation__path"]
        verbose_name = _("rating round")
        verbose_name_plural = _("rating rounds")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_round_per_committee_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.year}"

    @property
    def rules(self):
        from .policies import RULE_SETS_BY_CODE

        return RULE_SETS_BY_CODE[self.rule_set]


class RatingQuerySet(ScopedQuerySet):
    scope_path_lookup = "organisation__path"
    scope_member_lookup = "member"

    def permitted(self, user, perm: str = Perm.VIEW):
        """As any scoped queryset; a member sees their own ratings (as a member and
        as a leader), to fill the self-assessment. The collective's review and the
        decision are shown to them once decided (the page checks ``locked``)."""
        scope = scope_for(user)
        conditions = Q(pk__in=[])
        for p in scope.paths_for(perm):
            conditions |= Q(organisation__path__subtree=p)
        if perm == Perm.VIEW and scope.member_id is not None:
            conditions |= Q(
                member_id=scope.member_id, subject_kind__in=(SubjectKind.MEMBER, SubjectKind.LEADER)
            )
        return self.filter(conditions)


class Rating(models.Model):
    """One subject's rating for one year: self-assessment, the collective's review,
    the committee's decision. Locked once decided."""

    round = models.ForeignKey(RatingRound, on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"), editable=False)  # the round's, for the unique rule
    subject_kind = models.CharField(_("subject"), max_length=20, choices=SubjectKind.choices)
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("member"),
    )
    # The organisation rated (organisation, collective), or where the member was
    # at year end (member: their cell; leader: the organisation of the post).
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("organisation"),
    )
    # The group within which the excellent quota is counted: for members their
    # grassroots organisation, for organisations the committee above them.
    quota_group = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quota group"),
    )
    post = models.CharField(_("post"), max_length=30, blank=True)

    self_assessment = models.TextField(pgettext_lazy("rating", "self-assessment"), blank=True)
    self_level = models.CharField(_("proposed level"), max_length=20, choices=Level.choices, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_sheet = models.JSONField(_("score sheet"), default=dict, blank=True)
    all_tasks_on_time = models.BooleanField(_("all tasks done on time"), null=True, blank=True)
    tasks_exceeded = models.DecimalField(
        _("share of tasks exceeded"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    targets_met = models.DecimalField(
        _("share of targets met"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    self_assessed_on = models.DateField(null=True, blank=True)

    review = models.TextField(_("collective review"), blank=True)
    review_level = models.CharField(
        _("level proposed by the collective"), max_length=20, choices=Level.choices, blank=True
    )
    reviewed_on = models.DateField(null=True, blank=True)

    level = models.CharField(_("decided level"), max_length=20, choices=Level.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    locked = models.BooleanField(_("locked"), default=False)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__path", "subject_kind", "pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "member"],
                condition=Q(subject_kind="member"),
                name="one_member_rating_per_year",
            ),
            models.UniqueConstraint(
                fields=["year", "subject_kind", "organisation"],
                condition=Q(subject_kind__in=["organisation", "collective"]),
                name="one_organisation_rating_per_year",
            ),
            models.UniqueConstraint(
                fields=["year", "member", "organisation"],
                condition=Q(subject_kind="leader"),
                name="one_leader_rating_per_post_year",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind__in=["organisation", "collective"], member__isnull=True)
                | Q(subject_kind__in=["member", "leader"], member__isnull=False),
                name="rating_subject_consistent",
            ),
            models.CheckConstraint(
                condition=Q(locked=False) | ~Q(level=""),
                name="rating_locked_only_when_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "subject_kind", "level"]),
            # The report's counts and latest_year read a subtree's decided ratings by
            # organisation: every column they read is in the index (no row fetched).
            models.Index(
                fields=["organisation", "year", "locked", "subject_kind", "level", "member"],
                name="rating_report_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} – {self.year}"

    @property
    def subject_name(self) -> str:
        if self.subject_kind in (SubjectKind.MEMBER, SubjectKind.LEADER):
            return self.member.full_name
        if self.subject_kind == SubjectKind.COLLECTIVE:
            return _("Leadership of %(org)s") % {"org": self.organisation.name}
        return self.organisation.name

    @property
    def proposed_level(self) -> str:
        """What the decision starts from: the collective's proposal, else the subject's own."""
        return self.review_level or self.self_level


class TargetQuerySet(ScopedQuerySet):
    scope_path_lookup = "organisation__path"
    scope_member_lookup = None


class TargetGroup(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots organisations")
    GRASSROOTS_COMMITTEES = "grassroots_committees", _("Grassroots committees")
    GRASSROOTS_CELLS = "grassroots_cells", _("Grassroots cells")
    CELLS = "cells", _("Cells under grassroots committees")
    HIGHER = "higher", _("Committees directly under the province")
    MEMBERS = "members", _("Members")


class RatingTarget(models.Model):
    """A target share rated good or better, set for a subtree and a span of years
    (e.g. the provincial Congress resolution for the term)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="rating_targets",
        verbose_name=_("organisation"),
    )
    group = models.CharField(_("group"), max_length=30, choices=TargetGroup.choices)
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))
    good_or_better = models.DecimalField(_("target share good or better (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__path", "group", "first_year"]
        verbose_name = _("rating target")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="target_years_in_order"
            ),
            models.CheckConstraint(
                condition=Q(good_or_better__gte=0) & Q(good_or_better__lte=100), name="target_share_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.first_year}–{self.last_year}: {self.good_or_better}%"

"""Keeping the oath (DOMAIN §3): oaths and promises, campaigns, self-assessments,
the cells' thematic meetings and what was said there.

Nothing here stores a total: coverage is counted from meetings, attendance and
presentations (``queries.coverage``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.dates import show_date
from serment.core.scoping import ScopedQuerySet, scope_for
from serment.members.models import State


class MemberScopedQuerySet(ScopedQuerySet):
    """Rows about one member: staff covering the member's cell, and the member."""

    scope_path_lookup = "member__organisation__path"
    scope_member_lookup = "member"


class Oath(models.Model):
    """The oath a member took at the admission ceremony. Its four points are the
    rule data in force on ``taken_on`` (``oath.rules``)."""

    member = models.OneToOneField(
        "members.Member", on_delete=models.CASCADE, related_name="oath", verbose_name=_("member")
    )
    taken_on = models.DateField(_("taken on"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("oath")
        verbose_name_plural = _("oaths")

    def __str__(self) -> str:
        return f"{self.member} — {show_date(self.taken_on)}"

    @property
    def points(self) -> tuple[str, ...]:
        from .rules import rules_on

        return rules_on(self.taken_on).points


class Occasion(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment to a post")
    ELECTION = "election", _("Election candidacy")
    TASK = "task", _("Taking on a task")
    ADMISSION = "admission", _("Admission")


class Audience(models.TextChoices):
    COLLECTIVE = "collective", _("The collective")
    VOTERS = "voters", _("The voters")
    PEOPLE = "people", _("The people")


class PromiseState(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("campaign", "In progress")
    KEPT = "kept", _("Kept")
    PARTLY_KEPT = "partly_kept", _("Partly kept")
    NOT_KEPT = "not_kept", _("Not kept")


class Promise(models.Model):
    """A promise made on appointment, as an election candidate, on taking a task…"""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="promises", verbose_name=_("member")
    )
    made_on = models.DateField(_("made on"))
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    to_whom = models.CharField(_("made to"), max_length=20, choices=Audience.choices)
    text = models.TextField(_("promise"))
    due_on = models.DateField(_("due by"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PromiseState.choices, default=PromiseState.IN_PROGRESS
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        ordering = ["member", "made_on", "pk"]
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("made_on")),
                name="promise_due_after_made",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PromiseUpdateQuerySet(ScopedQuerySet):
    scope_path_lookup = "promise__member__organisation__path"
    scope_member_lookup = "promise__member"


class PromiseUpdate(models.Model):
    """A dated step in keeping a promise, with the evidence for it."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("on"))
    state = models.CharField(_("state"), max_length=20, choices=PromiseState.choices)
    evidence = models.TextField(_("evidence"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = PromiseUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "on", "pk"]
        verbose_name = _("promise update")

    def __str__(self) -> str:
        return f"{self.on} {self.state}"


class CampaignQuerySet(ScopedQuerySet):
    """A campaign concerns its organisation's whole subtree, so it is visible both
    to staff above it and to staff and members inside it."""

    scope_path_lookup = "organisation__path"
    scope_member_lookup = None

    def permitted(self, user, perm: str = "view"):
        from functools import reduce
        from operator import or_

        from serment.members.models import Member

        scope = scope_for(user)
        paths = list(scope.paths_for(perm))
        if perm == "view" and scope.member_id is not None:
            own = (
                Member.objects.filter(pk=scope.member_id).values_list("organisation__path", flat=True).first()
            )
            if own:
                paths.append(own)
        if not paths:
            return self.none()
        conditions = [Q(organisation__path__subtree=p) for p in paths]
        conditions.append(Q(organisation__path__in=sorted({a for p in paths for a in _prefixes(p)})))
        return self.filter(reduce(or_, conditions))

    def covering(self, path: str):
        """Campaigns whose subtree contains the organisation at ``path``."""
        return self.filter(organisation__path__in=_prefixes(path))


def _prefixes(path: str) -> list[str]:
    """``"1/14/203/"`` → ``["1/", "1/14/", "1/14/203/"]``."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class Campaign(models.Model):
    """A committee's campaign "Giữ trọn lời thề đảng viên" for its subtree.

    ``expected_states``: the activity states of members expected to take part
    (default: active only). ``count_whole_register``: count every member on the
    register in the denominator of coverage, not only the expected ones; the others
    then appear as non-participants with their reason (DOMAIN §3).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="oath_campaigns",
        verbose_name=_("launched by"),
    )
    title = models.CharField(pgettext_lazy("campaign", "title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    deadline = models.DateField(_("reporting deadline"))
    expected_states = models.JSONField(_("members expected to take part"), default=list)
    count_whole_register = models.BooleanField(
        _("count every member on the register in the denominator"), default=False
    )
    # A live campaign: a member presents the self-assessment they submitted. A campaign whose
    # self-assessments are written on paper sets this (its paper meetings always allow it).
    presentation_without_self_assessment = models.BooleanField(
        _("members may present without a submitted self-assessment"), default=False
    )
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    launched_at = models.DateTimeField(auto_now_add=True)
    # Closing after the deadline freezes the denominator: the register as Serment knew it then.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates_in_order"),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("ends_on")), name="campaign_deadline_after_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on.year})"

    def phase(self, today: dt.date) -> str:
        """``upcoming``, ``open`` (until the end of activities), ``reporting`` (until the
        deadline), ``past_deadline`` or ``closed``: what the pages show and offer."""
        if self.closed_at is not None:
            return "closed"
        if today < self.starts_on:
            return "upcoming"
        if today <= self.ends_on:
            return "open"
        if today <= self.deadline:
            return "reporting"
        return "past_deadline"

    def counted_states(self) -> list[str]:
        """Activity states whose members make the denominator of coverage."""
        if self.count_whole_register:
            return [State.ACTIVE, State.EXEMPT, State.TRANSFERRED_OUT]
        return list(self.expected_states)


class ReportType(models.TextChoices):
    OATH = "oath", _("Oath only")
    OATH_OFFICE = "oath_office", _("Oath and office promises")
    OATH_CANDIDACY = "oath_candidacy", _("Oath and candidacy promises")
    OATH_OFFICE_CANDIDACY = "oath_office_candidacy", _("Oath, office and candidacy promises")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class SelfAssessment(models.Model):
    """What a member writes for a campaign: visible to the member and to staff
    whose scope covers the member's cell."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="self_assessments")
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="oath_self_assessments"
    )
    kept = models.TextField(_("what I did to keep the oath and my promises"), blank=True)
    not_well = models.TextField(_("what I did not do well"), blank=True)
    not_done = models.TextField(_("what I promised and did not do"), blank=True)
    will_do = models.TextField(_("what I will do"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    report_type = models.CharField(_("report type"), max_length=30, choices=ReportType.choices, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "member"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="one_self_assessment_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.campaign}"


class PromiseNoteQuerySet(ScopedQuerySet):
    scope_path_lookup = "assessment__member__organisation__path"
    scope_member_lookup = "assessment__member"


class PromiseNote(models.Model):
    """What the member says, in a self-assessment, about keeping one promise."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="promise_notes")
    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("note"))

    objects = PromiseNoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "promise"], name="one_note_per_promise"),
        ]

    def __str__(self) -> str:
        return self.note[:60]


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CLOSED = "closed", _("Closed")


class MeetingSource(models.TextChoices):
    SYSTEM = "system", _("Run in Serment")
    PAPER = "paper", _("Entered from paper records")


class MeetingQuerySet(ScopedQuerySet):
    scope_path_lookup = "cell__path"
    scope_member_lookup = None


class CellMeeting(models.Model):
    """The cell's thematic meeting of a campaign. Once closed it is read-only
    except through an audited correction."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="meetings")
    cell = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="oath_meetings",
        verbose_name=_("cell"),
    )
    held_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    source = models.CharField(_("source"), max_length=20, choices=MeetingSource.choices, default="system")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    # What the filed minutes state besides the rows (the form a cell files).
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    ends_at = models.TimeField(_("end time"), null=True, blank=True)
    chair = models.CharField(pgettext_lazy("meeting", "chair"), max_length=200, blank=True)
    note_taker = models.CharField(_("note-taker"), max_length=200, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "cell__path", "held_on", "pk"]
        verbose_name = _("cell meeting")
        verbose_name_plural = _("cell meetings")
        indexes = [models.Index(fields=["cell", "campaign", "status", "held_on"])]

    def __str__(self) -> str:
        return f"{self.cell} — {show_date(self.held_on)}"

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    WORK = "work", _("Work or mission")
    FAMILY = "family", _("Family matters")
    EXEMPT = "exempt", _("Exempt from activities")
    TRANSFERRED_OUT = "transferred_out", pgettext_lazy("activity state", "Temporarily transferred out")
    OTHER = "other", _("Other reason")


class AttendanceQuerySet(ScopedQuerySet):
    scope_path_lookup = "meeting__cell__path"
    scope_member_lookup = "member"


class Attendance(models.Model):
    meeting = models.ForeignKey(CellMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="oath_attendance")
    present = models.BooleanField(_("present"))
    absence_reason = models.CharField(
        _("reason for absence"), max_length=20, choices=AbsenceReason.choices, blank=True
    )
    absence_note = models.CharField(_("details"), max_length=300, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_meeting"),
            models.CheckConstraint(
                condition=Q(present=True, absence_reason="") | Q(present=False) & ~Q(absence_reason=""),
                name="absence_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.present}"


class PresentationQuerySet(ScopedQuerySet):
    """Staff covering the cell see every presentation; a member sees their own
    only once the meeting is closed (the collective's suggestions are final then)."""

    scope_path_lookup = "meeting__cell__path"
    scope_member_lookup = None

    def permitted(self, user, perm: str = "view"):
        staff = super().permitted(user, perm)
        scope = scope_for(user)
        if perm != "view" or scope.member_id is None:
            return staff
        own = self.filter(member_id=scope.member_id, meeting__status=MeetingStatus.CLOSED)
        return (staff | own).distinct() if scope.paths_for(perm) else own


class Presentation(models.Model):
    """A member presented their self-assessment at the meeting: they have reported.
    ``suggestions`` is the collective's feedback to that member."""

    meeting = models.ForeignKey(CellMeeting, on_delete=models.CASCADE, related_name="presentations")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="oath_presentations")
    report_type = models.CharField(_("report type"), max_length=30, choices=ReportType.choices)
    self_assessment = models.ForeignKey(
        SelfAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="presentations"
    )
    suggestions = models.TextField(_("the collective's suggestions"), blank=True)

    objects = PresentationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_presentation_per_meeting"),
        ]
        indexes = [models.Index(fields=["member", "meeting"])]

    def __str__(self) -> str:
        return f"{self.member} — {self.meeting}"


class CorrectionQuerySet(ScopedQuerySet):
    scope_path_lookup = "meeting__cell__path"
    scope_member_lookup = None


class MeetingCorrection(models.Model):
    """A change to a closed meeting, with who made it and why (also in the audit)."""

    meeting = models.ForeignKey(CellMeeting, on_delete=models.CASCADE, related_name="corrections")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300)
    changes = models.JSONField(default=dict)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "at", "pk"]

    def __str__(self) -> str:
        return self.reason


class Notice(models.Model):
    """An in-app reminder to a member (e.g. to submit a self-assessment)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="oath_notices")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text

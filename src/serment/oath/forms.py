"""Forms of the oath pages. Field names are the keyword arguments of the action each
form feeds, so a ``DomainError(field=...)`` lands on the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.forms import DateField, with_blank
from serment.core.roles import Perm
from serment.members.models import State
from serment.organisations.pickers import OrganisationPickerField

from .models import AbsenceReason, Audience, Occasion, PromiseState, ReportType

EXPECTABLE = [(s.value, s.label) for s in (State.ACTIVE, State.EXEMPT, State.TRANSFERRED_OUT)]


class PromiseForm(forms.Form):
    made_on = DateField(label=_("Made on"))
    occasion = forms.ChoiceField(label=_("Occasion"), choices=with_blank(Occasion.choices))
    to_whom = forms.ChoiceField(label=_("Made to"), choices=with_blank(Audience.choices))
    text = forms.CharField(label=_("Promise"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    due_on = DateField(label=_("Due by"), required=False)


class PromiseUpdateForm(forms.Form):
    on = DateField(label=_("On"), initial=timezone.localdate)
    state = forms.ChoiceField(label=_("State"), choices=with_blank(PromiseState.choices))
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class SelfAssessmentForm(forms.Form):
    """The four parts, plus one note per promise (``note_<id>`` fields)."""

    kept = forms.CharField(
        label=_("What I did to keep the oath and my promises"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )
    not_well = forms.CharField(
        label=_("What I did not do well"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    not_done = forms.CharField(
        label=_("What I promised and did not do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    will_do = forms.CharField(
        label=_("What I will do"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )

    def __init__(self, data: Any = None, *, promises=(), initial: dict[str, Any] | None = None):
        super().__init__(data, initial=initial)
        for p in promises:
            self.fields[f"note_{p.pk}"] = forms.CharField(
                label=_("About my promise: %(text)s") % {"text": p.text[:80]},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=4000,
            )

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{k: data[k] for k in ("kept", "not_well", "not_done", "will_do")},
            "promise_notes": {int(k[5:]): v for k, v in data.items() if k.startswith("note_")},
        }


class CampaignForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("campaign", "Title"), max_length=200, initial="Giữ trọn lời thề đảng viên"
    )
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("Until"))
    deadline = DateField(label=_("Reporting deadline"))
    expected_states = forms.MultipleChoiceField(
        label=_("Members expected to take part"),
        choices=EXPECTABLE,
        initial=[State.ACTIVE],
        widget=forms.CheckboxSelectMultiple,
    )
    count_whole_register = forms.BooleanField(
        label=_("Count every member on the register in the denominator"), required=False
    )
    presentation_without_self_assessment = forms.BooleanField(
        label=_("Members may present without a submitted self-assessment (self-assessments on paper)"),
        required=False,
    )

    def __init__(self, data: Any = None, *, viewer: Any):
        super().__init__(data)
        self.fields["organisation"] = OrganisationPickerField(
            label=_("Launched by"), viewer=viewer, perm=Perm.MANAGE_CAMPAIGNS, kinds="committees"
        )
        self.order_fields(["organisation"])


class ScheduleForm(forms.Form):
    held_on = DateField(label=_("Date"))

    def __init__(self, data: Any = None, *, viewer: Any, campaign: Any):
        super().__init__(data)
        # Every cell of the campaign the viewer runs meetings for, searchable (no cut at 500).
        self.fields["cell"] = OrganisationPickerField(
            label=_("Cell"),
            viewer=viewer,
            perm=Perm.RUN_MEETINGS,
            kinds="cells",
            within=campaign.organisation,
        )
        self.order_fields(["cell", "held_on", "reason"])

    reason = forms.CharField(
        label=_("Why a second meeting"),
        required=False,
        max_length=300,
        help_text=_("Only when the cell already held its meeting for this campaign."),
    )


class AttendanceForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.TypedChoiceField(
        label=_("Attendance"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Present")), ("no", _("Absent"))],
    )
    absence_reason = forms.ChoiceField(
        label=_("Reason for absence"), required=False, choices=[("", "—"), *AbsenceReason.choices]
    )
    absence_note = forms.CharField(label=_("Details"), required=False, max_length=300)


class PresentationForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    suggestions = forms.CharField(
        label=_("The collective's suggestions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class MeetingDetailsForm(forms.Form):
    """What the filed minutes state besides the rows."""

    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    starts_at = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    chair = forms.CharField(label=pgettext_lazy("meeting", "Chair"), required=False, max_length=200)
    note_taker = forms.CharField(label=_("Note-taker"), required=False, max_length=200)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Why the closed meeting is corrected"), max_length=300)
    held_on = DateField(label=_("Date of the meeting"), required=False)
    add_member = forms.TypedChoiceField(
        label=_("Add a member who presented"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data: Any = None, *, members=()):
        super().__init__(data)
        self.fields["add_member"].choices = [("", "—"), *((m.pk, m.full_name) for m in members)]


class CoverageForm(forms.Form):
    org = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False, empty_value=None)
    as_of = DateField(label=_("As of"), required=False)

    def __init__(self, data: Any = None, *, organisations=()):
        super().__init__(data)
        self.fields["org"].choices = [(o.pk, f"{'· ' * o.depth}{o.code} — {o.name}") for o in organisations]


REPORT_TYPE_CHOICES = ReportType.choices

"""Forms of the rating pages. They parse input; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.forms import DateField, StaleCheckMixin, with_blank

from .models import TargetGroup
from .policies import Level


class OpenRoundForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Deciding committee"))
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = committees


class SelfAssessForm(StaleCheckMixin, forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("rating", "Self-assessment"), widget=forms.Textarea(attrs={"rows": 6})
    )
    level = forms.ChoiceField(label=_("Proposed level"), choices=with_blank(Level.choices))
    score = forms.DecimalField(
        label=_("Score (100-point sheet)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    all_tasks_on_time = forms.BooleanField(label=_("All tasks done on time"), required=False)
    tasks_exceeded = forms.DecimalField(
        label=_("Share of tasks exceeded (0–1)"), required=False, min_value=0, max_value=1, decimal_places=4
    )
    targets_met = forms.DecimalField(
        label=_("Share of targets met (0–1, collectives)"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
    )

    def __init__(self, *args, scored: bool, collective: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not scored:
            for name in ("score", "all_tasks_on_time", "tasks_exceeded"):
                del self.fields[name]
        if not collective:
            del self.fields["targets_met"]


class ReviewForm(StaleCheckMixin, forms.Form):
    text = forms.CharField(
        label=_("Collective review"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    level = forms.ChoiceField(label=_("Level proposed by the collective"), choices=with_blank(Level.choices))


class DecideForm(StaleCheckMixin, forms.Form):
    level = forms.ChoiceField(label=_("Decided level"), choices=with_blank(Level.choices))
    on = DateField(label=_("Decided on"), required=False)


class CorrectForm(StaleCheckMixin, forms.Form):
    level = forms.ChoiceField(label=_("Corrected level"), choices=with_blank(Level.choices))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class DecideRoundForm(forms.Form):
    on = DateField(label=_("Decided on"), required=False)


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100, required=False)
    org = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", _("Everything I see"))] + [
            (o.pk, f"{'· ' * o.depth}{o.name} ({o.code})") for o in organisations
        ]


class TargetForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=TargetGroup.choices)
    first_year = forms.IntegerField(label=_("From year"), min_value=2018, max_value=2100)
    last_year = forms.IntegerField(label=_("To year"), min_value=2018, max_value=2100)
    good_or_better = forms.DecimalField(
        label=_("Target share good or better (%)"), min_value=0, max_value=100
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

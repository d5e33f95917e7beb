from django import forms
from django.utils.translation import gettext_lazy as _

from serment.core.params import MAX_DATE, MIN_DATE


class PeriodForm(forms.Form):
    """The dashboard's organisation and period."""

    org = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(
        label=_("Year (ratings, admissions)"), min_value=2018, max_value=2100, required=False
    )
    as_of = forms.DateField(
        label=_("As of (oath campaign)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    since = forms.DateField(
        label=_("Cadre decisions since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, f"{'· ' * o.depth}{o.name} ({o.code})") for o in organisations]

    def clean_as_of(self):
        value = self.cleaned_data.get("as_of")
        if value is not None and value > MAX_DATE:
            raise forms.ValidationError(_("Choose a date before 2100."))
        if value is not None and value < MIN_DATE:
            raise forms.ValidationError(_("Enter a date between 1900 and 2100."))
        return value

    def clean_since(self):
        value = self.cleaned_data.get("since")
        if value is not None and not MIN_DATE <= value <= MAX_DATE:
            raise forms.ValidationError(_("Enter a date between 1900 and 2100."))
        return value

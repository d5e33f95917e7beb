from django import forms
from django.utils.translation import gettext_lazy as _

from serment.core.forms import DateField
from serment.core.widgets import PlainSelect


class PeriodForm(forms.Form):
    """The dashboard's organisation and period."""

    org = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    year = forms.IntegerField(
        label=_("Year (ratings, admissions)"), min_value=2018, max_value=2100, required=False
    )
    # core's DateField: bounded to 1900–2100 (year 1 answered 500 in the date arithmetic)
    as_of = DateField(label=_("As of (oath campaign)"), required=False)
    since = DateField(label=_("Cadre decisions since"), required=False)
    until = DateField(label=_("Cadre decisions until"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, f"{'· ' * o.depth}{o.name} ({o.code})") for o in organisations]

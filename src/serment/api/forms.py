from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the phone app.")
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90)
    read_only = forms.BooleanField(label=_("Read-only"), required=False, initial=True)

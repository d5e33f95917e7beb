"""Forms of the organisation pages; field names are the actions' keyword arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serment.core.forms import DateField, StaleCheckMixin, with_blank

from .models import ALLOWED_PARENTS, Kind, Organisation
from .queries import parents_for_move


class OrganisationCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    founded_on = DateField(label=_("Founded on"), required=False)

    def __init__(self, data: Any = None, *, parent: Organisation):
        super().__init__(data)
        self.fields["kind"].choices = with_blank(
            [(k.value, k.label) for k in Kind if parent.kind in ALLOWED_PARENTS[k]]
        )


class OrganisationEditForm(StaleCheckMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    founded_on = DateField(label=_("Founded on"), required=False)
    dissolved_on = DateField(label=_("Dissolved on"), required=False)

    def __init__(self, data: Any = None, *, organisation: Organisation):
        super().__init__(data)
        for name in self.fields:
            self.fields[name].initial = getattr(organisation, name)
        self.track_version(organisation)


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.code} — {obj.name}"


class OrganisationMoveForm(forms.Form):
    parent = ParentChoiceField(label=_("New parent"), queryset=Organisation.objects.none())

    def __init__(self, data: Any = None, *, organisation: Organisation, user: Any):
        super().__init__(data)
        self.fields["parent"].queryset = parents_for_move(user, organisation)

"""Forms of the cadre pages. They parse; the actions (and their ``check_*``) decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.forms import DateField
from serment.core.roles import Perm
from serment.members.models import ManagementLevel, Member, PostHolding, PostKind
from serment.organisations.models import Organisation

from .models import Grounds, MovementKind

BLANK = [("", "—")]


class OrganisationCodeField(forms.CharField):
    """An organisation by its code, among those the user may manage cadres of."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.user: Any = None

    def clean(self, value: Any) -> Organisation | None:
        code = super().clean(value)
        if not code:
            return None
        org = Organisation.objects.permitted(self.user, Perm.CADRES).filter(code=code.strip()).first()
        if org is None:
            raise forms.ValidationError(_("No organisation with this code in your subtree."))
        return org


class _UserForm(forms.Form):
    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any):
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            if isinstance(field, OrganisationCodeField):
                field.user = user


class HoldingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PostHolding) -> str:
        return f"{obj.get_post_display()} — {obj.organisation.name} ({obj.starts_on:%d/%m/%Y})"


class MovementForm(_UserForm):
    kind = forms.ChoiceField(label=_("Decision"), choices=MovementKind.choices)
    from_holding = HoldingChoiceField(
        label=_("Post concerned (left, or proposed for removal)"),
        queryset=PostHolding.objects.none(),
        required=False,
    )
    organisation = OrganisationCodeField(label=_("Organisation code of the new post"), required=False)
    post = forms.ChoiceField(label=_("New post"), choices=BLANK + PostKind.choices, required=False)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    management_level = forms.ChoiceField(
        label=_("Under the management of"), choices=BLANK + ManagementLevel.choices, required=False
    )
    document_ref = forms.CharField(label=_("Decision number"), max_length=100)
    decided_on = DateField(label=_("Decided on"))
    effective_on = DateField(label=_("Effective on"), required=False)
    deciding_body = forms.CharField(label=_("Deciding body"), max_length=200)
    deciding_level = forms.ChoiceField(label=_("Deciding level"), choices=ManagementLevel.choices)
    grounds = forms.ChoiceField(
        label=pgettext_lazy("cadre decision", "Grounds"), choices=Grounds.choices, initial=Grounds.WORK
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    promise = forms.CharField(
        label=_("Promise made on appointment or as a candidate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, *, user: Any, member: Member):
        super().__init__(data, user=user)
        self.fields["from_holding"].queryset = PostHolding.objects.filter(
            member=member, ends_on__isnull=True
        ).select_related("organisation")


class PlanForm(_UserForm):
    organisation = OrganisationCodeField(label=_("Organisation code"))
    post = forms.ChoiceField(label=_("Post"), choices=PostKind.choices)
    term_start = forms.IntegerField(label=_("Term starting in (year)"), min_value=2000, max_value=2100)
    on = DateField(label=_("Planned on"))
    document_ref = forms.CharField(label=_("Decision number"), required=False, max_length=100)


class RemovePlanForm(forms.Form):
    on = DateField(label=_("Removed on"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class LocalityForm(_UserForm):
    district = OrganisationCodeField(label=_("Code of the committee directly under the province"))
    is_local = forms.TypedChoiceField(
        label=pgettext_lazy("cadre origin", "Local or non-local"),
        choices=[("0", _("Non-local")), ("1", _("Local"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)
    on = DateField(label=_("Decided on"))


def _default_start() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year, 1, 1)


class ReportForm(forms.Form):
    start = DateField(label=pgettext_lazy("period", "From"), required=False)
    end = DateField(label=pgettext_lazy("period", "To"), required=False)
    org = forms.CharField(label=_("Organisation code"), required=False, max_length=40)

    def period(self) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or _default_start()
        end = data.get("end") or timezone.localdate()
        return (start, end) if start <= end else (end, start)

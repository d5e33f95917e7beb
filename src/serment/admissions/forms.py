"""Forms of the member-development pages. Field names are the keyword arguments of the
action each form feeds, so a ``DomainError(field=...)`` lands on the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serment.core.forms import DateField, with_blank
from serment.core.roles import Perm
from serment.members.models import Member, Sex
from serment.organisations.models import COMMITTEE_KINDS, GRASSROOTS_KINDS, Organisation

from .models import StepKind


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.code} — {obj.name}"


def _on(label: Any = None) -> DateField:
    return DateField(label=label or _("Date"), initial=timezone.localdate)


def _ref() -> forms.CharField:
    return forms.CharField(label=_("Document reference"), required=False, max_length=100)


class CandidateForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("Cell"), queryset=Organisation.objects.none())
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    date_of_birth = DateField(label=_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=with_blank(Sex.choices))
    citizen_id = forms.CharField(label=_("Citizen ID"), required=False, max_length=20)
    ethnicity = forms.CharField(label=_("Ethnicity"), required=False, max_length=60)
    religion = forms.CharField(label=_("Religion"), required=False, max_length=60)
    home_town = forms.CharField(label=_("Home town"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    education_level = forms.CharField(label=_("Education level"), required=False, max_length=60)

    def __init__(self, data: Any = None, *, user: Any):
        super().__init__(data)
        self.fields["organisation"].queryset = (
            Organisation.objects.permitted(user, Perm.ADMISSIONS).cells().active().order_by("path")
        )


class StepForm(forms.Form):
    """The next step of a candidate; the extra fields of the introducers step and of the
    cell resolution are shown only for those steps."""

    on = _on()
    document_ref = _ref()
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)
    introducer_1 = forms.CharField(
        label=_("First introducer (Party card number)"), required=False, max_length=20
    )
    since_1 = DateField(label=_("Has worked with the candidate since"), required=False)
    introducer_2 = forms.CharField(
        label=_("Second introducer (Party card number)"), required=False, max_length=20
    )
    since_2 = DateField(label=_("Has worked with the candidate since"), required=False)
    youth_union_recommendation = forms.BooleanField(label=_("Recommended by the youth union"), required=False)
    votes_for = forms.IntegerField(label=_("Votes in favour"), required=False, min_value=0, max_value=999)
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0, max_value=999)

    INTRODUCER_FIELDS = ("introducer_1", "since_1", "introducer_2", "since_2", "youth_union_recommendation")
    VOTE_FIELDS = ("votes_for", "votes_against")

    def __init__(self, data: Any = None, *, kind: str, user: Any):
        super().__init__(data)
        self.kind, self.user = kind, user
        if kind != StepKind.INTRODUCERS:
            for name in self.INTRODUCER_FIELDS:
                del self.fields[name]
        if kind != StepKind.CELL_RESOLUTION:
            for name in self.VOTE_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        introducers = []
        if self.kind == StepKind.INTRODUCERS:
            for n in (1, 2):
                card = (data.get(f"introducer_{n}") or "").strip()
                if not card:
                    continue
                member = Member.objects.visible_to(self.user).filter(card_number=card).first()
                if member is None:
                    self.add_error(f"introducer_{n}", _("No member you can see has this card number."))
                    continue
                since = data.get(f"since_{n}")
                if since is None:
                    self.add_error(f"since_{n}", _("Since when have they worked together?"))
                    continue
                introducers.append((member, since))
        data["introducer_pairs"] = introducers
        return data


class CeremonyForm(forms.Form):
    on = _on(_("Date of the ceremony"))
    document_ref = _ref()
    card_number = forms.CharField(label=_("Party card number"), required=False, max_length=20)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)


class WithdrawForm(forms.Form):
    on = _on()
    reason = forms.CharField(label=_("Reason"), max_length=300)


class HelperForm(forms.Form):
    helper = forms.ModelChoiceField(label=_("Helper"), queryset=Member.objects.none())
    on = _on(_("Assigned on"))

    def __init__(self, data: Any = None, *, member: Member, user: Any):
        super().__init__(data)
        self.fields["helper"].queryset = (
            Member.objects.visible_to(user)
            .current()
            .filter(organisation_id=member.organisation_id, official_on__isnull=False)
            .order_by("full_name")
        )


class RecognitionForm(forms.Form):
    on = _on(_("Date of the cell's vote"))
    votes_for = forms.IntegerField(label=_("Votes in favour"), required=False, min_value=0, max_value=9999)
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0, max_value=9999)
    document_ref = _ref()


class NonRecognitionForm(RecognitionForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TargetForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("Committee"), queryset=Organisation.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    target = forms.IntegerField(label=_("Target"), min_value=1, max_value=1_000_000)
    document_ref = _ref()

    def __init__(self, data: Any = None, *, setter: Organisation, initial: dict | None = None):
        super().__init__(data, initial=initial)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(
                path__subtree=setter.path,
                depth__lte=setter.depth + 1,
                kind__in=[*COMMITTEE_KINDS, *GRASSROOTS_KINDS],
            )
            .active()
            .order_by("path")
        )


class ReportFilterForm(forms.Form):
    org = forms.TypedChoiceField(label=_("Organisation"), coerce=int, empty_value=None, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2200, required=False)

    def __init__(self, data: Any, *, organisations: list[Organisation]):
        super().__init__(data)
        self.fields["org"].choices = [(o.pk, f"{'· ' * o.depth}{o.name}") for o in organisations]

"""Forms of the member pages. Field names are the keyword arguments of the action
each form feeds, so a ``DomainError(field=...)`` lands on the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.forms import DateField, DateInput, StaleCheckMixin, with_blank
from serment.core.roles import Perm
from serment.core.widgets import PlainSelect
from serment.organisations.models import Organisation
from serment.organisations.pickers import OrganisationPickerField

from .actions import DETAIL_FIELDS
from .models import ExemptionReason, Member, PostHolding, PostKind, Standing, State


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.code} — {obj.name}"


class MemberSearchForm(forms.Form):
    """The member list's filters. Unknown values are ignored rather than refused."""

    q = forms.CharField(label=_("Name, card number or citizen ID"), required=False, max_length=120)
    org = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    standing = forms.ChoiceField(label=_("Standing"), required=False, choices=[("", "—"), *Standing.choices])
    state = forms.ChoiceField(
        label=_("Activity state"),
        required=False,
        choices=[("", _("On the register")), *State.choices],
    )

    def __init__(self, data: Any, *, organisations: list[Organisation]):
        super().__init__(data)
        self.fields["org"].choices = [
            ("", _("All my organisations")),
            *((o.pk, f"{'· ' * o.depth}{o.name}") for o in organisations),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one, such as a made-up state, is dropped)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "standing", "state")}


class MemberActionForm(forms.Form):
    """A form that feeds one lifecycle action of ``member``, on behalf of ``user``."""

    def __init__(self, data: Any = None, *, member: Member, user: Any):
        super().__init__(data)
        self.member = member
        self.user = user


def _on(label: Any = None) -> DateField:
    return DateField(label=label or _("Date"), initial=timezone.localdate)


class MemberDetailsForm(StaleCheckMixin, MemberActionForm):
    """Personal details (DETAIL_FIELDS), pre-filled from the record; refused when the
    record changed since the form was opened."""

    def __init__(self, data: Any = None, *, member: Member, user: Any):
        super().__init__(data, member=member, user=user)
        self.fields.update(
            forms.fields_for_model(
                Member,
                fields=DETAIL_FIELDS,
                widgets={"date_of_birth": DateInput()},
                field_classes={"date_of_birth": DateField},
            )
        )
        for name in DETAIL_FIELDS:
            self.fields[name].initial = getattr(member, name)
        self.track_version(member)


class RecogniseForm(MemberActionForm):
    on = _on(_("Date of the cell's vote"))
    votes_for = forms.IntegerField(label=_("Votes in favour"), required=False, min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    document_ref = forms.CharField(label=_("Document reference"), required=False, max_length=100)


class TransferForm(MemberActionForm):
    internal = forms.TypedChoiceField(
        label=_("Kind of transfer"),
        choices=[
            ("official", _("Official transfer")),
            ("internal", _("Internal transfer, within the grassroots committee")),
        ],
        coerce=lambda value: value == "internal",
        widget=forms.RadioSelect,  # no default: official and internal transfers differ in law
    )
    on = _on()
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    document_ref = forms.CharField(label=_("Document reference"), required=False, max_length=100)

    def __init__(self, data: Any = None, *, member: Member, user: Any):
        super().__init__(data, member=member, user=user)
        # Every open cell the user manages, searchable (no 2,600-item drop-down).
        self.fields["to"] = OrganisationPickerField(
            label=_("New cell"),
            viewer=user,
            perm=Perm.MANAGE_MEMBERS,
            kinds="cells",
            exclude=member.organisation_id,
        )
        self.order_fields(["to"])


class TemporaryTransferForm(MemberActionForm):
    on = _on(_("From"))
    until = DateField(label=_("Until"))
    destination = forms.CharField(label=_("Destination"), max_length=200)
    for_training = forms.BooleanField(label=_("For training"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    document_ref = forms.CharField(label=_("Document reference"), required=False, max_length=100)


class ExemptForm(MemberActionForm):
    on = _on(_("From"))
    reason = forms.ChoiceField(label=_("Reason"), choices=with_blank(ExemptionReason.choices))
    until = DateField(label=_("Until"), required=False)
    details = forms.CharField(label=_("Details"), required=False, max_length=300)
    document_ref = forms.CharField(
        label=_("Document reference"),
        required=False,
        max_length=100,
        help_text=_("Required for an exemption on request."),
    )


class ResumeForm(MemberActionForm):
    on = _on(_("Back on"))


class StrikeOffForm(MemberActionForm):
    on = _on()
    document_ref = forms.CharField(label=_("Decision reference"), max_length=100)
    details = forms.CharField(label=_("Details"), required=False, max_length=300)


class ExpelForm(StrikeOffForm):
    pass


class DeathForm(MemberActionForm):
    on = _on(_("Date of death"))
    details = forms.CharField(label=_("Details"), required=False, max_length=300)


class TransferOutForm(MemberActionForm):
    on = _on()
    destination = forms.CharField(label=_("Destination (province or body)"), max_length=200)
    document_ref = forms.CharField(label=_("Document reference"), required=False, max_length=100)


class AssignPostForm(MemberActionForm):
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    post = forms.ChoiceField(label=_("Post"), choices=with_blank(PostKind.choices))
    title = forms.CharField(label=pgettext_lazy("post", "Title"), required=False, max_length=200)
    on = _on(_("From"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, data: Any = None, *, member: Member, user: Any):
        super().__init__(data, member=member, user=user)
        # Posts are held in the member's cell or one of the committees above it.
        self.fields["organisation"].queryset = (
            Organisation.objects.permitted(user, Perm.MANAGE_MEMBERS)
            .filter(pk__in=member.organisation.ancestor_ids())
            .order_by("-depth")
        )


class EndPostForm(forms.Form):
    on = _on(_("Ended on"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, data: Any = None, *, holding: PostHolding):
        super().__init__(data)
        self.holding = holding

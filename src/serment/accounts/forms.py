"""Forms of the role pages; field names are the actions' keyword arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from serment.core.forms import DateField, with_blank
from serment.core.roles import Role
from serment.organisations.models import Organisation


def _roles_for(org: Organisation) -> list[tuple[str, str]]:
    """A cell secretary's role is held on a cell; the others on any organisation."""
    return [(r.value, r.label) for r in Role if r != Role.SECRETARY or org.holds_members]


class GrantRoleForm(forms.Form):
    user = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))
    starts_on = DateField(label=_("From"), required=False)

    def __init__(self, data: Any = None, *, organisation: Organisation):
        super().__init__(data)
        self.fields["role"].choices = with_blank(_roles_for(organisation))

    def clean_user(self):
        username = self.cleaned_data["user"].strip()
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise forms.ValidationError(NO_SUCH_ACCOUNT)
        return account


class RevokeRoleForm(forms.Form):
    ends_on = DateField(label=_("Ends on"), required=False, help_text=_("Today if left empty."))


class NewUserForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=300)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Leave empty to create an account that cannot sign in yet."),
    )
    role = forms.ChoiceField(label=_("Role on this organisation"), required=False)

    def __init__(self, data: Any = None, *, organisation: Organisation):
        super().__init__(data)
        self.fields["role"].choices = [("", _("No role (for a member's own sign-in)"))] + _roles_for(
            organisation
        )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if password:
            password_validation.validate_password(password)
        return password


# The same words whether the user name is unknown or the account cannot be linked:
# the form never tells which user names exist.
NO_SUCH_ACCOUNT = _("No account can be linked with this user name.")


class LinkAccountForm(forms.Form):
    user = forms.CharField(label=_("User name of the sign-in account"), max_length=150)
    consent_ref = forms.CharField(
        label=_("The member's request"),
        max_length=200,
        help_text=_("Reference of the member's signed request to sign in with this account."),
    )
    consent_on = DateField(label=_("Request dated"))

    def clean_user(self):
        username = self.cleaned_data["user"].strip()
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise forms.ValidationError(NO_SUCH_ACCOUNT)
        return account


class UnlinkAccountForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

"""Role pages: who holds which role in an organisation's subtree, and the forms to
create a sign-in account and grant or revoke a role (each POST calls the actions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, require, scope_for
from serment.organisations.models import Organisation

from . import actions, forms, queries
from .models import RoleGrant


@login_required
def org_roles(request, pk: int):
    """Role grants held on the organisation and below it."""
    org = get_visible_or_404(Organisation.objects.all(), request.user, pk=pk)
    include_ended = request.GET.get("ended") == "1"
    return render(
        request,
        "accounts/org_roles.html",
        {
            "org": org,
            "grants": queries.grants_in_subtree(request.user, org, include_ended=include_ended),
            "include_ended": include_ended,
            "can_manage_roles": scope_for(request.user).has(Perm.MANAGE_ROLES, org.path),
        },
    )


def _form_page(request, org: Organisation, title: str, form, submit_label: str = ""):
    return render(
        request,
        "core/form_page.html",
        {
            "title": title,
            "subject": org.name,
            "back_url": reverse("accounts:org_roles", args=[org.pk]),
            "form": form,
            "submit_label": submit_label,
        },
    )


def _fetch_for_roles(request, pk: int) -> Organisation:
    org = get_visible_or_404(Organisation.objects.all(), request.user, pk=pk)
    require(request.user, Perm.MANAGE_ROLES, org.path)
    return org


@login_required
def grant(request, pk: int):
    """Give an existing account a role on this organisation."""
    org = _fetch_for_roles(request, pk)
    form = forms.GrantRoleForm(request.POST or None, organisation=org)
    if request.method == "POST" and submit(
        form, lambda d: actions.grant_role(by=request.user, organisation=org, **d)
    ):
        messages.success(request, _("The role is granted."))
        return redirect("accounts:org_roles", pk=org.pk)
    return _form_page(request, org, _("Grant a role"), form, _("Grant"))


@login_required
def revoke(request, pk: int):
    """End a role grant (it stays in the history)."""
    role_grant = get_visible_or_404(
        RoleGrant.objects.select_related("user", "organisation"), request.user, pk=pk
    )
    org = role_grant.organisation
    require(request.user, Perm.MANAGE_ROLES, org.path)
    form = forms.RevokeRoleForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.revoke_role(by=request.user, grant=role_grant, **d)
    ):
        messages.success(request, _("The role is ended."))
        return redirect("accounts:org_roles", pk=org.pk)
    title = _("End the role %(role)s of %(user)s") % {
        "role": role_grant.get_role_display(),
        "user": role_grant.user.username,
    }
    return _form_page(request, org, title, form, _("End the role"))


@login_required
def new_user(request, pk: int):
    """Create a sign-in account, with a role on this organisation if one is chosen."""
    org = _fetch_for_roles(request, pk)
    form = forms.NewUserForm(request.POST or None, organisation=org)

    def perform(data):
        actions.create_user(
            by=request.user,
            username=data["username"],
            password=data["password"] or None,
            full_name=data["full_name"],
            email=data["email"],
            organisation=org,
            role=data["role"] or "",
        )

    if request.method == "POST" and submit(form, perform):
        messages.success(request, _("The account is created."))
        return redirect("accounts:org_roles", pk=org.pk)
    return _form_page(request, org, _("New sign-in account"), form, _("Create"))

"""Role pages: who holds which role in an organisation's subtree, and the forms to
create a sign-in account and grant or revoke a role (each POST calls the actions)."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.forms import submit
from serment.core.params import safe_next
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, require, scope_for
from serment.members.models import Member
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


# --- A member's sign-in account ---------------------------------------------------------------


@login_required
def link_member(request, pk: int):
    """Link a sign-in account to a member (an administrator's action, with the member's
    request on file); when one is linked, the page shows it and offers to end the link."""
    member = get_visible_or_404(Member.objects.select_related("organisation", "user"), request.user, pk=pk)
    require(request.user, Perm.MANAGE_ROLES, member.organisation.path)
    back = reverse("members:detail", args=[member.pk])
    if member.user_id is not None:
        form = forms.UnlinkAccountForm(request.POST or None)
        if request.method == "POST" and submit(
            form, lambda d: actions.unlink_account(by=request.user, member=member, **d)
        ):
            messages.success(request, _("The sign-in account is no longer linked."))
            return redirect(back)
        return render(
            request,
            "core/form_page.html",
            {
                "title": _("End the link to the sign-in account %(user)s") % {"user": member.user.username},
                "subject": member.full_name,
                "back_url": back,
                "form": form,
                "submit_label": _("End the link"),
            },
        )
    form = forms.LinkAccountForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.link_account(by=request.user, member=member, **d)
    ):
        messages.success(
            request, _("%(name)s can now sign in to see their record.") % {"name": member.full_name}
        )
        return redirect(back)
    return render(
        request,
        "core/form_page.html",
        {
            "title": _("Link a sign-in account"),
            "subject": member.full_name,
            "back_url": back,
            "form": form,
            "submit_label": _("Link"),
        },
    )


# --- Two-factor sign-in ------------------------------------------------------------------------


@login_required
def two_factor(request):
    """Check the code of the user's authenticator; the first time, set the authenticator
    up (the secret as a QR code and as text) and confirm it with a first code."""
    from django_otp import login as otp_login
    from django_otp import user_has_device
    from django_otp.plugins.otp_totp.models import TOTPDevice

    next_url = safe_next(request, default=reverse("home"))
    form = forms.TwoFactorForm(request.POST or None)
    enrolled = user_has_device(request.user, confirmed=True)
    if enrolled:
        device = None
        if request.method == "POST" and form.is_valid():
            for candidate in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
                if candidate.verify_is_allowed()[0] and candidate.verify_token(form.cleaned_data["token"]):
                    device = candidate
                    break
            if device is None:
                form.add_error("token", _("This code is wrong or too old."))
        if device is not None:
            otp_login(request, device)
            audit.record(by=request.user, action="login.two_factor", target=request.user)
            return redirect(next_url)
        return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})
    device = actions.start_two_factor(by=request.user)
    if request.method == "POST" and submit(
        form, lambda d: actions.confirm_two_factor(by=request.user, device=device, **d)
    ):
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is set up."))
        return redirect(next_url)
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "next": next_url, "enrol": True, "secret": secret, "qr_svg": mark_safe(qr)},  # noqa: S308 segno's own SVG
    )

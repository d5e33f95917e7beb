"""Organisation pages: browse the tree, create a child, edit, move.

Each page fetches the organisation through the scope (out of scope: 404); a form
page checks the right to change it (403 with a message) and its POST calls one action.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from serment.core.audit import history_of
from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, require, scope_for

from . import actions, forms, queries
from .models import Organisation

ALL_PERMS = {v for k, v in vars(Perm).items() if k.isupper()}


@login_required
def detail(request, pk: int):
    """One organisation: where it sits, its counts, its children, its history."""
    org = get_visible_or_404(Organisation.objects.select_related("parent"), request.user, pk=pk)
    scope = scope_for(request.user)
    ancestors = [a for a in org.ancestors() if scope.has(Perm.VIEW, a.path)]
    return render(
        request,
        "organisations/detail.html",
        {
            "org": org,
            "ancestors": ancestors,
            "children": queries.children_with_counts(request.user, org),
            "counts": queries.subtree_counts(org),
            "audit": history_of(org)[:50],
            "can_manage": scope.has(Perm.MANAGE_ORGANISATIONS, org.path),
            "can_manage_roles": scope.has(Perm.MANAGE_ROLES, org.path),
            "may_have_children": not org.holds_members,
        },
    )


def _fetch_for_change(request, pk: int) -> Organisation:
    org = get_visible_or_404(Organisation.objects.select_related("parent"), request.user, pk=pk)
    require(request.user, Perm.MANAGE_ORGANISATIONS, org.path)
    return org


def _form_page(request, org: Organisation, title: str, form, submit_label: str = ""):
    return render(
        request,
        "core/form_page.html",
        {
            "title": title,
            "subject": org.name,
            "back_url": reverse("organisations:detail", args=[org.pk]),
            "form": form,
            "submit_label": submit_label,
        },
    )


@login_required
def create_child(request, pk: int):
    """Create an organisation under this one."""
    parent = _fetch_for_change(request, pk)
    form = forms.OrganisationCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and submit(
        form, lambda d: actions.create_organisation(by=request.user, parent=parent, **d)
    ):
        created = Organisation.objects.get(code=form.cleaned_data["code"].strip())
        messages.success(request, _("%(name)s is created.") % {"name": created.name})
        return redirect("organisations:detail", pk=created.pk)
    return _form_page(request, parent, _("New organisation under this one"), form, _("Create"))


@login_required
def edit(request, pk: int):
    """Correct the code, name or dates of an organisation."""
    org = _fetch_for_change(request, pk)
    form = forms.OrganisationEditForm(request.POST or None, organisation=org)
    if request.method == "POST" and submit(
        form, lambda d: actions.update_organisation(by=request.user, organisation=org, **d)
    ):
        messages.success(request, _("%(name)s is saved.") % {"name": org.name})
        return redirect("organisations:detail", pk=org.pk)
    return _form_page(request, org, _("Edit organisation"), form)


@login_required
def move(request, pk: int):
    """Attach an organisation, with everything under it, to another parent."""
    org = _fetch_for_change(request, pk)
    form = forms.OrganisationMoveForm(request.POST or None, organisation=org, user=request.user)
    if request.method == "POST" and submit(
        form,
        lambda d: actions.move_organisation(by=request.user, organisation=org, new_parent=d["parent"]),
    ):
        messages.success(request, _("%(name)s is moved.") % {"name": org.name})
        return redirect("organisations:detail", pk=org.pk)
    return _form_page(request, org, _("Move organisation"), form, _("Move"))


_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,60}$")


def _int_or_none(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _may_narrow_to(user, org_id: int) -> bool:
    """``within`` narrows the choices to a subtree: one the viewer sees, or an ancestor
    of their scope (a campaign launched by the province offers a grassroots user its
    own cells). Anything else answers 404."""
    if Organisation.objects.visible_to(user).filter(pk=org_id).exists():
        return True
    org = Organisation.objects.filter(pk=org_id).only("path").first()
    if org is None:
        return False
    roots = [g.path for g in scope_for(user).grants]
    return any(path.startswith(org.path) for path in roots)


@login_required
def pick(request):
    """The organisation picker's matches as the user types (htmx). The choices come from
    the viewer's own scope for the named permission; nothing out of scope is listed."""
    from .pickers import KINDS, choices_for, render_results, search

    params = request.GET
    perm = params.get("perm", "")
    field = params.get("field", "")
    kinds = params.get("kinds", "all")
    if perm not in ALL_PERMS or kinds not in KINDS or not _FIELD_NAME.match(field):
        raise Http404
    within = _int_or_none(params.get("within", ""))
    if within is not None and not _may_narrow_to(request.user, within):
        raise Http404  # a subtree beside the viewer's scope: 404, as every page
    qs = choices_for(
        request.user,
        perm=perm,
        kinds=kinds,
        within=within,
        exclude=_int_or_none(params.get("exclude", "")),
    )
    results, total = search(qs, params.get(f"{field}__q", params.get("q", "")))
    return HttpResponse(render_results(request, field=field, results=results, total=total))

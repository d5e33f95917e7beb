"""Member pages: the list, the record, and one form page per lifecycle action.

Every page fetches the member through the scope (out of scope: 404). A form page
then checks the right to change the member (``require``: 403 with a message for a
user who may see but not change), and its POST calls exactly one action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from serment.admissions import actions as admission_actions
from serment.core import params
from serment.core.audit import history_of
from serment.core.errors import Refusal
from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, permission_refusals, require, scope_for
from serment.organisations.queries import picker_for

from . import actions, forms, queries
from .models import Member, PostHolding

# Sortable columns of the member list: key -> order (ties broken by id).
SORTS = {
    "name": ("sort_name", "pk"),  # given name first, Vietnamese alphabet (members.queries)
    "card": ("card_number", "pk"),
    "cell": ("organisation__path", "sort_name", "pk"),
    "state": ("state", "sort_name", "pk"),
}


@login_required
def member_list(request):
    """Search and filter the members the user may see."""
    org = params.org_param(request)
    form = forms.MemberSearchForm(request.GET, organisations=picker_for(request.user, org))
    members = queries.search_members(viewer=request.user, organisation=org, **form.filters())
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") in SORTS:  # a column header was clicked (home's sort_header)
        members = members.order_by(*[f"-{f}" if sort.startswith("-") else f for f in SORTS[sort.lstrip("-")]])
    page = Paginator(members, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/list.html",
        {"page": page, "org": org, "form": form, "query": query.urlencode()},
    )


@dataclass(frozen=True)
class MemberAction:
    """One lifecycle action offered on the member page and its form page."""

    label: str
    form_class: type[forms.MemberActionForm]
    perform: Callable[[Any, Member, dict[str, Any]], Any]
    done: str  # success message, with %(name)s
    # The action's check, asked with the form left empty: the page offers the button when
    # no refusal stands without a field (who acts, the member's state); refusals naming a
    # field are for the form to answer.
    check: Callable[[Any, Member, dt.date], list[Refusal]]

    def offered(self, by: Any, member: Member, day: dt.date) -> bool:
        return all(r.field is not None for r in self.check(by, member, day))


def _current(by: Any, m: Member, day: dt.date) -> list[Refusal]:
    return permission_refusals(by, Perm.MANAGE_MEMBERS, m.organisation.path) or actions.current_refusals(m)


MEMBER_ACTIONS: dict[str, MemberAction] = {
    "edit": MemberAction(
        gettext_lazy("Edit details"),
        forms.MemberDetailsForm,
        lambda by, m, d: actions.update_member_details(by=by, member=m, **d),
        gettext_lazy("The details of %(name)s are saved."),
        lambda by, m, day: actions.check_update_member_details(by=by, member=m, fields={}),
    ),
    "recognise": MemberAction(
        gettext_lazy("Recognise as official"),
        forms.RecogniseForm,
        # One action for recognition: the admissions one (closes the helper, writes the vote).
        lambda by, m, d: admission_actions.recognise(by=by, member=m, **d),
        gettext_lazy("%(name)s is recognised as an official member."),
        lambda by, m, day: admission_actions.check_recognise(by=by, member=m, on=day, votes_for=None),
    ),
    "transfer": MemberAction(
        gettext_lazy("Transfer to another cell"),
        forms.TransferForm,
        lambda by, m, d: actions.transfer_member(by=by, member=m, **d),
        gettext_lazy("%(name)s is transferred."),
        lambda by, m, day: actions.check_transfer_member(by=by, member=m, to=None),
    ),
    "transfer-temporarily": MemberAction(
        gettext_lazy("Temporary transfer out"),
        forms.TemporaryTransferForm,
        lambda by, m, d: actions.transfer_temporarily(by=by, member=m, **d),
        gettext_lazy("%(name)s is temporarily transferred out."),
        lambda by, m, day: actions.check_transfer_temporarily(
            by=by, member=m, on=day, until=day, destination=""
        ),
    ),
    "exempt": MemberAction(
        pgettext_lazy("verb", "Exempt from activities"),
        forms.ExemptForm,
        lambda by, m, d: actions.exempt_member(by=by, member=m, **d),
        gettext_lazy("%(name)s is exempt from work and activities."),
        lambda by, m, day: actions.check_exempt_member(by=by, member=m, on=day, reason=""),
    ),
    "resume": MemberAction(
        gettext_lazy("Resume activity"),
        forms.ResumeForm,
        lambda by, m, d: actions.resume_activity(by=by, member=m, **d),
        gettext_lazy("%(name)s is back to ordinary activity."),
        lambda by, m, day: actions.check_resume_activity(by=by, member=m, on=day),
    ),
    "assign-post": MemberAction(
        gettext_lazy("Assign a post"),
        forms.AssignPostForm,
        lambda by, m, d: actions.assign_post(by=by, member=m, **d),
        gettext_lazy("The post of %(name)s is recorded."),
        _current,
    ),
    "transfer-out": MemberAction(
        gettext_lazy("Transfer out of the province"),
        forms.TransferOutForm,
        lambda by, m, d: actions.transfer_out_of_province(by=by, member=m, **d),
        gettext_lazy("%(name)s is transferred out of the province."),
        _current,  # the rest of check_remove_from_register is the form's fields
    ),
    "strike-off": MemberAction(
        gettext_lazy("Strike from the register"),
        forms.StrikeOffForm,
        lambda by, m, d: actions.strike_off(by=by, member=m, **d),
        gettext_lazy("%(name)s is struck from the register."),
        _current,  # the rest of check_remove_from_register is the form's fields
    ),
    "expel": MemberAction(
        gettext_lazy("Expel"),
        forms.ExpelForm,
        lambda by, m, d: actions.expel(by=by, member=m, **d),
        gettext_lazy("%(name)s is expelled."),
        _current,  # the rest of check_remove_from_register is the form's fields
    ),
    "record-death": MemberAction(
        gettext_lazy("Record death"),
        forms.DeathForm,
        lambda by, m, d: actions.record_death(by=by, member=m, **d),
        gettext_lazy("The death of %(name)s is recorded."),
        _current,  # the rest of check_remove_from_register is the form's fields
    ),
}


@login_required
def detail(request, pk: int):
    """A member's record, what holds today, the dated history and the audit trail."""
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    scope = scope_for(request.user)
    can_manage = scope.has(Perm.MANAGE_MEMBERS, member.organisation.path)
    today = timezone.localdate()
    offered = [
        (slug, a.label) for slug, a in MEMBER_ACTIONS.items() if a.offered(request.user, member, today)
    ]
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "now": queries.current_situation(member),
            "history": queries.member_history(member),
            "audit": history_of(member)[:100],
            "can_view_cell": scope.has(Perm.VIEW, member.organisation.path),
            "actions": offered if can_manage else [],
            "can_link_account": scope.has(Perm.MANAGE_ROLES, member.organisation.path),
        },
    )


def _form_page(request, context: dict[str, Any]):
    return render(request, "core/form_page.html", context)


@login_required
def member_action(request, pk: int, action: str):
    """The form page of one lifecycle action; its POST calls that action."""
    spec = MEMBER_ACTIONS.get(action)
    if spec is None:
        raise Http404(_("Not found."))
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    require(request.user, Perm.MANAGE_MEMBERS, member.organisation.path)
    form = spec.form_class(request.POST or None, member=member, user=request.user)
    if request.method == "POST" and submit(form, lambda d: spec.perform(request.user, member, d)):
        messages.success(request, spec.done % {"name": member.full_name})
        return redirect("members:detail", pk=member.pk)
    return _form_page(
        request,
        {
            "title": spec.label,
            "subject": member.full_name,
            "back_url": member_url(member),
            "form": form,
        },
    )


@login_required
def end_post(request, pk: int, holding_pk: int):
    """End a post the member holds."""
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    holding = get_visible_or_404(
        PostHolding.objects.filter(member=member).select_related("organisation", "member"),
        request.user,
        pk=holding_pk,
    )
    require(request.user, Perm.MANAGE_MEMBERS, holding.organisation.path)
    form = forms.EndPostForm(request.POST or None, holding=holding)
    if request.method == "POST" and submit(
        form, lambda d: actions.end_post(by=request.user, holding=holding, **d)
    ):
        messages.success(request, _("The post is ended."))
        return redirect("members:detail", pk=member.pk)
    return _form_page(
        request,
        {
            "title": _("End a post"),
            "subject": f"{member.full_name} — {holding.get_post_display()}, {holding.organisation.name}",
            "back_url": member_url(member),
            "form": form,
        },
    )


def member_url(member: Member) -> str:
    return reverse("members:detail", args=[member.pk])

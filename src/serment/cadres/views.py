"""Cadre pages: parse, call one query or action, render."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from serment.core import exports, params
from serment.core.errors import NotPermitted
from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, require, scope_for
from serment.members.models import Member
from serment.organisations.models import Organisation

from . import actions, forms, queries, reports


def _require_reader(request) -> None:
    if not scope_for(request.user).has(Perm.READ_CADRES):
        raise NotPermitted(_("Your role does not allow this here."))


def _page(request, qs):
    return Paginator(qs, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))


def _org(request, value: str | None = None) -> Organisation | None:
    code = (value if value is not None else request.GET.get("org", "")).strip()
    if not code:
        return None
    org = Organisation.objects.visible_to(request.user).filter(code=code).first()
    if org is None:
        raise Http404(_("Not found."))
    return org


@login_required
def index(request):
    """What the viewer may see of cadre work; a member their own posts and planning."""
    return render(
        request,
        "cadres/index.html",
        {
            "may_read": queries.may_read(request.user),
            "may_report": scope_for(request.user).has(Perm.READ_CADRES),
            "may_manage": queries.may_manage(request.user),
            "own_posts": queries.own_posts(request.user),
            "own_plan": queries.own_plan(request.user),
        },
    )


@login_required
def posts(request):
    """Posts held now in the viewer's scope (a cell secretary: their own cell's)."""
    if not queries.may_read(request.user):
        raise NotPermitted(_("Your role does not allow this here."))
    org = _org(request)
    page = _page(request, queries.posts_in(request.user, org))
    return render(
        request,
        "cadres/posts.html",
        {
            "page": page,
            "org": org,
            "may_manage": queries.may_manage(request.user),
            "query": urlencode({"org": org.code if org else ""}),
        },
    )


@login_required
def movements(request):
    """Decisions in a period; with ``figure`` the decisions behind one report figure."""
    _require_reader(request)
    form = forms.ReportForm(request.GET or None)
    start, end = form.period()
    org = _org(request)
    figure = request.GET.get("figure", "")
    if figure:
        rows = queries.figure_movements(request.user, org, start, end, figure)
    else:
        rows = queries.movements_in(request.user, org, start, end).select_related("member", "organisation")
    return render(
        request,
        "cadres/movements.html",
        {
            "page": _page(request, rows),
            "form": form,
            "start": start,
            "end": end,
            "org": org,
            "figure": figure,
            "figure_label": reports.FIGURE_LABELS.get(figure, ""),
            "query": urlencode(
                {"start": start, "end": end, "org": org.code if org else "", "figure": figure}
            ),
        },
    )


@login_required
def movement(request, pk: int):
    """One decision, with the posts it ended and opened."""
    m = get_object_or_404(
        queries.visible_movements(request.user).select_related(
            "member", "organisation", "from_holding__organisation", "to_holding__organisation"
        ),
        pk=pk,
    )
    return render(request, "cadres/movement.html", {"m": m})


@login_required
def planning(request):
    """People planned now, and the planned people who became barred."""
    _require_reader(request)
    org = _org(request)
    today = dt.date.today()
    entries = (
        queries.visible_plan(request.user)
        .current()
        .select_related("member", "organisation")
        .order_by("organisation__path", "post", "member__full_name")
    )
    if org is not None:
        entries = entries.filter(organisation__path__subtree=org.path)
    _holders, barred_planned = queries.barred_people(request.user, org, on=today)
    return render(
        request,
        "cadres/planning.html",
        {
            "page": _page(request, entries),
            "org": org,
            "shares": queries.planning_shares(request.user, org, on=today),
            "barred": barred_planned,
            "query": urlencode({"org": org.code if org else ""}),
            "may_manage": queries.may_manage(request.user),
        },
    )


def _managed_member(request, pk: int) -> Member:
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    require(request.user, Perm.CADRES, member.organisation.path)
    return member


def _form_page(request, title, member, form, back):
    return render(
        request,
        "core/form_page.html",
        {"title": title, "subject": member.full_name, "back_url": back, "form": form},
    )


@login_required
def record_movement(request, pk: int):
    """Record a decision on a member's post (the bars apply)."""
    member = _managed_member(request, pk)
    form = forms.MovementForm(request.POST or None, user=request.user, member=member)
    if request.method == "POST" and submit(
        form,
        lambda d: actions.record_movement(
            by=request.user, member=member, **{k: v for k, v in d.items() if k != "effective_on" or v}
        ),
    ):
        messages.success(request, _("The decision is recorded."))
        return redirect("cadres:member", pk=member.pk)
    return _form_page(
        request, _("Record a cadre decision"), member, form, reverse("cadres:member", args=[member.pk])
    )


@login_required
def plan_add(request, pk: int):
    member = _managed_member(request, pk)
    form = forms.PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and submit(
        form, lambda d: actions.add_to_planning(by=request.user, member=member, **d)
    ):
        messages.success(request, _("%(name)s is planned.") % {"name": member.full_name})
        return redirect("cadres:member", pk=member.pk)
    return _form_page(request, _("Plan for a post"), member, form, reverse("cadres:member", args=[member.pk]))


@login_required
def plan_remove(request, pk: int):
    entry = get_object_or_404(
        queries.visible_plan(request.user).select_related("member", "organisation"), pk=pk
    )
    require(request.user, Perm.CADRES, entry.organisation.path)
    form = forms.RemovePlanForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.remove_from_planning(by=request.user, entry=entry, **d)
    ):
        messages.success(request, _("Removed from planning."))
        return redirect("cadres:planning")
    return _form_page(request, _("Remove from planning"), entry.member, form, reverse("cadres:planning"))


@login_required
def set_locality(request, pk: int):
    member = _managed_member(request, pk)
    form = forms.LocalityForm(request.POST or None, user=request.user)
    if request.method == "POST" and submit(
        form, lambda d: actions.set_locality(by=request.user, member=member, **d)
    ):
        messages.success(request, _("Recorded."))
        return redirect("cadres:member", pk=member.pk)
    return _form_page(
        request, _("Local or non-local"), member, form, reverse("cadres:member", args=[member.pk])
    )


@login_required
def member(request, pk: int):
    """A member's cadre record: posts over time, decisions, planning."""
    scope = scope_for(request.user)
    m = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    own = scope.member_id == m.pk
    if not own and not scope.has(Perm.READ_CADRES, m.organisation.path):
        raise Http404(_("Not found."))
    return render(
        request,
        "cadres/member.html",
        {
            "member": m,
            "posts": queries.visible_posts(request.user)
            .filter(member=m)
            .select_related("organisation")
            .order_by("-starts_on"),
            "decisions": queries.visible_movements(request.user)
            .filter(member=m)
            .select_related("organisation"),
            "plan": queries.visible_plan(request.user).filter(member=m).select_related("organisation"),
            "may_manage": queries.may_manage(request.user, m.organisation),
        },
    )


@login_required
def report(request):
    """The cadre report over a period; each figure drills down to its decisions."""
    _require_reader(request)
    form = forms.ReportForm(request.GET or None)
    start, end = form.period()
    org = _org(request, form.data.get("org", "") if form.is_bound else "")
    data = queries.cadre_report(request.user, org=org, start=start, end=end)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx", "json"):
        if not scope_for(request.user).has(Perm.EXPORT, org.path if org else None):
            raise NotPermitted(_("Your role does not allow this here."))
        table = reports.cadre_table(data)
        content_type = "application/json" if fmt == "json" else exports.CONTENT_TYPES[fmt]
        response = HttpResponse(table.render(fmt), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="cadres-{start}-{end}.{fmt}"'
        return response
    return render(
        request,
        "cadres/report.html",
        {
            "form": form,
            "report": data,
            "rows": reports.report_rows(data),
            "start": start,
            "end": end,
            "org": org,
            "figure_labels": reports.FIGURE_LABELS,
            "query": urlencode({"start": start, "end": end, "org": org.code if org else ""}),
        },
    )

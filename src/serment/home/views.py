"""Each person's first page after sign-in, the dashboard, the member's own space and
the notifications. Views parse, call one query or action, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from serment.core import params
from serment.core.roles import Perm, Role
from serment.core.scoping import scope_for
from serment.organisations.queries import picker_for

from . import actions, dashboard, queries
from .forms import PeriodForm
from .models import Notification
from .tasks import tasks_for

# Roles whose first page is the dashboard of their subtree.
DASHBOARD_ROLES = (Role.ADMIN, Role.ORG_STAFF, Role.LEADER, Role.INSPECTION_STAFF)


def _wants_dashboard(scope) -> bool:
    return any(g.role in DASHBOARD_ROLES for g in scope.grants)


def _dashboard_context(request) -> dict:
    """The organisation and period from the query string (defaults: the viewer's top
    organisation, today, the latest year with decided ratings), and the figures."""
    today = timezone.localdate()
    default_org = dashboard.default_organisation(request.user)
    if default_org is None:
        raise Http404
    org, year, as_of, since, until = default_org, None, today, None, None
    org = params.org_param(request) or org  # out of the viewer's scope: 404, as every page
    form = PeriodForm(request.GET or None, organisations=picker_for(request.user, org))
    if form.is_bound and form.is_valid():  # an invalid period shows its errors over the defaults
        year = form.cleaned_data["year"]
        as_of = form.cleaned_data["as_of"] or today
        since = form.cleaned_data["since"]
        until = form.cleaned_data["until"]
    cache = dashboard.cache_context(request.user, org)  # one read of the data version
    year = year or dashboard.cached_default_year(request.user, org, as_of, cache=cache)
    if not form.is_bound:
        form = PeriodForm(
            initial={"org": org.pk, "year": year, "as_of": as_of}, organisations=picker_for(request.user, org)
        )
    board = dashboard.dashboard(
        viewer=request.user, org=org, year=year, as_of=as_of, since=since, until=until, cache=cache
    )
    return {"board": board, "period_form": form, "today": today}


@login_required
def home(request):
    """The first page after sign-in: leaders and committee staff get their subtree's
    dashboard with their tasks; a secretary their cell's tasks; a plain member their
    own space; everyone their tasks."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    if not scope.grants and scope.member_id is not None:
        return me(request)
    context = {"tasks": tasks_for(request.user, today), "today": today, "scope": scope}
    if _wants_dashboard(scope):
        context.update(_dashboard_context(request))
    context["roles"] = [(g.organisation_id, g.organisation_name, Role(g.role).label) for g in scope.grants]
    return render(request, "home/home.html", context)


@login_required
def dashboard_page(request):
    """The dashboard alone, for any viewer with a role (a secretary sees their cell's
    committee figures only as far as their scope allows: the reports refuse the rest)."""
    scope = scope_for(request.user)
    if not scope.has(Perm.VIEW):
        raise Http404
    context = _dashboard_context(request)
    return render(request, "home/dashboard.html", context)


@login_required
def me(request):
    """The member's own space."""
    space = queries.my_space(viewer=request.user, today=timezone.localdate())
    if space is None:
        raise Http404
    return render(request, "home/me.html", {"space": space, "today": timezone.localdate()})


@login_required
def notifications(request):
    page = Paginator(queries.notifications_for(request.user), settings.SERMENT_PAGE_SIZE).get_page(
        params.page_param(request)
    )
    return render(request, "home/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one notification read, then follow its link (or go back to the list)."""
    note = get_object_or_404(Notification.objects.for_reader(request.user), pk=pk)
    actions.mark_read(by=request.user, notification=note)
    if (
        request.POST.get("follow")
        and note.url
        and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None)
    ):
        return redirect(note.url)
    return redirect("home:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    actions.mark_all_read(by=request.user)
    return redirect("home:notifications")


@login_required
@require_POST
def remind_me(request):
    """Send the viewer their own task list now (in the app, and by e-mail)."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    n = actions.send_reminders(by=request.user, recipient=request.user)
    messages.success(request, _("%(n)d reminders sent.") % {"n": n})
    return redirect("home:notifications")

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from serment.core.audit import history_of
from serment.core.scoping import get_visible_or_404
from serment.organisations.models import Organisation

from . import queries
from .models import Member, Standing, State


@login_required
def member_list(request):
    """Search and filter the members the user may see."""
    org = None
    if request.GET.get("org", "").isdigit():
        org = get_visible_or_404(Organisation.objects.all(), request.user, pk=int(request.GET["org"]))
    qs = queries.search_members(
        viewer=request.user, q=request.GET.get("q", ""), organisation=org,
        standing=request.GET.get("standing", ""), state=request.GET.get("state", ""),
    )
    page = Paginator(qs, settings.SERMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "members/list.html",
        {"page": page, "org": org, "standings": Standing.choices, "states": State.choices, "params": request.GET},
    )


@login_required
def detail(request, pk: int):
    """A member's record, dated history and audit trail."""
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    return render(
        request, "members/detail.html",
        {"member": member, "history": queries.member_history(member), "audit": history_of(member)[:100]},
    )

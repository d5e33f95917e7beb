"""Inspection pages: the discipline register, complaints, petitions and
denunciations, the plan of inspections, the report.

Confidential by construction: every record is fetched through the inspection
querysets, which answer only to inspection staff of the subtree (and, for
discipline decisions, the person concerned); anyone else gets a 404, never a 403
that would confirm a record exists.
"""

from __future__ import annotations

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
from django.views.decorators.http import require_http_methods

from serment.core.audit import history_of
from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, scope_for
from serment.members.models import Member
from serment.organisations.models import Organisation

from . import actions, forms, queries
from .models import DisciplineComplaint, DisciplineDecision
from .policies import DisciplineForm


def _form_page(request, **context: Any):
    return render(request, "core/form_page.html", context)


def _require_inspection_staff(user) -> None:
    if not scope_for(user).has(Perm.INSPECTION):
        raise Http404(_("Not found."))


@login_required
def index(request):
    _require_inspection_staff(request.user)
    return render(request, "inspection/index.html", {})


@login_required
def register(request):
    """The discipline register: inspection staff see their subtree; a member sees the
    decisions on themselves; anyone else, 404."""
    scope = scope_for(request.user)
    if not scope.has(Perm.INSPECTION) and scope.member_id is None:
        raise Http404(_("Not found."))
    qs = queries.decisions_for(request.user)
    form = request.GET.get("form", "")
    if form in DisciplineForm.values:
        qs = qs.filter(form=form)
    org_id = request.GET.get("org")
    if org_id and org_id.isdigit():
        org = get_visible_or_404(Organisation.objects.all(), request.user, Perm.INSPECTION, pk=int(org_id))
        qs = qs.filter(unit__path__startswith=org.path)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(decided_on__year=int(year))
    page = Paginator(qs, settings.SERMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(d, queries.status_of(d, today)) for d in page]
    return render(
        request,
        "inspection/register.html",
        {
            "page": page,
            "rows": rows,
            "is_staff": scope.has(Perm.INSPECTION),
            "forms": DisciplineForm.choices,
        },
    )


@login_required
def decision_detail(request, pk: int):
    decision = get_visible_or_404(
        DisciplineDecision.objects.select_related("member", "organisation", "unit"), request.user, pk=pk
    )
    staff = scope_for(request.user).has(Perm.INSPECTION, decision.unit.path)
    today = timezone.localdate()
    return render(
        request,
        "inspection/decision.html",
        {
            "d": decision,
            "status": queries.status_of(decision, today),
            "complaints": decision.complaints.all(),
            "is_staff": staff,
            "history": history_of(decision)[:50] if staff else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, subject: str, pk: int):
    """Record a discipline decision on a member or an organisation."""
    if subject == "member":
        target = get_visible_or_404(
            Member.objects.select_related("organisation"), request.user, Perm.INSPECTION, pk=pk
        )
        kwargs = {"member": target}
    elif subject == "organisation":
        target = get_visible_or_404(Organisation.objects.all(), request.user, Perm.INSPECTION, pk=pk)
        kwargs = {"organisation": target}
    else:
        raise Http404(_("Not found."))
    form = forms.DecisionForm(request.POST or None, for_member=subject == "member")
    made: list[DisciplineDecision] = []
    if request.method == "POST" and submit(
        form, lambda d: made.append(actions.record_discipline(by=request.user, **kwargs, **d))
    ):
        messages.success(request, _("The discipline decision is recorded."))
        return redirect("inspection:decision", made[0].pk)
    return _form_page(
        request,
        title=_("Record a discipline decision"),
        subject=str(target),
        back_url=reverse("inspection:register"),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_annul(request, pk: int):
    decision = get_visible_or_404(
        DisciplineDecision.objects.select_related("unit"), request.user, Perm.INSPECTION, pk=pk
    )
    form = forms.AnnulForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.annul_discipline(by=request.user, decision=decision, **d)
    ):
        messages.success(request, _("The decision is annulled."))
        return redirect("inspection:decision", decision.pk)
    return _form_page(
        request,
        title=_("Annul a discipline decision"),
        intro=_(
            "Quy định 117-QĐ/TW: a decision found wrong is annulled, with an apology and restoration of rights."
        ),
        subject=str(decision),
        back_url=reverse("inspection:decision", args=[decision.pk]),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request, pk: int):
    decision = get_visible_or_404(
        DisciplineDecision.objects.select_related("unit"), request.user, Perm.INSPECTION, pk=pk
    )
    form = forms.ComplaintForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.lodge_complaint(by=request.user, decision=decision, **d)
    ):
        messages.success(request, _("The complaint is recorded."))
        return redirect("inspection:decision", decision.pk)
    return _form_page(
        request,
        title=_("Record a complaint about this decision"),
        subject=str(decision),
        back_url=reverse("inspection:decision", args=[decision.pk]),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_decide(request, pk: int):
    complaint = get_visible_or_404(
        DisciplineComplaint.objects.select_related("decision__unit"), request.user, Perm.INSPECTION, pk=pk
    )
    form = forms.ComplaintDecisionForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.decide_complaint(by=request.user, complaint=complaint, **d)
    ):
        messages.success(request, _("The complaint is decided."))
        return redirect("inspection:decision", complaint.decision_id)
    return _form_page(
        request,
        title=_("Decide the complaint"),
        subject=str(complaint.decision),
        back_url=reverse("inspection:decision", args=[complaint.decision_id]),
        form=form,
    )

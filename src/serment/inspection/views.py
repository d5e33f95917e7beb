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
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from serment.core import exports, params
from serment.core.audit import history_of
from serment.core.errors import DomainError
from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, scope_for
from serment.members.models import Member
from serment.organisations.models import COMMITTEE_KINDS, Organisation

from . import actions, forms, queries, reports
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
    org_id = params.int_param(request, "org", minimum=1)
    if org_id is None and request.GET.get("org", "").strip():
        raise Http404(_("Not found."))  # not an id (Unicode digits, negative, too long)
    if org_id is not None:
        org = get_visible_or_404(Organisation.objects.all(), request.user, Perm.INSPECTION, pk=org_id)
        qs = qs.filter(unit__path__subtree=org.path)
    year = params.year_param(request)
    if year is not None:
        qs = qs.filter(decided_on__year=year)
    page = Paginator(qs, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    today = timezone.localdate()
    status = queries.statuses(page, today)
    rows = [(d, status[d.pk]) for d in page]
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
    by = request.user
    return render(
        request,
        "inspection/decision.html",
        {
            "d": decision,
            "status": queries.status_of(decision, today),
            "complaints": decision.complaints.all(),
            "is_staff": staff,
            "history": history_of(decision)[:50] if staff else [],
            # the buttons the actions' own checks offer (asked with the form left empty)
            "can_annul": staff
            and _offered(
                actions.check_annul_discipline(by=by, decision=decision, on=None, document_ref="", reason="")
            ),
            "can_restore": staff and _offered(actions.check_restore_rights(by=by, decision=decision)),
            "annulled_on": actions.annulled_on(decision) if staff else None,
        },
    )


def _offered(refusals) -> bool:
    """A button is offered when no refusal stands without a field (those are the form's)."""
    return all(r.field is not None for r in refusals)


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
def decision_start(request):
    """Find the member (card number) or organisation (code) to record a decision on,
    among those the user inspects; anything else is a 404."""
    card, code = request.GET.get("card", "").strip(), request.GET.get("org", "").strip()
    if card:
        member = get_visible_or_404(Member.objects.all(), request.user, Perm.INSPECTION, card_number=card)
        return redirect("inspection:decision_new", "member", member.pk)
    if code:
        org = get_visible_or_404(Organisation.objects.all(), request.user, Perm.INSPECTION, code=code)
        return redirect("inspection:decision_new", "organisation", org.pk)
    raise Http404(_("Not found."))


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
def decision_restore(request, pk: int):
    """Restore the rights an annulled decision took (Quy định 117-QĐ/TW)."""
    decision = get_visible_or_404(
        DisciplineDecision.objects.select_related("unit", "member__organisation"),
        request.user,
        Perm.INSPECTION,
        pk=pk,
    )
    form = forms.RestoreRightsForm(request.POST or None)

    def perform(d):
        cell = None
        code = (d.get("cell_code") or "").strip()
        if code:
            # any organisation by its code: the action's check refuses one outside the scope
            cell = Organisation.objects.filter(code=code).first()
            if cell is None:
                raise DomainError(_("No organisation with code %(c)s.") % {"c": code}, field="cell_code")
        try:
            actions.restore_rights(by=request.user, decision=decision, cell=cell)
        except DomainError as exc:
            if exc.field == "cell":
                exc.field = "cell_code"
            raise

    if request.method == "POST" and submit(form, perform):
        messages.success(request, _("The rights are restored."))
        return redirect("inspection:decision", decision.pk)
    last = actions.last_cell(decision.member) if decision.member is not None else None
    return _form_page(
        request,
        title=_("Restore the rights"),
        intro=_(
            "Quy định 117-QĐ/TW: after an annulment, an expelled member is back on the register from the "
            "annulment's date, and the posts a dismissal ended are held again from that date."
        )
        + (" " + _("Last cell: %(org)s (%(code)s).") % {"org": last.name, "code": last.code} if last else ""),
        subject=str(decision),
        back_url=reverse("inspection:decision", args=[decision.pk]),
        form=form,
        submit_label=_("Restore the rights"),
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


# Petitions and denunciations ---------------------------------------------------


def _committees(user):
    """The committees whose inspection work the user may record (cells have none)."""
    return (
        Organisation.objects.permitted(user, Perm.INSPECTION)
        .filter(kind__in=COMMITTEE_KINDS)
        .order_by("path")
    )


def _resolve(user, card: str, code: str, field_card: str, field_code: str, form) -> dict[str, Any] | None:
    """A member by card number and an organisation by code, both within what the user
    inspects; a reference outside that is reported as not found (no leak)."""
    out: dict[str, Any] = {}
    card, code = (card or "").strip(), (code or "").strip()
    if card:
        m = (
            Member.objects.permitted(user, Perm.INSPECTION)
            .select_related("organisation")
            .filter(card_number=card)
        )
        out["member"] = m.first()
        if out["member"] is None:
            form.add_error(field_card, _("No member with card number “%(c)s”.") % {"c": card})
            return None
    if code:
        o = Organisation.objects.permitted(user, Perm.INSPECTION).filter(code=code)
        out["organisation"] = o.first()
        if out["organisation"] is None:
            form.add_error(field_code, _("No organisation with code “%(c)s”.") % {"c": code})
            return None
    return out


@login_required
def cases(request):
    _require_inspection_staff(request.user)
    qs = queries.cases_for(request.user)
    status = request.GET.get("status", "")
    today = timezone.localdate()
    if status == "overdue":
        qs = qs.overdue_on(today)
    elif status == "open":
        qs = qs.filter(handled=True, closed_on__isnull=True)
    page = Paginator(qs, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    committees = _committees(request.user)
    return render(
        request,
        "inspection/cases.html",
        {"page": page, "today": today, "status": status, "committees": committees},
    )


@login_required
def case_detail(request, pk: int):
    case = get_visible_or_404(queries.cases_for(request.user), request.user, Perm.INSPECTION, pk=pk)
    return render(
        request,
        "inspection/case.html",
        {
            "case": case,
            "see_sender": queries.may_see_sender(request.user, case),
            "overdue": case.is_overdue(timezone.localdate()),
            "history": history_of(case)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request, committee_pk: int):
    committee = get_visible_or_404(Organisation.objects.all(), request.user, Perm.INSPECTION, pk=committee_pk)
    form = forms.CaseForm(request.POST or None)
    made: list = []

    def perform(d):
        refs = _resolve(
            request.user,
            d.pop("concerned_card"),
            d.pop("concerned_org_code"),
            "concerned_card",
            "concerned_org_code",
            form,
        )
        if refs is None:
            return False
        made.append(
            actions.receive_case(
                by=request.user,
                committee=committee,
                concerned_member=refs.get("member"),
                concerned_organisation=refs.get("organisation"),
                **d,
            )
        )
        return True

    if request.method == "POST" and submit(form, perform) and made:
        messages.success(request, _("The case is recorded."))
        return redirect("inspection:case", made[0].pk)
    return _form_page(
        request,
        title=_("Record a petition or denunciation"),
        subject=committee.name,
        back_url=reverse("inspection:cases"),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, pk: int):
    case = get_visible_or_404(queries.cases_for(request.user), request.user, Perm.INSPECTION, pk=pk)
    form = forms.CaseCloseForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.close_case(by=request.user, case=case, **d)
    ):
        messages.success(request, _("The case is closed."))
        return redirect("inspection:case", case.pk)
    return _form_page(
        request,
        title=_("Close the case"),
        subject=str(case),
        back_url=reverse("inspection:case", args=[case.pk]),
        form=form,
    )


# The plan -------------------------------------------------------------------------


@login_required
def plan(request):
    _require_inspection_staff(request.user)
    today = timezone.localdate()
    year = params.year_param(request, default=today.year)
    qs = queries.inspections_for(request.user).filter(year=year)
    rows = list(qs)
    done = sum(1 for i in rows if i.concluded_on)
    overdue = sum(1 for i in rows if i.is_overdue(today))
    return render(
        request,
        "inspection/plan.html",
        {
            "rows": [(i, i.is_overdue(today)) for i in rows],
            "year": year,
            "planned": len(rows),
            "done": done,
            "overdue": overdue,
            "committees": _committees(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request, committee_pk: int):
    committee = get_visible_or_404(Organisation.objects.all(), request.user, Perm.INSPECTION, pk=committee_pk)
    form = forms.InspectionForm(request.POST or None)
    made: list = []

    def perform(d):
        refs = _resolve(
            request.user,
            d.pop("subject_card"),
            d.pop("subject_org_code"),
            "subject_card",
            "subject_org_code",
            form,
        )
        if refs is None:
            return False
        made.append(
            actions.plan_inspection(
                by=request.user,
                committee=committee,
                year=d["starts_on"].year,
                subject_member=refs.get("member"),
                subject_organisation=refs.get("organisation"),
                **d,
            )
        )
        return True

    if request.method == "POST" and submit(form, perform) and made:
        messages.success(request, _("The inspection is planned."))
        return redirect(reverse("inspection:plan") + f"?year={made[0].year}")
    return _form_page(
        request,
        title=_("Plan an inspection or supervision"),
        subject=committee.name,
        back_url=reverse("inspection:plan"),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_conclude(request, pk: int):
    inspection = get_visible_or_404(
        queries.inspections_for(request.user), request.user, Perm.INSPECTION, pk=pk
    )
    form = forms.ConcludeForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.conclude_inspection(by=request.user, inspection=inspection, **d)
    ):
        messages.success(request, _("The conclusion is recorded."))
        return redirect(reverse("inspection:plan") + f"?year={inspection.year}")
    return _form_page(
        request,
        title=_("Conclude"),
        subject=str(inspection),
        back_url=reverse("inspection:plan") + f"?year={inspection.year}",
        form=form,
    )


# Report -----------------------------------------------------------------------------


def _report_params(request):
    today = timezone.localdate()
    form = forms.YearOrgForm(request.GET or None, organisations=_committees(request.user))
    year, org = today.year, None
    if form.is_valid():
        year = form.cleaned_data["year"] or today.year
        if form.cleaned_data["org"]:
            org = get_visible_or_404(
                Organisation.objects.all(), request.user, Perm.INSPECTION, pk=form.cleaned_data["org"]
            )
    return form, year, org


@login_required
def report(request):
    _require_inspection_staff(request.user)
    form, year, org = _report_params(request)
    figures = reports.inspection_report(request.user, year=year, org=org)
    sections = []
    for key, label in reports.SECTIONS.items():
        sections.append((label, [f for f in figures if f["section"] == key]))
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        table = reports.inspection_table(viewer=request.user, org=org, options={"year": year})
        response = HttpResponse(table.render(export), content_type=exports.CONTENT_TYPES[export])
        response["Content-Disposition"] = f'attachment; filename="inspection-{year}.{export}"'
        return response
    query = f"year={year}" + (f"&org={org.pk}" if org else "")
    return render(
        request,
        "inspection/report.html",
        {"form": form, "sections": sections, "year": year, "org": org, "query": query},
    )


@login_required
def records(request):
    """The records one figure of the report counts."""
    _require_inspection_staff(request.user)
    form, year, org = _report_params(request)
    key = request.GET.get("figure", "")
    if key not in reports.FIGURES_BY_KEY:
        raise Http404(_("Not found."))
    figure = reports.FIGURES_BY_KEY[key]
    qs = reports.figure_records(request.user, key, year=year, org=org)
    page = Paginator(qs, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    query = f"figure={key}&year={year}" + (f"&org={org.pk}" if org else "")
    return render(
        request,
        "inspection/records.html",
        {
            "page": page,
            "figure": figure,
            "year": year,
            "org": org,
            "query": query,
            "today": timezone.localdate(),
        },
    )

"""Member-development pages: the yearly report with its drill-downs and export,
candidates and their steps, probation (helpers, the cell's vote, the reminder),
targets and imports. Each page reads through ``queries`` (scoped) and each form
calls one action; out-of-scope ids are a 404."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import exports, params
from serment.core.audit import history_of
from serment.core.db import ReportTimedOut
from serment.core.errors import DomainError
from serment.core.exports import CONTENT_TYPES
from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, require, scope_for
from serment.jobs import offers
from serment.members.models import Member
from serment.organisations.models import Organisation
from serment.organisations.queries import picker_for

from . import actions, forms, queries
from .actions import IntroducerInput, steps_for
from .models import POSITION, Candidate, CandidateStatus, Step, StepKind
from .reports import report_table


def _org_and_year(request) -> tuple[Organisation, int]:
    """The organisation (default: the viewer's top one) and year of a report page."""
    org = params.org_param(request)
    if org is None:
        org = queries.sole_root(request.user)
        if org is None:
            roots = scope_for(request.user).paths_for(Perm.VIEW)
            org = Organisation.objects.filter(path__in=roots).order_by("path").first()
        if org is None:
            raise Http404(_("Not found."))
    year = params.year_param(request)
    if year is None:  # the latest year with admissions, not an empty current year
        year = queries.latest_admission_year(request.user, org) or timezone.localdate().year
    return org, year


@login_required
def index(request):
    """The yearly report for an organisation's subtree; every figure links to its records."""
    org, year = _org_and_year(request)
    try:
        report = queries.admission_report(viewer=request.user, org=org, year=year, as_of=timezone.localdate())
    except ReportTimedOut as exc:
        return offers.report_timed_out(
            request,
            exc,
            csv_path=reverse("admissions:export") + f"?org={org.pk}&year={year}&format=csv",
            title=_("Admissions %(year)d: %(org)s") % {"year": year, "org": org.code},
        )
    scope = scope_for(request.user)
    return render(
        request,
        "admissions/index.html",
        {
            "org": org,
            "year": year,
            "report": report,
            "organisations": [(o.pk, f"{'· ' * o.depth}{o.name}") for o in picker_for(request.user, org)],
            "can_manage": scope.has(Perm.ADMISSIONS, org.path),
            "can_export": scope.has(Perm.EXPORT, org.path),
        },
    )


DRILLDOWNS = {
    "admitted": gettext_lazy("Members admitted in %(year)d"),
    "at_start": gettext_lazy("Members on the register on 1 January %(year)d"),
    "due": gettext_lazy("Probationary members due for recognition by 31 December %(year)d"),
}


@login_required
def drilldown(request, figure: str):
    """The records behind one figure of the report (those the viewer may see)."""
    org, year = _org_and_year(request)
    queries.check_visible(request.user, org)
    step = request.GET.get("step", "")
    if figure == "admitted":
        rows = queries.admitted_list(viewer=request.user, org=org, year=year)
    elif figure == "at_start":
        rows = queries.at_start_list(viewer=request.user, org=org, year=year)
    elif figure == "due":
        rows = queries.due_list(viewer=request.user, org=org, by=dt.date(year, 12, 31))
    elif figure == "candidates" and (step == queries.NOT_STARTED or step in POSITION):
        rows = queries.candidates_at_step(viewer=request.user, org=org, kind=step)
    else:
        raise Http404(_("Not found."))
    if figure == "candidates":
        title = _("Candidates at the step: %(step)s") % {
            "step": StepKind(step).label if step in POSITION else _("Registered, no step yet")
        }
    else:
        title = DRILLDOWNS[figure] % {"year": year}
    page = Paginator(rows, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    return render(
        request,
        "admissions/drilldown.html",
        {"org": org, "year": year, "title": title, "page": page, "candidates": figure == "candidates"},
    )


@login_required
def export(request):
    """The report as XLSX (a sheet per part), CSV or JSON, the same table as the CLI."""
    org, year = _org_and_year(request)
    require(request.user, Perm.EXPORT, org.path)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404(_("Not found."))
    if fmt == "xlsx":  # a large scope's XLSX is built by a background job
        in_background = offers.export_in_background(
            request,
            rows=offers.members_in(request.user, org),
            name="admissions",
            title=_("Admissions %(year)d: %(org)s (XLSX)") % {"year": year, "org": org.code},
        )
        if in_background is not None:
            return in_background
    try:
        report = queries.admission_report(viewer=request.user, org=org, year=year, as_of=timezone.localdate())
    except ReportTimedOut as exc:
        return offers.report_timed_out(
            request,
            exc,
            csv_path=offers.with_format(request, "csv"),
            title=_("Admissions %(year)d: %(org)s") % {"year": year, "org": org.code},
        )
    response = HttpResponse(report_table(report).render(fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="admissions-{org.code}-{year}.{fmt}"'
    exports.record_export(by=request.user, name="admissions", target=org, fmt=fmt)
    return response


# --- candidates -------------------------------------------------------------------


@login_required
def candidate_list(request):
    org = params.org_param(request)
    status = request.GET.get("status", CandidateStatus.IN_PROGRESS)
    if status not in CandidateStatus.values:
        status = ""
    rows = queries.search_candidates(viewer=request.user, org=org, status=status, q=request.GET.get("q", ""))
    page = Paginator(rows, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    for c in page:
        c.last_step_label = queries.step_label(c.last_position)
    return render(
        request,
        "admissions/candidates.html",
        {
            "page": page,
            "org": org,
            "status": status,
            "statuses": CandidateStatus.choices,
            "params": request.GET,
            "can_register": scope_for(request.user).has(Perm.ADMISSIONS),
        },
    )


@login_required
def candidate_new(request):
    form = forms.CandidateForm(request.POST or None, user=request.user)
    created: list[Candidate] = []
    if request.method == "POST" and submit(
        form, lambda d: created.append(actions.register_candidate(by=request.user, **d))
    ):
        messages.success(
            request, _("%(name)s is registered as a candidate.") % {"name": created[0].full_name}
        )
        return redirect("admissions:candidate", pk=created[0].pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": _("New candidate"),
            "subject": _("Candidates"),
            "back_url": reverse("admissions:candidates"),
            "form": form,
            "submit_label": _("Register"),
        },
    )


def _next_step(candidate: Candidate, done: list[Step]) -> str | None:
    if candidate.status != CandidateStatus.IN_PROGRESS:
        return None
    recorded = {s.kind for s in done}
    return next((k for k in steps_for(candidate.organisation) if k not in recorded), None)


@login_required
def candidate_detail(request, pk: int):
    """A candidate's steps so far, and the form of the next one."""
    candidate = get_visible_or_404(
        Candidate.objects.select_related("organisation", "member"), request.user, pk=pk
    )
    done = list(Step.objects.filter(candidate=candidate).order_by("position"))
    kind = _next_step(candidate, done)
    can_manage = scope_for(request.user).has(Perm.ADMISSIONS, candidate.organisation.path)
    form = withdraw = None
    if can_manage and kind is not None:
        form = (
            forms.CeremonyForm()
            if kind == StepKind.CEREMONY
            else forms.StepForm(kind=kind, user=request.user)
        )
        withdraw = forms.WithdrawForm()
    return render(
        request,
        "admissions/candidate.html",
        {
            "candidate": candidate,
            "steps": done,
            "introducers": candidate.introducers.select_related("member"),
            "next_kind": kind,
            "next_label": StepKind(kind).label if kind else "",
            "form": form,
            "withdraw_form": withdraw,
            "audit": history_of(candidate)[:50],
        },
    )


def _fetch_for_change(request, pk: int) -> Candidate:
    candidate = get_visible_or_404(Candidate.objects.select_related("organisation"), request.user, pk=pk)
    require(request.user, Perm.ADMISSIONS, candidate.organisation.path)
    return candidate


@login_required
def candidate_step(request, pk: int):
    """POST: record the next step (or hold the ceremony)."""
    candidate = _fetch_for_change(request, pk)
    done = list(Step.objects.filter(candidate=candidate).order_by("position"))
    kind = _next_step(candidate, done)
    if kind is None:
        raise DomainError(_("%(name)s has no step left to record.") % {"name": candidate.full_name})
    if kind == StepKind.CEREMONY:
        form = forms.CeremonyForm(request.POST or None)
        perform = lambda d: actions.hold_ceremony(by=request.user, candidate=candidate, **d)  # noqa: E731
    else:
        form = forms.StepForm(request.POST or None, kind=kind, user=request.user)

        def perform(d):
            extra = {}
            if kind == StepKind.INTRODUCERS:
                extra = {
                    "introducers": [IntroducerInput(m, since) for m, since in d["introducer_pairs"]],
                    "youth_union_recommendation": d["youth_union_recommendation"],
                }
            if kind == StepKind.CELL_RESOLUTION:
                extra = {"votes_for": d["votes_for"], "votes_against": d["votes_against"]}
            actions.record_step(
                by=request.user,
                candidate=candidate,
                kind=kind,
                on=d["on"],
                document_ref=d["document_ref"],
                notes=d["notes"],
                **extra,
            )

    if request.method == "POST" and submit(form, perform):
        messages.success(request, _("%(step)s recorded.") % {"step": StepKind(kind).label})
        return redirect("admissions:candidate", pk=candidate.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": StepKind(kind).label,
            "subject": candidate.full_name,
            "back_url": reverse("admissions:candidate", args=[candidate.pk]),
            "form": form,
        },
    )


@login_required
def candidate_withdraw(request, pk: int):
    candidate = _fetch_for_change(request, pk)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.withdraw_candidate(by=request.user, candidate=candidate, **d)
    ):
        messages.success(request, _("The admission of %(name)s stops.") % {"name": candidate.full_name})
        return redirect("admissions:candidate", pk=candidate.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": _("Stop the admission"),
            "subject": candidate.full_name,
            "back_url": reverse("admissions:candidate", args=[candidate.pk]),
            "form": form,
        },
    )


# --- probation ----------------------------------------------------------------------


@login_required
def reminders(request):
    """The secretary's reminder: probationary members whose probation ends within 30
    days or has ended without the cell's vote."""
    today = timezone.localdate()
    rows = list(queries.reminders(viewer=request.user, today=today)[:500])
    for m in rows:
        m.probation_ends = queries.probation_end(m.admitted_on)
        m.overdue = m.probation_ends < today
    return render(request, "admissions/reminders.html", {"rows": rows, "today": today})


@login_required
def probation(request, member_pk: int):
    """A probationary member: helper, and the cell's vote at the end of probation."""
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_pk)
    require(request.user, Perm.ADMISSIONS, member.organisation.path)
    action = request.POST.get("action", "")
    data = request.POST if request.method == "POST" else None
    helper_form = forms.HelperForm(data if action == "helper" else None, member=member, user=request.user)
    recognise_form = forms.RecognitionForm(data if action == "recognise" else None)
    refuse_form = forms.NonRecognitionForm(data if action == "refuse" else None)
    done = False
    if action == "helper":
        done = submit(helper_form, lambda d: actions.assign_helper(by=request.user, member=member, **d))
    elif action == "recognise":
        done = submit(recognise_form, lambda d: actions.recognise(by=request.user, member=member, **d))
    elif action == "refuse":
        done = submit(refuse_form, lambda d: actions.refuse_recognition(by=request.user, member=member, **d))
    if done:
        messages.success(request, _("Saved."))
        return redirect("admissions:probation", member_pk=member.pk)
    member.refresh_from_db()
    return render(
        request,
        "admissions/probation.html",
        {
            "member": member,
            "probation_ends": queries.probation_end(member.admitted_on),
            "helpers": member.probation_helpers.select_related("helper"),
            "review": getattr(member, "probation_review", None),
            "open": member.official_on is None and member.is_current,
            "helper_form": helper_form,
            "recognise_form": recognise_form,
            "refuse_form": refuse_form,
        },
    )


# --- targets and imports ---------------------------------------------------------------


@login_required
def targets(request):
    """The targets of a committee and those directly under it; the form sets one."""
    org, year = _org_and_year(request)
    can_set = scope_for(request.user).has(Perm.ADMISSIONS, org.path)
    form = forms.TargetForm(
        request.POST if request.method == "POST" else None, setter=org, initial={"year": year}
    )
    if request.method == "POST":
        require(request.user, Perm.ADMISSIONS, org.path)
        if submit(form, lambda d: actions.set_target(by=request.user, set_by=org, **d)):
            messages.success(request, _("Target saved."))
            return redirect(f"{reverse('admissions:targets')}?org={org.pk}&year={form.cleaned_data['year']}")
    return render(
        request,
        "admissions/targets.html",
        {
            "org": org,
            "year": year,
            "rows": queries.targets_for(viewer=request.user, org=org, year=year),
            "form": form if can_set else None,
        },
    )

"""Oath pages: the member's own page, campaigns, the secretary's meeting page, the
coverage report with its drill-down, the paper import and the printable minutes.

Each view parses the request, fetches through the scope (out of scope: 404), calls
one action or query, and renders.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serment.core import exports, params
from serment.core.db import ReportTimedOut
from serment.core.errors import DomainError, NotPermitted
from serment.core.exports import CONTENT_TYPES
from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, scope_for
from serment.jobs import offers
from serment.members.models import Member, State
from serment.organisations.models import COMMITTEE_KINDS, MEMBER_HOLDING_KINDS, Organisation

from . import actions, forms, queries
from .models import AssessmentStatus, CellMeeting, Presentation, Promise, SelfAssessment
from .reports import coverage_table


def _own_member(request) -> Member:
    member_id = scope_for(request.user).member_id
    if member_id is None:
        raise Http404(_("Your account is not linked to a member."))
    return Member.objects.select_related("organisation").get(pk=member_id)


@login_required
def index(request):
    """Members go to their own page; staff see the campaigns."""
    scope = scope_for(request.user)
    if not scope.is_staff_anywhere:
        return redirect("oath:me")
    return redirect("oath:campaigns")


# --- the member's own page ---------------------------------------------------------


@login_required
def me(request):
    member = _own_member(request)
    mine = queries.my_oath(viewer=request.user, member=member)
    today = timezone.localdate()
    statuses = dict(
        SelfAssessment.objects.filter(member=member, campaign__in=mine.campaigns).values_list(
            "campaign_id", "status"
        )
    )
    for c in mine.campaigns:
        c.my_status = statuses.get(c.pk, "")
        c.my_phase = c.phase(today)
    return render(request, "oath/me.html", {"mine": mine, "today": today})


@login_required
def promise_add(request):
    member = _own_member(request)
    form = forms.PromiseForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.add_promise(by=request.user, member=member, **d)
    ):
        messages.success(request, _("Your promise is recorded."))
        return redirect("oath:me")
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Record a promise"),
            "subject": _("My oath"),
            "back_url": reverse("oath:me"),
        },
    )


@login_required
def member_promise_add(request, member_id: int):
    """The cell secretary (or staff managing the cell) records a member's promise."""
    member = get_visible_or_404(
        Member.objects.select_related("organisation"), request.user, Perm.MANAGE_MEMBERS, pk=member_id
    )
    back = params.safe_next(request, default=reverse("oath:index"))
    form = forms.PromiseForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.add_promise(by=request.user, member=member, **d)
    ):
        messages.success(request, _("The promise of %(name)s is recorded.") % {"name": member.full_name})
        return redirect(back)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Record a promise"),
            "subject": member.full_name,
            "back_url": back,
        },
    )


@login_required
def promise_update(request, pk: int):
    promise = get_visible_or_404(Promise.objects.select_related("member__organisation"), request.user, pk=pk)
    back = (
        reverse("oath:me")
        if promise.member.user_id == request.user.pk
        else reverse("members:detail", args=[promise.member_id])
    )
    form = forms.PromiseUpdateForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.update_promise(by=request.user, promise=promise, **d)
    ):
        messages.success(request, _("The promise is updated."))
        return redirect(back)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("How is this promise kept?"),
            "intro": promise.text,
            "subject": promise.member.full_name,
            "back_url": back,
        },
    )


@login_required
def assessment_edit(request, campaign_id: int):
    """The member writes their self-assessment: save a draft, or submit."""
    member = _own_member(request)
    campaign = queries.get_campaign(request.user, campaign_id)
    assessment = SelfAssessment.objects.filter(campaign=campaign, member=member).first()
    promises = list(Promise.objects.visible_to(request.user).filter(member=member))
    initial = {}
    if assessment is not None:
        initial = {k: getattr(assessment, k) for k in actions.ASSESSMENT_TEXTS}
        initial.update({f"note_{n.promise_id}": n.note for n in assessment.promise_notes.all()})
    submitted = assessment is not None and assessment.status == AssessmentStatus.SUBMITTED
    # The action's own check, asked with the form left empty: the page is read-only when
    # it refuses outright (submitted, past the deadline) and says so before anything is typed.
    refusals = actions.check_save_self_assessment(by=request.user, campaign=campaign, member=member)
    too_late = any(r.code == "deadline_passed" for r in refusals)
    read_only = any(r.field is None for r in refusals)
    form = forms.SelfAssessmentForm(request.POST or None, promises=promises, initial=initial)
    if request.method == "POST" and not read_only:

        def perform(_data):
            saved = actions.save_self_assessment(
                by=request.user, campaign=campaign, member=member, **form.action_kwargs()
            )
            if "submit" in request.POST:
                actions.submit_self_assessment(by=request.user, assessment=saved)

        if submit(form, perform):
            messages.success(request, _("Submitted.") if "submit" in request.POST else _("Draft saved."))
            return redirect("oath:me")
    return render(
        request,
        "oath/assessment.html",
        {
            "form": form,
            "campaign": campaign,
            "assessment": assessment,
            "read_only": read_only,
            "too_late": too_late and not submitted,
        },
    )


# --- campaigns ---------------------------------------------------------------------


@login_required
def campaign_list(request):
    campaigns = queries.campaigns_for(request.user)
    scope = scope_for(request.user)
    return render(
        request,
        "oath/campaigns.html",
        {
            "campaigns": campaigns,
            "can_launch": scope.has(Perm.MANAGE_CAMPAIGNS),
            "can_import_promises": scope.has(Perm.IMPORT),
        },
    )


@login_required
def campaign_launch(request):
    organisations = Organisation.objects.permitted(request.user, Perm.MANAGE_CAMPAIGNS).filter(
        kind__in=COMMITTEE_KINDS, dissolved_on__isnull=True
    )
    if not organisations.exists():
        raise Http404
    form = forms.CampaignForm(request.POST or None, viewer=request.user)
    created = {}

    def perform(d):
        org = d.pop("organisation")
        created["campaign"] = actions.launch_campaign(by=request.user, organisation=org, **d)

    if request.method == "POST" and submit(form, perform):
        messages.success(request, _("The campaign is launched."))
        return redirect("oath:campaign", created["campaign"].pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Launch a campaign"),
            "subject": _("Campaigns"),
            "back_url": reverse("oath:campaigns"),
            "submit_label": _("Launch"),
        },
    )


def _meeting_cells(user, campaign):
    return (
        Organisation.objects.permitted(user, Perm.RUN_MEETINGS)
        .filter(
            path__subtree=campaign.organisation.path,
            kind__in=MEMBER_HOLDING_KINDS,
            dissolved_on__isnull=True,
        )
        .order_by("code")
    )


@login_required
def campaign_detail(request, pk: int):
    campaign = queries.get_campaign(request.user, pk)
    meetings = Paginator(queries.meetings_for(request.user, campaign), settings.SERMENT_PAGE_SIZE).get_page(
        params.page_param(request)
    )
    cells = _meeting_cells(request.user, campaign)
    form = forms.ScheduleForm(request.POST or None, viewer=request.user, campaign=campaign)
    made = {}

    def perform(d):
        cell = d["cell"]  # the picker's queryset: open cells of the campaign the viewer runs
        made["meeting"] = actions.schedule_meeting(
            by=request.user, campaign=campaign, cell=cell, held_on=d["held_on"], reason=d["reason"]
        )

    if request.method == "POST" and submit(form, perform):
        return redirect("oath:meeting", made["meeting"].pk)
    return render(
        request,
        "oath/campaign.html",
        {
            "campaign": campaign,
            "meetings": meetings,
            "form": form,
            "can_schedule": cells.exists() and campaign.closed_at is None,
            "phase": campaign.phase(timezone.localdate()),
            "can_close": scope_for(request.user).has(Perm.MANAGE_CAMPAIGNS, campaign.organisation.path)
            and not actions.check_close_campaign(campaign=campaign, today=timezone.localdate()),
            "can_import": scope_for(request.user).has(Perm.RUN_MEETINGS, campaign.organisation.path)
            or cells.exists(),
        },
    )


@login_required
@require_POST
def campaign_close(request, pk: int):
    """Close a campaign after its deadline: its figures become final."""
    campaign = queries.get_campaign(request.user, pk)
    try:
        actions.close_campaign(by=request.user, campaign=campaign)
        messages.success(request, _("The campaign is closed; its figures are final."))
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("oath:campaign", campaign.pk)


# --- the secretary's meeting page --------------------------------------------------


def _meeting(request, pk: int, perm: str = Perm.VIEW) -> CellMeeting:
    return get_visible_or_404(
        CellMeeting.objects.select_related("cell", "campaign__organisation"), request.user, perm, pk=pk
    )


def _row_offers(request, meeting: CellMeeting, row: dict, can_run: bool) -> dict[str, bool]:
    """Which buttons a row offers: the actions' own checks answer, nothing re-stated here."""
    if not can_run or meeting.is_closed:
        return {"present": False, "absent": False, "attendance": False, "presentation": False}
    by, member = request.user, row["member"]
    present = not actions.check_record_attendance(by=by, meeting=meeting, member=member, present=True)
    absent = not actions.check_record_attendance(
        by=by, meeting=meeting, member=member, present=False, absence_reason=forms.AbsenceReason.values[0]
    )
    return {
        "present": present,
        "absent": absent,
        "attendance": present or absent,
        "presentation": not actions.check_record_presentation(by=by, meeting=meeting, member=member),
    }


def _sheet_context(request, meeting: CellMeeting, sheet) -> dict:
    scope = scope_for(request.user)
    can_run = scope.has(Perm.RUN_MEETINGS, meeting.cell.path)
    for r in sheet.rows:
        r["offers"] = _row_offers(request, meeting, r, can_run)
    return {
        "meeting": meeting,
        "sheet": sheet,
        "can_run": can_run,
        "can_add_promises": scope.has(Perm.MANAGE_MEMBERS, meeting.cell.path),
        "absence_reasons": forms.AbsenceReason.choices,
        "unrecorded": sum(1 for r in sheet.rows if r["attendance"] is None),
    }


@login_required
def meeting_detail(request, pk: int):
    """The meeting sheet: one page, each row saved in place (htmx), all present, the
    details the minutes state, and closing with a confirmation."""
    meeting = _meeting(request, pk)
    sheet = queries.meeting_sheet(meeting)
    context = _sheet_context(request, meeting, sheet)
    correction = None
    if context["can_run"] and meeting.is_closed:
        correction = forms.CorrectionForm(members=[r["member"] for r in sheet.rows if not r["presentation"]])
    details = None
    if context["can_run"] and not meeting.is_closed:
        details = forms.MeetingDetailsForm(
            initial={f: getattr(meeting, f) for f in ("place", "starts_at", "ends_at", "chair", "note_taker")}
        )
    context.update(
        {
            "correction": correction,
            "details": details,
            "not_submitted": sum(1 for r in sheet.rows if not r["submitted"]),
            "can_remind": not actions.check_remind_not_submitted(
                campaign=meeting.campaign, today=timezone.localdate()
            ),
            "other_meetings": queries.other_meetings(meeting),
        }
    )
    return render(request, "oath/meeting.html", context)


def _sheet_member(meeting: CellMeeting, member_id) -> Member:
    try:
        member_id = int(member_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    rows = queries.meeting_sheet(meeting).rows
    for r in rows:
        if r["member"].pk == member_id:
            return r["member"]
    raise Http404


def _row_response(request, meeting: CellMeeting, member: Member, *, error: str = "", saved: bool = False):
    """The one row of the sheet, re-rendered in place after an htmx save."""
    meeting = CellMeeting.objects.select_related("cell", "campaign").get(pk=meeting.pk)
    sheet = queries.meeting_sheet(meeting)
    context = _sheet_context(request, meeting, sheet)
    row = next(r for r in sheet.rows if r["member"].pk == member.pk)
    context.update({"r": row, "row_error": error, "row_saved": saved})
    return render(request, "oath/_meeting_row.html", context)


@login_required
@require_POST
def meeting_act(request, pk: int, what: str):
    """One POST per change on the meeting sheet. A row's attendance or presentation
    answers an htmx request with that row only; other changes come back to the page."""
    meeting = _meeting(request, pk, Perm.RUN_MEETINGS)
    by, post = request.user, request.POST
    member = None
    anchor = ""
    try:
        if what == "attendance":
            member = _sheet_member(meeting, post.get("member"))
            anchor = f"#member-{member.pk}"
            actions.record_attendance(
                by=by,
                meeting=meeting,
                member=member,
                present=post.get("present") == "yes",
                absence_reason=post.get("absence_reason", ""),
                absence_note=post.get("absence_note", ""),
            )
        elif what == "presentation":
            member = _sheet_member(meeting, post.get("member"))
            anchor = f"#member-{member.pk}"
            existing = Presentation.objects.filter(meeting=meeting, member=member).first()
            if existing is not None:
                actions.record_suggestions(
                    by=by, presentation=existing, suggestions=post.get("suggestions", "")
                )
            else:
                actions.record_presentation(
                    by=by, meeting=meeting, member=member, suggestions=post.get("suggestions", "")
                )
        elif what == "all_present":
            n = actions.record_everyone_present(by=by, meeting=meeting)
            messages.success(request, _("%(n)d members recorded present.") % {"n": n})
        elif what == "details":
            form = forms.MeetingDetailsForm(post)
            if not submit(form, lambda d: actions.record_meeting_details(by=by, meeting=meeting, **d)):
                raise DomainError(" ".join(str(e) for errors in form.errors.values() for e in errors))
            messages.success(request, _("The meeting's details are saved."))
        elif what == "close":
            if post.get("confirm") != "yes":
                raise DomainError(_("Tick the box to confirm: a closed meeting can only be corrected."))
            actions.close_meeting(by=by, meeting=meeting)
            messages.success(request, _("The meeting is closed."))
        elif what == "remind":
            n = actions.remind_not_submitted(by=by, campaign=meeting.campaign, cell=meeting.cell)
            messages.success(request, _("%(n)d members were reminded.") % {"n": n})
        elif what == "correct":
            sheet_members = [r["member"] for r in queries.meeting_sheet(meeting).rows]
            form = forms.CorrectionForm(post, members=sheet_members)
            if not form.is_valid():
                raise DomainError(_("Say why the closed meeting is corrected."))
            add = [m for m in sheet_members if m.pk == form.cleaned_data["add_member"]]
            actions.correct_meeting(
                by=by,
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                held_on=form.cleaned_data["held_on"],
                add_presentations=add,
            )
            messages.success(request, _("The correction is recorded."))
        else:
            raise Http404
    except NotPermitted:
        raise
    except DomainError as exc:
        if member is not None and request.htmx:
            return _row_response(request, meeting, member, error=str(exc.message))
        messages.error(request, exc.message)
    else:
        if member is not None and request.htmx:
            return _row_response(request, meeting, member, saved=True)
    return redirect(reverse("oath:meeting", args=[meeting.pk]) + anchor)


@login_required
def meeting_minutes(request, pk: int):
    """Printable minutes (PDF) with attendance and each member's suggestions."""
    from .minutes import minutes_pdf

    meeting = _meeting(request, pk)
    pdf = minutes_pdf(queries.meeting_sheet(meeting))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.cell.code}-{meeting.held_on}.pdf"'
    return response


# --- coverage ----------------------------------------------------------------------


def _coverage_params(request, campaign):
    """The organisation (default: the campaign's, or the viewer's top one) and the date."""
    scope = scope_for(request.user)
    org = params.org_param(request)
    if org is None and scope.has(Perm.VIEW, campaign.organisation.path):
        org = campaign.organisation
    elif org is None:
        roots = scope.paths_for(Perm.VIEW)
        org = Organisation.objects.filter(path__in=roots).order_by("depth", "code").first()
        if org is None:
            raise Http404
    as_of = params.date_param(request, "as_of")
    return org, as_of or min(timezone.localdate(), campaign.deadline)


@login_required
def coverage(request, pk: int):
    campaign = queries.get_campaign(request.user, pk)
    org, as_of = _coverage_params(request, campaign)
    if request.GET.get("format") == "xlsx":  # a large scope's XLSX is built by a background job
        in_background = offers.export_in_background(
            request,
            rows=offers.members_in(request.user, org),
            name="oath_coverage",
            title=_("Oath coverage of %(org)s on %(date)s (XLSX)") % {"org": org.code, "date": as_of},
        )
        if in_background is not None:
            return in_background
    try:
        cov = queries.coverage(viewer=request.user, campaign=campaign, org=org, as_of=as_of)
    except ReportTimedOut as exc:
        return offers.report_timed_out(
            request,
            exc,
            csv_path=offers.with_format(request, "csv"),
            title=_("Oath coverage of %(org)s on %(date)s") % {"org": org.code, "date": as_of},
        )
    if request.GET.get("format") in ("xlsx", "csv"):
        fmt = request.GET["format"]
        response = HttpResponse(coverage_table(cov).render(fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="oath-coverage-{org.code}-{as_of}.{fmt}"'
        exports.record_export(by=request.user, name="oath_coverage", target=org, fmt=fmt)
        return response
    form = forms.CoverageForm({"org": org.pk, "as_of": as_of}, viewer=request.user)
    return render(
        request,
        "oath/coverage.html",
        {
            "campaign": campaign,
            "cov": cov,
            "org": org,
            "as_of": as_of,
            "form": form,
        },
    )


@login_required
def coverage_list(request, pk: int, kind: str):
    """The records behind one figure: cells (held / not held) or members by category."""
    campaign = queries.get_campaign(request.user, pk)
    org, as_of = _coverage_params(request, campaign)
    category = request.GET.get("category", "")
    if kind == "cells" and category in queries.CELL_CATEGORIES:
        rows = queries.coverage_cells(
            viewer=request.user, campaign=campaign, org=org, as_of=as_of, category=category
        )
        label = queries.CELL_CATEGORIES[category]
    elif kind == "members" and category in queries.MEMBER_CATEGORIES:
        rows = queries.coverage_members(
            viewer=request.user, campaign=campaign, org=org, as_of=as_of, category=category
        )
        label = queries.MEMBER_CATEGORIES[category]
    else:
        raise Http404
    page = Paginator(rows, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    if kind == "members":
        for m in page:
            m.state_label = State(m.state_on).label
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "oath/coverage_list.html",
        {
            "campaign": campaign,
            "org": org,
            "as_of": as_of,
            "kind": kind,
            "label": label,
            "page": page,
            "query": query.urlencode(),
        },
    )

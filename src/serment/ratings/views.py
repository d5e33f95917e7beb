"""Rating pages: rounds, the three steps of a rating, decisions, the
report with its drill-down and exports, targets and imports.

Every page fetches through the scope (out of scope: 404); a form's POST calls one
action, whose refusal becomes a form error.
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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from serment.core import exports, params
from serment.core.audit import history_of
from serment.core.db import ReportTimedOut
from serment.core.errors import NotPermitted
from serment.core.forms import submit
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, require, scope_for
from serment.jobs import offers
from serment.organisations.models import COMMITTEE_KINDS, Organisation
from serment.organisations.queries import picker_for

from . import actions, forms, queries, reports
from .models import Rating, RatingRound
from .policies import Level, SubjectKind


def _form_page(request, **context: Any):
    return render(request, "core/form_page.html", context)


@login_required
def index(request):
    """Rounds the viewer sees, their own decided ratings, links to the report."""
    scope = scope_for(request.user)
    rounds = queries.rounds_for(request.user)[:50]
    return render(
        request,
        "ratings/index.html",
        {
            "rounds": rounds,
            "own": queries.own_ratings(request.user),
            "can_rate": scope.has(Perm.RATE),
            "can_inspect": scope.has(Perm.INSPECTION),
            "can_import": scope.has(Perm.IMPORT),
        },
    )


@login_required
def open_round(request):
    committees = Organisation.objects.permitted(request.user, Perm.RATE).filter(kind__in=COMMITTEE_KINDS)
    if not committees.exists():
        raise Http404(_("Not found."))
    form = forms.OpenRoundForm(request.POST or None, committees=committees)
    result = {}

    def perform(d):
        result["round"] = actions.open_round(by=request.user, organisation=d["organisation"], year=d["year"])

    if request.method == "POST" and submit(form, perform):
        messages.success(request, _("The rating round is open."))
        return redirect("ratings:round", pk=result["round"].pk)
    return _form_page(
        request,
        title=_("Open a rating round"),
        subject=_("Quality rating"),
        back_url=reverse("ratings:index"),
        form=form,
    )


@login_required
def round_detail(request, pk: int):
    rnd = get_visible_or_404(RatingRound.objects.select_related("organisation"), request.user, pk=pk)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    ratings = queries.round_ratings(
        request.user, rnd, kind=kind if kind in SubjectKind.values else "", status=status
    )
    page = Paginator(ratings, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ratings/round.html",
        {
            "round": rnd,
            "page": page,
            "query": query.urlencode(),
            "kinds": SubjectKind.choices,
            "kind": kind,
            "status": status,
            "can_decide": scope_for(request.user).has(Perm.RATE, rnd.organisation.path)
            and rnd.decided_on is None,
        },
    )


@login_required
def decide_round(request, pk: int):
    rnd = get_visible_or_404(RatingRound.objects.select_related("organisation"), request.user, pk=pk)
    require(request.user, Perm.RATE, rnd.organisation.path)
    form = forms.DecideRoundForm(request.POST if request.method == "POST" else None)
    result = {}

    def perform(d):
        result["n"] = actions.decide_round(by=request.user, round=rnd, on=d.get("on"))

    if request.method == "POST" and submit(form, perform):
        messages.success(request, _("%(n)d ratings decided and locked.") % {"n": result["n"]})
        return redirect("ratings:round", pk=rnd.pk)
    return _form_page(
        request,
        title=_("Decide the whole round"),
        subject=str(rnd),
        intro=_(
            "Every undecided rating is decided at the level the collective proposed (else the subject's own)."
        ),
        back_url=reverse("ratings:round", args=[rnd.pk]),
        form=form,
        submit_label=_("Decide"),
    )


def _rating(request, pk: int) -> Rating:
    return get_visible_or_404(
        Rating.objects.select_related("round__organisation", "organisation", "member", "decided_by"),
        request.user,
        pk=pk,
    )


@login_required
def rating_detail(request, pk: int):
    rating = _rating(request, pk)
    scope = scope_for(request.user)
    # The steps' own checks, asked with the form left empty: a step is offered when no
    # refusal stands without a field (who acts, a decided rating); the rest is the form's.
    steps = [
        (slug, label)
        for slug, label, check in STEP_BUTTONS
        if all(r.field is not None for r in check(request.user, rating))
    ]
    staff = scope.has(Perm.VIEW, rating.organisation.path)
    return render(
        request,
        "ratings/rating.html",
        {
            "rating": rating,
            "steps": steps,
            # a member sees the collective's review and the decision once decided
            "show_collective": staff or rating.locked,
            "audit": history_of(rating)[:50] if staff else [],
        },
    )


STEP_BUTTONS = (
    (
        "self-assess",
        pgettext_lazy("rating", "Self-assessment"),
        lambda by, r: actions.check_self_assess(by=by, rating=r, text="", level=""),
    ),
    (
        "review",
        gettext_lazy("Collective review"),
        lambda by, r: actions.check_review(by=by, rating=r, level=""),
    ),
    ("decide", gettext_lazy("Decide"), lambda by, r: actions.check_decide(by=by, rating=r, level="")),
    (
        "correct",
        gettext_lazy("Correct"),
        lambda by, r: actions.check_correct_rating(by=by, rating=r, level="", reason=""),
    ),
)

STEPS = {
    "self-assess": pgettext_lazy("rating", "Self-assessment"),
    "review": gettext_lazy("Collective review"),
    "decide": gettext_lazy("Decide"),
    "correct": gettext_lazy("Correct a decided rating"),
}


@login_required
def rating_step(request, pk: int, step: str):
    """The form of one step; its POST calls the step's action (which checks the role)."""
    if step not in STEPS:
        raise Http404(_("Not found."))
    rating = _rating(request, pk)
    by = request.user
    if step == "self-assess":
        form = forms.SelfAssessForm(
            request.POST or None,
            scored=rating.round.rules.scored,
            collective=rating.subject_kind == SubjectKind.COLLECTIVE,
        )

        def perform(d):
            actions.self_assess(by=by, rating=rating, **{k: v for k, v in d.items() if v is not None})

    elif step == "review":
        form = forms.ReviewForm(request.POST or None, initial={"level": rating.self_level})

        def perform(d):
            actions.review(by=by, rating=rating, text=d["text"], level=d["level"])

    elif step == "decide":
        form = forms.DecideForm(request.POST or None, initial={"level": rating.proposed_level})

        def perform(d):
            actions.decide(by=by, rating=rating, level=d["level"], on=d.get("on"))

    else:
        form = forms.CorrectForm(request.POST or None, initial={"level": rating.level})

        def perform(d):
            actions.correct_rating(by=by, rating=rating, level=d["level"], reason=d["reason"])

    # A step saved by someone else since this form was opened refuses it (stale_form).
    form.track_version(rating)
    if request.method == "POST" and submit(form, perform):
        messages.success(request, _("Saved."))
        return redirect("ratings:rating", pk=rating.pk)
    return _form_page(
        request,
        title=STEPS[step],
        subject=str(rating),
        back_url=reverse("ratings:rating", args=[rating.pk]),
        form=form,
    )


def _report_org(request) -> Organisation | None:
    return params.org_param(request)


@login_required
def report(request):
    """The yearly report; every count links to its records; CSV/XLSX export."""
    org = _report_org(request)
    form = forms.ReportForm(request.GET or None, organisations=picker_for(request.user, org))
    year = None
    if form.is_valid():
        year = form.cleaned_data.get("year")
    if not year:
        year = queries.latest_year(request.user, org)
        if year:  # the year field shows the year the heading and the figures are about
            form = forms.ReportForm(
                {**request.GET.dict(), "year": year}, organisations=picker_for(request.user, org)
            )
            form.is_valid()
    fmt = request.GET.get("format", "")
    if year and fmt in ("csv", "xlsx"):
        if org is not None:
            require(request.user, Perm.EXPORT, org.path)
        elif not scope_for(request.user).has(Perm.EXPORT):
            raise NotPermitted(_("Your role does not allow this here."))
    if year and fmt == "xlsx":  # a large scope's XLSX is built by a background job
        in_background = offers.export_in_background(
            request,
            rows=offers.members_in(request.user, org),
            name="ratings",
            title=_("Rating report %(year)d (XLSX)") % {"year": year},
        )
        if in_background is not None:
            return in_background
    try:
        data = queries.rating_report(request.user, org=org, year=year) if year else None
    except ReportTimedOut as exc:
        return offers.report_timed_out(
            request,
            exc,
            csv_path=offers.with_format(request, "csv"),
            title=_("Rating report %(year)d") % {"year": year},
        )
    if data is not None and fmt in ("csv", "xlsx"):
        table = reports.rating_table(data)
        response = HttpResponse(table.render(fmt), content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="ratings-{year}.{fmt}"'
        exports.record_export(by=request.user, name="ratings", target=org or request.user, fmt=fmt)
        return response
    return render(
        request,
        "ratings/report.html",
        {"form": form, "report": data, "org": org, "year": year, "levels": Level.choices},
    )


@login_required
def records(request):
    """The records behind one figure of the report."""
    org = _report_org(request)
    group = request.GET.get("group", "")
    year = params.year_param(request)
    if group not in queries.GROUPS_BY_KEY or year is None:
        raise Http404(_("Not found."))
    level = request.GET.get("level", "")
    if request.GET.get("twice"):
        qs = queries.not_completed_two_years(request.user, org=org, year=year)
    else:
        qs = queries.ratings_in(
            request.user,
            org=org,
            year=year,
            group=group,
            level=level if level in Level.values else "",
            good_or_better=bool(request.GET.get("good_or_better")),
        )
    page = Paginator(qs, settings.SERMENT_PAGE_SIZE).get_page(params.page_param(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ratings/records.html",
        {
            "page": page,
            "query": query.urlencode(),
            "group": queries.GROUPS_BY_KEY[group],
            "year": year,
            "org": org,
            "level": level,
        },
    )


@login_required
def target_new(request):
    org = _report_org(request) or None
    orgs = Organisation.objects.permitted(request.user, Perm.RATE).filter(kind__in=COMMITTEE_KINDS)
    org = org or orgs.order_by("depth", "path").first()
    if org is None:
        raise Http404(_("Not found."))
    require(request.user, Perm.RATE, org.path)
    form = forms.TargetForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda d: actions.set_target(by=request.user, organisation=org, **d)
    ):
        messages.success(request, _("The target is recorded."))
        return redirect(reverse("ratings:report") + f"?org={org.pk}")
    return _form_page(
        request, title=_("Set a target"), subject=org.name, back_url=reverse("ratings:report"), form=form
    )

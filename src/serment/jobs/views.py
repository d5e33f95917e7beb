"""My jobs: the list, one job's page (polled with htmx while it runs), its download, and
starting a heavy report as a job. Only the job's owner sees any of it; others get 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from serment.core import exports
from serment.core.errors import DomainError
from serment.core.imports import errors_csv

from . import actions, queries, storage
from .models import JobKind

# The reports that may run as a job after timing out, by their export address's view.
REPORT_VIEWS = {
    "oath:coverage": "oath_coverage",
    "ratings:report": "ratings",
    "admissions:export": "admissions",
}


def _context(job) -> dict:
    return {
        "job": job,
        "report": queries.import_report(job),
        "table": queries.result_table(job),
    }


@login_required
def job_list(request):
    jobs = list(queries.jobs_of(request.user)[:100])
    return render(request, "jobs/list.html", {"jobs": jobs, "title": _("My jobs")})


@login_required
def job_detail(request, pk: int):
    job = queries.get_job(request.user, pk)
    return render(request, "jobs/detail.html", {**_context(job), "title": job.title})


@never_cache
@login_required
def job_status(request, pk: int):
    """The job's state, progress and, once finished, its result: what the pages poll."""
    job = queries.get_job(request.user, pk)
    return render(request, "jobs/_status.html", _context(job))


@login_required
def job_download(request, pk: int):
    """The file a finished export or report job built (its owner only)."""
    job = queries.get_job(request.user, pk)
    path = storage.file_path(job.file_key) if job.file_key else None
    if path is None:
        raise Http404(_("Not found."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=exports.safe_filename(job.file_name),
        content_type=job.result.get("content_type") or "application/octet-stream",
    )


@login_required
def job_errors(request, pk: int):
    """Every error of an import job's file, as a CSV file."""
    job = queries.get_job(request.user, pk)
    report = queries.import_report(job)
    if report is None or report.ok:
        raise Http404(_("Not found."))
    response = HttpResponse(errors_csv(report.shown_errors()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="serment-{job.name}-errors.csv"'
    return response


@require_POST
@login_required
def start_report(request):
    """Run a report that took too long for the page as a background job: ``path`` is
    the report's CSV address, which the job asks as the user."""
    path = request.POST.get("path", "")
    try:
        match = resolve(path.split("?", 1)[0]) if path.startswith("/") else None
    except Resolver404:
        match = None
    if match is None or match.view_name not in REPORT_VIEWS:
        raise Http404(_("Not found."))
    try:
        job = actions.start_download(
            by=request.user,
            kind=JobKind.REPORT,
            name=REPORT_VIEWS[match.view_name],
            title=request.POST.get("title", "")[:200] or _("Report"),
            path=path,
        )
    except DomainError as exc:
        return render(request, "core/error.html", {"message": exc.message}, status=exc.status_code)
    return redirect("jobs:detail", pk=job.pk)

"""What the export and report pages call to hand their work to a background job.

- ``export_in_background``: an XLSX export of more than ``SERMENT_EXPORT_JOB_ROWS`` rows is
  built by a job that asks the same address as the user; the page leads to the job, whose
  page gives the download link when it is ready (only to its owner).
- ``members_in``: the size of a report's scope (the members it reads), the report's
  measure of "large".
- ``report_timed_out``: a report stopped by the statement timeout offers to run as a job.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render

from serment.core.background import too_large_for_request
from serment.core.db import ReportTimedOut, replica_reads
from serment.core.roles import Perm
from serment.members.models import Member

from . import actions
from .models import JobKind


def members_in(viewer: Any, org: Any) -> int:
    """How many members a report of ``org``'s subtree (the viewer's whole scope without
    ``org``) reads: one indexed count."""
    members = Member.objects.permitted(viewer, Perm.VIEW)
    if org is not None:
        members = members.filter(organisation__path__subtree=org.path)
    with replica_reads():
        return members.count()


def export_in_background(request, *, rows: int, name: str, title: Any) -> HttpResponse | None:
    """A redirect to a new job building this very export, when it has more than
    ``SERMENT_EXPORT_JOB_ROWS`` rows; ``None`` to build it in the request. Inside a job it
    is always ``None``."""
    if not too_large_for_request(rows):
        return None
    job = actions.start_download(
        by=request.user, kind=JobKind.EXPORT, name=name, title=title, path=request.get_full_path()
    )
    return redirect("jobs:detail", pk=job.pk)


def report_timed_out(request, exc: ReportTimedOut, *, csv_path: str, title: Any) -> HttpResponse:
    """The timeout's message, with a button that runs the report (its CSV at
    ``csv_path``) as a background job."""
    return render(
        request,
        "jobs/timed_out.html",
        {"message": exc.message, "path": csv_path, "report_title": str(title)},
        status=exc.status_code,
    )


def with_format(request, fmt: str, path: str | None = None) -> str:
    """This page's address (or ``path``) with its parameters and ``format=fmt``."""
    query = request.GET.copy()
    query["format"] = fmt
    return f"{path or request.path}?{query.urlencode()}"

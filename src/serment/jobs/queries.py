"""Reads of jobs: a user's own, and what a finished job shows."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from serment.core.imports import ImportReport, RowError

from . import storage
from .models import Job, JobKind, JobStatus

# A report's result shown on the job page: at most this many rows (the file has them all).
SHOWN_ROWS = 500


def jobs_of(user: Any):
    """The jobs ``user`` started, newest first."""
    return Job.objects.owned_by(user)


def get_job(user: Any, pk: int) -> Job:
    """The user's own job ``pk``; anyone else's, or none, is a 404."""
    job = Job.objects.owned_by(user).filter(pk=pk).first()
    if job is None:
        raise Http404(_("Not found."))
    return job


def import_report(job: Job) -> ImportReport | None:
    """What a finished import job did, as the import page shows it (the errors as the
    job wrote them, in the file's own column names and the owner's language)."""
    if job.kind != JobKind.IMPORT or job.status != JobStatus.DONE:
        return None
    r = job.result
    report = ImportReport(
        dry_run=bool(r.get("dry_run")),
        rows=int(r.get("rows", 0)),
        created=int(r.get("created", 0)),
        updated=int(r.get("updated", 0)),
        breakdown=dict(r.get("breakdown", {})),
        result_url=r.get("result_url", ""),
        code=r.get("code", ""),
    )
    report.errors = [RowError(e["row"], e["column"], e["message"]) for e in r.get("errors", [])]
    return report


def result_table(job: Job) -> list[list[str]]:
    """A finished report job's CSV as rows (the first ``SHOWN_ROWS``), for its page."""
    if job.kind != JobKind.REPORT or job.status != JobStatus.DONE or not job.file_name.endswith(".csv"):
        return []
    path = storage.file_path(job.file_key)
    if path is None:
        return []
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    rows = []
    for n, row in enumerate(csv.reader(io.StringIO(text))):
        if n > SHOWN_ROWS:
            break
        rows.append(row)
    return rows

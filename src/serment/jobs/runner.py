"""Running one job in the worker: as its owner, in the owner's language, with its
progress written to the job as it goes.

An import calls the one import runner (``core.imports.run_kind``): all or nothing, so a
job that fails leaves nothing half-written, and the job says why. An export or a report
asks its page's own export address as the owner (``replay``) and keeps the file.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from serment.core.background import READING, progress_to, report_progress, running_in_background
from serment.core.db import replica_reads, without_report_timeout
from serment.core.errors import DomainError
from serment.core.imports import get_kind, run_kind

from . import storage
from .models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

# Write progress at most this often (rows), so a large file does not cost a write per row.
PROGRESS_EVERY = 500


class JobFailed(DomainError):
    pass


def run(job_id: int) -> str:
    """Run job ``job_id`` (the worker's task); returns its final status."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return job.status if job else "missing"
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    last = [-PROGRESS_EVERY]

    def listener(phase: str, done: int, total: int) -> None:
        if done - last[0] >= PROGRESS_EVERY or done in (0, total):
            last[0] = done
            Job.objects.filter(pk=job.pk).update(phase=phase, done=done, total=total)

    fields: dict[str, Any]
    with translation.override(job.language), running_in_background(), progress_to(listener):
        try:
            fields = RUNNERS[job.kind](job)
            fields.setdefault("status", JobStatus.DONE)
        except DomainError as exc:
            fields = {"status": JobStatus.FAILED, "error": str(exc.message), "error_code": exc.code}
        except Exception as exc:
            logger.exception("job %s failed", job.pk)
            fields = {
                "status": JobStatus.FAILED,
                "error": _("The job stopped on an unexpected error (%(error)s); nothing was changed.")
                % {"error": type(exc).__name__},
                "error_code": "job_error",
            }
    if job.kind == JobKind.IMPORT:
        _release_upload(job, fields)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **fields)
    return str(fields["status"])


def _release_upload(job: Job, fields: dict[str, Any]) -> None:
    """The upload stays only while a dry run that passed waits for its confirmation."""
    kept = (
        job.params.get("dry_run")
        and fields.get("status") == JobStatus.DONE
        and fields.get("result", {}).get("ok")
    )
    if not kept:
        storage.drop_upload(job.params.get("upload", ""))


def run_import(job: Job) -> dict[str, Any]:
    p = job.params
    kind = get_kind(p["kind"])
    target = None
    if kind.target and p.get("target_key"):
        target = kind.find_target(job.owner, p["target_key"]) if kind.find_target else None
        if target is None:
            raise JobFailed(
                _(
                    "What the file was to be imported into is no longer within your scope; nothing was changed."
                ),
                code="target_gone",
            )
    data = storage.read_upload(p.get("upload", ""))
    if data is None:
        raise JobFailed(_("The uploaded file is no longer kept; upload it again."), code="upload_gone")
    report_progress(READING, 0, 0)
    report = run_kind(
        kind.name, by=job.owner, data=data, filename=p["filename"], dry_run=bool(p["dry_run"]), target=target
    )
    result = report.as_dict()
    result["code"] = report.code
    result["result_url"] = ""
    if report.written:
        result["result_url"] = report.result_url or (kind.result_url(target) if kind.result_url else "")
    return {"result": result, "done": report.rows, "total": report.rows}


_FILENAME = re.compile(r'filename="([^"]+)"')


def replay(job: Job) -> dict[str, Any]:
    """Ask the job's export address as its owner and keep what it answers."""
    path = job.params["path"]
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        raise JobFailed(_("This export no longer exists."), code="not_found") from None
    request = RequestFactory().get(path, HTTP_ACCEPT_LANGUAGE=job.language)
    request.user = job.owner
    request.session = SessionStore()
    request.LANGUAGE_CODE = job.language
    from django_htmx.middleware import HtmxDetails

    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    try:
        with without_report_timeout(), replica_reads():
            response = match.func(request, *match.args, **match.kwargs)
            content = b"".join(response) if response.streaming else response.content
    except (Http404, PermissionDenied):
        raise JobFailed(
            _("This is no longer within what you may export; nothing was built."), code="not_permitted"
        ) from None
    if response.status_code != 200 or "attachment" not in response.get("Content-Disposition", ""):
        raise JobFailed(
            _("The export could not be built (answer %(status)d).") % {"status": response.status_code}
        )
    found = _FILENAME.search(response["Content-Disposition"])
    file_name = found.group(1) if found else f"{job.name}.bin"
    return {
        "file_key": storage.keep_file(content),
        "file_name": file_name,
        "result": {"content_type": response["Content-Type"], "bytes": len(content)},
    }


RUNNERS = {JobKind.IMPORT: run_import, JobKind.EXPORT: replay, JobKind.REPORT: replay}

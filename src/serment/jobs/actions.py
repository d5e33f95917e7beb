"""Starting background jobs. Every job belongs to the user who starts it and runs with
that user's permissions (``runner``); the command line runs its work synchronously and
starts no job.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from serment.core import audit
from serment.core.actors import Actor, is_actor, user_of
from serment.core.errors import Refusal, refuse_if_any

from . import storage
from .models import Job, JobKind, JobStatus


def unfinished_jobs_allowed() -> int:
    return int(getattr(settings, "SERMENT_JOBS_PER_USER", 3))


def check_start_job(*, by: Actor) -> list[Refusal]:
    """May ``by`` start a job now? Only a signed-in user (a job is shown to its owner), and
    with fewer than ``SERMENT_JOBS_PER_USER`` jobs still waiting or running, so that no one
    occupies every worker (issue 13 §8)."""
    if not is_actor(by):
        return [Refusal(code="no_actor", message=_("No one is named as acting; nothing was changed."))]
    if not getattr(by, "pk", None):
        return [
            Refusal(
                code="not_permitted",
                message=_(
                    "Background jobs belong to a signed-in user; the command line runs its work itself."
                ),
            )
        ]
    limit = unfinished_jobs_allowed()
    # a job left "running" by a worker stopped by force counts for a day, not for ever
    since = timezone.now() - dt.timedelta(days=1)
    running = (
        Job.objects.owned_by(by)
        .filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING), created_at__gte=since)
        .count()
    )
    if running >= limit:
        return [
            Refusal(
                code="too_many_jobs",
                message=_("You already have %(n)d jobs waiting or running; wait until one has finished."),
                params={"n": running},
            )
        ]
    return []


def _start(*, by: Actor, kind: str, name: str, title: Any, params: dict[str, Any]) -> Job:
    with transaction.atomic():
        refuse_if_any(check_start_job(by=by))
        job = Job.objects.create(
            owner=user_of(by),
            kind=kind,
            name=name,
            title=str(title)[:300],
            language=get_language() or "en",
            params=params,
        )
        audit.record(
            by=by, action="job.start", target=job, summary=job.title, changes={"kind": kind, "name": name}
        )
    storage.prune()
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job_id=job.pk)
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])


def start_import(
    *,
    by: Actor,
    kind: Any,
    filename: str,
    data: bytes,
    dry_run: bool,
    target_key: str = "",
    target_param: str = "",
) -> Job:
    """Check (``dry_run``) or import an uploaded file in the background. The file is kept
    in the private upload directory until the job has used it."""
    refuse_if_any(check_start_job(by=by))
    key = storage.keep_upload(data)
    try:
        return _start(
            by=by,
            kind=JobKind.IMPORT,
            name=kind.name,
            title=_("Check of %(file)s (%(kind)s)") % {"file": filename, "kind": kind.label}
            if dry_run
            else _("Import of %(file)s (%(kind)s)") % {"file": filename, "kind": kind.label},
            params={
                "kind": kind.name,
                "filename": filename,
                "upload": key,
                "dry_run": dry_run,
                "target_key": target_key,
                "target_param": target_param,
            },
        )
    except BaseException:
        storage.drop_upload(key)
        raise


def check_confirm_import(*, by: Actor, checked: Job) -> list[Refusal]:
    """May the file ``checked`` (a finished dry run) be imported for real?"""
    refusals = check_start_job(by=by)
    if refusals:
        return refusals
    p = checked.params
    if not (
        checked.kind == JobKind.IMPORT
        and checked.status == JobStatus.DONE
        and p.get("dry_run")
        and checked.result.get("ok")
        and storage.read_upload(p.get("upload", "")) is not None
    ):
        return [
            Refusal(code="not_checked", message=_("This checked file is no longer pending; upload it again."))
        ]
    if p.get("confirmed"):
        return [Refusal(code="already_confirmed", message=_("This file has already been imported."))]
    return []


def confirm_import(*, by: Actor, checked: Job, kind: Any) -> Job:
    """Import for real the file that the dry run ``checked`` accepted."""
    with transaction.atomic():
        checked = Job.objects.select_for_update().get(pk=checked.pk)
        refuse_if_any(check_confirm_import(by=by, checked=checked))
        checked.params = {**checked.params, "confirmed": True}
        checked.save(update_fields=["params"])
        p = checked.params
        job = Job.objects.create(
            owner=user_of(by),
            kind=JobKind.IMPORT,
            name=kind.name,
            title=str(_("Import of %(file)s (%(kind)s)") % {"file": p["filename"], "kind": kind.label})[:300],
            language=get_language() or "en",
            params={**p, "dry_run": False, "confirmed": False, "checked_by_job": checked.pk},
        )
        audit.record(by=by, action="job.start", target=job, summary=job.title, changes={"kind": "import"})
    _enqueue(job)
    job.refresh_from_db()
    return job


def start_download(*, by: Actor, kind: str, name: str, title: Any, path: str) -> Job:
    """Build an export (``kind`` export) or a heavy report (``kind`` report) in the
    background: the job asks ``path`` (the page's own export address) as ``by``, so the
    rows, the scope and the audit entry are the page's own."""
    if kind not in (JobKind.EXPORT, JobKind.REPORT) or not path.startswith("/"):
        raise ValueError(kind)
    return _start(by=by, kind=kind, name=name, title=title, params={"path": path})

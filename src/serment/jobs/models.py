"""A background job: an import, a large export or a heavy report that runs in the worker
(django-tasks' database backend) instead of the web request.

A job belongs to the user who started it and to no one else: it is not organisational
data (what it reads or writes is scoped by the owner's own permissions when it runs), so
its one door is ``Job.objects.owned_by(user)``; anyone else's job answers 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobKind(models.TextChoices):
    IMPORT = "import", pgettext_lazy("job kind", "Import")
    EXPORT = "export", pgettext_lazy("job kind", "Export")
    REPORT = "report", pgettext_lazy("job kind", "Report")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def owned_by(self, user: Any) -> JobQuerySet:
        """The jobs ``user`` started (none for an anonymous visitor or the system)."""
        if not getattr(user, "pk", None):
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=10, choices=JobKind.choices)
    # the import kind ("members"), or the export's or report's name ("members", "ratings")
    name = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    language = models.CharField(max_length=10, default="en")
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    phase = models.CharField(max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    file_name = models.CharField(max_length=200, blank=True)  # the download's name
    file_key = models.CharField(max_length=100, blank=True)  # its name in the private directory
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=("owner", "-created_at"), name="jobs_owner_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

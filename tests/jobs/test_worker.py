"""The real path: django-tasks' database backend stores the job's task, and the worker
(`serment db_worker`, what `make run` starts beside gunicorn) runs it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from serment.jobs.models import Job, JobStatus
from serment.members.models import Member
from tests.imports.conftest import member_csv, member_row

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_the_worker_which_runs_it_to_the_end(world, client):
    client.force_login(world.d1_staff)
    with override_settings(TASKS=DATABASE):
        checked = client.post(
            "/imports/members/", {"file": SimpleUploadedFile("m.csv", member_csv(member_row()))}
        )
        job = Job.objects.get()
        assert job.status == JobStatus.QUEUED
        assert 'hx-trigger="every 2s"' in checked.content.decode()
        task = DBTaskResult.objects.get(id=job.task_id)
        assert (task.task_path, task.args_kwargs["kwargs"]) == (
            "serment.jobs.tasks.run_job",
            {"job_id": job.pk},
        )

        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
        )

        job.refresh_from_db()
        assert (job.status, job.result["created"]) == (JobStatus.DONE, 1)
        assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
        polled = client.get(f"/jobs/{job.pk}/status/").content.decode()
        assert "1 record would be created." in polled and "hx-trigger" not in polled

        client.post("/imports/members/", {"confirm": str(job.pk)})
        assert not Member.objects.filter(card_number="T0001").exists()  # waiting for the worker
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
        )
    assert Member.objects.filter(card_number="T0001").count() == 1
    assert list(Job.objects.order_by("pk").values_list("status", flat=True)) == [
        JobStatus.DONE,
        JobStatus.DONE,
    ]

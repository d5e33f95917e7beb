"""A job that fails leaves nothing half-written and tells its owner why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from serment.core.imports import Column, ImportKind, get_kind, register, run_import
from serment.core.roles import Perm
from serment.jobs.models import Job, JobStatus
from serment.organisations import actions as org_actions
from serment.organisations.models import Organisation


def _create_then_break(*, by, rows, dry_run, target=None):
    """Creates the first row's cell through the real action, then fails on the second."""

    def apply_row(row):
        line, values = row
        if line == 3:
            raise RuntimeError("disk full")
        parent = Organisation.objects.get(code="G1")
        org_actions.create_organisation(
            by=by, parent=parent, kind="cell", name=values["name"], code=values["code"]
        )

    return run_import(
        rows=rows, validate=lambda line, values: (line, values), dry_run=dry_run, apply_row=apply_row
    )


@pytest.fixture
def breaking_kind():
    columns = (Column("code", required=True), Column("name", required=True))
    register(
        ImportKind(
            name="breaking", label="Breaking", columns=columns, perm=Perm.IMPORT, run=_create_then_break
        )
    )
    yield get_kind("breaking")
    from serment.core import imports

    imports._KINDS.pop("breaking", None)


def test_a_job_that_fails_half_way_writes_nothing_and_says_why(world, client, breaking_kind, tmp_path):
    client.force_login(world.admin)
    data = b"code,name\nX1,Chi bo X1\nX2,Chi bo X2\n"
    checked = client.post("/imports/breaking/", {"file": SimpleUploadedFile("b.csv", data)})
    job = Job.objects.get()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "job_error")
    assert job.error == "The job stopped on an unexpected error (RuntimeError); nothing was changed."
    assert job.error in checked.content.decode()
    assert not Organisation.objects.filter(code__in=["X1", "X2"]).exists()
    assert list(tmp_path.joinpath("imports").iterdir()) == []


def test_the_runner_refuses_to_run_a_finished_job_again(world):
    from serment.jobs import runner

    job = Job.objects.create(
        owner=world.admin, kind="import", name="members", title="t", status=JobStatus.DONE
    )
    assert runner.run(job.pk) == JobStatus.DONE
    job.refresh_from_db()
    assert job.started_at is None

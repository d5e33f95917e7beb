"""Every kind of import on /imports/ becomes a background job of that kind, owned by the
uploader, whose result the page shows (the dry run of the kind's own template)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from serment.core.imports import kinds, template_csv
from serment.jobs.models import Job, JobStatus

NEEDS_A_CAMPAIGN = {"paper-campaigns"}


@pytest.mark.parametrize("name", [k.name for k in kinds() if k.name not in NEEDS_A_CAMPAIGN])
def test_an_upload_of_every_kind_runs_as_a_job(world, client, name):
    kind = next(k for k in kinds() if k.name == name)
    user = world.inspector if name in ("discipline", "cases") else world.admin
    client.force_login(user)
    url = f"/imports/{name}/" + (f"?org={world.P.pk}" if kind.target == "organisation" else "")
    page = client.post(url, {"file": SimpleUploadedFile(f"{name}.csv", template_csv(kind, vietnamese=False))})
    job = Job.objects.get()
    assert (job.owner, job.kind, job.name, job.status, job.params["dry_run"]) == (
        user,
        "import",
        name,
        JobStatus.DONE,
        True,
    )
    assert page.context["report"].rows == job.result["rows"] == (1 if kind.example else 0)
    assert page.context["job"] == job

"""Large XLSX exports build in a job; only its owner downloads the file (issue 13 §8).
CSV keeps streaming from the request, and a small XLSX stays in the request."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from serment.core.models import AuditEntry
from serment.jobs.models import Job, JobStatus
from serment.members.models import Member


def _sheet_rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


def test_a_member_xlsx_above_the_threshold_is_built_by_a_job_for_its_owner_only(world, client, settings):
    settings.SERMENT_EXPORT_JOB_ROWS = 1
    client.force_login(world.d1_staff)
    response = client.get(reverse("members:export"), {"format": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert (job.kind, job.name, job.status) == ("export", "members", JobStatus.DONE)
    assert job.title == "Member export (XLSX, 2 members)"

    page = client.get(response.url).content.decode()
    assert f'href="/jobs/{job.pk}/download/"' in page
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download["Content-Disposition"].startswith('attachment; filename="members-')
    rows = _sheet_rows(b"".join(download.streaming_content))
    visible = set(Member.objects.visible_to(world.d1_staff).values_list("card_number", flat=True))
    assert {r[0] for r in rows[1:]} == visible
    assert len(visible) == 2
    # the job's export is in the audit history, as the owner's
    assert AuditEntry.objects.filter(action="export.members", actor=world.d1_staff).count() == 1

    for other in (world.admin, world.outsider, world.leader):
        client.force_login(other)
        assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_small_xlsx_and_every_csv_stay_in_the_request(world, client, settings):
    settings.SERMENT_EXPORT_JOB_ROWS = 2
    client.force_login(world.d1_staff)
    small = client.get(reverse("members:export"), {"format": "xlsx"})
    assert small["Content-Type"].startswith("application/vnd.openxmlformats")
    settings.SERMENT_EXPORT_JOB_ROWS = 0
    streamed = client.get(reverse("members:export"), {"format": "csv"})
    assert streamed.streaming and b"Alice" in b"".join(streamed.streaming_content)
    assert Job.objects.count() == 0


def test_a_report_xlsx_for_a_large_scope_is_built_by_a_job(world, client, settings):
    settings.SERMENT_EXPORT_JOB_ROWS = 1
    client.force_login(world.d1_staff)
    url = reverse("admissions:export") + f"?org={world.D1.pk}&year=2023&format=xlsx"
    response = client.get(url)
    job = Job.objects.get()
    assert (response.url, job.name, job.status, job.params["path"]) == (
        f"/jobs/{job.pk}/",
        "admissions",
        JobStatus.DONE,
        url,
    )
    settings.SERMENT_EXPORT_JOB_ROWS = 1000
    in_request = client.get(url)
    assert job.file_name == "admissions-D1-2023.xlsx"
    download = client.get(f"/jobs/{job.pk}/download/")
    assert _sheet_rows(b"".join(download.streaming_content))[:3] == _sheet_rows(in_request.content)[:3]


def test_a_job_whose_export_left_the_owners_scope_fails_and_says_so(world, client, settings):
    from django.test import override_settings

    from serment.jobs import actions, runner

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        job = actions.start_download(
            by=world.d1_staff,
            kind="export",
            name="admissions",
            title="t",
            path=reverse("admissions:export") + f"?org={world.D2.pk}&year=2023&format=xlsx",
        )
    assert runner.run(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert (job.error_code, job.file_key) == ("not_permitted", "")
    assert job.error == "This is no longer within what you may export; nothing was built."

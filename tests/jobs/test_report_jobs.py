"""A report stopped by the statement timeout offers to run as a job; the job runs it
without the timeout, as the user, and its page shows the figures (issue 16, last point)."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from serment.jobs.models import Job, JobStatus


def _csv_rows(data: bytes) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_report_run_as_a_job_shows_the_figures_of_the_page(world, client):
    client.force_login(world.d1_staff)
    path = reverse("admissions:export") + f"?org={world.D1.pk}&year=2023&format=csv"
    response = client.post(reverse("jobs:start_report"), {"path": path, "title": "Admissions 2023: D1"})
    job = Job.objects.get()
    assert (response.url, job.kind, job.name, job.status, job.title) == (
        f"/jobs/{job.pk}/",
        "report",
        "admissions",
        JobStatus.DONE,
        "Admissions 2023: D1",
    )
    expected = _csv_rows(client.get(path).content)
    page = client.get(response.url)
    assert page.context["table"] == expected
    assert f"<td>{expected[1][1]}</td>" in page.content.decode()


@pytest.mark.parametrize("path", ["/members/", "https://evil.example/", "/nowhere/", ""])
def test_only_the_report_addresses_run_as_jobs(world, client, path):
    client.force_login(world.d1_staff)
    assert client.post(reverse("jobs:start_report"), {"path": path}).status_code == 404
    assert Job.objects.count() == 0


def test_a_report_outside_the_scope_fails_without_a_file(world, client):
    client.force_login(world.d1_staff)
    path = reverse("admissions:export") + f"?org={world.D2.pk}&year=2023&format=csv"
    client.post(reverse("jobs:start_report"), {"path": path})
    job = Job.objects.get()
    assert (job.status, job.error_code, job.file_key) == (JobStatus.FAILED, "not_permitted", "")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_report_that_times_out_offers_the_job_which_runs_it_to_the_end(world, client, settings):
    """PostgreSQL: another session holds a lock on the candidate table, so the report
    waits until its statement timeout stops it, for real."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no statement timeout")
    import psycopg

    settings.SERMENT_REPORT_TIMEOUT_MS = 300
    client.force_login(world.d1_staff)
    url = reverse("admissions:index") + f"?org={world.D1.pk}&year=2023"
    assert client.get(url).status_code == 200  # warm: the first request loads templates and URLs
    params = connection.get_connection_params()
    blocker = psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=False)
    blocker.execute("LOCK TABLE admissions_candidate IN ACCESS EXCLUSIVE MODE")
    # the lock goes after 5 s, long after the report's timeout, should anything else wait on it
    release = threading.Timer(5.0, blocker.rollback)
    release.start()
    try:
        page = client.get(url)
    finally:
        release.join()
        blocker.close()
    assert page.status_code == 503
    body = page.content.decode()
    assert "This report took longer than 1 s and was stopped." in body
    assert 'action="/jobs/report/"' in body and "Run it in the background" in body
    path = page.context["path"]
    assert path == reverse("admissions:export") + f"?org={world.D1.pk}&year=2023&format=csv"

    started = client.post(reverse("jobs:start_report"), {"path": path, "title": page.context["report_title"]})
    job = Job.objects.get()
    assert (started.url, job.status) == (f"/jobs/{job.pk}/", JobStatus.DONE)
    assert client.get(started.url).context["table"] == _csv_rows(client.get(path).content)

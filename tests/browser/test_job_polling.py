"""In Chromium: a job's page follows the job by itself (htmx polling, under the CSP that
forbids inline scripts) and shows the result when the worker has finished it."""

import pytest
from django.test import override_settings

from serment.core.imports import get_kind
from serment.jobs import actions, runner
from tests.browser.conftest import sign_in
from tests.imports.conftest import member_csv, member_row

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_job_page_shows_the_result_once_the_worker_has_run_it(live_server, open_page, world):
    with override_settings(TASKS=DUMMY):
        job = actions.start_import(
            by=world.d1_staff,
            kind=get_kind("members"),
            filename="m.csv",
            data=member_csv(member_row()),
            dry_run=True,
        )
    page = open_page("desktop")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server, "d1_staff")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert page.locator(".job-state").inner_text().strip() == "Waiting for the worker"

    runner.run(job.pk)  # the worker's part

    page.wait_for_selector("text=1 record would be created.", timeout=15_000)
    assert page.locator(".job-state").inner_text().strip() == "Done"
    assert page.locator("button", has_text="Confirm: import for real").count() == 1
    assert violations == []

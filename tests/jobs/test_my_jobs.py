"""My jobs: each user sees their own jobs only (anyone else's answer 404), follows a
running job by polling (htmx, no inline script) and may not start more than a few."""

import pytest
from django.test import override_settings

from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.jobs import actions, runner
from serment.jobs.models import Job, JobStatus
from serment.members.models import Member
from tests.imports.conftest import member_csv, member_row

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _queued_import(world, user=None):
    """A checked file's job left waiting for the worker (the dummy backend runs nothing)."""
    from serment.core.imports import get_kind

    with override_settings(TASKS=DUMMY):
        return actions.start_import(
            by=user or world.d1_staff,
            kind=get_kind("members"),
            filename="m.csv",
            data=member_csv(member_row()),
            dry_run=True,
        )


def test_the_menu_leads_to_my_jobs_which_lists_only_mine(world, client):
    mine = _queued_import(world)
    theirs = _queued_import(world, world.admin)
    client.force_login(world.d1_staff)
    assert 'href="/jobs/"' in client.get("/").content.decode()
    page = client.get("/jobs/")
    assert [j.pk for j in page.context["jobs"]] == [mine.pk]
    assert f'href="/jobs/{theirs.pk}/"' not in page.content.decode()


@pytest.mark.parametrize("suffix", ["", "status/", "download/", "errors.csv"])
def test_another_users_job_is_not_found(world, client, suffix):
    job = _queued_import(world)
    for user in (world.admin, world.g1_staff, world.alice_user):
        client.force_login(user)
        assert client.get(f"/jobs/{job.pk}/{suffix}").status_code == 404


def test_a_waiting_job_is_polled_until_it_has_finished(world, client):
    job = _queued_import(world)
    client.force_login(world.d1_staff)
    waiting = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert f'hx-get="/jobs/{job.pk}/status/" hx-trigger="every 2s"' in waiting
    assert "Waiting for the worker" in waiting
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "<script>" not in page  # the CSP forbids inline scripts: htmx attributes only

    assert runner.run(job.pk) == JobStatus.DONE

    done = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in done
    assert "1 record would be created." in done
    assert not Member.objects.filter(card_number="T0001").exists()


def test_a_running_job_shows_its_progress(world, client):
    job = _queued_import(world)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, phase="checking", done=1500, total=6000)
    client.force_login(world.d1_staff)
    page = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert '<progress max="100" value="25">' in page
    assert "checking the rows" in page and "1500 of 6000 rows" in page


def test_the_system_starts_no_job_and_a_user_at_most_three_at_once(world):
    assert [r.code for r in actions.check_start_job(by=SYSTEM)] == ["not_permitted"]
    assert [r.code for r in actions.check_start_job(by=None)] == ["no_actor"]
    for _ in range(3):
        _queued_import(world)
    assert [r.code for r in actions.check_start_job(by=world.d1_staff)] == ["too_many_jobs"]
    with pytest.raises(Refused) as refused:
        _queued_import(world)
    assert refused.value.codes == ["too_many_jobs"]
    assert actions.check_start_job(by=world.admin) == []

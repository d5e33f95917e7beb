"""An upload on /imports/ becomes a background job: the page follows it, shows its
result, and the confirmation runs the real import in a second job (issue 14 goal 5)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from serment.core.models import AuditEntry
from serment.jobs.models import Job, JobStatus
from serment.members.models import Member
from tests.imports.conftest import member_csv, member_row


def _upload(client, rows, kind="members"):
    return client.post(f"/imports/{kind}/", {"file": SimpleUploadedFile("m.csv", member_csv(*rows))})


def test_an_upload_is_checked_in_a_job_of_its_owner_and_writes_nothing(world, client, tmp_path):
    client.force_login(world.d1_staff)
    page = _upload(client, [member_row()])
    job = Job.objects.get()
    assert (job.owner, job.kind, job.name, job.status, job.params["dry_run"]) == (
        world.d1_staff,
        "import",
        "members",
        JobStatus.DONE,
        True,
    )
    assert (job.result["ok"], job.result["created"], job.done, job.total) == (True, 1, 1, 1)
    assert page.context["token"] == str(job.pk)
    assert "1 record would be created." in page.content.decode()
    assert not Member.objects.filter(card_number="T0001").exists()
    # the checked file waits in the private directory for the confirmation
    assert len(list(tmp_path.joinpath("imports").iterdir())) == 1


def test_the_confirmation_imports_in_a_second_job_and_removes_the_file(world, client, tmp_path):
    client.force_login(world.d1_staff)
    checked = _upload(client, [member_row()])
    done = client.post("/imports/members/", {"confirm": checked.context["token"]})
    real = Job.objects.filter(params__dry_run=False).get()
    assert (real.status, real.result["created"], real.result["result_url"]) == (
        JobStatus.DONE,
        1,
        "/members/",
    )
    assert Member.objects.filter(card_number="T0001").count() == 1
    assert "1 record created." in done.content.decode()
    assert list(tmp_path.joinpath("imports").iterdir()) == []
    assert list(
        AuditEntry.objects.filter(action="job.start", actor=world.d1_staff)
        .order_by("pk")
        .values_list("summary", flat=True)
    ) == ["Check of m.csv (Members (a register))", "Import of m.csv (Members (a register))"]


def test_a_checked_file_is_imported_once(world, client):
    client.force_login(world.d1_staff)
    checked = _upload(client, [member_row()])
    client.post("/imports/members/", {"confirm": checked.context["token"]})
    again = client.post("/imports/members/", {"confirm": checked.context["token"]})
    assert again.context["expired"] is True
    assert Member.objects.filter(card_number="T0001").count() == 1


def test_no_one_confirms_another_users_checked_file(world, client):
    client.force_login(world.d1_staff)
    checked = _upload(client, [member_row()])
    client.force_login(world.admin)
    page = client.post("/imports/members/", {"confirm": checked.context["token"]})
    assert page.context["expired"] is True
    assert not Member.objects.filter(card_number="T0001").exists()


def test_a_refused_file_shows_every_error_from_the_job_and_keeps_no_file(world, client, tmp_path):
    client.force_login(world.d1_staff)
    page = _upload(client, [member_row(cell="C3"), member_row(card="T0002", cid="060080000002", cell="ZZ")])
    job = Job.objects.get()
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [(2, "cell_code"), (3, "cell_code")]
    assert "token" not in page.context
    errors = client.get(page.context["errors_url"])
    assert errors.content.decode("utf-8-sig").splitlines()[1].startswith("2,cell_code,")
    assert list(tmp_path.joinpath("imports").iterdir()) == []


def test_the_job_page_shows_the_import_result_in_the_owners_language(world, client):
    client.force_login(world.d1_staff)
    _upload(client, [member_row()])
    job = Job.objects.get()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "1 record would be created." in page
    assert f'<input type="hidden" name="confirm" value="{job.pk}">' in page
    assert 'action="/imports/members/"' in page

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from serment.members.models import Member

from .conftest import member_csv, member_row


def test_upload_shows_the_dry_run_then_confirm_imports(world, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(world.d1_staff)
    upload = SimpleUploadedFile("m.csv", member_csv(member_row()))

    page = client.post("/members/import/", {"file": upload})

    assert page.context["report"].created == 1
    assert Member.objects.filter(card_number="T0001").count() == 0
    token = page.context["token"]

    done = client.post("/members/import/", {"confirm": token})

    assert (done.context["report"].dry_run, done.context["report"].created) == (False, 1)
    assert Member.objects.filter(card_number="T0001").count() == 1
    assert list(tmp_path.joinpath("imports").iterdir()) == []


def test_a_refused_file_shows_the_error_table_and_no_confirm_button(world, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(world.d1_staff)
    page = client.post(
        "/members/import/", {"file": SimpleUploadedFile("m.csv", member_csv(member_row(cell="C3")))}
    )
    assert [(row, column) for row, column, _message in page.context["errors"]] == [(2, "cell_code")]
    assert "token" not in page.context
    assert "<tr><td>2</td><td>cell_code</td>" in page.content.decode()


def test_organisation_import_page_checks_a_file(world, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(world.admin)
    data = b"code,name,kind,parent_code\nX,Chi bo X,cell,G1\n"
    page = client.post(
        "/org/import/", {"file": SimpleUploadedFile("o.csv", data)}, headers={"Accept-Language": "en"}
    )
    assert (page.context["report"].created, page.context["report"].breakdown) == (1, {"Cell": 1})


def test_users_without_the_import_permission_get_403(world, client):
    for user in (world.leader, world.secretary, world.alice_user):
        client.force_login(user)
        assert client.get("/members/import/").status_code == 403
        assert client.get("/org/import/").status_code == 403


def test_the_member_export_link_keeps_the_filters_and_the_scope(world, client):
    client.force_login(world.leader)
    response = client.get("/members/export/", {"format": "csv", "q": "Alice"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [r["full_name"] for r in rows] == ["Trần Thị Alice"]


def test_exporting_an_organisation_outside_the_scope_is_404(world, client):
    client.force_login(world.d1_staff)
    assert client.get("/members/export/", {"org": world.G2.pk}).status_code == 404
    assert client.get("/org/export/", {"org": world.G2.pk}).status_code == 404


def test_a_plain_member_cannot_export(world, client):
    client.force_login(world.alice_user)
    assert client.get("/members/export/").status_code == 403


def test_the_member_list_links_to_the_export_with_its_filters(world, client):
    client.force_login(world.d1_staff)
    page = client.get("/members/", {"q": "Bob", "page": "1"}).content.decode()
    assert 'href="/members/export/?q=Bob&amp;format=csv"' in page


def test_the_member_export_does_not_query_per_member(world, client, django_assert_max_num_queries):
    from tests import factories as f

    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        client.get("/members/export/", {"format": "csv"})
    for _ in range(5):
        f.member(world.C1)
    with django_assert_max_num_queries(12):
        response = client.get("/members/export/", {"format": "csv"})
        rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 8

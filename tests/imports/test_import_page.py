"""The one import page (issue 12 item 10): every kind, the format and a template
inside the app, every error in the file's own column names, an error file, a link
to what was imported."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from serment.core.imports import kinds
from serment.members.models import Member

from .conftest import csv_bytes, member_csv, member_row


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    cache.clear()


def test_the_menu_leads_to_every_kind_the_user_may_import_including_organisations(world, client):
    client.force_login(world.d1_staff)
    home = client.get("/").content.decode()
    assert 'href="/imports/"' in home
    page = client.get("/imports/").content.decode()
    for name in ("organisations", "members", "promises", "ratings", "targets"):
        assert f'href="/imports/{name}/"' in page
    assert 'href="/imports/organisations/template.csv?headers=vi"' in page


def test_the_format_help_is_rendered_from_the_column_declarations(world, client):
    client.force_login(world.d1_staff)
    page = client.get("/imports/members/", headers={"Accept-Language": "en"}).content.decode()
    assert "<code>date_of_birth</code>" in page and "Ngày sinh" in page
    assert "date: YYYY-MM-DD or DD/MM/YYYY" in page
    assert "at most 200 characters" in page  # destination


def test_a_txt_file_is_refused_on_the_page_as_only_csv_and_xlsx(world, client):
    client.force_login(world.d1_staff)
    page = client.post(
        "/imports/members/",
        {"file": SimpleUploadedFile("m.txt", member_csv(member_row()))},
        headers={"Accept-Language": "en"},
    )
    assert "Only .csv and .xlsx files can be imported." in page.content.decode()
    assert "token" not in page.context


def test_errors_are_shown_in_the_files_vietnamese_column_names_and_downloadable(world, client):
    client.force_login(world.d1_staff)
    data = csv_bytes(
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Mã chi bộ"],
            ["Nguyễn Văn An", "31/02/1980", "không rõ", "2005-05-19", "C1"],
        ]
    )
    page = client.post("/imports/members/", {"file": SimpleUploadedFile("m.csv", data)})
    assert [(row, column) for row, column, _m in page.context["errors"]] == [
        (2, "Ngày sinh"),
        (2, "Giới tính"),
    ]
    assert "<td>Ngày sinh</td>" in page.content.decode()
    errors = client.get(page.context["errors_url"])
    rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert [r[:2] for r in rows[1:]] == [["2", "Ngày sinh"], ["2", "Giới tính"]]


def test_the_confirmed_import_links_to_what_was_imported(world, client):
    client.force_login(world.d1_staff)
    checked = client.post(
        "/imports/members/", {"file": SimpleUploadedFile("m.csv", member_csv(member_row()))}
    )
    assert not Member.objects.filter(card_number="T0001").exists()
    done = client.post("/imports/members/", {"confirm": checked.context["token"]})
    assert Member.objects.filter(card_number="T0001").exists()
    assert 'href="/members/"' in done.content.decode() and done.context["result_url"] == "/members/"


def test_the_organisation_import_links_to_the_new_branch(world, client):
    client.force_login(world.admin)
    data = b"code,name,kind,parent_code\nX1,Chi bo X,cell,G1\n"
    checked = client.post("/imports/organisations/", {"file": SimpleUploadedFile("o.csv", data)})
    done = client.post("/imports/organisations/", {"confirm": checked.context["token"]})
    from serment.organisations.models import Organisation

    assert done.context["result_url"] == f"/org/{Organisation.objects.get(code='X1').pk}/"


@pytest.mark.parametrize("kind", [k.name for k in kinds()])
def test_every_kind_offers_a_template_with_vietnamese_or_english_headers(world, client, kind):
    from serment.core.imports import get_kind, may_import

    user = world.admin if may_import(world.admin, get_kind(kind)) else world.inspector
    client.force_login(user)
    columns = get_kind(kind).columns
    for headers, expected in (("vi", [c.vietnamese for c in columns]), ("en", [c.key for c in columns])):
        response = client.get(f"/imports/{kind}/template.csv", {"headers": headers})
        assert response.status_code == 200
        assert next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == expected


def test_a_template_reads_back_through_the_importer(world, client):
    client.force_login(world.admin)
    template = client.get("/imports/organisations/template.csv", {"headers": "vi"}).content
    data = template.replace(b"BT.01.99", b"X2").replace(b"BT.01", b"G1")
    page = client.post("/imports/organisations/", {"file": SimpleUploadedFile("o.csv", data)})
    assert page.context["report"].ok, page.context["report"].errors


def test_a_kind_imported_into_a_campaign_asks_for_it_and_hides_other_scopes(world, client):
    client.force_login(world.d1_staff)
    page = client.get("/imports/paper-campaigns/")
    assert page.status_code == 200 and page.context["needs_target"]
    assert client.get("/imports/paper-campaigns/", {"campaign": "999999"}).status_code == 404
    assert client.get("/imports/paper-campaigns/", {"campaign": "²"}).status_code == 404


def test_unknown_kinds_are_404_and_roles_without_the_kind_403(world, client):
    client.force_login(world.d1_staff)
    assert client.get("/imports/nothing/").status_code == 404
    client.force_login(world.leader)
    assert client.get("/imports/members/").status_code == 403
    assert client.get("/imports/").status_code == 403

"""Exports carry headers and values in the reader's language (no ``full_name``,
``female``, ``exempt``), and the member import reads them back."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from serment.core import exports
from serment.core.actors import SYSTEM
from serment.members import actions
from serment.members.exporters import header, member_rows
from serment.members.importers import import_members
from serment.members.models import ActivityPeriod, Member
from serment.organisations.exporters import HEADER as ORG_HEADER
from serment.organisations.exporters import organisation_rows
from serment.organisations.importers import import_organisations
from tests.imports.test_export import _empty_the_tree


@pytest.fixture
def exempt_bob(world):
    actions.exempt_member(
        by=SYSTEM, member=world.bob, on=dt.date(2023, 1, 10), reason="illness", until=dt.date(2023, 9, 1)
    )
    return world


def test_the_vietnamese_export_reads_as_users_file_it(client, exempt_bob):
    client.force_login(exempt_bob.admin)
    response = client.get(reverse("members:export"), {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="vi")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    bob = next(r for r in rows if r["Họ và tên"] == "Lê Văn Bob")
    alice = next(r for r in rows if r["Họ và tên"] == "Trần Thị Alice")
    assert (alice["Giới tính"], bob["Giới tính"]) == ("Nữ", "Nam")
    assert bob["Trạng thái"] == "Miễn công tác và sinh hoạt đảng" and bob["Lý do"] == "Ốm đau"
    assert "full_name" not in rows[0]


def test_the_xlsx_export_has_real_dates(exempt_bob):
    wb = load_workbook(io.BytesIO(exports.to_xlsx(header("fr"), member_rows(viewer=SYSTEM, language="fr"))))
    head = [c.value for c in next(wb.active.iter_rows(max_row=1))]
    first = next(wb.active.iter_rows(min_row=2))
    assert "Nom complet" in head and "Sexe" in head
    assert isinstance(first[head.index("Date de naissance")].value, dt.datetime)


@pytest.mark.parametrize("language", ["vi", "fr", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_in_any_language_reimports(exempt_bob, language, fmt):
    org_file = exports.render(fmt, ORG_HEADER, organisation_rows(viewer=SYSTEM))
    member_file = exports.render(fmt, header(language), member_rows(viewer=SYSTEM, language=language))
    before = sorted(member_rows(viewer=SYSTEM))
    _empty_the_tree()
    orgs = import_organisations(by=SYSTEM, data=org_file, filename=f"o.{fmt}", dry_run=False)
    members = import_members(by=SYSTEM, data=member_file, filename=f"m.{fmt}", dry_run=False)
    assert (orgs.errors, members.errors, members.created) == ([], [], 3)
    assert sorted(member_rows(viewer=SYSTEM)) == before
    assert ActivityPeriod.objects.get(member__full_name="Lê Văn Bob").reason == "illness"
    assert Member.objects.get(full_name="Trần Thị Alice").sex == "female"

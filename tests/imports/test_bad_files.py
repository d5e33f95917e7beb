"""The bad-file suite, every kind: each refused file gives a clear error and writes
0 rows (issue 13 items 5 and 6, issue 12 item 10)."""

import io
import struct
import zipfile

import pytest
from django.core.cache import cache

from serment.core.actors import SYSTEM
from serment.core.bulk import insert_rows
from serment.core.errors import DomainError
from serment.core.imports import RowError, kinds, run_kind
from serment.members.importers import import_members
from serment.members.models import Member
from serment.organisations.importers import import_organisations

from .conftest import member_csv, member_row, xlsx_bytes

ZWSP = "\u200b"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def refused(world, counts):
    """Run kind ``kind`` for real as the district staff (or ``by``); assert 0 rows were
    written; return the report."""

    def run(data: bytes, filename: str = "m.csv", kind: str = "members", by=None, dry_run=False):
        before = counts()
        report = run_kind(kind, by=by or world.d1_staff, data=data, filename=filename, dry_run=dry_run)
        assert counts() == before
        assert report.created == 0 and not report.ok
        return report

    return run


def test_a_txt_file_is_refused_as_not_csv_or_xlsx(refused):
    report = refused(member_csv(member_row()), filename="register.txt")
    assert (report.code, report.errors) == (
        "wrong_type",
        [RowError(0, "", "Only .csv and .xlsx files can be imported.")],
    )


def test_one_invalid_utf8_byte_refuses_the_file_instead_of_guessing_a_code_page(refused):
    data = member_csv(member_row(), member_row(name="Lê Thị Ánh", card="T2", cid="0602"))
    data = data.replace("Ánh".encode(), b"\xc1nh")  # a Windows-1258 byte in a UTF-8 file
    report = refused(data)
    assert report.code == "not_utf8"
    assert "line 3" in report.errors[0].message and "UTF-8" in report.errors[0].message


def test_an_unclosed_quote_is_a_csv_syntax_error_on_its_line(refused):
    data = member_csv(member_row()) + b'"Ng\xc3\xb4 V\xc4\x83n B,1980-01-01,male,2005-05-19,,C1,T9,0609\n'
    report = refused(data)
    assert report.code == "csv_syntax"
    assert report.errors[0].row == 0
    assert report.errors[0].message.startswith("CSV syntax error on line 3")


def test_a_card_number_with_a_zero_width_character_is_the_same_card_number(refused):
    report = refused(member_csv(member_row(card="T0001"), member_row(card=f"T0{ZWSP}001", cid="0602")))
    assert [(e.row, e.column) for e in report.errors] == [(2, "card_number"), (3, "card_number")]
    assert "also on line" in report.errors[0].message


def test_a_zero_width_copy_of_an_existing_card_number_is_refused(world, refused):
    report = refused(member_csv(member_row(card=world.alice.card_number + ZWSP)))
    assert report.errors == [
        RowError(
            2, "card_number", f"The Party card number {world.alice.card_number} belongs to another member."
        )
    ]


def test_names_are_stored_in_nfc_without_invisible_characters(world):
    decomposed = "Nguye\u0302\u0303n\u00a0Va\u0306n An" + ZWSP  # NFD, a no-break space, a ZWSP
    report = import_members(
        by=world.d1_staff, data=member_csv(member_row(name=decomposed)), filename="m.csv", dry_run=False
    )
    assert report.written
    assert Member.objects.get(card_number="T0001").full_name == "Nguyễn Văn An"


def test_text_past_its_field_length_is_refused_on_its_row(refused):
    row = member_row(
        state="transferred_out",
        state_since="2023-01-01",
        state_until="2023-06-01",
        state_reason="work",
        destination="x" * 10_000,
        document_ref="y" * 5_000,
    )
    report = refused(member_csv(row))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "destination", "At most 200 characters (this has 10000)."),
        (2, "document_ref", "At most 100 characters (this has 5000)."),
    ]


def test_the_bulk_inserter_refuses_text_past_its_field_length(world):
    with pytest.raises(DomainError) as exc:
        insert_rows(Member, ["full_name", "sex"], [("x" * 121, "male")])
    assert (exc.value.code, exc.value.field) == ("too_long", "full_name")
    assert not Member.objects.filter(sex="male", full_name__startswith="xxx").exists()


@pytest.mark.parametrize("code", ['X"1', "X\n1", "X 1", "X'1", "X<1>"])
def test_organisation_codes_with_quotes_line_breaks_or_spaces_are_refused(world, counts, code):
    from .conftest import csv_bytes

    before = counts()
    data = csv_bytes([["code", "name", "kind", "parent_code"], [code, "Chi bộ X", "cell", "G1"]])
    report = import_organisations(by=world.admin, data=data, filename="o.csv", dry_run=False)
    assert counts() == before
    assert [(e.row, e.column) for e in report.errors] == [(2, "code")]
    assert "not a valid code" in report.errors[0].message


def _declaring(data: bytes, member: str, size: int) -> bytes:
    """The same workbook whose zip directory declares ``member`` ``size`` bytes long."""
    raw = bytearray(data)
    at = 0
    while (at := raw.find(b"PK\x01\x02", at)) != -1:
        name_len = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + name_len].decode() == member:
            struct.pack_into("<I", raw, at + 24, size)
        at += 4
    return bytes(raw)


def test_an_xlsx_declaring_a_huge_unpacked_size_is_refused_before_it_is_inflated(refused):
    good = xlsx_bytes([["full_name"], ["A"]])
    bomb = _declaring(good, "xl/worksheets/sheet1.xml", 280 * 1024 * 1024)
    assert (
        zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet1.xml").file_size == 280 * 1024 * 1024
    )
    report = refused(bomb, filename="big.xlsx")
    assert report.code == "xlsx_too_large"
    assert report.errors[0].message == "The workbook is too large once unpacked (280 MB; at most 100 MB)."


@pytest.mark.parametrize("kind", [k.name for k in kinds()])
def test_one_size_limit_for_every_kind(refused, settings, world, kind):
    settings.SERMENT_MAX_IMPORT_BYTES = 1024
    report = refused(b"x" * 1025, filename="big.csv", kind=kind, by=SYSTEM)
    assert (report.code, report.errors[0].message) in {
        ("too_large", "The file is larger than 0 MB."),
        ("no_target", report.errors[0].message),  # kinds imported into a campaign or organisation
    }


def test_every_problem_of_a_row_is_reported_not_only_the_first(refused):
    row = member_row(name="", date_of_birth="31/02/1980", sex="maybe", cell="C 1")
    report = refused(member_csv(row))
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "full_name"),
        (2, "date_of_birth"),
        (2, "sex"),
        (2, "cell_code"),
    ]


def test_a_citizen_id_held_outside_the_scope_is_not_located(world, refused):
    report = refused(member_csv(member_row(cid=world.carol.citizen_id)), dry_run=True)
    (error,) = report.errors
    assert error.column == "citizen_id"
    assert "already registered elsewhere" in error.message
    assert world.carol.full_name not in error.message and "C3" not in error.message


def test_a_citizen_id_held_inside_the_scope_is_named_as_taken(world, refused):
    report = refused(member_csv(member_row(cid=world.alice.citizen_id)), dry_run=True)
    assert "belongs to another member" in report.errors[0].message


def test_dry_runs_are_rate_limited_per_user(world, settings, counts):
    settings.SERMENT_IMPORT_DRY_RUNS_PER_HOUR = 2
    data = member_csv(member_row())
    reports = [
        run_kind("members", by=world.d1_staff, data=data, filename="m.csv", dry_run=True) for _ in range(3)
    ]
    assert [r.ok for r in reports] == [True, True, False]
    assert reports[2].code == "too_many_dry_runs"
    other = run_kind("members", by=world.admin, data=data, filename="m.csv", dry_run=True)
    assert other.ok  # the limit is per user
    assert run_kind("members", by=SYSTEM, data=data, filename="m.csv", dry_run=True).ok


def test_a_user_whose_role_allows_the_kind_nowhere_is_refused(world, refused):
    report = refused(member_csv(member_row()), by=world.leader)
    assert report.code == "not_permitted"

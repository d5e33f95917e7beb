"""Every kind of bad member file gives a per-row (or whole-file) error and writes nothing."""

import io
import zipfile

import pytest

from serment.core.imports import RowError
from serment.members.importers import import_members

from .conftest import member_csv, member_row, xlsx_bytes


@pytest.fixture
def refused(world, counts):
    """Import as the district staff; assert nothing was written; return the errors."""

    def run(data: bytes, filename: str = "m.csv", by=None):
        before = counts()
        report = import_members(by=by or world.d1_staff, data=data, filename=filename, dry_run=False)
        assert counts() == before
        assert report.created == 0
        return report.errors

    return run


def test_a_missing_required_field_is_refused_on_its_line(refused):
    errors = refused(member_csv(member_row(), member_row(name="", card="T2", cid="0602")))
    assert errors == [RowError(3, "full_name", "This column is required.")]


def test_an_unknown_organisation_is_refused(refused):
    errors = refused(member_csv(member_row(cell="NOPE")))
    assert errors == [RowError(2, "cell_code", "No organisation has the code NOPE.")]


def test_a_cell_outside_the_users_scope_reads_as_unknown(refused):
    errors = refused(member_csv(member_row(), member_row(cell="C3", card="T2", cid="0602")))
    assert errors == [RowError(3, "cell_code", "No organisation has the code C3.")]


def test_an_organisation_that_is_not_a_cell_is_refused(refused):
    errors = refused(member_csv(member_row(cell="G1")))
    assert errors == [
        RowError(2, "cell_code", "Đảng bộ xã 1 is not a cell: members belong to cells and grassroots cells.")
    ]


def test_a_bad_date_is_refused(refused):
    errors = refused(member_csv(member_row(date_of_birth="31/02/1980")))
    assert errors == [
        RowError(2, "date_of_birth", "“31/02/1980” is not a date (use YYYY-MM-DD or DD/MM/YYYY).")
    ]


def test_a_card_number_already_in_the_database_is_refused(world, refused):
    errors = refused(member_csv(member_row(card=world.alice.card_number)))
    assert errors == [
        RowError(
            2, "card_number", f"The Party card number {world.alice.card_number} belongs to another member."
        )
    ]


def test_a_card_number_twice_in_the_file_names_both_lines(refused):
    errors = refused(
        member_csv(
            member_row(card="T1"),
            member_row(name="B", card="X", cid="0699"),
            member_row(card="T1", cid="0603"),
        )
    )
    assert errors == [
        RowError(2, "card_number", "The Party card number T1 is also on line 4."),
        RowError(4, "card_number", "The Party card number T1 is also on line 2."),
    ]


def test_an_age_exemption_of_a_member_too_young_is_refused(refused):
    errors = refused(member_csv(member_row(state="exempt", state_since="2020-01-01", state_reason="age")))
    assert errors == [
        RowError(2, "state_reason", "Exemption for age needs an age over 60; Nguyễn Văn An is 39.")
    ]


def test_a_temporary_transfer_of_a_year_or_more_is_refused(refused):
    errors = refused(
        member_csv(
            member_row(
                state="transferred_out",
                state_since="2023-01-01",
                state_until="2024-01-01",
                destination="Hà Nội",
            )
        )
    )
    assert errors == [
        RowError(2, "state_until", "A temporary transfer lasts under 12 months; use an official transfer.")
    ]


def test_an_expulsion_without_the_decision_is_refused(refused):
    errors = refused(member_csv(member_row(state="left", state_since="2020-01-01", state_reason="khai trừ")))
    assert errors == [RowError(2, "document_ref", "Give the reference of the decision.")]


def test_official_before_admission_is_refused(refused):
    errors = refused(member_csv(member_row(official_on="2004-01-01")))
    assert errors == [RowError(2, "official_on", "A member becomes official after being admitted.")]


def test_a_wrong_file_type_is_refused(refused):
    assert refused(b"%PDF-1.4", filename="register.pdf") == [
        RowError(0, "", "Only .csv and .xlsx files can be imported.")
    ]


def test_a_file_without_a_required_column_is_refused(refused):
    data = b"full_name,sex\nA,male\n"
    assert refused(data)[0].row == 0
    assert refused(data)[0].message.startswith("Missing column “date_of_birth”")


def test_an_oversized_file_is_refused(refused, settings):
    settings.SERMENT_MAX_IMPORT_BYTES = 1024 * 1024
    data = member_csv(member_row()) + b"x" * (1024 * 1024)
    assert refused(data) == [RowError(0, "", "The file is larger than 1 MB.")]


def test_a_zip_bomb_is_refused(refused):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    assert refused(buf.getvalue(), filename="bomb.xlsx") == [
        RowError(0, "", "The workbook is suspiciously compressed; it was refused.")
    ]


def test_a_malformed_xlsx_is_refused(refused):
    assert refused(b"PK\x03\x04 not really a zip", filename="broken.xlsx") == [
        RowError(0, "", "The file is not a valid XLSX workbook.")
    ]


def test_an_xlsx_with_an_xml_entity_bomb_is_refused(refused):
    good = xlsx_bytes([["full_name"], ["A"]])
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    src, out = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = bomb.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            z.writestr(item, data)
    assert refused(out.getvalue(), filename="bomb.xlsx") == [
        RowError(0, "", "The workbook contains unsafe XML (entity declarations); it was refused.")
    ]


def test_a_user_without_the_import_permission_is_refused(world, refused):
    assert refused(member_csv(member_row()), by=world.leader) == [
        RowError(0, "", "Your role does not allow imports.")
    ]


def test_a_secretary_may_not_import_even_into_their_cell(world, refused):
    assert refused(member_csv(member_row()), by=world.secretary) == [
        RowError(0, "", "Your role does not allow imports.")
    ]

"""The bad-file suite over every kind of import (issue 13 §5): each bad file is refused
with its own clear error and writes 0 rows in any table. The kinds come from the
registry, so a new kind is covered without a line here; the per-kind details of the
member and organisation imports are in tests/imports/test_bad_files.py."""

import io
import struct
import zipfile

import pytest
from django.apps import apps
from django.core.cache import cache

from serment.core.actors import SYSTEM
from serment.core.imports import get_kind, kinds, run_kind, template_csv
from serment.members.importers import import_members
from serment.members.models import Member
from serment.organisations.importers import import_organisations
from tests.imports.conftest import csv_bytes, member_csv, member_row, xlsx_bytes

from . import objects as o

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
KINDS = [k.name for k in kinds()]
# Kinds read as a table (CSV or XLSX); a kind with its own reader (the transfer package,
# JSON) has its own bad files below.
TABLE_KINDS = [k.name for k in kinds() if k.read is None]
PACKAGE_KINDS = [k.name for k in kinds() if k.read is not None]


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def rows_everywhere() -> dict[str, int]:
    """The row count of every table the project manages."""
    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.managed}


def target_for(world, kind):
    """What a kind is imported into, when it needs it: the district D1 or its campaign."""
    if kind.target == "campaign":
        return o.campaign(world)
    if kind.target == "organisation":
        return world.D1
    return None


def template(kind) -> bytes:
    """The kind's own CSV template (header and example row), without the byte-order mark."""
    data = template_csv(kind, vietnamese=False).removeprefix(b"\xef\xbb\xbf")
    return data if data.count(b"\n") >= 2 else data + b",".join(b"x" for _ in kind.columns) + b"\r\n"


def declaring(data: bytes, size: int) -> bytes:
    """The same workbook whose zip directory declares every member ``size`` bytes long."""
    raw = bytearray(data)
    at = 0
    while (at := raw.find(b"PK\x01\x02", at)) != -1:
        struct.pack_into("<I", raw, at + 24, size)
        at += 4
    return bytes(raw)


def huge_xlsx(kind) -> bytes:
    bomb = declaring(xlsx_bytes([[c.key for c in kind.columns]]), 280 * 1024 * 1024)
    assert max(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) == 280 * 1024 * 1024
    return bomb


# (name, file name, bytes for the kind, expected code, a phrase the message must hold)
BAD_FILES = [
    ("invalid UTF-8", "f.csv", lambda k: template(k).replace(b"\n", b"\n\xc1", 1), "not_utf8", "line 2"),
    ("unclosed quote", "f.csv", lambda k: template(k) + b'"unclosed,x\n', "csv_syntax", "line 3"),
    ("huge declared XLSX", "f.xlsx", huge_xlsx, "xlsx_too_large", "too large once unpacked"),
    ("past the size limit", "f.csv", lambda k: template(k) + b"x" * 2048, "too_large", "larger than"),
    ("not CSV or XLSX", "f.txt", template, "wrong_type", ".csv and .xlsx"),
    ("empty", "f.csv", lambda k: b"", "empty", "empty"),
]


@pytest.mark.parametrize("kind_name", TABLE_KINDS)
@pytest.mark.parametrize(
    ("case", "filename", "build", "code", "phrase"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_every_kind_refuses_each_bad_file_and_writes_nothing(
    world, settings, kind_name, case, filename, build, code, phrase
):
    kind = get_kind(kind_name)
    target = target_for(world, kind)
    data = build(kind)
    if code == "too_large":
        settings.SERMENT_MAX_IMPORT_BYTES = len(template(kind)) + 1024
    before = rows_everywhere()
    report = run_kind(kind_name, by=SYSTEM, data=data, filename=filename, dry_run=False, target=target)
    assert rows_everywhere() == before
    assert (report.code, report.created, report.ok) == (code, 0, False)
    assert phrase in report.errors[0].message


# (name, bytes, expected code, a phrase the message must hold)
BAD_PACKAGES = [
    ("invalid UTF-8", b'{"schema": "x"\n\xc1}', "not_utf8", "line 2"),
    ("not JSON", b"full_name,date_of_birth\nA,1970-01-01\n", "package_not_json", "not JSON"),
    ("another JSON document", b'{"schema": "something else"}', "package_schema", "not a transfer package"),
    ("empty", b"", "package_not_json", "not JSON"),
]


@pytest.mark.parametrize("kind_name", PACKAGE_KINDS)
@pytest.mark.parametrize(("case", "data", "code", "phrase"), BAD_PACKAGES, ids=[c[0] for c in BAD_PACKAGES])
def test_every_package_kind_refuses_each_bad_file_and_writes_nothing(
    world, kind_name, case, data, code, phrase
):
    kind = get_kind(kind_name)
    target = target_for(world, kind)
    before = rows_everywhere()
    report = run_kind(kind_name, by=SYSTEM, data=data, filename="p.json", dry_run=False, target=target)
    assert rows_everywhere() == before
    assert (report.code, report.created, report.ok) == (code, 0, False)
    assert phrase in str(report.errors[0].message)


@pytest.mark.parametrize("kind_name", KINDS)
def test_the_size_limit_is_the_same_for_every_kind(world, settings, kind_name):
    """One limit (SERMENT_MAX_IMPORT_BYTES) for all: a file of exactly the limit is read,
    one byte more is refused before anything else is looked at."""
    kind = get_kind(kind_name)
    target = target_for(world, kind)
    data = template(kind)
    settings.SERMENT_MAX_IMPORT_BYTES = len(data)
    at_limit = run_kind(kind_name, by=SYSTEM, data=data, filename="f.csv", dry_run=True, target=target)
    over = run_kind(kind_name, by=SYSTEM, data=data + b"\n", filename="f.csv", dry_run=True, target=target)
    assert at_limit.code != "too_large"
    assert over.code == "too_large"


@pytest.mark.parametrize("mark", ZERO_WIDTH)
def test_a_zero_width_copy_of_an_existing_citizen_id_is_the_same_citizen_id(world, mark):
    cid = world.alice.citizen_id
    before = rows_everywhere()
    report = import_members(
        by=world.d1_staff,
        data=member_csv(member_row(cid=cid[:3] + mark + cid[3:])),
        filename="m.csv",
        dry_run=False,
    )
    assert rows_everywhere() == before
    assert [(e.row, e.column) for e in report.errors] == [(2, "citizen_id")]


@pytest.mark.parametrize("mark", ZERO_WIDTH)
def test_a_cell_code_with_a_zero_width_character_names_the_same_cell(world, mark):
    report = import_members(
        by=world.d1_staff, data=member_csv(member_row(cell=f"C{mark}1")), filename="m.csv", dry_run=False
    )
    assert report.errors == []
    assert Member.objects.get(card_number="T0001").organisation == world.C1


@pytest.mark.parametrize("mark", ZERO_WIDTH)
def test_an_organisation_code_with_a_zero_width_character_is_the_existing_code(world, mark):
    before = rows_everywhere()
    data = csv_bytes([["code", "name", "kind", "parent_code"], [f"C{mark}1", "Chi bộ X", "cell", "G1"]])
    report = import_organisations(by=world.admin, data=data, filename="o.csv", dry_run=False)
    assert rows_everywhere() == before
    assert [(e.row, e.column) for e in report.errors] == [(2, "code")]


@pytest.mark.parametrize("code", ["C\r1", "C\n1", 'C"1', "C'1", "C;1"])
def test_organisation_codes_with_line_breaks_or_quotes_write_nothing(world, code):
    before = rows_everywhere()
    data = csv_bytes([["code", "name", "kind", "parent_code"], [code, "Chi bộ X", "cell", "G1"]])
    report = import_organisations(by=world.admin, data=data, filename="o.csv", dry_run=False)
    assert rows_everywhere() == before
    assert [(e.row, e.column) for e in report.errors] == [(2, "code")]


def test_an_unclosed_quote_is_reported_as_such_not_as_a_missing_value(world):
    data = member_csv(member_row()) + b'"Ng\xc3\xb4 V\xc4\x83n B,1980-01-01,male,2005-05-19,,C1,T9,0609\n'
    report = import_members(by=world.d1_staff, data=data, filename="m.csv", dry_run=False)
    assert report.code == "csv_syntax"
    assert "quote" in report.errors[0].message.lower()
    assert "required" not in report.errors[0].message

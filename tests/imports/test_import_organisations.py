import datetime as dt

from serment.core.actors import SYSTEM
from serment.core.imports import RowError
from serment.core.models import AuditEntry
from serment.organisations.importers import import_organisations
from serment.organisations.models import Organisation

from .conftest import csv_bytes


def test_children_may_come_before_their_parents_and_get_paths(world):
    data = csv_bytes(
        [
            ["Mã", "Tên", "Loại", "Mã cấp trên", "Ngày thành lập"],
            ["G9.1", "Chi bộ 1", "Chi bộ", "G9", ""],
            ["G9", "Đảng bộ xã 9", "Đảng bộ cơ sở", "D1", "02/09/1975"],
            ["GC9", "Chi bộ cơ sở 9", "grassroots_cell", "D1", ""],
        ]
    )
    audit_before = AuditEntry.objects.count()

    report = import_organisations(by=world.d1_staff, data=data, filename="orgs.csv", dry_run=False)

    assert (report.errors, report.created) == ([], 3)
    g9, cell = Organisation.objects.get(code="G9"), Organisation.objects.get(code="G9.1")
    assert (g9.parent, g9.kind, g9.founded_on, g9.path, g9.depth) == (
        world.D1,
        "grassroots_committee",
        dt.date(1975, 9, 2),
        f"{world.D1.path}{g9.pk}/",
        2,
    )
    assert (cell.parent, cell.path, cell.depth) == (g9, f"{g9.path}{cell.pk}/", 3)
    assert list(
        Organisation.objects.subtree(world.D1)
        .filter(code__in=["G9", "G9.1", "GC9"])
        .order_by("code")
        .values_list("code", flat=True)
    ) == ["G9", "G9.1", "GC9"]
    assert AuditEntry.objects.count() - audit_before == 3


def test_a_whole_province_imports_as_the_system(db):
    data = csv_bytes(
        [
            ["code", "name", "kind", "parent_code"],
            ["BT", "Đảng bộ tỉnh", "Đảng bộ tỉnh", ""],
            ["BT.01", "Huyện 1", "Đảng bộ trực thuộc", "BT"],
        ]
    )
    report = import_organisations(by=SYSTEM, data=data, filename="orgs.csv", dry_run=False)
    assert (report.errors, report.created) == ([], 2)
    assert Organisation.objects.get(code="BT.01").path == f"{Organisation.objects.get(code='BT').pk}/" + (
        f"{Organisation.objects.get(code='BT.01').pk}/"
    )


def test_bad_rows_are_each_reported_and_nothing_is_written(world, counts):
    data = csv_bytes(
        [
            ["code", "name", "kind", "parent_code"],
            ["X1", "Chi bộ", "chi bo", "G1"],  # fine
            ["X2", "Bad kind", "club", "G1"],
            ["X3", "Out of scope", "cell", "G2"],
            ["X4", "Wrong place", "cell", "D1"],
            ["C1", "Taken code", "cell", "G1"],
            ["X5", "Unknown parent", "cell", "NOPE"],
            ["X1", "Twice", "cell", "G1"],
        ]
    )
    before = counts()

    report = import_organisations(by=world.d1_staff, data=data, filename="orgs.csv", dry_run=False)

    assert counts() == before
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "kind"),
        (4, "parent_code"),
        (5, "parent"),
        (6, "code"),
        (7, "parent_code"),
        (8, "code"),
    ]
    assert report.errors[2] == RowError(
        5, "parent", "A Cell cannot be placed under a Committee directly under the province."
    )
    assert report.errors[5] == RowError(8, "code", "The code X1 is also on line 2.")


def test_a_loop_of_parents_is_refused(world):
    data = csv_bytes(
        [
            ["code", "name", "kind", "parent_code"],
            ["A", "A", "sub_committee", "B"],
            ["B", "B", "grassroots_committee", "A"],
        ]
    )
    report = import_organisations(by=world.admin, data=data, filename="o.csv", dry_run=False)
    assert [e.message for e in report.errors] == ["The parents in the file form a loop."] * 2


def test_only_the_system_or_a_superuser_creates_a_province(world):
    data = csv_bytes([["code", "name", "kind", "parent_code"], ["P2", "Tỉnh 2", "province", ""]])
    report = import_organisations(by=world.admin, data=data, filename="o.csv", dry_run=False)
    assert report.errors == [
        RowError(2, "parent_code", "Only a superuser can create a provincial committee.")
    ]

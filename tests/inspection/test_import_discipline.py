"""Import of discipline decisions (moved from the rating app): all or nothing,
every row checked with the same ``check_record_discipline`` as the form."""

import datetime as dt

from serment.core.actors import SYSTEM
from serment.inspection.importers import import_discipline_file, import_discipline_rows
from serment.inspection.models import DisciplineDecision


def rows(*dicts):
    return list(enumerate(dicts, start=2))


def test_discipline_file_import(insp):
    csv = (
        "Số thẻ đảng,Mã tổ chức,Hình thức kỷ luật,Ngày quyết định,Ngày công bố,Cấp quyết định,"
        "Tự phát hiện và khắc phục,Số quyết định\n"
        f"{insp.alice.card_number},,canh_cao,05/05/2023,08/05/2023,UBKT Huyện ủy 1,có,12-QĐ/UBKT\n"
        ",G2,giai_tan,06/05/2023,,Ban Thường vụ Tỉnh ủy,không,\n"
    ).encode()
    report = import_discipline_file(by=SYSTEM, data=csv, filename="ky-luat.csv", dry_run=False)
    assert (report.errors, report.created, report.breakdown) == ([], 2, {"warning": 1, "dissolution": 1})
    assert sorted(
        DisciplineDecision.objects.values_list(
            "form", "self_detected", "unit__code", "document_ref", "announced_on"
        )
    ) == [
        ("dissolution", False, "G2", "", dt.date(2023, 5, 6)),
        ("warning", True, "C1", "12-QĐ/UBKT", dt.date(2023, 5, 8)),
    ]


def test_an_organisation_cannot_be_given_a_member_form_of_discipline(insp):
    report = import_discipline_rows(
        by=SYSTEM,
        rows=rows(
            {"org_code": "G1", "form": "expulsion", "decided_on": "2023-01-01", "deciding_body": "UBKT"}
        ),
        dry_run=False,
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "form")]
    assert DisciplineDecision.objects.count() == 0


def test_an_administrator_without_the_inspection_role_imports_nothing(insp):
    good = {
        "card_number": insp.alice.card_number,
        "form": "reprimand",
        "decided_on": "2023-01-02",
        "deciding_body": "UBKT",
    }
    report = import_discipline_rows(by=insp.admin, rows=rows(good), dry_run=False)
    assert [(e.row, e.message) for e in report.errors] == [(2, "Your role does not allow this here.")]
    assert import_discipline_rows(by=insp.inspector, rows=rows(good), dry_run=False).created == 1


def test_an_expulsion_import_takes_the_member_off_and_a_bad_row_stops_everything(insp):
    expulsion = {
        "card_number": insp.alice.card_number,
        "form": "khai trừ",
        "decided_on": "2023-01-02",
        "deciding_body": "UBKT",
        "document_ref": "5-QĐ",
    }
    bad = {"card_number": "NOPE", "form": "reprimand", "decided_on": "2023-01-02", "deciding_body": "UBKT"}
    report = import_discipline_rows(by=SYSTEM, rows=rows(expulsion, bad), dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(3, "card_number")]
    insp.alice.refresh_from_db()
    assert (insp.alice.state, DisciplineDecision.objects.count()) == ("active", 0)
    assert import_discipline_rows(by=SYSTEM, rows=rows(expulsion), dry_run=False).ok
    insp.alice.refresh_from_db()
    assert (insp.alice.state, insp.alice.left_reason) == ("left", "expelled")

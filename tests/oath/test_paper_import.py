import datetime as dt

from serment.core.scoping import SYSTEM
from serment.oath import queries
from serment.oath.importers import import_paper_file
from serment.oath.models import Attendance, CellMeeting, Presentation
from tests import factories as f

AS_OF = dt.date(2023, 6, 30)


def csv(*lines):
    return (
        "\n".join(
            ["Mã chi bộ,Ngày sinh hoạt,Số thẻ đảng,Đã báo cáo,Loại báo cáo,Lý do,Góp ý của chi bộ", *lines]
        )
        + "\n"
    ).encode()


def test_a_campaign_held_on_paper_counts_like_one_run_in_serment(world, campaign_2023):
    data = csv(
        f"C1,15/04/2023,{world.alice.card_number},có,Lời thề,,Phát huy",
        f"C2,2023-04-20,{world.bob.card_number},không,,Ốm,",
        "GC1,2023-04-21,,,,,",
    )
    report = import_paper_file(
        by=world.d1_staff, campaign=campaign_2023, data=data, filename="d1.csv", dry_run=False
    )
    assert (report.ok, report.created) == (True, 3)
    assert CellMeeting.objects.filter(status="closed", source="paper").count() == 3
    assert Presentation.objects.get().suggestions == "Phát huy"
    assert Attendance.objects.get(present=False).absence_reason == "illness"
    total = queries.coverage(viewer=SYSTEM, campaign=campaign_2023, org=world.D1, as_of=AS_OF).total
    assert (total.cells_held, total.cells, total.members["reported"], total.members["absent"]) == (3, 3, 1, 1)


def test_one_bad_row_and_nothing_is_written(world, campaign_2023):
    data = csv(
        f"C1,2023-04-15,{world.alice.card_number},yes,oath,,",
        f"C1,2023-04-15,{world.bob.card_number},yes,oath,,",
        "C9,2023-04-15,,,,,",
        f"C2,2023-08-15,{world.bob.card_number},no,,,",
    )
    report = import_paper_file(
        by=world.d1_staff, campaign=campaign_2023, data=data, filename="x.csv", dry_run=False
    )
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "card_number"),
        (4, "cell_code"),
        (5, "meeting_date"),
    ]
    assert CellMeeting.objects.count() == 0


def test_reasons_and_report_types_are_required_and_the_cell_has_one_date(world, campaign_2023):
    extra = f.member(world.C1)
    data = csv(
        f"C1,2023-04-15,{world.alice.card_number},yes,,,",
        f"C1,2023-04-16,{extra.card_number},no,,,",
    )
    report = import_paper_file(
        by=world.d1_staff, campaign=campaign_2023, data=data, filename="x.csv", dry_run=False
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "report_type"), (3, "reason")]
    data = csv(
        f"C1,2023-04-15,{world.alice.card_number},yes,oath,,",
        f"C1,2023-04-16,{extra.card_number},no,,work,",
        f"C1,2023-04-15,{world.alice.card_number},yes,oath,,",
    )
    report = import_paper_file(
        by=world.d1_staff, campaign=campaign_2023, data=data, filename="x.csv", dry_run=False
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "meeting_date"), (4, "card_number")]


def test_staff_import_only_their_own_subtree(world, campaign_2023):
    data = csv(f"C3,2023-04-15,{world.carol.card_number},yes,oath,,")
    report = import_paper_file(
        by=world.d1_staff, campaign=campaign_2023, data=data, filename="x.csv", dry_run=False
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "cell_code")]


def test_a_dry_run_checks_without_writing(world, campaign_2023):
    data = csv(f"C1,2023-04-15,{world.alice.card_number},yes,oath,,")
    report = import_paper_file(
        by=world.d1_staff, campaign=campaign_2023, data=data, filename="x.csv", dry_run=True
    )
    assert (report.ok, report.created, CellMeeting.objects.count()) == (True, 1, 0)


def test_an_xlsx_file_is_read_too(world, campaign_2023):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["cell_code", "meeting_date", "card_number", "reported", "report_type"])
    ws.append(["C1", dt.date(2023, 4, 15), world.alice.card_number, "x", "oath_office"])
    buf = io.BytesIO()
    wb.save(buf)
    report = import_paper_file(
        by=world.admin, campaign=campaign_2023, data=buf.getvalue(), filename="a.xlsx", dry_run=False
    )
    assert report.ok
    assert Presentation.objects.get().report_type == "oath_office"

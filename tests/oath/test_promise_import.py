"""Importing promises from CSV/XLSX, all-or-nothing (issue 3, docs/import-formats.md)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from serment.core.models import AuditEntry
from serment.oath.importers import import_promise_file
from serment.oath.models import Promise

HEADER = "Số thẻ đảng,Ngày hứa,Dịp,Hứa với,Nội dung lời hứa,Hạn hoàn thành,Tình trạng"


def csv(*lines, header=HEADER):
    return ("\n".join([header, *lines]) + "\n").encode()


def test_a_good_file_imports_every_promise(world):
    data = csv(
        f"{world.alice.card_number},01/03/2021,Bổ nhiệm,Tập thể,Hoàn thành tốt nhiệm vụ,31/12/2021,Đã thực hiện",
        f"{world.bob.card_number},2022-05-01,election,voters,Giữ liên hệ với cử tri,,",
    )
    report = import_promise_file(by=world.d1_staff, data=data, filename="p.csv", dry_run=False)
    assert (report.ok, report.created) == (True, 2)
    assert list(
        Promise.objects.order_by("pk").values_list(
            "member", "made_on", "occasion", "to_whom", "due_on", "state"
        )
    ) == [
        (world.alice.pk, dt.date(2021, 3, 1), "appointment", "collective", dt.date(2021, 12, 31), "kept"),
        (world.bob.pk, dt.date(2022, 5, 1), "election", "voters", None, "in_progress"),
    ]
    assert AuditEntry.objects.filter(action="oath.import_promise", actor=world.d1_staff).count() == 2


def test_english_headers_are_accepted_and_a_dry_run_writes_nothing(world):
    data = csv(
        f"{world.alice.card_number},2021-03-01,task,people,Làm đường,,",
        header="card_number,made_on,occasion,to_whom,text,due_on,state",
    )
    report = import_promise_file(by=world.d1_staff, data=data, filename="p.csv", dry_run=True)
    assert (report.ok, report.created, Promise.objects.count()) == (True, 1, 0)


def test_bad_rows_are_reported_by_line_and_nothing_is_written(world):
    data = csv(
        f"{world.alice.card_number},2021-03-01,appointment,collective,Tốt,,",
        "99999999,2021-03-01,appointment,collective,Tốt,,",
        f"{world.alice.card_number},31/02/2021,appointment,collective,Tốt,,",
        f"{world.bob.card_number},2021-03-01,whim,collective,Tốt,,",
        f"{world.bob.card_number},2021-03-01,task,collective,Tốt,2020-01-01,",
    )
    report = import_promise_file(by=world.d1_staff, data=data, filename="p.csv", dry_run=False)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "card_number", "No member with Party card number 99999999."),
        (4, "made_on", "“31/02/2021” is not a date (use YYYY-MM-DD or DD/MM/YYYY)."),
        (5, "occasion", "“whim” is not accepted here (use appointment, election, task, admission)."),
        (6, "due_on", "The due date is before the promise was made."),
    ]
    assert (report.created, Promise.objects.count()) == (0, 0)


def test_members_outside_the_importers_subtree_are_refused(world):
    data = csv(f"{world.carol.card_number},2021-03-01,task,people,Tốt,,")
    report = import_promise_file(by=world.d1_staff, data=data, filename="p.csv", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "card_number")]
    assert Promise.objects.count() == 0


def test_the_upload_page_imports_for_staff_and_is_not_found_without_import(world, client):
    data = csv(f"{world.alice.card_number},2021-03-01,task,people,Làm đường,,")
    client.force_login(world.g1_staff)
    assert client.get("/oath/promises/import/").url == "/imports/promises/"
    checked = client.post("/imports/promises/", {"file": SimpleUploadedFile("p.csv", data)})
    assert (checked.context["report"].created, Promise.objects.count()) == (1, 0)
    done = client.post("/imports/promises/", {"confirm": checked.context["token"]})
    assert (done.context["report"].written, Promise.objects.count()) == (True, 1)
    client.force_login(world.secretary)
    assert client.get("/imports/promises/").status_code == 403

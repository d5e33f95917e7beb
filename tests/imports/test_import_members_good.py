import datetime as dt

from serment.core.models import AuditEntry
from serment.members.importers import import_members
from serment.members.models import ActivityPeriod, Member, Membership

from .conftest import csv_bytes, xlsx_bytes


def test_a_good_csv_with_vietnamese_headers_registers_members_in_their_state(world):
    data = csv_bytes(
        [
            [
                "Họ và tên",
                "Ngày sinh",
                "Giới tính",
                "Ngày vào Đảng",
                "Ngày chính thức",
                "Mã chi bộ",
                "Số thẻ đảng",
                "Số CCCD",
                "Trạng thái",
                "Từ ngày",
                "Đến ngày",
                "Lý do",
                "Nơi chuyển đến",
                "Số quyết định",
            ],
            [
                "Nguyễn Văn An",
                "04/03/1950",
                "Nam",
                "19/05/1975",
                "19/05/1976",
                "C1",
                "T1",
                "0601",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "Lê Thị Bình",
                "1960-01-01",
                "Nữ",
                "1990-01-01",
                "1991-01-01",
                "C2",
                "T2",
                "0602",
                "miễn sinh hoạt",
                "2020-01-01",
                "",
                "tuổi",
                "",
                "",
            ],
            [
                "Trần Văn Cường",
                "1990-01-01",
                "male",
                "2015-01-01",
                "2016-01-01",
                "GC1",
                "T3",
                "0603",
                "chuyển sinh hoạt tạm thời",
                "2023-01-01",
                "2023-10-01",
                "công tác",
                "Tỉnh Ninh Thuận",
                "",
            ],
            [
                "Phạm Văn Dũng",
                "1940-01-01",
                "male",
                "1970-01-01",
                "1971-01-01",
                "C1",
                "T4",
                "0604",
                "left",
                "2020-06-30",
                "",
                "deceased",
                "",
                "",
            ],
        ]
    )
    audit_before = AuditEntry.objects.count()

    report = import_members(by=world.d1_staff, data=data, filename="members.csv", dry_run=False)

    assert report.errors == []
    assert report.created == 4
    an = Member.objects.get(card_number="T1")
    assert (an.full_name, an.sex, an.date_of_birth, an.organisation, an.state) == (
        "Nguyễn Văn An",
        "male",
        dt.date(1950, 3, 4),
        world.C1,
        "active",
    )
    binh = Member.objects.get(card_number="T2")
    assert list(ActivityPeriod.objects.filter(member=binh).values_list("state", "starts_on", "reason")) == [
        ("exempt", dt.date(2020, 1, 1), "age")
    ]
    cuong = Member.objects.get(card_number="T3")
    assert cuong.state == "transferred_out"
    assert list(
        ActivityPeriod.objects.filter(member=cuong).values_list("planned_end", "reason", "destination")
    ) == [(dt.date(2023, 10, 1), "work", "Tỉnh Ninh Thuận")]
    dung = Member.objects.get(card_number="T4")
    assert (dung.state, dung.left_on, dung.left_reason) == ("left", dt.date(2020, 6, 30), "deceased")
    assert list(Membership.objects.filter(member=dung).values_list("starts_on", "ends_on", "kind")) == [
        (dt.date(1970, 1, 1), dt.date(2020, 6, 30), "registered")
    ]
    assert AuditEntry.objects.count() - audit_before == 4
    entry = AuditEntry.objects.filter(action="member.register", target_id=an.pk).get()
    assert (entry.actor, entry.changes["organisation"]) == (world.d1_staff, "C1")


def test_a_good_xlsx_with_excel_dates_and_numeric_card_numbers_imports(world):
    data = xlsx_bytes(
        [
            ["full_name", "date_of_birth", "sex", "admitted_on", "cell_code", "card_number", "citizen_id"],
            [
                "Võ Thị Hoa",
                dt.datetime(1985, 7, 1),
                "female",
                dt.date(2010, 2, 3),
                "C1",
                48000001,
                60185000001,
            ],
        ]
    )

    report = import_members(by=world.admin, data=data, filename="register.xlsx", dry_run=False)

    assert report.errors == []
    hoa = Member.objects.get(full_name="Võ Thị Hoa")
    assert (hoa.card_number, hoa.citizen_id, hoa.date_of_birth, hoa.admitted_on, hoa.official_on) == (
        "48000001",
        "60185000001",
        dt.date(1985, 7, 1),
        dt.date(2010, 2, 3),
        None,
    )
    assert Membership.objects.get(member=hoa).starts_on == dt.date(2010, 2, 3)


def test_a_dry_run_reports_what_would_be_created_and_writes_nothing(world, counts):
    data = csv_bytes(
        [
            ["full_name", "date_of_birth", "sex", "admitted_on", "cell_code"],
            ["Đỗ Văn Em", "1990-01-01", "male", "2015-01-01", "C1"],
        ]
    )
    before = counts()

    report = import_members(by=world.admin, data=data, filename="m.csv", dry_run=True)

    assert (report.ok, report.created, report.breakdown) == (True, 1, {"Active": 1})
    assert counts() == before

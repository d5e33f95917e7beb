"""Import of past years' decided ratings: all or nothing,
every refused row reported, the rules of each year applied."""

import datetime as dt

from serment.core.actors import SYSTEM
from serment.inspection.importers import import_discipline_rows
from serment.ratings.importers import import_rating_file, import_rating_rows
from serment.ratings.models import Rating, RatingRound


def rows(*dicts):
    return list(enumerate(dicts, start=2))


def member_row(member, level, year=2021, **kw):
    row = {
        "year": year,
        "subject": "member",
        "card_number": member.card_number,
        "level": level,
        "decided_by_code": "P",
        "decided_on": dt.date(year, 12, 20),
    }
    row.update(kw)
    return row


def test_a_valid_file_is_imported_locked_in_a_round_per_committee_and_year(rated):
    csv = (
        "Năm,Đối tượng,Số thẻ đảng,Mã tổ chức,Xếp loại,Cấp quyết định,Ngày quyết định\n"
        f"2021,dang_vien,{rated.alice.card_number},,HTTNV,P,20/12/2021\n"
        f"2021,to_chuc,,G1,Hoàn thành tốt nhiệm vụ,P,20/12/2021\n"
        f"2021,member,{rated.bob.card_number},,completed,D1,2022-01-10\n"
    ).encode()
    report = import_rating_file(by=rated.admin, data=csv, filename="xep-loai.csv", dry_run=False)
    assert (report.errors, report.created, report.breakdown) == ([], 3, {"member": 2, "organisation": 1})
    assert sorted(RatingRound.objects.values_list("organisation__code", "year", "rule_set")) == [
        ("D1", 2021, "qd132"),
        ("P", 2021, "qd132"),
    ]
    alice = Rating.objects.get(member=rated.alice)
    assert (alice.level, alice.locked, alice.organisation, alice.quota_group) == (
        "good",
        True,
        rated.C1,
        rated.G1,
    )


def test_a_dry_run_writes_nothing(rated):
    report = import_rating_rows(by=SYSTEM, rows=rows(member_row(rated.alice, "good")), dry_run=True)
    assert (report.ok, report.created, Rating.objects.count()) == (True, 1, 0)


def test_one_bad_row_and_nothing_is_written(rated):
    report = import_rating_rows(
        by=SYSTEM,
        rows=rows(
            member_row(rated.alice, "good"),
            member_row(rated.bob, "brilliant"),
            {**member_row(rated.carol, "good"), "card_number": "X999"},
            member_row(rated.alice, "good"),
        ),
        dry_run=False,
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (
            3,
            "level",
            "“brilliant” is not accepted here (use excellent, good, completed, not_completed; "
            "HTXSNV, HTTNV, HTNV, KHTNV).",
        ),
        (4, "card_number", "No member with card number “X999”."),
        (5, "", "The same rating is on line 2."),
    ]
    assert Rating.objects.count() == 0


def test_the_quota_of_the_year_refuses_the_import(rated):
    report = import_rating_rows(
        by=SYSTEM,
        rows=rows(*[member_row(d, "good") for d in rated.daves[:4]], member_row(rated.alice, "excellent")),
        dry_run=False,
    )
    assert [(e.row, e.message) for e in report.errors] == [
        (
            6,
            "1 excellent exceeds 20% of 4 rated good in Đảng bộ xã 1 (G1) (Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW).",
        )
    ]
    assert Rating.objects.count() == 0


def test_a_disciplined_member_cannot_be_imported_as_good(rated):
    import_discipline_rows(
        by=SYSTEM,
        rows=rows(
            {
                "card_number": rated.alice.card_number,
                "form": "khiển trách",
                "decided_on": "2021-03-01",
                "deciding_body": "UBKT",
            }
        ),
        dry_run=False,
    )
    report = import_rating_rows(by=SYSTEM, rows=rows(member_row(rated.alice, "good")), dry_run=False)
    assert [e.row for e in report.errors] == [2]
    assert report.errors[0].message.startswith("Trần Thị Alice cannot be rated Good")


def test_an_outsider_cannot_import_into_a_sibling_subtree(rated):
    report = import_rating_rows(
        by=rated.outsider, rows=rows(member_row(rated.alice, "good", decided_by_code="D1")), dry_run=False
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "decided_by_code", "Your role does not allow this here.")
    ]


def test_a_subject_rated_already_is_refused(rated):
    assert import_rating_rows(by=SYSTEM, rows=rows(member_row(rated.alice, "good")), dry_run=False).ok
    report = import_rating_rows(by=SYSTEM, rows=rows(member_row(rated.alice, "completed")), dry_run=False)
    assert [e.message for e in report.errors] == ["This subject is already rated for 2021."]

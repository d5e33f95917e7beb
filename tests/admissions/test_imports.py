"""Imports of targets, peer figures and candidates: all-or-nothing, errors by row."""

import datetime as dt

from serment.admissions import importers
from serment.admissions.models import AdmissionTarget, Candidate, PeerFigure, Step
from serment.core.models import AuditEntry

D = dt.date


def csv(text: str) -> bytes:
    return text.strip().encode("utf-8")


def test_targets_are_imported_with_vietnamese_headers(world):
    data = csv("Mã tổ chức,Năm,Chỉ tiêu,Đơn vị giao\nP,2023,50,\nD1,2023,20,P\nD2,2023,30,P")
    report = importers.import_targets(by=world.admin, data=data, filename="t.csv", dry_run=False)
    assert (report.ok, report.created) == (True, 3)
    assert list(AdmissionTarget.objects.values_list("organisation__code", "target", "set_by__code")) == [
        ("P", 50, "P"),
        ("D1", 20, "P"),
        ("D2", 30, "P"),
    ]
    assert AuditEntry.objects.filter(action="admissions.set_target").count() == 3


def test_one_bad_target_row_and_nothing_is_written(world):
    data = csv("org_code,year,target\nD1,2023,20\nC1,2023,2\nXX,2023,abc")
    report = importers.import_targets(by=world.admin, data=data, filename="t.csv", dry_run=False)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "target", "“abc” is not a whole number."),
        (4, "org_code", "No organisation with code XX."),
    ]
    data = csv("org_code,year,target\nD1,2023,20\nC1,2023,2")
    report = importers.import_targets(by=world.admin, data=data, filename="t.csv", dry_run=False)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "organisation", "Targets are set for committees, not for cells (Chi bộ thôn 1).")
    ]
    assert AdmissionTarget.objects.count() == 0


def test_a_dry_run_checks_the_rules_and_writes_nothing(world):
    data = csv("org_code,year,target\nD1,2023,20")
    report = importers.import_targets(by=world.admin, data=data, filename="t.csv", dry_run=True)
    assert (report.ok, report.created, AdmissionTarget.objects.count()) == (True, 1, 0)


def test_peer_figures_replace_those_of_the_same_year(world):
    first = csv("peer_name,year,admitted,members,rate\nTỉnh A,2022,1000,20000,5.0\nTỉnh B,2022,300,10000,")
    importers.import_peer_figures(
        by=world.admin, organisation=world.P, data=first, filename="p.csv", dry_run=False
    )
    again = csv("peer_name,year,admitted,members,rate\nTỉnh C,2022,10,100,10%")
    report = importers.import_peer_figures(
        by=world.admin, organisation=world.P, data=again, filename="p.csv", dry_run=False
    )
    assert report.ok is True
    assert list(PeerFigure.objects.values_list("peer_name", "rate")) == [("Tỉnh C", 10)]


def test_peer_rate_is_computed_when_left_blank(world):
    data = csv("peer_name,year,admitted,members\nTỉnh B,2022,300,10000")
    importers.import_peer_figures(
        by=world.admin, organisation=world.P, data=data, filename="p.csv", dry_run=False
    )
    assert str(PeerFigure.objects.get().rate) == "3.00"


def test_a_peer_twice_in_the_file_is_refused(world):
    data = csv("peer_name,year,admitted,members\nTỉnh B,2022,300,10000\nTỉnh B,2022,1,10")
    report = importers.import_peer_figures(
        by=world.admin, organisation=world.P, data=data, filename="p.csv", dry_run=False
    )
    assert [(e.row, e.message) for e in report.errors] == [
        (3, "This peer and year appear twice in the file.")
    ]


CANDIDATES = """cell_code,full_name,date_of_birth,sex,citizen_id,certificate_date,application_date,cv_date,introducers_date,introducer_1_card,introducer_1_since,introducer_2_card,introducer_2_since,youth_union
C1,Lê Văn Mới,01/02/2001,nam,079201000001,2023-01-05,2023-02-01,2023-02-03,,,,,,
C1,Hồ Thị Hai,2002-03-04,nữ,079302000002,2023-01-05,2023-02-01,2023-02-03,2023-02-10,{alice},2020-01-01,{dan},2021-01-01,no
"""


def test_candidates_are_imported_with_their_steps(adm):
    data = csv(CANDIDATES.format(alice=adm.alice.card_number, dan=adm.dan.card_number))
    report = importers.import_candidates(by=adm.secretary, data=data, filename="c.csv", dry_run=False)
    assert (report.ok, report.created) == (True, 2)
    assert list(Step.objects.filter(candidate__full_name="Hồ Thị Hai").values_list("kind", flat=True)) == [
        "certificate",
        "application",
        "cv",
        "introducers",
    ]
    assert Candidate.objects.get(full_name="Lê Văn Mới").date_of_birth == D(2001, 2, 1)


def test_a_rule_refused_on_one_row_rolls_back_the_whole_file(adm):
    data = csv(CANDIDATES.format(alice=adm.alice.card_number, dan=adm.eve.card_number))
    report = importers.import_candidates(by=adm.secretary, data=data, filename="c.csv", dry_run=False)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (
            3,
            "introducers",
            "Võ Thị Eve is a probationary member; only official members can introduce a candidate.",
        )
    ]
    assert Candidate.objects.filter(full_name__in=["Lê Văn Mới", "Hồ Thị Hai"]).count() == 0


def test_a_second_file_adds_the_next_steps_of_known_candidates(adm):
    data = csv(CANDIDATES.format(alice=adm.alice.card_number, dan=adm.dan.card_number))
    importers.import_candidates(by=adm.secretary, data=data, filename="c.csv", dry_run=False)
    more = csv(
        "cell_code,full_name,date_of_birth,sex,citizen_id,certificate_date,opinions_date\n"
        "C1,Hồ Thị Hai,2002-03-04,nữ,079302000002,2023-01-05,2023-03-01"
    )
    report = importers.import_candidates(by=adm.secretary, data=more, filename="c.csv", dry_run=False)
    assert report.ok is True
    assert list(Step.objects.filter(candidate__full_name="Hồ Thị Hai").values_list("kind", flat=True)) == [
        "certificate",
        "application",
        "cv",
        "introducers",
        "opinions",
    ]


def test_a_secretary_cannot_import_candidates_of_another_cell(adm):
    data = csv("cell_code,full_name,date_of_birth,sex\nC3,Ai Đó,2000-01-01,nam")
    report = importers.import_candidates(by=adm.secretary, data=data, filename="c.csv", dry_run=False)
    assert [(e.row, e.message) for e in report.errors] == [(2, "Your role does not allow this here.")]

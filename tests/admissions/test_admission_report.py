"""The yearly report on a small tree where every figure is known.

    P ── D1 ── G1 ── C1: Alice; new1 (admitted 2023-02-01); old (admitted 2022-08-01, probationary)
         │         └ C2: Bob; gone (left 2023-01-01); new2 (admitted 2023-03-01, moved to C3 in May)
         └── GC1: new4 (admitted 2023-01-01)
    P ── D2 ── G2 ── C3: Carol; early (left 2022-12-31); new3 (admitted 2023-04-01)

At the start of 2023: Alice, Bob, gone, old (D1: 4) and Carol (D2: 1) = 5.
Admitted in 2023: new1, new2, new4 by D1 (3) and new3 by D2 (1) = 4.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from serment.admissions import actions, queries
from serment.admissions.actions import PeerRow
from serment.admissions.models import StepKind
from serment.core.scoping import SYSTEM
from serment.members.actions import record_death, transfer_member
from tests import factories as f

D = dt.date


@pytest.fixture
def tree(world):
    w = world
    w.old = f.member(w.C1, full_name="Old", admitted_on=D(2022, 8, 1), official_on=None)
    w.gone = f.member(w.C2, full_name="Gone", admitted_on=D(2012, 1, 1), official_on=D(2013, 1, 1))
    record_death(by=SYSTEM, member=w.gone, on=D(2023, 1, 1))
    w.early = f.member(w.C3, full_name="Early", admitted_on=D(2012, 1, 1), official_on=D(2013, 1, 1))
    record_death(by=SYSTEM, member=w.early, on=D(2022, 12, 31))
    w.new1 = f.member(w.C1, full_name="New1", admitted_on=D(2023, 2, 1), official_on=None)
    w.new2 = f.member(w.C2, full_name="New2", admitted_on=D(2023, 3, 1), official_on=None)
    transfer_member(by=SYSTEM, member=w.new2, to=w.C3, on=D(2023, 5, 1))
    w.new3 = f.member(w.C3, full_name="New3", admitted_on=D(2023, 4, 1), official_on=None)
    w.new4 = f.member(w.GC1, full_name="New4", admitted_on=D(2023, 1, 1), official_on=None)
    actions.set_target(by=SYSTEM, organisation=w.P, year=2023, target=5)
    actions.set_target(by=SYSTEM, organisation=w.D1, year=2023, target=2)
    for name, born in (("Cand A", D(2000, 1, 1)), ("Cand B", D(2001, 1, 1))):
        c = actions.register_candidate(
            by=SYSTEM, organisation=w.C1, full_name=name, date_of_birth=born, sex="male"
        )
    actions.record_step(by=SYSTEM, candidate=c, kind=StepKind.CERTIFICATE, on=D(2023, 1, 5))
    actions.record_step(by=SYSTEM, candidate=c, kind=StepKind.APPLICATION, on=D(2023, 2, 5))
    c3 = actions.register_candidate(
        by=SYSTEM, organisation=w.C3, full_name="Cand C", date_of_birth=D(2000, 1, 1), sex="male"
    )
    actions.record_step(by=SYSTEM, candidate=c3, kind=StepKind.CERTIFICATE, on=D(2023, 1, 5))
    actions.replace_peer_figures(
        by=SYSTEM,
        organisation=w.P,
        rows=[
            PeerRow("Peer A", 2023, 900, 1000, Decimal("90")),
            PeerRow("Peer B", 2023, 80, 100, None),
            PeerRow("Peer C", 2023, 50, 100, Decimal("50")),
        ],
    )
    return w


def report(org, year=2023):
    return queries.admission_report(viewer=SYSTEM, org=org, year=year, as_of=D(2023, 6, 30))


def test_province_figures(tree):
    r = report(tree.P)
    assert (r.admitted, r.target, r.of_target) == (4, 5, Decimal("80.0"))
    assert (r.members_at_start, r.rate) == (5, Decimal("80.0"))
    assert r.due_for_recognition == 1


def test_a_district_counts_the_members_its_cells_admitted_even_after_they_moved(tree):
    r = report(tree.D1)
    assert (r.admitted, r.target, r.of_target, r.members_at_start, r.rate) == (
        3,
        2,
        Decimal("150.0"),
        4,
        Decimal("75.0"),
    )
    assert sorted(queries.admitted_in_year(tree.D1, 2023).values_list("full_name", flat=True)) == [
        "New1",
        "New2",
        "New4",
    ]


def test_a_year_without_target_has_no_percentage_of_target(tree):
    r = report(tree.D2)
    assert (r.admitted, r.target, r.of_target, r.members_at_start, r.rate) == (
        1,
        None,
        None,
        1,
        Decimal("100.0"),
    )


def test_candidates_are_counted_at_their_last_step(tree):
    counts = {s.kind: s.count for s in report(tree.P).candidates}
    assert (counts["registered"], counts["certificate"], counts["application"], counts["cv"]) == (1, 1, 1, 0)
    counts = {s.kind: s.count for s in report(tree.D2).candidates}
    assert (counts["registered"], counts["certificate"], counts["application"]) == (0, 1, 0)


def test_committees_under_the_province_are_ranked_by_admission_rate(tree):
    ranking = [
        (r.rank, r.organisation.code, r.admitted, r.members_at_start, r.rate) for r in report(tree.P).ranking
    ]
    assert ranking == [(1, "D2", 1, 1, Decimal("100.0")), (2, "D1", 3, 4, Decimal("75.0"))]


def test_the_province_is_ranked_among_its_peers(tree):
    r = report(tree.P)
    assert [(p.rank, p.name, p.rate) for p in r.peers] == [
        (1, "Peer A", Decimal("90")),
        (2, "Tỉnh ủy", Decimal("80.00")),
        (2, "Peer B", Decimal("80.00")),
        (4, "Peer C", Decimal("50")),
    ]
    assert (r.peer_rank, r.peer_count) == (2, 4)


def test_the_report_reads_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        report(tree.P)


def test_cli_prints_plain_numbers_in_json(tree, capsys):
    call_command("report", "admissions", "--org", "P", "--year", "2023", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert (data["admitted"], data["target"], data["admitted_of_target_pct"]) == (4, 5, 80.0)
    assert (data["members_at_start_of_year"], data["admitted_of_members_pct"]) == (5, 80.0)
    assert (data["peer_rank"], data["peer_count"]) == (2, 4)
    assert [c["code"] for c in data["committees"]] == ["D2", "D1"]


def test_cli_csv_has_one_line_per_figure(tree, capsys):
    call_command("report", "admissions", "--org", "D1", "--year", "2023", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "section,code,name,measure,value"
    assert lines[1:6] == [
        "summary,D1,Huyện ủy 1,admitted,3",
        "summary,D1,Huyện ủy 1,target,2",
        "summary,D1,Huyện ủy 1,admitted_of_target_pct,150.0",
        "summary,D1,Huyện ủy 1,members_at_start_of_year,4",
        "summary,D1,Huyện ủy 1,admitted_of_members_pct,75.0",
    ]


def test_cli_xlsx_has_a_sheet_per_part(tree, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "adm.xlsx"
    call_command("report", "admissions", "--year", "2023", "--format", "xlsx", "-o", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Candidates", "Committees", "Peers"]
    assert [c.value for c in wb["Summary"][2]] == ["admitted", 4]


def test_without_org_the_cli_reports_the_whole_tree(tree, capsys):
    call_command("report", "admissions", "--year", "2023", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert (data["organisation"], data["admitted"], data["target"], data["members_at_start_of_year"]) == (
        None,
        4,
        5,
        5,
    )


def test_equal_published_rates_share_a_rank(world):
    """1 of 34 (2.94%) and 1 of 35 (2.86%) are both published as 2.9%: the same rank."""
    w = world
    for _ in range(32):  # with Alice and Bob: 34 members in D1 when 2023 began
        f.member(w.C1)
    for _ in range(34):  # with Carol: 35 in D2
        f.member(w.C3)
    f.member(w.C1, full_name="New in D1", admitted_on=D(2023, 5, 1), official_on=None)
    f.member(w.C3, full_name="New in D2", admitted_on=D(2023, 5, 1), official_on=None)
    ranking = [(r.rank, r.organisation.code, r.rate) for r in report(w.P).ranking]
    assert ranking == [(1, "D1", Decimal("2.9")), (1, "D2", Decimal("2.9"))]

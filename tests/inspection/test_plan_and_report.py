"""The plan of inspections and the report: every figure counted from the records,
and each figure's drill-down lists exactly what it counted."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.inspection import reports
from serment.inspection.actions import (
    close_case,
    conclude_inspection,
    plan_inspection,
    receive_case,
    record_discipline,
)


def plan(by, w, committee=None, subject=None, start=dt.date(2023, 3, 1), kind="inspection", **kw):
    return plan_inspection(
        by=by,
        committee=committee or w.D1,
        year=kw.pop("year", start.year),
        kind=kind,
        mode="regular",
        topic="Quy chế làm việc",
        starts_on=start,
        ends_on=start + dt.timedelta(days=10),
        deadline=kw.pop("deadline", start + dt.timedelta(days=30)),
        subject_organisation=subject or w.G1,
        **kw,
    )


def test_planning_refuses_what_does_not_fit(insp):
    with pytest.raises(Refused) as exc:
        plan(insp.inspector, insp, subject=insp.G2, deadline=dt.date(2023, 3, 5))
    assert exc.value.codes == ["not_competent", "dates_out_of_order"]
    with pytest.raises(Refused) as exc:
        plan(insp.inspector, insp, year=2022)
    assert exc.value.codes == ["wrong_year"]
    with pytest.raises(Refused) as exc:
        plan(insp.admin, insp)
    assert exc.value.codes == ["not_permitted"]


def test_concluding_refuses_twice_and_before_the_start(insp):
    item = plan(insp.inspector, insp)
    with pytest.raises(Refused) as exc:
        conclude_inspection(
            by=insp.inspector, inspection=item, conclusion="no_violation", concluded_on=dt.date(2023, 2, 1)
        )
    assert exc.value.codes == ["dates_out_of_order"]
    conclude_inspection(
        by=insp.inspector, inspection=item, conclusion="no_violation", concluded_on=dt.date(2023, 3, 20)
    )
    with pytest.raises(Refused) as exc:
        conclude_inspection(
            by=insp.inspector, inspection=item, conclusion="violation", concluded_on=dt.date(2023, 3, 21)
        )
    assert exc.value.codes == ["already_concluded"]


@pytest.fixture
def year_2023(insp):
    w = insp
    done = plan(SYSTEM, w)
    conclude_inspection(by=SYSTEM, inspection=done, conclusion="shortcomings", concluded_on=done.deadline)
    late = plan(SYSTEM, w, start=dt.date(2023, 4, 1))
    conclude_inspection(
        by=SYSTEM,
        inspection=late,
        conclusion="no_violation",
        concluded_on=late.deadline + dt.timedelta(days=1),
    )
    plan(SYSTEM, w, start=dt.date(2023, 5, 1))  # open, past its deadline
    plan(SYSTEM, w, start=dt.date(2023, 6, 1), kind="supervision", committee=w.D2, subject=w.G2)
    record_discipline(
        by=SYSTEM, member=w.alice, form="warning", decided_on=dt.date(2023, 2, 1), deciding_body="UBKT"
    )
    record_discipline(
        by=SYSTEM, member=w.bob, form="dismissal", decided_on=dt.date(2023, 2, 1), deciding_body="UBKT"
    )
    record_discipline(
        by=SYSTEM, organisation=w.C3, form="reprimand", decided_on=dt.date(2023, 2, 1), deciding_body="BTV"
    )
    record_discipline(
        by=SYSTEM, member=w.carol, form="reprimand", decided_on=dt.date(2022, 2, 1), deciding_body="x"
    )
    kw = dict(channel="post", summary="Đơn", sender_name="A")
    c = receive_case(by=SYSTEM, committee=w.D1, kind="petition", received_on=dt.date(2023, 1, 5), **kw)
    close_case(by=SYSTEM, case=c, outcome="founded", closed_on=dt.date(2023, 1, 20))
    receive_case(by=SYSTEM, committee=w.D1, kind="denunciation", received_on=dt.date(2023, 2, 5), **kw)
    receive_case(
        by=SYSTEM,
        committee=w.D1,
        kind="denunciation",
        received_on=dt.date(2023, 2, 6),
        channel="post",
        summary="x",
        anonymous=True,
    )
    return w


TODAY = dt.date(2024, 1, 15)


def counts(viewer, org=None):
    return {f["key"]: f["count"] for f in reports.inspection_report(viewer, year=2023, org=org, today=TODAY)}


def test_the_report_counts_the_records(year_2023):
    got = counts(SYSTEM)
    assert {
        k: got[k]
        for k in ("inspection.planned", "inspection.done", "inspection.in_time", "inspection.overdue")
    } == {
        "inspection.planned": 3,
        "inspection.done": 2,
        "inspection.in_time": 1,
        "inspection.overdue": 2,
    }
    assert (got["supervision.planned"], got["inspection.conclusion.shortcomings"]) == (1, 1)
    assert (
        got["discipline.member.warning"],
        got["discipline.member.dismissal"],
        got["discipline.member.reprimand"],
    ) == (1, 1, 0)
    assert got["discipline.organisation.reprimand"] == 1
    assert {
        k: got[k]
        for k in (
            "cases.received.petition",
            "cases.received.denunciation",
            "cases.not_handled",
            "cases.in_time",
            "cases.overdue",
            "cases.open",
            "cases.outcome.founded",
        )
    } == {
        "cases.received.petition": 1,
        "cases.received.denunciation": 2,
        "cases.not_handled": 1,
        "cases.in_time": 1,
        "cases.overdue": 1,
        "cases.open": 1,
        "cases.outcome.founded": 1,
    }


def test_each_figure_drills_down_to_the_records_it_counts(year_2023):
    got = counts(SYSTEM)
    for key, n in got.items():
        assert reports.figure_records(SYSTEM, key, year=2023, today=TODAY).count() == n, key


def test_the_report_is_scoped_to_what_the_viewer_inspects(year_2023):
    assert counts(year_2023.inspector)["supervision.planned"] == 0
    assert counts(year_2023.d2_inspector)["inspection.planned"] == 0
    assert counts(SYSTEM, org=year_2023.D2)["discipline.organisation.reprimand"] == 1


def test_the_report_page_and_its_drill_down(client, year_2023):
    client.force_login(year_2023.inspector)
    page = client.get(reverse("inspection:report") + "?year=2023")
    figures = {f["key"]: f["count"] for _label, fs in page.context["sections"] for f in fs}
    assert figures["inspection.planned"] == 3
    listing = client.get(reverse("inspection:records") + "?figure=discipline.member.warning&year=2023")
    assert [d.member.full_name for d in listing.context["page"]] == ["Trần Thị Alice"]
    csv = client.get(reverse("inspection:report") + "?year=2023&format=csv")
    assert csv["Content-Type"].startswith("text/csv") and "inspection.planned" in csv.content.decode(
        "utf-8-sig"
    )


def test_the_command_line_report(year_2023, capsys):
    call_command("report", "inspection", "--year", "2023", "--org", "D1", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    figures = {f["key"]: f["count"] for f in data["figures"]}
    assert (
        data["year"],
        data["org"],
        figures["inspection.planned"],
        figures["discipline.member.dismissal"],
    ) == (
        2023,
        "D1",
        3,
        1,
    )


def test_the_plan_page_shows_progress(client, year_2023):
    client.force_login(year_2023.inspector)
    page = client.get(reverse("inspection:plan") + "?year=2023")
    assert (page.context["planned"], page.context["done"]) == (3, 2)
    assert "Planned 3, done 2, overdue" in page.content.decode()

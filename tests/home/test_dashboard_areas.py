"""Inspection and cadre figures on the dashboard: from the areas' own report
functions, and only for the roles that may read them (inspection is confidential)."""

import datetime as dt

from django.urls import reverse

from serment.core.actors import SYSTEM
from serment.home import dashboard
from serment.inspection.actions import record_discipline
from serment.inspection.reports import inspection_report


def _keys(board):
    return [s.key for s in board.sections]


def test_inspection_staff_see_the_discipline_figures_of_the_inspection_report(world, client):
    w = world
    record_discipline(
        by=SYSTEM,
        member=w.bob,
        form="reprimand",
        decided_on=dt.date(2023, 3, 1),
        announced_on=dt.date(2023, 3, 5),
        deciding_body="Ủy ban kiểm tra Huyện ủy 1",
        document_ref="12-QĐ/UBKT",
    )
    board = dashboard.dashboard(viewer=w.inspector, org=w.D1, year=2023, as_of=dt.date(2023, 6, 30))
    assert "inspection" in _keys(board)
    section = next(s for s in board.sections if s.key == "inspection")
    report = {f["key"]: f["count"] for f in inspection_report(w.inspector, year=2023, org=w.D1)}
    assert section.values == report
    assert sum(section.values.values()) >= 1
    client.force_login(w.inspector)
    html = client.get(reverse("home"), {"year": 2023, "as_of": "2023-06-30"}).content.decode()
    assert reverse("inspection:records") + "?figure=" in html


def test_leaders_and_secretaries_do_not_see_inspection_records(world):
    board = dashboard.dashboard(viewer=world.leader, org=world.D1, year=2023, as_of=dt.date(2023, 6, 30))
    assert "inspection" not in _keys(board)
    assert _keys(board)[:3] == ["oath", "ratings", "admissions"]

"""Issue 14: a grassroots committee's admission figures read indexes, not the whole
register, on SQLite and on PostgreSQL (``EXPLAIN QUERY PLAN`` / ``EXPLAIN``)."""

import datetime as dt
import re

import pytest
from django.db import connection

from serment.admissions import queries
from serment.core.actors import SYSTEM
from serment.core.db import refresh_statistics
from serment.members.importers import import_members
from serment.organisations.models import Organisation

from .. import factories as f
from ..imports.conftest import member_csv, member_row
from .test_subtree_scoping import _plan

D = dt.date


@pytest.fixture
def register(db):
    """3 districts x 3 grassroots committees x 4 cells; 1,200 members imported, admitted
    over the years 2005-2023 (one year in four of them still probationary)."""
    province = f.org("province", code="AP")
    cells = []
    for d in range(3):
        district = f.org("district_committee", province, code=f"AD{d}")
        for g in range(3):
            grassroots = f.org("grassroots_committee", district, code=f"AG{d}{g}")
            cells += [f.org("cell", grassroots, code=f"AC{d}{g}{c}") for c in range(4)]
    rows = []
    for i in range(1200):
        year = 2005 + i % 19
        rows.append(
            member_row(
                name=f"Đảng viên {i}",
                card=f"A{i:05d}",
                cid=f"0603{i:08d}",
                cell=cells[i % len(cells)].code,
                admitted_on=f"{year}-03-01",
                official_on="" if year == 2023 else f"{year + 1}-03-01",
            )
        )
    report = import_members(by=SYSTEM, data=member_csv(*rows), filename="m.csv", dry_run=False)
    assert report.created == 1200
    refresh_statistics()
    return Organisation.objects.get(code="AG00")


def _in_first_cells(year_test) -> int:
    """How many of the 1,200 members sit in AG00's 4 cells with an admission year passing the test."""
    return sum(1 for i in range(1200) if i % 36 < 4 and year_test(2005 + i % 19))


def _full_scans(plan: str) -> list[str]:
    """The plan's lines that read a member or membership table from end to end."""
    if connection.vendor == "sqlite":
        return re.findall(r"SCAN \S*members_member(?:ship)?\b(?! USING)", plan)
    return re.findall(r"Seq Scan on members_member(?:ship)?\b", plan)


@pytest.mark.slow
def test_the_admitted_members_of_a_year_are_read_through_the_admission_date_index(register):
    admitted = queries.admitted_in_year(register, 2023)
    assert admitted.count() == _in_first_cells(lambda year: year == 2023) == 8
    plan = _plan(admitted.order_by())
    assert "member_admitted_on_idx" in plan, plan
    assert _full_scans(plan) == [], plan


@pytest.mark.slow
def test_the_members_at_the_start_of_the_year_are_read_from_the_covering_index(register):
    periods = queries.periods_at_start_of_year(register, 2023).values("member").distinct()
    assert periods.count() == _in_first_cells(lambda year: year < 2023) == 128
    plan = _plan(periods.order_by())
    if connection.vendor == "sqlite":  # index only
        assert "COVERING INDEX membership_org_period_idx" in plan, plan
    else:  # on a few rows PostgreSQL may prefer another of the table's indexes: any index serves
        assert re.search(
            r"Index (Only )?Scan using \w+ on members_membership|on (membership_org_period_idx|members_membership_\w+)",
            plan,
        ), plan
    assert _full_scans(plan) == [], plan


@pytest.mark.slow
def test_members_due_for_recognition_are_found_without_reading_the_register(register):
    due = queries.due_for_recognition(register, D(2024, 12, 31))
    assert due.count() == _in_first_cells(lambda year: year == 2023)  # still probationary
    plan = _plan(due.order_by())
    assert _full_scans(plan) == [], plan
    assert re.search(r"member_probation_idx|organisation_path", plan), plan

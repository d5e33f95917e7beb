"""Issue 14: the admission report and the dashboard's admission section count set-based.

The number of queries does not grow with the committees under the organisation nor with
the members admitted (a correlated "first cell" subquery per member and a filtered count
per committee did), and the grouped counts equal the one-by-one counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from serment.admissions import queries
from serment.core.actors import SYSTEM
from serment.home import dashboard
from serment.members.actions import transfer_member
from serment.organisations.models import Organisation
from tests import factories as f

D = dt.date


def _province(districts: int):
    """``districts`` districts, each with one grassroots committee and two cells; in each
    district two members admitted in 2023 (one moved to the other district's cell since),
    one in 2022, one in 2021, and one official member since 2010."""
    province = f.org("province", code="P")
    admin = f.user("padmin")
    f.role(admin, province, "admin")
    cells = []
    for d in range(districts):
        district = f.org("district_committee", province, code=f"D{d}")
        grassroots = f.org("grassroots_committee", district, code=f"G{d}")
        cells.append([f.org("cell", grassroots, code=f"C{d}{c}") for c in range(2)])
    moved = []
    for d, (c0, c1) in enumerate(cells):
        f.member(c0, full_name=f"Old {d}", admitted_on=D(2009, 1, 1), official_on=D(2010, 1, 1))
        f.member(c0, full_name=f"A {d}", admitted_on=D(2023, 2, 1), official_on=None)
        moved.append(f.member(c1, full_name=f"B {d}", admitted_on=D(2023, 3, 1), official_on=None))
        f.member(c1, full_name=f"C {d}", admitted_on=D(2022, 6, 1), official_on=D(2023, 6, 1))
        f.member(c1, full_name=f"E {d}", admitted_on=D(2021, 6, 1), official_on=D(2022, 6, 1))
    for d, member in enumerate(moved):  # each to the next district: still counted where admitted
        transfer_member(by=SYSTEM, member=member, to=cells[(d + 1) % len(cells)][0], on=D(2023, 5, 1))
    return province, admin


def _queries(fn) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def _report(province):
    return queries.admission_report(viewer=SYSTEM, org=province, year=2023, as_of=D(2023, 6, 30))


@pytest.mark.parametrize("districts", [1, 3])
def test_the_report_counts_each_committee_where_its_members_were_admitted(db, districts):
    province, _admin = _province(districts)
    report = _report(province)
    assert (report.admitted, report.members_at_start) == (2 * districts, 3 * districts)
    assert [(r.organisation.code, r.admitted, r.members_at_start) for r in report.ranking] == [
        (f"D{d}", 2, 3) for d in range(districts)
    ]
    assert queries.admitted_count(province, 2023) == queries.admitted_in_year(province, 2023).count()


def test_the_report_reads_as_many_queries_for_three_committees_as_for_one(db):
    province, _admin = _province(1)
    _r, one = _queries(lambda: _report(province))
    _wider(province)
    report, three = _queries(lambda: _report(province))
    assert sorted((r.organisation.code, r.admitted) for r in report.ranking) == [
        ("D0", 2),
        ("D1", 2),
        ("D2", 2),
    ]
    assert three == one


def _wider(province):
    """Two more districts under ``province``, each with two members admitted in 2023,
    one in 2022 and one official member since 2010."""
    for d in (1, 2):
        district = f.org("district_committee", province, code=f"D{d}")
        grassroots = f.org("grassroots_committee", district, code=f"G{d}")
        c0, c1 = (f.org("cell", grassroots, code=f"C{d}{c}") for c in range(2))
        f.member(c0, full_name=f"Old {d}", admitted_on=D(2009, 1, 1), official_on=D(2010, 1, 1))
        f.member(c0, full_name=f"A {d}", admitted_on=D(2023, 2, 1), official_on=None)
        f.member(c1, full_name=f"B {d}", admitted_on=D(2023, 3, 1), official_on=None)
        f.member(c1, full_name=f"C {d}", admitted_on=D(2022, 6, 1), official_on=D(2023, 6, 1))


def test_the_yearly_counts_in_one_query_equal_the_counts_year_by_year(db):
    province, _admin = _province(3)
    district = Organisation.objects.get(code="D1")
    for org in (province, district, None):
        by_year, n = _queries(lambda org=org: queries.admitted_by_year(org, range(2020, 2024)))
        assert n == 1
        assert by_year == {y: queries.admitted_in_year(org, y).count() for y in range(2020, 2024)}
    assert queries.admitted_by_year(province, range(2020, 2024)) == {2020: 0, 2021: 3, 2022: 3, 2023: 6}


def test_the_dashboard_admission_section_is_flat_in_the_committees(db):
    province, admin = _province(1)
    dashboard.admissions_section(admin, province, 2023, D(2023, 6, 30))  # the viewer's scope, cached
    _s, one = _queries(lambda: dashboard.admissions_section(admin, province, 2023, D(2023, 6, 30)))
    _wider(province)
    section, three = _queries(lambda: dashboard.admissions_section(admin, province, 2023, D(2023, 6, 30)))
    assert section.values["admitted"] == 2 + 2 * 2
    assert [b.value for b in section.charts[0].bars] == [1, 1 + 2, 2 + 2 * 2]  # 2021, 2022, 2023
    assert three == one

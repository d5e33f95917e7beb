"""The demo step on a small province: every organisation gets a secretary, and the
article's figures come out of the records it makes, counted by the report."""

import datetime as dt
import random

import pytest

from serment.cadres import demo, queries
from serment.core.actors import SYSTEM
from serment.core.demo import DemoContext
from serment.members.demo import DISTRICTS
from serment.members.importers import import_member_rows
from serment.members.models import PostHolding
from serment.organisations.importers import import_organisation_rows
from serment.organisations.models import Organisation

PLACES = DISTRICTS[:9]


def _province():
    orgs = [
        {
            "code": "BT",
            "name": "Đảng bộ tỉnh Bình Thuận",
            "kind": "province",
            "parent_code": "",
            "founded_on": "",
        }
    ]
    cells = []
    for d, name in enumerate([*PLACES, "Khối Các cơ quan tỉnh"], start=1):
        dcode, gcode = f"BT.{d:02d}", f"BT.{d:02d}.001"
        orgs.append(
            {
                "code": dcode,
                "name": f"Đảng bộ {name}",
                "kind": "district_committee",
                "parent_code": "BT",
                "founded_on": "",
            }
        )
        orgs.append(
            {
                "code": gcode,
                "name": f"Đảng bộ xã – {name}",
                "kind": "grassroots_committee",
                "parent_code": dcode,
                "founded_on": "",
            }
        )
        size = (4, 25) if d == 10 else (3, 14)
        for c in range(1, size[0] + 1):
            orgs.append(
                {
                    "code": f"{gcode}.{c:02d}",
                    "name": f"Chi bộ {c} – {name}",
                    "kind": "cell",
                    "parent_code": gcode,
                    "founded_on": "",
                }
            )
            cells += [(f"{gcode}.{c:02d}", d)] * size[1]
    report = import_organisation_rows(by=SYSTEM, rows=list(enumerate(orgs, start=2)), dry_run=False)
    assert report.ok, report.errors[:3]
    members = []
    for n, (code, d) in enumerate(cells):
        home = PLACES[(d - 1) if d <= 9 else n % 9]
        born = dt.date(1965 + n % 26, 1 + n % 12, 1 + n % 27)
        members.append(
            {
                "full_name": f"Nguyễn Văn {n}",
                "sex": "female" if n % 3 == 0 else "male",
                "date_of_birth": born,
                "card_number": f"{48_000_000 + n:08d}",
                "citizen_id": f"0600{n:08d}",
                "ethnicity": "Chăm" if n % 10 == 0 else "Kinh",
                "home_town": f"{home}, Bình Thuận",
                "admitted_on": dt.date(born.year + 25, 5, 19),
                "official_on": dt.date(born.year + 26, 5, 19),
                "cell_code": code,
                "state": "active",
            }
        )
    report = import_member_rows(by=SYSTEM, rows=list(enumerate(members, start=2)), dry_run=False)
    assert report.ok, report.errors[:3]
    return Organisation.objects.get(code="BT")


@pytest.mark.slow
def test_demo_makes_the_articles_figures_from_records(db):
    province = _province()
    ctx = DemoContext(seed=1, rng=random.Random(1), log=lambda msg: None, province=province)
    demo.build(ctx)

    without_secretary = Organisation.objects.exclude(
        pk__in=PostHolding.objects.filter(post="secretary", ends_on__isnull=True).values("organisation_id")
    )
    assert list(without_secretary) == []

    report = queries.cadre_report(SYSTEM, org=None, start=dt.date(2020, 10, 1), end=dt.date(2023, 5, 31))
    assert report.figures == {
        "transferred_appointed_nominated": (98, 98),
        "key_leaders_removed": (2, 2),
        "department_heads_moved": (3, 3),
        "non_local_from_departments": (7, 7),
    }
    assert (report.non_local, len(report.district_secretaries)) == (7, 10)
    assert report.planning.people == 11 * 5 - 2  # 5 planned per committee, 2 removed at the review
    assert len(report.barred_holders) == 1  # the provincial deputy secretary proposed for removal, warned

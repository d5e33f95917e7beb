"""Local or non-local to a district: home town, previous work, and the explicit
override that wins over both."""

import datetime as dt

import pytest

from serment.cadres import actions, queries
from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from tests import factories as f

ON = dt.date(2022, 1, 1)


def test_home_town_in_the_district_makes_a_local(world):
    world.D1.name = "Đảng bộ Huyện Tuy Phong"
    world.D1.save(update_fields=["name"])
    person = f.member(world.C3, home_town="Xã Phú Lạc, huyện Tuy Phong, Bình Thuận")
    locality = queries.locality_of(person, world.D1, before=ON)
    assert (locality.is_local, locality.basis) == (True, "home_town")


def test_earlier_membership_in_the_district_makes_a_local(world):
    # alice has been a member of a cell of D1 since her admission
    assert queries.locality_of(world.alice, world.D1, before=ON).basis == "previous_work"


def test_neither_home_town_nor_work_there_is_non_local(world):
    assert queries.locality_of(world.carol, world.D1, before=ON) == queries.Locality(False, "none")


def test_an_override_wins_both_ways(world):
    actions.set_locality(
        by=SYSTEM,
        member=world.alice,
        district=world.D1,
        is_local=False,
        reason="Công tác ở tỉnh từ 2005",
        on=ON,
    )
    actions.set_locality(
        by=SYSTEM, member=world.carol, district=world.D1, is_local=True, reason="Quê gốc ở huyện", on=ON
    )
    assert queries.locality_of(world.alice, world.D1, before=ON) == queries.Locality(
        False, "override", "Công tác ở tỉnh từ 2005"
    )
    assert queries.locality_of(world.carol, world.D1, before=ON).is_local is True
    # an override decided after the day asked about does not count yet
    assert (
        queries.locality_of(world.alice, world.D1, before=ON - dt.timedelta(days=1)).basis == "previous_work"
    )


def test_an_override_needs_a_district_and_a_reason(world):
    with pytest.raises(Refused) as exc:
        actions.set_locality(
            by=SYSTEM, member=world.alice, district=world.G1, is_local=False, reason=" ", on=ON
        )
    assert exc.value.codes == ["not_a_district", "reason_required"]


def test_the_report_counts_non_local_district_secretaries_with_the_override(world):
    actions.assign_post(
        by=SYSTEM, member=world.alice, organisation=world.D1, post="secretary", on=dt.date(2021, 1, 1)
    )
    actions.assign_post(
        by=SYSTEM, member=world.carol, organisation=world.D2, post="secretary", on=dt.date(2021, 1, 1)
    )
    report = queries.cadre_report(SYSTEM, org=None, start=dt.date(2021, 1, 1), end=dt.date(2022, 12, 31))
    assert (report.non_local, len(report.district_secretaries)) == (0, 2)  # both worked there
    actions.set_locality(
        by=SYSTEM,
        member=world.carol,
        district=world.D2,
        is_local=False,
        reason="Điều động từ tỉnh",
        on=dt.date(2020, 12, 1),
    )
    report = queries.cadre_report(SYSTEM, org=None, start=dt.date(2021, 1, 1), end=dt.date(2022, 12, 31))
    assert (report.non_local, report.non_local_percent) == (1, 50)

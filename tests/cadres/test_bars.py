"""The bars of Quy định 69/80-QĐ/TW and the rating rules, one day before and on the
first eligible day, for each discipline form."""

import datetime as dt

import pytest

from serment.cadres import actions
from serment.cadres.bars import barred
from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.members.actions import assign_post

DECIDED = dt.date(2023, 3, 15)


def _assign(world, on, post="secretary", member=None):
    return actions.assign_post(
        by=SYSTEM, member=member or world.alice, organisation=world.C1, post=post, on=on
    )


def test_a_member_warned_the_same_year_is_not_made_cell_secretary(world, helpers):
    helpers.discipline(world.alice, "warning", DECIDED, ref="07-QĐ/UBKTHU")
    with pytest.raises(Refused) as exc:
        assign_post(
            by=SYSTEM, member=world.alice, organisation=world.C1, post="secretary", on=dt.date(2023, 9, 1)
        )
    assert exc.value.codes == ["discipline_in_force", "discipline_bar"]
    bar = exc.value.refusals[1]
    # names the decision, its form, its date and the first eligible day (30 months later)
    assert "07-QĐ/UBKTHU" in bar.text
    assert "warning" in bar.text
    assert "15 Mar 2023" in bar.text  # in the reader's format (English here)
    assert "15 Sep 2025" in bar.text
    assert bar.source.startswith("Quy định 80-QĐ/TW")


@pytest.mark.parametrize(
    ("form", "first_eligible"),
    [
        ("reprimand", dt.date(2024, 3, 15)),  # 12 months
        ("warning", dt.date(2025, 9, 15)),  # 30 months
        ("dismissal", dt.date(2028, 3, 15)),  # 60 months
    ],
)
def test_no_appointment_to_a_higher_post_until_the_first_eligible_day(world, helpers, form, first_eligible):
    helpers.discipline(world.alice, form, DECIDED)
    with pytest.raises(Refused) as exc:
        _assign(world, first_eligible - dt.timedelta(days=1))
    assert "discipline_bar" in exc.value.codes
    assert f"{first_eligible.day} {first_eligible:%b %Y}" in exc.value.refusals[-1].text
    holding = _assign(world, first_eligible)
    assert holding.starts_on == first_eligible


@pytest.mark.parametrize("form", ["reprimand", "warning", "dismissal"])
def test_no_planning_until_the_first_eligible_day(world, helpers, form):
    helpers.discipline(world.alice, form, DECIDED)
    months = {"reprimand": 12, "warning": 30, "dismissal": 60}[form]
    first = dt.date(2023 + (3 + months - 1) // 12, (3 + months - 1) % 12 + 1, 15)
    day_before = first - dt.timedelta(days=1)
    refusals = actions.check_add_to_planning(
        member=world.alice, organisation=world.G1, post="secretary", term_start=2025, on=day_before
    )
    assert "discipline_bar" in [r.code for r in refusals]
    entry = actions.add_to_planning(
        by=SYSTEM, member=world.alice, organisation=world.G1, post="secretary", term_start=2025, on=first
    )
    assert entry.added_on == first


def test_the_higher_post_bar_leaves_a_same_level_post_alone(world, helpers):
    _assign(world, dt.date(2020, 1, 1), post="deputy_secretary")
    helpers.discipline(world.alice, "warning", DECIDED)
    # after the 12 months in force, the same post again elsewhere is not higher
    on = dt.date(2024, 6, 1)
    assert (
        actions.check_assign_post(member=world.alice, organisation=world.C2, post="deputy_secretary", on=on)
        == []
    )
    refusals = actions.check_assign_post(member=world.alice, organisation=world.C2, post="secretary", on=on)
    assert [r.code for r in refusals] == ["discipline_bar"]


def test_no_transfer_while_a_discipline_is_in_force_then_allowed_on_the_day_it_lapses(world, helpers):
    holding = _assign(world, dt.date(2020, 1, 1), post="deputy_secretary")
    helpers.discipline(world.alice, "reprimand", DECIDED)

    def transfer(on):
        return actions.record_movement(
            by=SYSTEM,
            member=world.alice,
            kind="transfer",
            decided_on=on,
            document_ref="100-QĐ/HU",
            deciding_body="Ban Thường vụ Huyện ủy",
            deciding_level="district",
            organisation=world.C2,
            post="deputy_secretary",
            from_holding=holding,
        )

    with pytest.raises(Refused) as exc:
        transfer(dt.date(2024, 3, 14))
    assert exc.value.codes == ["discipline_in_force"]
    assert "15 Mar 2024" in exc.value.refusals[0].text
    movement = transfer(dt.date(2024, 3, 15))
    assert movement.to_holding.organisation == world.C2


def test_no_award_while_in_force(world, helpers):
    helpers.discipline(world.alice, "reprimand", DECIDED)
    assert [r.code for r in actions.check_award(member=world.alice, on=dt.date(2024, 3, 14))] == [
        "discipline_in_force"
    ]
    assert actions.check_award(member=world.alice, on=dt.date(2024, 3, 15)) == []


def test_expulsion_never_lapses(world, helpers):
    from serment.cadres.discipline import in_force, member_disciplines

    helpers.discipline(world.bob, "expulsion", DECIDED)
    fact = member_disciplines([world.bob.pk], as_of=DECIDED)[world.bob.pk][0]
    assert fact.lapses_on is None
    assert in_force(fact, dt.date(2040, 1, 1))


def test_not_completed_in_the_latest_year_bars_appointment_and_planning(world, helpers):
    helpers.rated(world.alice, world.G1, 2022, "not_completed")
    with pytest.raises(Refused) as exc:
        _assign(world, dt.date(2023, 3, 1), post="deputy_secretary")
    assert exc.value.codes == ["not_completed_latest_year"]
    assert "2022" in exc.value.refusals[0].text
    refusals = actions.check_add_to_planning(
        member=world.alice,
        organisation=world.G1,
        post="deputy_secretary",
        term_start=2025,
        on=dt.date(2023, 3, 1),
    )
    assert [r.code for r in refusals] == ["not_completed_latest_year"]


def test_a_later_year_rated_otherwise_lifts_the_rating_bar(world, helpers):
    helpers.rated(world.alice, world.G1, 2022, "not_completed")
    helpers.rated(world.alice, world.G1, 2023, "completed")
    holding = _assign(world, dt.date(2024, 1, 10), post="deputy_secretary")
    assert holding.post == "deputy_secretary"


def test_not_completed_two_years_running_is_flagged_for_removal(world, helpers):
    helpers.rated(world.alice, world.G1, 2021, "not_completed")
    helpers.rated(world.alice, world.G1, 2022, "not_completed")
    helpers.rated(world.bob, world.G1, 2021, "not_completed")
    helpers.rated(world.bob, world.G1, 2022, "good")
    found = {b.member.pk: b for b in barred([world.alice, world.bob], on=dt.date(2023, 6, 1))}
    assert set(found) == {world.alice.pk}
    assert found[world.alice.pk].flagged_for_removal is True

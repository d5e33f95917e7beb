import datetime as dt

import pytest

from serment.core.errors import DomainError
from serment.members.actions import resume_activity, transfer_temporarily
from serment.members.models import ActivityPeriod

ON = dt.date(2023, 1, 10)


def test_temporary_transfer_keeps_the_member_in_the_home_cell(world):
    transfer_temporarily(
        by=world.secretary,
        member=world.alice,
        on=ON,
        until=dt.date(2023, 9, 30),
        destination="Đảng bộ tỉnh Ninh Thuận",
    )
    world.alice.refresh_from_db()
    assert (world.alice.state, world.alice.organisation) == ("transferred_out", world.C1)


@pytest.mark.parametrize(
    ("until", "training", "field"),
    [
        (dt.date(2023, 4, 9), False, "until"),  # under 3 months
        (dt.date(2024, 1, 10), False, "until"),  # a full year: that is an official transfer
        (dt.date(2025, 1, 11), True, "until"),  # training beyond 2 years
    ],
)
def test_temporary_transfer_durations_outside_the_rules_are_refused(world, until, training, field):
    with pytest.raises(DomainError) as exc:
        transfer_temporarily(
            by=world.secretary, member=world.alice, on=ON, until=until, destination="X", for_training=training
        )
    assert exc.value.field == field
    assert ActivityPeriod.objects.count() == 0


def test_training_may_last_up_to_two_years(world):
    transfer_temporarily(
        by=world.secretary,
        member=world.alice,
        on=ON,
        until=dt.date(2025, 1, 10),
        destination="Học viện Chính trị",
        for_training=True,
    )
    assert ActivityPeriod.objects.get().planned_end == dt.date(2025, 1, 10)


def test_return_ends_the_period_and_reactivates(world):
    transfer_temporarily(
        by=world.secretary, member=world.alice, on=ON, until=dt.date(2023, 9, 30), destination="X"
    )
    resume_activity(by=world.secretary, member=world.alice, on=dt.date(2023, 8, 1))
    world.alice.refresh_from_db()
    assert world.alice.state == "active"
    assert ActivityPeriod.objects.get().ends_on == dt.date(2023, 8, 1)


def test_a_member_away_cannot_be_sent_away_again(world):
    transfer_temporarily(
        by=world.secretary, member=world.alice, on=ON, until=dt.date(2023, 9, 30), destination="X"
    )
    with pytest.raises(DomainError) as exc:
        transfer_temporarily(
            by=world.secretary, member=world.alice, on=ON, until=dt.date(2023, 9, 30), destination="Y"
        )
    assert exc.value.code == "member_not_active"

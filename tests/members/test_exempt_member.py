import datetime as dt

import pytest

from serment.core.errors import DomainError
from serment.members.actions import exempt_member
from tests import factories as f

ON = dt.date(2023, 3, 1)


def test_man_over_sixty_is_exempted_for_age(world):
    old = f.member(world.C1, date_of_birth=dt.date(1962, 2, 1), sex="male")
    exempt_member(by=world.secretary, member=old, on=ON, reason="age")
    old.refresh_from_db()
    assert old.state == "exempt"


def test_man_of_sixty_is_not_yet_old_enough(world):
    m = f.member(world.C1, date_of_birth=dt.date(1962, 6, 1), sex="male")
    with pytest.raises(DomainError) as exc:
        exempt_member(by=world.secretary, member=m, on=ON, reason="age")
    assert "60" in str(exc.value)
    m.refresh_from_db()
    assert m.state == "active"


def test_woman_over_fifty_five_is_exempted_for_age(world):
    w = f.member(world.C1, date_of_birth=dt.date(1967, 1, 1), sex="female")
    exempt_member(by=world.secretary, member=w, on=ON, reason="age")
    w.refresh_from_db()
    assert w.state == "exempt"


def test_illness_shorter_than_three_months_is_refused(world):
    with pytest.raises(DomainError) as exc:
        exempt_member(
            by=world.secretary, member=world.alice, on=ON, reason="illness", until=dt.date(2023, 5, 1)
        )
    assert exc.value.field == "until"


def test_other_reasons_need_a_written_request_and_a_duration(world):
    with pytest.raises(DomainError) as exc:
        exempt_member(
            by=world.secretary, member=world.alice, on=ON, reason="request", until=dt.date(2023, 9, 1)
        )
    assert exc.value.field == "document_ref"
    with pytest.raises(DomainError) as exc:
        exempt_member(by=world.secretary, member=world.alice, on=ON, reason="request", document_ref="Đơn 12")
    assert exc.value.field == "until"
    exempt_member(
        by=world.secretary,
        member=world.alice,
        on=ON,
        reason="request",
        document_ref="Đơn 12",
        until=dt.date(2023, 9, 1),
    )
    world.alice.refresh_from_db()
    assert world.alice.state == "exempt"

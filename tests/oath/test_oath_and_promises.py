import datetime as dt

import pytest

from serment.core.errors import DomainError, NotPermitted
from serment.oath import actions
from serment.oath.models import Oath, Promise


def test_the_cell_records_the_oath_taken_at_admission(world):
    oath = actions.record_oath(by=world.secretary, member=world.alice, taken_on=dt.date(2010, 5, 19))
    assert oath.points[2] == "Close ties with the people"
    assert len(oath.points) == 4


def test_an_oath_cannot_be_dated_before_admission_or_recorded_twice(world):
    with pytest.raises(DomainError) as exc:
        actions.record_oath(by=world.secretary, member=world.alice, taken_on=dt.date(2010, 5, 1))
    assert exc.value.field == "taken_on"
    actions.record_oath(by=world.secretary, member=world.alice, taken_on=dt.date(2010, 5, 19))
    with pytest.raises(DomainError) as exc:
        actions.record_oath(by=world.secretary, member=world.alice, taken_on=dt.date(2010, 5, 19))
    assert exc.value.code == "oath_already_recorded"
    assert Oath.objects.count() == 1


def test_staff_of_a_sibling_subtree_cannot_record_an_oath(world):
    with pytest.raises(NotPermitted):
        actions.record_oath(by=world.outsider, member=world.alice, taken_on=dt.date(2010, 5, 19))


def promise(by, member, **kw):
    data = dict(
        made_on=dt.date(2021, 3, 1),
        occasion="appointment",
        to_whom="collective",
        text="Hoàn thành tốt nhiệm vụ",
    )
    data.update(kw)
    return actions.add_promise(by=by, member=member, **data)


def test_a_member_records_their_own_promise_and_the_secretary_records_one_for_them(world):
    promise(world.alice_user, world.alice)
    promise(world.secretary, world.alice, occasion="election", to_whom="voters")
    assert list(Promise.objects.filter(member=world.alice).values_list("occasion", flat=True)) == [
        "appointment",
        "election",
    ]


def test_a_member_cannot_record_a_promise_for_someone_else(world):
    with pytest.raises(NotPermitted):
        promise(world.alice_user, world.bob)


def test_a_promise_needs_an_occasion_an_audience_and_a_text(world):
    for field, value in (("occasion", "whim"), ("to_whom", "myself"), ("text", "  ")):
        with pytest.raises(DomainError) as exc:
            promise(world.secretary, world.alice, **{field: value})
        assert exc.value.field == field
    with pytest.raises(DomainError) as exc:
        promise(world.secretary, world.alice, due_on=dt.date(2021, 1, 1))
    assert exc.value.field == "due_on"


def test_the_state_of_a_promise_follows_its_latest_dated_evidence(world):
    p = promise(world.alice_user, world.alice)
    actions.update_promise(
        by=world.alice_user, promise=p, on=dt.date(2022, 6, 1), state="kept", evidence="Đã hoàn thành"
    )
    actions.update_promise(
        by=world.secretary,
        promise=p,
        on=dt.date(2022, 1, 1),
        state="partly_kept",
        evidence="Mới được một nửa",
    )
    p.refresh_from_db()
    assert p.state == "kept"
    assert p.updates.count() == 2


def test_an_update_needs_evidence(world):
    p = promise(world.alice_user, world.alice)
    with pytest.raises(DomainError) as exc:
        actions.update_promise(
            by=world.alice_user, promise=p, on=dt.date(2022, 6, 1), state="kept", evidence=""
        )
    assert exc.value.field == "evidence"

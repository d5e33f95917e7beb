"""A movement decision ends the old holding and opens the new one in one
transaction, audited — or changes nothing."""

import datetime as dt

import pytest

from serment.cadres import actions
from serment.cadres.models import Movement
from serment.core.actors import SYSTEM
from serment.core.errors import DomainError, NotPermitted, Refused
from serment.core.models import AuditEntry
from serment.members.models import PostHolding
from serment.oath.models import Promise

ON = dt.date(2022, 4, 1)


@pytest.fixture
def deputy(world):
    return actions.assign_post(
        by=SYSTEM, member=world.alice, organisation=world.C1, post="deputy_secretary", on=dt.date(2020, 6, 1)
    )


def _move(world, **kw):
    args = dict(
        by=SYSTEM,
        member=world.alice,
        kind="rotation",
        decided_on=ON,
        document_ref="215-QĐ/TU",
        deciding_body="Ban Thường vụ Tỉnh ủy",
        deciding_level="provincial",
        organisation=world.D2,
        post="deputy_secretary",
    )
    args.update(kw)
    return actions.record_movement(**args)


def test_rotation_closes_the_old_post_and_opens_the_new_one(world, deputy):
    movement = _move(world, from_holding=deputy)
    deputy.refresh_from_db()
    assert (deputy.ends_on, deputy.ended_how) == (ON, "rotation")
    new = movement.to_holding
    assert (new.organisation, new.post, new.starts_on, new.began_how) == (
        world.D2,
        "deputy_secretary",
        ON,
        "rotation",
    )
    assert new.management_level == "provincial"  # a district deputy secretary: the province decides
    entry = AuditEntry.objects.filter(action="cadres.rotation").get()
    assert entry.changes["post_left"] == deputy.pk and entry.changes["post_taken"] == new.pk


def test_a_refused_movement_changes_nothing(world, deputy):
    actions.assign_post(
        by=SYSTEM, member=world.carol, organisation=world.D2, post="secretary", on=dt.date(2020, 6, 1)
    )
    with pytest.raises(Refused) as exc:
        _move(world, from_holding=deputy, post="secretary")
    assert exc.value.codes == ["post_taken"]
    deputy.refresh_from_db()
    assert deputy.ends_on is None
    assert Movement.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="cadres.").exists()


def test_a_failure_after_the_posts_changed_rolls_everything_back(world, deputy):
    # The promise is dated before admission: the oath app refuses it after the posts
    # were written, so the whole decision must be undone.
    with pytest.raises(DomainError):
        _move(world, from_holding=deputy, decided_on=dt.date(2009, 1, 1), promise="Giữ vững đoàn kết")
    deputy.refresh_from_db()
    assert deputy.ends_on is None
    assert PostHolding.objects.filter(member=world.alice).count() == 1
    assert Movement.objects.count() == 0


def test_appointment_takes_the_promise_into_the_oath_app(world, deputy):
    _move(world, kind="appointment", from_holding=deputy, promise="Hoàn thành chỉ tiêu kết nạp đảng viên")
    promise = Promise.objects.get(member=world.alice)
    assert (promise.occasion, promise.to_whom, promise.made_on) == ("appointment", "collective", ON)


def test_nomination_opens_no_post_and_records_a_candidacy_promise(world):
    movement = _move(world, kind="nomination", post="secretary", promise="Lắng nghe cử tri")
    assert movement.to_holding is None
    assert not PostHolding.objects.filter(member=world.alice).exists()
    assert Promise.objects.get(member=world.alice).occasion == "election"


def test_dismissal_ends_the_post_and_a_proposal_keeps_it(world, deputy):
    proposal = _move(world, kind="removal_proposed", from_holding=deputy, organisation=None, post="")
    deputy.refresh_from_db()
    assert deputy.ends_on is None and proposal.from_holding == deputy
    _move(
        world,
        kind="dismissal",
        from_holding=deputy,
        organisation=None,
        post="",
        decided_on=dt.date(2022, 5, 2),
    )
    deputy.refresh_from_db()
    assert (deputy.ends_on, deputy.ended_how) == (dt.date(2022, 5, 2), "dismissal")


def test_dismissal_needs_the_post_it_is_about(world):
    with pytest.raises(Refused) as exc:
        _move(world, kind="dismissal", organisation=world.C1)
    assert "holding_required" in exc.value.codes


def test_a_decision_needs_its_number_and_body(world):
    refusals = actions.check_record_movement(
        member=world.alice, kind="appointment", decided_on=ON, organisation=world.C1, post="secretary"
    )
    assert {r.code for r in refusals} == {"document_required", "body_required", "level_required"}


def test_a_leader_may_not_record_a_movement(world, deputy):
    with pytest.raises(NotPermitted):
        _move(world, by=world.leader, from_holding=deputy, organisation=world.C2)


def test_nobody_is_no_actor(world, deputy):
    with pytest.raises(NotPermitted) as exc:
        _move(world, by=None, from_holding=deputy)
    assert exc.value.code == "no_actor"


def test_one_secretary_per_organisation(world):
    actions.assign_post(
        by=SYSTEM, member=world.alice, organisation=world.C1, post="secretary", on=dt.date(2020, 6, 1)
    )
    with pytest.raises(Refused) as exc:
        actions.assign_post(
            by=SYSTEM, member=world.bob, organisation=world.C1, post="secretary", on=dt.date(2021, 1, 1)
        )
    assert exc.value.codes == ["post_taken"]


def test_leaving_the_register_ends_the_posts(world, deputy):
    from serment.members.actions import record_death

    record_death(by=SYSTEM, member=world.alice, on=dt.date(2023, 1, 2))
    deputy.refresh_from_db()
    assert (deputy.ends_on, deputy.ended_how) == (dt.date(2023, 1, 2), "left_register")

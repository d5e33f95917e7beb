"""The three steps of a rating, who may take each, and the lock."""

import datetime as dt

import pytest

from serment.core.actors import SYSTEM
from serment.core.audit import history_of
from serment.core.errors import DomainError, NotPermitted
from serment.inspection.actions import record_discipline
from serment.ratings import actions
from serment.ratings.models import Rating

from .conftest import DECIDED_ON, YEAR


@pytest.fixture
def rnd(rated):
    return actions.open_round(by=rated.admin, organisation=rated.P, year=YEAR, on=dt.date(2022, 12, 1))


def member_rating(w, member):
    return Rating.objects.get(year=YEAR, member=member, subject_kind="member")


def test_opening_a_round_creates_one_rating_per_subject(rated, rnd):
    counts = dict(
        (kind, Rating.objects.filter(round=rnd, subject_kind=kind).count())
        for kind in ("member", "organisation", "collective", "leader")
    )
    # 13 members; D1, D2, G1, GC1, G2, C1, C2, C3; collectives of D1, D2, G1, G2
    assert counts == {"member": 13, "organisation": 8, "collective": 4, "leader": 0}
    assert rnd.rule_set == "qd132"


def test_members_rated_in_their_grassroots_organisation(rated, rnd):
    assert member_rating(rated, rated.alice).quota_group == rated.G1
    assert (
        Rating.objects.get(year=YEAR, subject_kind="organisation", organisation=rated.C1).quota_group
        == rated.G1
    )
    assert (
        Rating.objects.get(year=YEAR, subject_kind="organisation", organisation=rated.G1).quota_group
        == rated.D1
    )


def test_a_cell_cannot_open_a_round(rated):
    with pytest.raises(DomainError) as exc:
        actions.open_round(by=SYSTEM, organisation=rated.C1, year=YEAR)
    assert exc.value.message == "Chi bộ thôn 1 is not a committee: only committees decide ratings."


def test_a_sibling_committee_cannot_open_a_round_here(rated):
    with pytest.raises(NotPermitted):
        actions.open_round(by=rated.outsider, organisation=rated.D1, year=YEAR)


def test_member_self_assesses_then_cell_reviews_then_committee_decides(rated, rnd):
    rating = member_rating(rated, rated.alice)
    actions.self_assess(by=rated.alice_user, rating=rating, text="Hoàn thành nhiệm vụ", level="good")
    actions.review(by=rated.secretary, rating=rating, text="Chi bộ nhất trí", level="good")
    actions.decide(by=rated.admin, rating=rating, level="good", on=DECIDED_ON)
    rating.refresh_from_db()
    assert (rating.self_level, rating.review_level, rating.level, rating.locked) == (
        "good",
        "good",
        "good",
        True,
    )
    assert list(history_of(rating).order_by("pk").values_list("action", flat=True)) == [
        "ratings.self_assess",
        "ratings.review",
        "ratings.decide",
    ]


def test_only_the_member_fills_their_self_assessment(rated, rnd):
    with pytest.raises(NotPermitted):
        actions.self_assess(
            by=rated.secretary, rating=member_rating(rated, rated.alice), text="x", level="good"
        )


def test_a_secretary_reviews_but_does_not_decide(rated, rnd):
    rating = member_rating(rated, rated.alice)
    with pytest.raises(NotPermitted):
        actions.decide(by=rated.secretary, rating=rating, level="good")


def test_a_decided_rating_is_locked(rated, rnd):
    rating = actions.decide(by=rated.admin, rating=member_rating(rated, rated.alice), level="good")
    with pytest.raises(DomainError) as exc:
        actions.review(by=rated.secretary, rating=rating, text="x", level="excellent")
    assert exc.value.message == "This rating is decided and locked; only an audited correction can change it."


def test_a_correction_is_audited_with_its_reason(rated, rnd):
    rating = actions.decide(by=rated.admin, rating=member_rating(rated, rated.alice), level="good")
    actions.correct_rating(by=rated.admin, rating=rating, level="completed", reason="Kết luận kiểm tra")
    entry = history_of(rating).get(action="ratings.correct")
    assert (entry.summary, entry.changes) == (
        "Corrected: Kết luận kiểm tra",
        {"level": ["good", "completed"]},
    )


def test_a_disciplined_member_cannot_be_decided_above_not_completed(rated, rnd):
    record_discipline(
        by=rated.inspector,
        member=rated.alice,
        form="reprimand",
        decided_on=dt.date(2022, 5, 1),
        deciding_body="Ủy ban Kiểm tra Huyện ủy 1",
    )
    with pytest.raises(DomainError) as exc:
        actions.decide(by=rated.admin, rating=member_rating(rated, rated.alice), level="completed")
    assert exc.value.code == "disciplined"
    assert exc.value.field == "level"


def test_the_first_excellent_of_a_group_may_be_decided_before_its_goods(rated, rnd):
    """The quota holds for the group as decided, whatever the order: G1's other eleven
    members are not decided yet and may still be rated good."""
    rating = actions.decide(by=rated.admin, rating=member_rating(rated, rated.alice), level="excellent")
    assert (rating.level, rating.locked) == ("excellent", True)


def test_the_decision_that_leaves_too_few_goods_for_the_excellent_is_refused(rated, rnd):
    actions.decide(by=rated.admin, rating=member_rating(rated, rated.alice), level="excellent")
    for dave in rated.daves[:4]:
        actions.decide(by=rated.admin, rating=member_rating(rated, dave), level="good")
    for other in [*rated.daves[4:], rated.bob][:-1]:
        actions.decide(by=rated.admin, rating=member_rating(rated, other), level="completed")
    # Bob is the last one who could be rated good: 1 excellent needs 5 good at 20%.
    with pytest.raises(DomainError) as exc:
        actions.decide(by=rated.admin, rating=member_rating(rated, rated.bob), level="completed")
    assert exc.value.code == "excellent_quota"
    assert exc.value.message == (
        "1 excellent exceeds 20% of 4 rated good in Đảng bộ xã 1 (G1) (Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW)."
    )
    assert actions.decide(by=rated.admin, rating=member_rating(rated, rated.bob), level="good").locked


def test_goods_first_then_the_excellent_is_accepted_too(rated, rnd):
    for dave in rated.daves[:5]:
        actions.decide(by=rated.admin, rating=member_rating(rated, dave), level="good")
    assert actions.decide(by=rated.admin, rating=member_rating(rated, rated.alice), level="excellent").locked


def test_the_round_is_decided_at_once_from_the_proposals(rated, rnd):
    Rating.objects.filter(round=rnd).update(review_level="good")
    Rating.objects.filter(round=rnd, member=rated.alice).update(review_level="excellent")
    assert actions.decide_round(by=rated.admin, round=rnd, on=DECIDED_ON) == 25
    assert set(Rating.objects.filter(round=rnd).values_list("level", flat=True)) == {"excellent", "good"}
    assert Rating.objects.filter(round=rnd, locked=True).count() == 25


def test_a_round_with_too_many_excellent_is_refused_whole(rated, rnd):
    Rating.objects.filter(round=rnd).update(review_level="good")
    Rating.objects.filter(round=rnd, member__in=rated.daves[:3]).update(review_level="excellent")
    with pytest.raises(DomainError) as exc:
        actions.decide_round(by=rated.admin, round=rnd)
    assert exc.value.message == (
        "3 excellent exceeds 20% of 9 rated good in Đảng bộ xã 1 (G1) (Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW)."
    )
    assert Rating.objects.filter(round=rnd, locked=True).count() == 0


def test_a_round_without_proposals_is_refused(rated, rnd):
    with pytest.raises(DomainError) as exc:
        actions.decide_round(by=rated.admin, round=rnd)
    assert exc.value.message == "25 ratings have no proposed level yet."


def test_a_collective_whose_member_was_warned_is_not_completed_before_2023(rated, rnd):
    from serment.members.actions import assign_post

    assign_post(
        by=SYSTEM, member=rated.bob, organisation=rated.G1, post="committee_member", on=dt.date(2020, 1, 1)
    )
    record_discipline(
        by=SYSTEM, member=rated.bob, form="warning", decided_on=dt.date(2022, 3, 1), deciding_body="UBKT"
    )
    rating = Rating.objects.get(year=YEAR, subject_kind="collective", organisation=rated.G1)
    with pytest.raises(DomainError) as exc:
        actions.review(by=rated.g1_staff, rating=rating, text="", level="completed")
    assert exc.value.code == "collective_member_disciplined"

"""Each rating action's ``check_<action>``: one refusal per code, asserted by its code;
the action refuses with the same codes; the rating page offers what the checks allow."""

import datetime as dt
from decimal import Decimal

import pytest

from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.inspection.actions import record_discipline
from serment.ratings import actions
from serment.ratings.models import Rating, RatingRound

from .conftest import DECIDED_ON, YEAR


def codes(refusals):
    return [r.code for r in refusals]


@pytest.fixture
def client():
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def rnd(rated):
    return actions.open_round(by=rated.admin, organisation=rated.P, year=YEAR, on=dt.date(2022, 12, 1))


def member_rating(member):
    return Rating.objects.select_related("round__organisation", "organisation").get(
        year=YEAR, member=member, subject_kind="member"
    )


# --- open_round ---------------------------------------------------------------------


def test_open_round_codes(rated, rnd):
    check = actions.check_open_round
    on = dt.date(2022, 12, 1)
    assert codes(check(by=rated.outsider, organisation=rated.D1, year=YEAR, on=on)) == ["not_permitted"]
    assert codes(check(by=None, organisation=rated.D1, year=YEAR, on=on)) == ["no_actor"]
    assert codes(check(by=SYSTEM, organisation=rated.C1, year=2021, on=on)) == ["not_a_committee"]
    assert codes(check(by=SYSTEM, organisation=rated.D1, year=2010, on=on)) == ["no_rules_for_year"]
    assert codes(check(by=SYSTEM, organisation=rated.D1, year=2023, on=on)) == ["year_not_begun"]
    assert codes(check(by=SYSTEM, organisation=rated.P, year=YEAR, on=on)) == ["round_exists"]
    with pytest.raises(Refused) as exc:
        actions.open_round(by=SYSTEM, organisation=rated.P, year=YEAR, on=on)
    assert exc.value.codes == ["round_exists"]
    assert RatingRound.objects.count() == 1


# --- self_assess --------------------------------------------------------------------


def test_self_assess_codes(rated, rnd):
    rating = member_rating(rated.alice)
    check = actions.check_self_assess
    assert codes(check(by=rated.secretary, rating=rating, text="x", level="good")) == ["not_permitted"]
    assert codes(check(by=None, rating=rating, text="x", level="good")) == ["no_actor"]
    assert codes(check(by=rated.alice_user, rating=rating, text=" ", level="best")) == [
        "level_required",
        "text_required",
    ]
    assert codes(
        check(
            by=rated.alice_user,
            rating=rating,
            text="x",
            level="good",
            score=Decimal(120),
            tasks_exceeded=Decimal(2),
        )
    ) == ["score_out_of_range", "share_out_of_range"]
    assert check(by=rated.alice_user, rating=rating, text="x", level="good") == []
    with pytest.raises(Refused) as exc:
        actions.self_assess(by=rated.alice_user, rating=rating, text="", level="good")
    assert exc.value.codes == ["text_required"]


def test_the_2025_rules_need_a_score(rated):
    rnd = RatingRound.objects.create(
        organisation=rated.P, year=2025, rule_set="qd366", opened_on=dt.date(2025, 12, 1)
    )
    rating = Rating.objects.create(
        round=rnd,
        year=2025,
        subject_kind="member",
        member=rated.alice,
        organisation=rated.C1,
        quota_group=rated.G1,
    )
    assert codes(actions.check_self_assess(by=rated.alice_user, rating=rating, text="x", level="good")) == [
        "score_required"
    ]


def test_a_decided_rating_is_locked_for_every_step_but_the_correction(rated, rnd):
    rating = member_rating(rated.alice)
    actions.decide(by=rated.admin, rating=rating, level="good", on=DECIDED_ON)
    rating.refresh_from_db()
    assert codes(actions.check_self_assess(by=rated.alice_user, rating=rating, text="x", level="good")) == [
        "rating_locked"
    ]
    assert codes(actions.check_review(by=rated.secretary, rating=rating, level="good")) == ["rating_locked"]
    assert codes(actions.check_decide(by=rated.admin, rating=rating, level="good")) == ["rating_locked"]
    with pytest.raises(Refused) as exc:
        actions.review(by=rated.secretary, rating=rating, text="", level="good")
    assert exc.value.codes == ["rating_locked"]


# --- review, review_many --------------------------------------------------------------


def test_review_codes(rated, rnd):
    rating = member_rating(rated.alice)
    assert codes(actions.check_review(by=rated.outsider, rating=rating, level="good")) == ["not_permitted"]
    assert codes(actions.check_review(by=rated.secretary, rating=rating, level="")) == ["level_required"]
    record_discipline(
        by=SYSTEM, member=rated.alice, form="warning", decided_on=dt.date(2022, 3, 1), deciding_body="UBKT"
    )
    assert codes(actions.check_review(by=rated.secretary, rating=rating, level="good")) == ["disciplined"]
    assert actions.check_review(by=rated.secretary, rating=rating, level="not_completed") == []


def test_review_many_codes(rated, rnd):
    alice, bob = member_rating(rated.alice), member_rating(rated.bob)
    check = actions.check_review_many
    assert codes(check(by=rated.secretary, round=rnd, levels={alice.pk: "good", bob.pk: "good"})) == [
        "not_permitted"  # bob is in C2, not the secretary's cell
    ]
    assert codes(check(by=rated.secretary, round=rnd, levels={alice.pk: "good", 10**9: "good"})) == [
        "ratings_not_in_round"
    ]
    assert codes(check(by=rated.secretary, round=rnd, levels={alice.pk: "top"})) == ["level_required"]
    assert codes(check(by=rated.admin, round=rnd, levels={})) == ["nothing_to_review"]
    actions.decide(by=rated.admin, rating=alice, level="good", on=DECIDED_ON)
    assert codes(check(by=rated.secretary, round=rnd, levels={alice.pk: "good"})) == ["rating_locked"]
    with pytest.raises(Refused) as exc:
        actions.review_many(by=rated.secretary, round=rnd, levels={alice.pk: "good"})
    assert exc.value.codes == ["rating_locked"]


# --- decide, decide_round, correct_rating -------------------------------------------------


def test_decide_codes(rated, rnd):
    rating = member_rating(rated.alice)
    assert codes(actions.check_decide(by=rated.secretary, rating=rating, level="good")) == ["not_permitted"]
    assert codes(actions.check_decide(by=rated.admin, rating=rating, level="")) == ["level_required"]
    assert actions.check_decide(by=rated.admin, rating=rating, level="good") == []


def test_decide_refuses_the_quota_by_its_code_and_source(rated, rnd):
    others = [member_rating(m) for m in [*rated.daves, rated.bob]]
    for r in others:  # the rest of G1's members decided "completed": no one rated good
        actions.decide(by=rated.admin, rating=r, level="completed", on=DECIDED_ON)
    rating = member_rating(rated.alice)
    refusals = actions.check_decide(by=rated.admin, rating=rating, level="excellent")
    assert codes(refusals) == ["excellent_quota"]
    assert (refusals[0].field, refusals[0].source) == ("level", "Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW")
    with pytest.raises(Refused) as exc:
        actions.decide(by=rated.admin, rating=rating, level="excellent", on=DECIDED_ON)
    assert exc.value.codes == ["excellent_quota"]
    corrected = member_rating(rated.bob)
    assert codes(
        actions.check_correct_rating(by=rated.admin, rating=corrected, level="excellent", reason="x")
    ) == ["excellent_quota"]


def test_decide_round_codes(rated, rnd):
    assert codes(actions.check_decide_round(by=rated.d1_staff, round=rnd)) == ["not_permitted"]
    assert codes(actions.check_decide_round(by=None, round=rnd)) == ["no_actor"]
    assert codes(actions.check_decide_round(by=rated.admin, round=rnd)) == ["no_proposed_level"]
    with pytest.raises(Refused) as exc:
        actions.decide_round(by=rated.admin, round=rnd)
    assert exc.value.codes == ["no_proposed_level"]
    Rating.objects.filter(round=rnd).update(review_level="completed")
    assert actions.check_decide_round(by=rated.admin, round=rnd) == []
    actions.decide_round(by=rated.admin, round=rnd, on=DECIDED_ON)
    rnd.refresh_from_db()
    assert codes(actions.check_decide_round(by=rated.admin, round=rnd)) == ["round_decided"]


def test_decide_round_names_the_broken_rule(rated, rnd):
    Rating.objects.filter(round=rnd).update(review_level="completed")
    record_discipline(
        by=SYSTEM, member=rated.alice, form="warning", decided_on=dt.date(2022, 3, 1), deciding_body="UBKT"
    )
    Rating.objects.filter(round=rnd, member=rated.alice, subject_kind="member").update(review_level="good")
    assert codes(actions.check_decide_round(by=rated.admin, round=rnd)) == ["disciplined"]


def test_correct_rating_codes(rated, rnd):
    rating = member_rating(rated.alice)
    assert codes(actions.check_correct_rating(by=rated.admin, rating=rating, level="good", reason="x")) == [
        "not_decided"
    ]
    actions.decide(by=rated.admin, rating=rating, level="good", on=DECIDED_ON)
    rating.refresh_from_db()
    assert codes(actions.check_correct_rating(by=rated.admin, rating=rating, level="good", reason="")) == [
        "reason_required",
        "same_level",
    ]
    assert codes(
        actions.check_correct_rating(by=rated.secretary, rating=rating, level="completed", reason="x")
    ) == ["not_permitted"]
    with pytest.raises(Refused) as exc:
        actions.correct_rating(by=rated.admin, rating=rating, level="good", reason="x")
    assert exc.value.codes == ["same_level"]


# --- set_target, import_past_ratings -----------------------------------------------------


def test_set_target_codes(rated):
    check = actions.check_set_target
    assert codes(check(by=rated.outsider, organisation=rated.D1)) == ["not_permitted"]
    assert codes(
        check(by=SYSTEM, organisation=rated.D1, first_year=2023, last_year=2021, good_or_better=Decimal(120))
    ) == ["last_year_before_first", "share_out_of_range"]
    actions.set_target(
        by=SYSTEM,
        organisation=rated.D1,
        group="",
        first_year=2021,
        last_year=2025,
        good_or_better=Decimal(87),
    )
    assert codes(
        check(
            by=SYSTEM,
            organisation=rated.D1,
            group="",
            first_year=2023,
            last_year=2024,
            good_or_better=Decimal(90),
        )
    ) == ["target_overlaps"]
    with pytest.raises(Refused) as exc:
        actions.set_target(
            by=SYSTEM,
            organisation=rated.D1,
            group="",
            first_year=2023,
            last_year=2024,
            good_or_better=Decimal(90),
        )
    assert exc.value.codes == ["target_overlaps"]


def test_import_past_ratings_codes(rated):
    row = actions.PastRating(
        year=2021,
        subject_kind="member",
        organisation_id=rated.C1.pk,
        committee_id=rated.G1.pk,
        level="good",
        decided_on=dt.date(2021, 12, 20),
        member_id=rated.alice.pk,
    )
    check = actions.check_import_past_ratings
    assert codes(check(by=rated.outsider, rows=[row])) == ["not_permitted"]
    cell_row = actions.PastRating(**{**row.__dict__, "committee_id": rated.C1.pk})
    assert codes(check(by=SYSTEM, rows=[cell_row])) == ["not_a_committee"]
    record_discipline(
        by=SYSTEM, member=rated.alice, form="warning", decided_on=dt.date(2021, 3, 1), deciding_body="UBKT"
    )
    assert codes(check(by=SYSTEM, rows=[row])) == ["disciplined"]
    with pytest.raises(Refused) as exc:
        actions.import_past_ratings(by=SYSTEM, rows=[row])
    assert exc.value.codes == ["disciplined"]


# --- the page offers the steps their checks allow ---------------------------------------------


def test_the_rating_page_offers_what_the_checks_allow(client, rated, rnd):
    rating = member_rating(rated.alice)
    client.force_login(rated.alice_user)
    assert [s for s, _label in client.get(f"/ratings/r/{rating.pk}/").context["steps"]] == ["self-assess"]
    client.force_login(rated.admin)
    assert [s for s, _label in client.get(f"/ratings/r/{rating.pk}/").context["steps"]] == [
        "review",
        "decide",
    ]
    actions.decide(by=rated.admin, rating=rating, level="good", on=DECIDED_ON)
    page = client.get(f"/ratings/r/{rating.pk}/")
    assert [s for s, _label in page.context["steps"]] == ["correct"]
    assert "Correct" in page.content.decode()

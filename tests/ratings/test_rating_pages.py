"""Rating pages: who sees what (out of scope is a 404), forms that call the
actions and show refusals, the report's drill-down and exports, query counts."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from serment.core.actors import SYSTEM
from serment.ratings import actions
from serment.ratings.models import Rating

from .conftest import YEAR


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def rnd(rated):
    return actions.open_round(by=SYSTEM, organisation=rated.P, year=YEAR, on=dt.date(2022, 12, 1))


def rating_of(member):
    return Rating.objects.get(year=YEAR, member=member, subject_kind="member")


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_an_outsider_gets_404_for_a_rating_in_a_sibling_subtree(client, rated, rnd):
    url = reverse("ratings:rating", args=[rating_of(rated.alice).pk])
    assert get(client, rated.outsider, url).status_code == 404
    assert get(client, rated.d1_staff, url).status_code == 200


def test_a_member_sees_the_review_and_decision_of_their_rating_only_once_decided(client, rated, rnd):
    rating = rating_of(rated.alice)
    actions.review(by=SYSTEM, rating=rating, text="Chi bộ đề nghị", level="completed")
    url = reverse("ratings:rating", args=[rating.pk])
    response = get(client, rated.alice_user, url)
    assert (response.status_code, response.context["show_collective"]) == (200, False)
    assert "Chi bộ đề nghị" not in response.content.decode()
    actions.decide(by=SYSTEM, rating=rating, level="completed")
    response = get(client, rated.alice_user, url)
    assert response.context["show_collective"] is True
    assert "Chi bộ đề nghị" in response.content.decode()


def test_a_member_never_sees_a_colleagues_rating(client, rated, rnd):
    bob = actions.decide(by=SYSTEM, rating=rating_of(rated.bob), level="good")
    assert get(client, rated.alice_user, reverse("ratings:rating", args=[bob.pk])).status_code == 404


def test_the_decide_form_shows_the_quota_refusal_on_the_level_field(client, rated, rnd):
    # The quota holds for the group as finally decided, whatever the order (rules): an
    # undecided rating may still be decided good, so G1's other eleven members are decided
    # first, none of them good, for alice's excellent to break the quota.
    for other in [rated.bob, *rated.daves]:
        actions.decide(by=SYSTEM, rating=rating_of(other), level="completed")
    client.force_login(rated.admin)
    response = client.post(
        reverse("ratings:step", args=[rating_of(rated.alice).pk, "decide"]), {"level": "excellent"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "level": [
            "1 excellent exceeds 20% of 0 rated good in Đảng bộ xã 1 (G1) (Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW)."
        ]
    }
    assert rating_of(rated.alice).locked is False


def test_a_secretary_reviews_a_member_of_their_cell(client, rated, rnd):
    client.force_login(rated.secretary)
    url = reverse("ratings:step", args=[rating_of(rated.alice).pk, "review"])
    response = client.post(url, {"text": "Nhất trí", "level": "good"})
    assert response.status_code == 302
    assert rating_of(rated.alice).review_level == "good"


def test_a_secretary_may_not_decide(client, rated, rnd):
    client.force_login(rated.secretary)
    response = client.post(
        reverse("ratings:step", args=[rating_of(rated.alice).pk, "decide"]), {"level": "good"}
    )
    assert response.status_code == 403
    assert rating_of(rated.alice).level == ""


def test_a_member_fills_their_self_assessment(client, rated, rnd):
    client.force_login(rated.alice_user)
    response = client.post(
        reverse("ratings:step", args=[rating_of(rated.alice).pk, "self-assess"]),
        {"text": "Hoàn thành tốt", "level": "good"},
    )
    assert response.status_code == 302
    assert rating_of(rated.alice).self_level == "good"


def test_the_round_is_decided_from_its_page(client, rated, rnd):
    Rating.objects.filter(round=rnd).update(review_level="good")
    client.force_login(rated.admin)
    response = client.post(reverse("ratings:decide_round", args=[rnd.pk]), {})
    assert response.status_code == 302
    assert Rating.objects.filter(round=rnd, locked=True).count() == 25


def _decide_all(rnd):
    Rating.objects.filter(round=rnd).update(review_level="good")
    actions.decide_round(by=SYSTEM, round=rnd)


def test_report_figures_drill_down_to_their_records(client, rated, rnd):
    _decide_all(rnd)
    response = get(client, rated.admin, reverse("ratings:records") + f"?year={YEAR}&group=members&level=good")
    assert response.context["page"].paginator.count == 13
    response = get(
        client, rated.outsider, reverse("ratings:records") + f"?year={YEAR}&group=members&level=good"
    )
    assert [r.member.full_name for r in response.context["page"]] == ["Phạm Thị Carol"]


def test_report_page_for_another_subtree_is_404(client, rated, rnd):
    _decide_all(rnd)
    assert get(client, rated.outsider, reverse("ratings:report") + f"?org={rated.D1.pk}").status_code == 404


def test_report_xlsx_export(client, rated, rnd):
    _decide_all(rnd)
    response = get(client, rated.admin, reverse("ratings:report") + f"?year={YEAR}&format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("extra", [0, 3])
def test_round_and_report_pages_do_not_query_per_row(client, rated, django_assert_max_num_queries, extra):
    from tests import factories as f

    for i in range(extra * 5):
        f.member(rated.C2, full_name=f"Thêm {i}")
    rnd = actions.open_round(by=SYSTEM, organisation=rated.P, year=YEAR, on=dt.date(2022, 12, 1))
    _decide_all(rnd)
    client.force_login(rated.admin)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("ratings:round", args=[rnd.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("ratings:report") + f"?year={YEAR}").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("ratings:records") + f"?year={YEAR}&group=members").status_code == 200


def test_the_index_lists_rounds_and_my_ratings(client, rated, rnd):
    actions.decide(by=SYSTEM, rating=rating_of(rated.alice), level="good")
    response = get(client, rated.alice_user, reverse("ratings:index"))
    assert [r.year for r in response.context["own"]] == [YEAR]
    assert list(response.context["rounds"]) == []
    # the province's round reaches into D1: D1's staff list it, counting D1's subjects only
    (seen,) = get(client, rated.d1_staff, reverse("ratings:index")).context["rounds"]
    in_d1 = Rating.objects.filter(round=rnd, organisation__path__startswith=rated.D1.path).count()
    assert (seen.pk, seen.subjects) == (rnd.pk, in_d1)
    assert 0 < in_d1 < Rating.objects.filter(round=rnd).count()
    assert [r.pk for r in get(client, rated.admin, reverse("ratings:index")).context["rounds"]] == [rnd.pk]


def test_the_report_page_speaks_vietnamese_and_french(rated, rnd):
    _decide_all(rnd)
    for language, label in (("vi", "Tổ chức cơ sở đảng"), ("fr", "Organisations de base")):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(rated.admin)
        assert label in client.get(reverse("ratings:report") + f"?year={YEAR}").content.decode()

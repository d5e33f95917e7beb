"""A rating's steps and a candidate's admission step through the API: the same actions
and checks as the pages, refusals with their code in the language asked for, out of
scope a 404, and the version rule (If-Match) on every write."""

import datetime as dt

import pytest

from serment.admissions import actions as admission_actions
from serment.admissions.models import Step, StepKind
from serment.core.actors import SYSTEM
from serment.ratings import actions as rating_actions
from serment.ratings.models import Rating

YEAR = 2022
JSON = "application/json"


@pytest.fixture
def rnd(world):
    return rating_actions.open_round(by=SYSTEM, organisation=world.P, year=YEAR, on=dt.date(2022, 12, 1))


@pytest.fixture
def huong(world):
    return admission_actions.register_candidate(
        by=world.secretary,
        organisation=world.C1,
        full_name="Lý Thị Hương",
        date_of_birth=dt.date(2000, 3, 15),
        sex="female",
        citizen_id="079300000001",
    )


def rating_of(member):
    return Rating.objects.get(year=YEAR, member=member, subject_kind="member")


def read(client, url):
    answer = client.get(url)
    assert answer.status_code == 200, answer.content
    assert answer["ETag"] == f'"{answer.json()["version"]}"'
    return answer["ETag"]


def test_the_three_steps_of_a_rating(world, rnd, token_for):
    rating = rating_of(world.alice)
    url = f"/api/ratings/{rating.pk}"
    alice, secretary, admin = token_for(world.alice_user), token_for(world.secretary), token_for(world.admin)

    done = alice.post(
        url + "/self-assessment",
        {"text": "Kept every promise.", "level": "good"},
        content_type=JSON,
        HTTP_IF_MATCH=read(alice, url),
    )
    assert done.status_code == 200, done.content
    assert done.json()["self_level"] == "good"
    assert done.json()["review_level"] is None  # hidden from the subject until decided

    reviewed = secretary.post(
        url + "/review", {"level": "good"}, content_type=JSON, HTTP_IF_MATCH=done["ETag"]
    )
    assert reviewed.status_code == 200, reviewed.content
    decided = admin.post(
        url + "/decision",
        {"level": "good", "on": "2022-12-20"},
        content_type=JSON,
        HTTP_IF_MATCH=reviewed["ETag"],
    )
    assert decided.status_code == 200, decided.content
    rating.refresh_from_db()
    assert (rating.self_level, rating.review_level, rating.level, rating.locked) == (
        "good",
        "good",
        "good",
        True,
    )
    assert alice.get(url).json()["level"] == "good"


def test_only_the_member_themself_self_assesses(world, rnd, token_for):
    rating = rating_of(world.alice)
    url = f"/api/ratings/{rating.pk}"
    secretary = token_for(world.secretary)
    answer = secretary.post(
        url + "/self-assessment",
        {"text": "x", "level": "good"},
        content_type=JSON,
        HTTP_IF_MATCH=read(secretary, url),
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_permitted"


def test_a_cell_may_not_decide(world, rnd, token_for):
    url = f"/api/ratings/{rating_of(world.alice).pk}"
    secretary = token_for(world.secretary)
    answer = secretary.post(
        url + "/decision", {"level": "good"}, content_type=JSON, HTTP_IF_MATCH=read(secretary, url)
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_permitted"
    assert rating_of(world.alice).level == ""


def test_a_rule_refusal_is_a_422_with_its_code_in_the_language_asked_for(world, rnd, token_for):
    from serment.inspection.actions import record_discipline

    record_discipline(
        by=SYSTEM,
        member=world.alice,
        form="reprimand",
        decided_on=dt.date(2022, 5, 1),
        deciding_body="Ủy ban Kiểm tra Huyện ủy 1",
    )
    url = f"/api/ratings/{rating_of(world.alice).pk}"
    admin = token_for(world.admin)
    version = read(admin, url)
    answers = {
        lang: admin.post(
            url + "/decision",
            {"level": "good"},
            content_type=JSON,
            HTTP_IF_MATCH=version,
            HTTP_ACCEPT_LANGUAGE=lang,
        )
        for lang in ("en", "vi")
    }
    assert {lang: a.status_code for lang, a in answers.items()} == {"en": 422, "vi": 422}
    assert answers["en"].json()["code"] == answers["vi"].json()["code"] != "invalid"
    assert answers["en"].json()["field"] == "level"
    assert answers["en"].json()["message"] != answers["vi"].json()["message"]
    assert rating_of(world.alice).level == ""


def test_an_out_of_scope_rating_answers_404(world, rnd, token_for):
    url = f"/api/ratings/{rating_of(world.carol).pk}"
    client = token_for(world.d1_staff)
    assert client.get(url).status_code == 404
    answer = client.post(url + "/review", {"level": "good"}, content_type=JSON, HTTP_IF_MATCH='"0"')
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_two_writers_the_second_is_refused_as_stale_and_nothing_is_lost(world, rnd, token_for):
    rating = rating_of(world.alice)
    url = f"/api/ratings/{rating.pk}"
    first, second = token_for(world.secretary), token_for(world.g1_staff)
    version_first, version_second = read(first, url), read(second, url)
    assert version_first == version_second

    ok = first.post(
        url + "/review",
        {"text": "Good work.", "level": "good"},
        content_type=JSON,
        HTTP_IF_MATCH=version_first,
    )
    assert ok.status_code == 200, ok.content
    stale = second.post(
        url + "/review",
        {"text": "Average.", "level": "completed"},
        content_type=JSON,
        HTTP_IF_MATCH=version_second,
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "stale_form"
    assert "secretary" in body["message"] and "review_level" in body["message"]
    assert stale["ETag"] == ok["ETag"] == f'"{body["version"]}"'
    rating.refresh_from_db()
    assert (rating.review, rating.review_level) == ("Good work.", "good")

    again = second.post(
        url + "/review",
        {"text": "Average.", "level": "completed"},
        content_type=JSON,
        HTTP_IF_MATCH=stale["ETag"],
    )
    assert again.status_code == 200, again.content


@pytest.mark.parametrize(
    "header, status, code",
    [(None, 428, "version_required"), ("yesterday", 422, "bad_version"), ('"99999999"', 422, "bad_version")],
)
def test_a_write_without_a_valid_version_is_refused(world, rnd, token_for, header, status, code):
    url = f"/api/ratings/{rating_of(world.alice).pk}/review"
    extra = {"HTTP_IF_MATCH": header} if header is not None else {}
    answer = token_for(world.secretary).post(url, {"level": "good"}, content_type=JSON, **extra)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert rating_of(world.alice).review_level == ""


def test_a_candidate_step_goes_through_the_check(world, huong, token_for):
    url = f"/api/candidates/{huong.pk}"
    secretary = token_for(world.secretary)
    done = secretary.post(
        url + "/steps",
        {"kind": "certificate", "on": "2022-03-01", "document_ref": "GCN-1"},
        content_type=JSON,
        HTTP_IF_MATCH=read(secretary, url),
    )
    assert done.status_code == 200, done.content
    assert [s["kind"] for s in done.json()["steps"]] == ["certificate"]

    out_of_order = secretary.post(
        url + "/steps",
        {"kind": "cell_resolution", "on": "2023-03-10", "votes_for": 2},
        content_type=JSON,
        HTTP_IF_MATCH=done["ETag"],
    )
    assert out_of_order.status_code == 422
    assert out_of_order.json()["code"] != "invalid"
    assert [r["code"] for r in out_of_order.json()["refusals"]] == [out_of_order.json()["code"]]

    not_the_cells = secretary.post(
        url + "/steps",
        {"kind": "decision", "on": "2023-04-01"},
        content_type=JSON,
        HTTP_IF_MATCH=done["ETag"],
    )
    assert (not_the_cells.status_code, not_the_cells.json()["code"]) == (403, "not_permitted")
    assert list(Step.objects.filter(candidate=huong).values_list("kind", flat=True)) == [StepKind.CERTIFICATE]


def test_a_candidate_step_with_a_stale_version_is_refused(world, huong, token_for):
    url = f"/api/candidates/{huong.pk}"
    secretary = token_for(world.secretary)
    version = read(secretary, url)
    admission_actions.record_step(
        by=world.secretary, candidate=huong, kind=StepKind.CERTIFICATE, on=dt.date(2022, 3, 1)
    )
    answer = secretary.post(
        url + "/steps",
        {"kind": "application", "on": "2023-02-01"},
        content_type=JSON,
        HTTP_IF_MATCH=version,
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "stale_form")
    assert Step.objects.filter(candidate=huong).count() == 1


def test_an_out_of_scope_candidate_answers_404(world, huong, token_for):
    answer = token_for(world.outsider).get(f"/api/candidates/{huong.pk}")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


def test_malformed_input_answers_422_with_the_field(world, rnd, token_for):
    url = f"/api/ratings/{rating_of(world.alice).pk}/review"
    answer = token_for(world.secretary).post(url, {"text": "x"}, content_type=JSON, HTTP_IF_MATCH='"0"')
    assert answer.status_code == 422
    assert (answer.json()["code"], answer.json()["field"]) == ("invalid_input", "level")

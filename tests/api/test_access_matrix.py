"""The API access matrix (issue 15): each role's token × each endpoint × an object in and
out of the role's scope answers as the page showing the same object does — 404 outside
the scope, 403 where the role sees but may not act, and the page's success as a 200.
Tokens never reach wider than their user: a read-only token is refused on every write."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from serment.admissions.actions import register_candidate
from serment.core.actors import SYSTEM
from serment.ratings.actions import open_round
from serment.ratings.models import Rating
from tests import factories as f

ROLES = (
    "admin",
    "d1_staff",
    "g1_staff",
    "secretary",
    "leader",
    "inspector",
    "outsider",
    "alice_user",
    "nobody",
)
JSON = "application/json"


@pytest.fixture
def matrix(world):
    w = world
    w.nobody = f.user("nobody")
    open_round(by=SYSTEM, organisation=w.P, year=2022, on=dt.date(2022, 12, 1))
    w.candidates = {
        side: register_candidate(
            by=SYSTEM,
            organisation=cell,
            full_name=f"Ứng viên {side}",
            date_of_birth=dt.date(2000, 3, 15),
            sex="female",
            citizen_id=f"07930000000{n}",
        )
        for n, (side, cell) in enumerate((("in", w.C1), ("out", w.C3)))
    }
    w.objects = {
        "in": {"member": w.alice, "org": w.C1, "candidate": w.candidates["in"]},
        "out": {"member": w.carol, "org": w.C3, "candidate": w.candidates["out"]},
    }
    for side in ("in", "out"):
        member = w.objects[side]["member"]
        w.objects[side]["rating"] = Rating.objects.get(year=2022, member=member, subject_kind="member")
    return w


# (name, API path, the page showing the same object)
READS = [
    (
        "member",
        lambda o: f"/api/members/{o['member'].pk}",
        lambda o: reverse("members:detail", args=[o["member"].pk]),
    ),
    (
        "history",
        lambda o: f"/api/members/{o['member'].pk}/history",
        lambda o: reverse("members:detail", args=[o["member"].pk]),
    ),
    (
        "organisation",
        lambda o: f"/api/organisations/{o['org'].pk}",
        lambda o: reverse("organisations:detail", args=[o["org"].pk]),
    ),
    (
        "rating",
        lambda o: f"/api/ratings/{o['rating'].pk}",
        lambda o: reverse("ratings:rating", args=[o["rating"].pk]),
    ),
    (
        "candidate",
        lambda o: f"/api/candidates/{o['candidate'].pk}",
        lambda o: reverse("admissions:candidate", args=[o["candidate"].pk]),
    ),
]


def _page(user, url, data=None):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.post(url, data) if data is not None else client.get(url)


def _api_status_as_page(status: int) -> int:
    return {302: 200}.get(status, status)


@pytest.mark.parametrize("side", ["in", "out"])
@pytest.mark.parametrize("role", ROLES)
def test_reads_answer_as_the_pages(matrix, token_for, role, side):
    user = getattr(matrix, role)
    objects = matrix.objects[side]
    client = token_for(user, read_only=True)
    api = {name: client.get(api_url(objects)).status_code for name, api_url, _page_url in READS}
    pages = {name: _page(user, page_url(objects)).status_code for name, _api_url, page_url in READS}
    assert api == pages
    if side == "out" and role not in ("admin", "outsider"):  # C3 is the outsider's own subtree
        assert set(api.values()) == {404}


@pytest.mark.parametrize("side", ["in", "out"])
@pytest.mark.parametrize("role", ROLES)
def test_a_review_answers_as_the_page(matrix, token_for, role, side):
    """The collective's review: the API's answer is the page's (its 302 a 200)."""
    user = getattr(matrix, role)
    rating = matrix.objects[side]["rating"]
    client = token_for(user)
    version = client.get(f"/api/ratings/{rating.pk}").get("ETag", '"0"')
    api = client.post(
        f"/api/ratings/{rating.pk}/review", {"level": "good"}, content_type=JSON, HTTP_IF_MATCH=version
    )
    page = _page(user, reverse("ratings:step", args=[rating.pk, "review"]), {"level": "good", "text": ""})
    assert api.status_code == _api_status_as_page(page.status_code)
    if api.status_code in (403, 404):
        assert api.json()["code"] == {403: "not_permitted", 404: "not_found"}[api.status_code]


@pytest.mark.parametrize("side", ["in", "out"])
@pytest.mark.parametrize("role", ROLES)
def test_a_candidate_step_answers_as_the_page(matrix, token_for, role, side):
    user = getattr(matrix, role)
    candidate = matrix.objects[side]["candidate"]
    client = token_for(user)
    version = client.get(f"/api/candidates/{candidate.pk}").get("ETag", '"0"')
    body = {"kind": "certificate", "on": "2022-03-01"}
    api = client.post(f"/api/candidates/{candidate.pk}/steps", body, content_type=JSON, HTTP_IF_MATCH=version)
    page = _page(
        user, reverse("admissions:candidate_step", args=[candidate.pk]), {**body, "document_ref": ""}
    )
    assert api.status_code == _api_status_as_page(page.status_code), api.content


@pytest.mark.parametrize("role", ROLES)
def test_a_read_only_token_is_refused_on_every_write_whoever_holds_it(matrix, token_for, role):
    client = token_for(getattr(matrix, role), read_only=True)
    objects = matrix.objects["in"]
    writes = [
        f"/api/members/{objects['member'].pk}/exempt",
        f"/api/ratings/{objects['rating'].pk}/review",
        f"/api/candidates/{objects['candidate'].pk}/steps",
        f"/api/members/{objects['member'].pk}/transfer-letter",
        f"/api/transfer-packages?cell={objects['org'].pk}",
    ]
    answers = {url: client.post(url, {}, content_type=JSON) for url in writes}
    assert {url: (a.status_code, a.json()["code"]) for url, a in answers.items()} == dict.fromkeys(
        writes, (403, "read_only_token")
    )

"""The API answers as the pages do: the same scope (404 outside it), the same
actions and refusal codes, never a 500."""

import pytest
from django.test import Client

from serment.members.models import State


def test_without_credentials_nothing_is_answered(world):
    answer = Client().get("/api/members")
    assert answer.status_code == 401


def test_member_list_is_scoped_and_searches_without_diacritics(world, token_for):
    client = token_for(world.d1_staff, read_only=True)
    names = [m["full_name"] for m in client.get("/api/members").json()["items"]]
    assert sorted(names) == ["Lê Văn Bob", "Trần Thị Alice"]
    found = client.get("/api/members", {"q": "tran thi"}).json()["items"]
    assert [m["full_name"] for m in found] == ["Trần Thị Alice"]


def test_cursor_pagination_walks_the_whole_list_once(world, token_for):
    client = token_for(world.admin, read_only=True)
    seen, cursor = [], None
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/members", params).json()
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([world.alice.pk, world.bob.pk, world.carol.pk])
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    "url", ["/api/members/{carol}", "/api/members/{carol}/history", "/api/organisations/{C3}"]
)
def test_out_of_scope_objects_answer_404(world, token_for, url):
    client = token_for(world.d1_staff, read_only=True)
    answer = client.get(url.format(carol=world.carol.pk, C3=world.C3.pk))
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_history_is_the_member_pages_history(world, token_for):
    from serment.members.queries import member_history

    got = token_for(world.alice_user, read_only=True).get(f"/api/members/{world.alice.pk}/history").json()
    assert [(e["kind"], e["label"]) for e in got] == [
        (e.kind, str(e.label)) for e in member_history(world.alice)
    ]
    assert {"cell", "standing"} <= {e["kind"] for e in got}


def test_a_member_sees_their_own_record_only(world, token_for):
    client = token_for(world.alice_user, read_only=True)
    assert client.get(f"/api/members/{world.alice.pk}").json()["full_name"] == "Trần Thị Alice"
    assert client.get(f"/api/members/{world.bob.pk}").status_code == 404


def test_organisations_come_in_tree_order_within_scope(world, token_for):
    codes = [o["code"] for o in token_for(world.d1_staff).get("/api/organisations").json()["items"]]
    assert codes == ["D1", "G1", "C1", "C2", "GC1"] or sorted(codes) == ["C1", "C2", "D1", "G1", "GC1"]
    assert "C3" not in codes


def test_a_lifecycle_action_goes_through_the_action(world, token_for):
    client = token_for(world.secretary)
    version = client.get(f"/api/members/{world.alice.pk}")["ETag"]
    answer = client.post(
        f"/api/members/{world.alice.pk}/exempt",
        {"on": "2024-01-01", "reason": "illness", "until": "2024-06-30", "details": "hospital"},
        content_type="application/json",
        HTTP_IF_MATCH=version,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == State.EXEMPT
    assert answer["ETag"] != version
    again = client.post(
        f"/api/members/{world.alice.pk}/resume",
        {"on": "2023-01-01"},
        content_type="application/json",
        HTTP_IF_MATCH=answer["ETag"],
    )
    assert again.status_code == 422
    assert again.json()["field"] == "on"


def test_a_read_only_role_is_refused_with_403(world, token_for):
    answer = token_for(world.leader).post(
        f"/api/members/{world.alice.pk}/exempt",
        {"on": "2024-01-01", "reason": "illness"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_permitted"


@pytest.mark.parametrize("query", [{"org": "²"}, {"cursor": "%%%"}, {"limit": "-1"}, {"year": "99999"}])
def test_odd_input_is_a_4xx_never_a_500(world, token_for, query):
    client = token_for(world.admin, read_only=True)
    for url in ("/api/members", "/api/organisations", "/api/reports/admissions"):
        assert client.get(url, query).status_code < 500


def test_reports_are_the_cli_reports_for_this_user(world, token_for):
    client = token_for(world.d1_staff, read_only=True)
    names = client.get("/api/reports").json()
    assert "oath-coverage" in names
    assert client.get("/api/reports/no-such-report").status_code == 404
    out = client.get(f"/api/reports/oath-coverage?org={world.C3.pk}")
    assert out.status_code == 404


def test_the_openapi_document_is_served(world):
    doc = Client().get("/api/openapi.json").json()
    assert doc["info"]["title"] == "Serment API"
    assert "/api/members" in doc["paths"]

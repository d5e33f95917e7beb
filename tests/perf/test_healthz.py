"""Issue 14, goal 2: /healthz answers load balancers (and the bench's baseline)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..web.conftest import ACTORS


def test_healthz_answers_ok_after_one_database_round_trip(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert [q["sql"] for q in queries] == ["SELECT 1"]
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_every_role_the_same_and_tells_nothing_about_the_data(client, world):
    actors = [a for a in ACTORS if hasattr(world, a)]  # each role in the world; anonymous above
    answers = {}
    for actor in actors:
        client.force_login(getattr(world, actor))
        response = client.get("/healthz")
        answers[actor] = (response.status_code, response.content)
    assert answers == {a: (200, b"ok\n") for a in actors}
    assert len(actors) == len(ACTORS) - 1  # every role but "nobody", who has none


def test_healthz_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405

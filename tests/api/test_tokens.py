"""Personal access tokens: stored hashed, shown once, revoked, expired, read-only,
never wider than the user."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from serment.api.actions import create_token, digest_of, revoke_token
from serment.api.models import PersonalToken
from serment.core.audit import history_of
from serment.core.errors import Refused


def test_a_token_is_stored_only_as_its_digest(world):
    row, raw = create_token(by=world.secretary, name="phone", days=30, read_only=True)
    assert raw.startswith("smt_")
    assert row.digest == digest_of(raw)
    assert raw not in {row.digest, row.prefix, row.name}
    assert PersonalToken.objects.filter(digest=raw).count() == 0
    assert [e.action for e in history_of(row)] == ["api.create_token"]


def test_the_page_shows_the_secret_once(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.secretary)
    made = client.post("/account/tokens/", {"name": "phone app", "days": 30, "read_only": "on"})
    row = PersonalToken.objects.get(user=world.secretary)
    body = made.content.decode()
    secret = body.split('<code class="secret">')[1].split("</code>")[0]
    assert digest_of(secret) == row.digest
    listing = client.get("/account/tokens/").content.decode()
    assert "phone app" in listing
    assert secret not in listing


def test_a_token_lives_at_most_a_year(world):
    with pytest.raises(Refused) as exc:
        create_token(by=world.secretary, name="forever", days=5000, read_only=True)
    assert exc.value.codes == ["token_lifetime"]


def test_a_revoked_token_is_refused(world, token_for):
    row, raw = create_token(by=world.secretary, name="x", days=30, read_only=True)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/me").status_code == 200
    revoke_token(by=world.secretary, token=row)
    answer = client.get("/api/me")
    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthenticated"


def test_only_the_owner_revokes(world):
    row, _raw = create_token(by=world.secretary, name="x", days=30, read_only=True)
    with pytest.raises(Refused) as exc:
        revoke_token(by=world.admin, token=row)
    assert exc.value.codes == ["not_permitted"]


def test_an_expired_token_is_refused(world):
    row, raw = create_token(by=world.secretary, name="x", days=1, read_only=True)
    PersonalToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/me").status_code == 401


def test_a_read_only_token_refuses_writes(world, token_for):
    client = token_for(world.secretary, read_only=True)
    answer = client.post(
        f"/api/members/{world.alice.pk}/exempt",
        {"on": "2024-01-01", "reason": "illness"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "read_only_token"


def test_a_token_carries_the_users_roles_and_no_more(world, token_for):
    me = token_for(world.secretary).get("/api/me").json()
    assert me["username"] == "secretary"
    assert [(r["role"], r["organisation_id"]) for r in me["roles"]] == [("secretary", world.C1.pk)]


def test_use_is_recorded_with_the_address(world):
    row, raw = create_token(by=world.secretary, name="x", days=30, read_only=True)
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="10.1.2.3").get("/api/me")
    row.refresh_from_db()
    assert row.last_used_from == "10.1.2.3"
    assert row.last_used_at is not None


def test_requests_are_rate_limited_per_token(world, token_for, settings):
    settings.SERMENT_API_RATE_PER_MINUTE = 3
    client = token_for(world.secretary, read_only=True)
    codes = [client.get("/api/me").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = token_for(world.secretary, read_only=True)
    assert other.get("/api/me").status_code == 200

"""Fixtures for the page tests: the shared ``world`` plus what the pages need
(an open post for alice and carol, a user with no role at all)."""

import datetime as dt

import pytest
from django.test import Client

from serment.accounts.models import RoleGrant
from serment.core.actors import SYSTEM
from serment.members.actions import assign_post
from tests import factories as f

ACTORS = (
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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The fixed actors get passwords; hashing them properly is what makes setup slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client():
    """Pages in English unless a test asks otherwise (the site's default is Vietnamese)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def web(world):
    w = world
    w.nobody = f.user("nobody")
    w.alice_post = assign_post(
        by=SYSTEM, member=w.alice, organisation=w.C1, post="deputy_secretary", on=dt.date(2020, 1, 1)
    )
    w.carol_post = assign_post(
        by=SYSTEM, member=w.carol, organisation=w.C3, post="secretary", on=dt.date(2020, 1, 1)
    )
    w.secretary_grant = RoleGrant.objects.get(user=w.secretary)
    w.outsider_grant = RoleGrant.objects.get(user=w.outsider)
    return w


def status_as(client, user, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code

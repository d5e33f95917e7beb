import pytest
from django.test import Client

from serment.api.actions import create_token


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def token_for():
    """``token_for(user, read_only=False)`` → a Client whose requests carry a fresh token."""

    def make(user, *, read_only: bool = False, days: int = 30) -> Client:
        _row, raw = create_token(by=user, name="test", days=days, read_only=read_only)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")

    return make

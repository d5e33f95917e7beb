"""How an API request says who it is: a personal access token (``Authorization:
Bearer smt_…``) or the browser's session (for the interactive docs)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .actions import digest_of
from .models import PersonalToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ReadOnlyToken(Exception):
    """A read-only token was used for a write."""


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


def _client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _count_request(token: PersonalToken) -> None:
    """A fixed one-minute window per token in the cache (shared by workers when the
    cache is shared, e.g. Redis; per process with the default local-memory cache)."""
    limit = getattr(settings, "SERMENT_API_RATE_PER_MINUTE", 120)
    now = timezone.now()
    key = f"serment-api-rate:{token.digest[:24]}:{now:%Y%m%d%H%M}"
    cache.add(key, 0, timeout=70)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=70)
        used = 1
    if used > limit:
        raise RateLimited(retry_after=60 - now.second)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = PersonalToken.objects.usable().select_related("user").filter(digest=digest_of(token)).first()
        if row is None:
            return None
        _count_request(row)
        if row.read_only and request.method not in SAFE_METHODS:
            raise ReadOnlyToken()
        now = timezone.now()
        address = _client_address(request)
        # Record the use, at most once a minute per token (no write on every request).
        if (
            row.last_used_at is None
            or now - row.last_used_at > dt.timedelta(minutes=1)
            or (row.last_used_from != address)
        ):
            PersonalToken.objects.filter(pk=row.pk).update(last_used_at=now, last_used_from=address)
        request.user = row.user
        request.api_token = row
        return row.user


class BrowserSession(SessionAuth):
    """The signed-in browser (the interactive docs); writes need the CSRF token."""


def read_only_session(request) -> bool:
    return getattr(request, "api_token", None) is None

"""Login throttling (django-axes) on every login form that passes the request: ours,
the Django admin's, the password pages' re-authentication."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a locked-out user name and address before any password is checked.

    ``authenticate()`` without a request is not a web sign-in (the shell, the test
    client's ``login``): nothing to throttle there, so it is let through to the next
    backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """The client's address: the peer, or behind ``SERMENT_PROXY_COUNT`` trusted proxies
    the address the outermost of them saw (X-Forwarded-For is read from the right, so a
    client cannot choose its own address)."""
    hops = settings.SERMENT_PROXY_COUNT
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")

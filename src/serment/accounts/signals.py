"""Sign-ins and failed sign-ins go into the audit history (whatever form they came
from: ours, the Django admin's)."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from serment.core import audit

from .backends import client_ip


def _address(request) -> dict[str, str]:
    return {"address": client_ip(request)} if request is not None else {}


def _from_the_network(request) -> bool:
    """A sign-in through a form comes with the client's address; a programmatic one
    (the test client's ``force_login``, a shell) has none and is not a sign-in."""
    return request is not None and bool(request.META.get("REMOTE_ADDR"))


@receiver(user_logged_in, dispatch_uid="serment_audit_login")
def record_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The session's idle clock starts now (core.middleware.IdleSessionMiddleware).
        request.session["_seen"] = int(time.time())
    if _from_the_network(request):
        audit.record(by=user, action="login", target=user, changes=_address(request))


@receiver(user_logged_out, dispatch_uid="serment_audit_logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None and _from_the_network(request):
        audit.record(by=user, action="logout", target=user, changes=_address(request))


@receiver(user_login_failed, dispatch_uid="serment_audit_login_failed")
def record_failed_login(sender, credentials, request=None, **kwargs):
    """The entry is about the account named, when it exists (an unknown name is
    recorded as typed, against no account)."""
    User = get_user_model()
    username = str(credentials.get("username", ""))[:150]
    account = User.objects.filter(username=username).first() or User(pk=0, username=username)
    audit.record(
        by=_Anonymous(),
        action="login.failed",
        target=account,
        summary=username,
        changes=_address(request),
    )


class _Anonymous:
    """The actor of a failed sign-in: nobody signed in."""

    pk = None
    username = ""

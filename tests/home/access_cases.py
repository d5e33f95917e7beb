"""The home area's URLs in the every-URL access test (tests/security/test_every_url.py):
the dashboard names an organisation (out of scope: D2); a notification is the reader's
own (out of scope: another user's). The POST-only views answer GET with 405."""

from django.urls import reverse

from tests.security.access_cases import UrlCase


def _r(name, *args):
    return reverse(name, args=args)


def notification(w, side="in"):
    from serment.home.models import Notification

    name = f"_notification_{side}"
    if not hasattr(w, name):
        user = w.alice_user if side == "in" else w.outsider
        setattr(w, name, Notification.objects.create(user=user, key="reminder"))
    return getattr(w, name)


CASES = [
    UrlCase(
        "dashboard",
        lambda w: _r("home:dashboard") + f"?org={w.D1.pk}",
        lambda w: _r("home:dashboard") + f"?org={w.D2.pk}",
    ),
    UrlCase("my space", lambda w: _r("home:me")),
    UrlCase("notifications", lambda w: _r("home:notifications")),
    UrlCase("mark all notifications read", lambda w: _r("home:notifications_read_all")),
    UrlCase("remind me", lambda w: _r("home:remind_me")),
    UrlCase(
        "mark a notification read",
        lambda w: _r("home:notification_read", notification(w).pk),
        lambda w: _r("home:notification_read", notification(w, "out").pk),
    ),
]

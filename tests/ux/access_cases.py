"""The organisation picker in the every-URL access test (tests/security/test_every_url.py):
its matches come from the viewer's scope; a ``within`` outside it is a 404."""

from django.urls import reverse

from tests.security.access_cases import UrlCase


def _pick(org):
    return reverse("organisations:pick") + f"?perm=view&field=org&kinds=all&within={org.pk}&q="


CASES = [
    UrlCase("organisation picker", lambda w: _pick(w.D1), lambda w: _pick(w.D2)),
]

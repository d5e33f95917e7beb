"""The one import page's URLs in the every-URL access test
(tests/security/test_every_url.py): a kind imported into an organisation names it in
``?org=`` (out of scope: D2)."""

from django.urls import reverse

from tests.security.access_cases import UrlCase


def _r(name, *args):
    return reverse(name, args=args)


CASES = [
    UrlCase("imports", lambda w: _r("imports:index")),
    UrlCase(
        "import a kind",
        lambda w: _r("imports:kind", "candidates") + f"?org={w.D1.pk}",
        lambda w: _r("imports:kind", "candidates") + f"?org={w.D2.pk}",
    ),
    UrlCase("import template", lambda w: _r("imports:template", "members")),
    UrlCase("import errors", lambda w: _r("imports:errors", "members")),
]

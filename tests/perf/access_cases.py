"""The health check in the every-URL access test (tests/security/test_every_url.py):
it names nothing and answers whoever asks."""

from django.urls import reverse

from tests.security.access_cases import UrlCase

CASES = [
    UrlCase("health check", lambda w: reverse("healthz")),
]

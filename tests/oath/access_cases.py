"""Oath URLs in the every-URL access test (tests/security/test_every_url.py) that the
security list does not hold: closing a campaign (POST only, so GET answers 405; its
scope is tested in tests/oath)."""

from django.urls import reverse

from tests.security import objects as o
from tests.security.access_cases import UrlCase

CASES = [
    UrlCase(
        "close a campaign",
        lambda w: reverse("oath:campaign_close", args=[o.campaign(w, "in").pk]),
        lambda w: reverse("oath:campaign_close", args=[o.campaign(w, "out").pk]),
    ),
]

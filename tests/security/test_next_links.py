"""A ``next`` link never leads off the site (issue 13 §7)."""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from serment.core.params import safe_next

OFF_SITE = [
    "/\\evil.example/",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "\\\\evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_cancel_link_of_a_form_stays_on_the_site(client, web, target):
    client.force_login(web.secretary)
    url = reverse("oath:member_promise_add", args=[web.alice.pk])
    response = client.get(url, {"next": target})
    assert response.context["back_url"] == reverse("oath:index")
    assert target not in response.content.decode()


def test_a_next_link_on_the_site_is_kept(client, web):
    client.force_login(web.secretary)
    back = reverse("members:detail", args=[web.alice.pk])
    response = client.get(reverse("oath:member_promise_add", args=[web.alice.pk]), {"next": back})
    assert response.context["back_url"] == back


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_does_not_send_anyone_off_the_site(client, web, target):
    web.secretary.set_password("a-good-long-passphrase")
    web.secretary.save()
    response = client.post(
        reverse("login") + "?next=" + target, {"username": "secretary", "password": "a-good-long-passphrase"}
    )
    assert response.url == reverse("home")


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_off_site_urls(rf, target):
    assert safe_next(rf.get("/", {"next": target}), default="/home/") == "/home/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_does_not_send_anyone_off_the_site(client, web, target):
    client.force_login(web.secretary)
    response = client.post(reverse("set_language"), {"language": "vi", "next": target})
    assert (response.status_code, response.url) == (302, "/")


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_second_factor_page_keeps_every_off_site_next_on_the_site(client, web, settings, target):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .test_two_factor import _code

    settings.SERMENT_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=web.admin, name="phone", confirmed=True)
    client.force_login(web.admin)
    page = client.get(reverse("accounts:two_factor"), {"next": target})
    assert target not in page.content.decode()
    response = client.post(
        reverse("accounts:two_factor") + "?" + urlencode({"next": target}), {"token": _code(device)}
    )
    assert response.url == reverse("home")


# A ``next`` read from a request anywhere but core.params.safe_next, in code or templates.
RAW_NEXT = re.compile(
    r"""(GET|POST|REQUEST|QUERY_PARAMS|query_params)\s*(\.get\(|\[)\s*["']next["']|request\.(GET|POST)\.next\b"""
)


def test_every_next_goes_through_safe_next():
    """§7 says every ``next``: a view reading it raw would skip url_has_allowed_host_and_scheme."""
    src = Path(__file__).resolve().parents[2] / "src" / "serment"
    raw = [
        f"{path.relative_to(src)}:{n}"
        for path in sorted([*src.rglob("*.py"), *src.rglob("*.html")])
        if path.name != "params.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_NEXT.search(line)
    ]
    assert raw == []


def test_safe_next_reads_the_form_before_the_query(rf):
    request = rf.post("/?next=//evil.example/", {"next": "/members/"})
    assert safe_next(request, default="/") == "/members/"

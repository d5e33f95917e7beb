"""A ``next`` link never leads off the site (issue 13 §7)."""

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

"""Two-factor sign-in (django-otp TOTP) for administrators and inspection staff when
SERMENT_REQUIRE_2FA is on."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from serment.core.models import AuditEntry


@pytest.fixture
def required(settings):
    settings.SERMENT_REQUIRE_2FA = True


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_administrator_must_set_up_a_second_factor_first(client, web, required):
    client.force_login(web.admin)
    response = client.get(reverse("members:list"))
    assert response.url == reverse("accounts:two_factor") + "?next=%2Fmembers%2F"
    page = client.get(response.url)
    assert page.context["enrol"] is True and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=web.admin)
    assert (
        client.post(response.url, {"token": "000000" if _code(device) != "000000" else "111111"}).status_code
        == 200
    )
    assert client.post(response.url, {"token": _code(device)}).url == "/members/"
    assert client.get(reverse("members:list")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    assert AuditEntry.objects.filter(action="user.two_factor_enrol", actor_name="admin").count() == 1


def test_an_enrolled_inspector_enters_a_code_after_the_password(client, web, required):
    device = TOTPDevice.objects.create(user=web.inspector, name="phone", confirmed=True)
    client.force_login(web.inspector)
    assert client.get(reverse("home")).status_code == 302
    response = client.post(reverse("accounts:two_factor") + "?next=/", {"token": "12"})
    assert response.context["form"].errors == {"token": ["This code is wrong or too old."]}
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    assert client.post(reverse("accounts:two_factor"), {"token": _code(device), "next": "/"}).url == "/"
    assert client.get(reverse("home")).status_code == 200


def test_other_roles_sign_in_with_a_password_alone(client, web, required):
    client.force_login(web.secretary)
    assert client.get(reverse("members:list")).status_code == 200


def test_the_setting_off_asks_nobody(client, web, settings):
    settings.SERMENT_REQUIRE_2FA = False
    client.force_login(web.admin)
    assert client.get(reverse("members:list")).status_code == 200


def test_the_second_factor_page_does_not_follow_an_off_site_next(client, web, required):
    device = TOTPDevice.objects.create(user=web.admin, name="phone", confirmed=True)
    client.force_login(web.admin)
    response = client.post(
        reverse("accounts:two_factor"), {"token": _code(device), "next": "//evil.example/"}
    )
    assert response.url == reverse("home")

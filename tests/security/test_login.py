"""Signing in: throttling and lock-out on every login form, the audit of sign-ins,
argon2 hashing, password rules, password pages, idle sessions."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from serment.core.models import AuditEntry
from tests import factories as f

LOGIN_URLS = ["login", "admin:login"]


def _try(client, url_name, username, password):
    return client.post(reverse(url_name), {"username": username, "password": password})


@pytest.fixture
def staffer(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = f.user("staffer", password="right-password-42")
    user.is_staff = True  # the Django admin's form signs in staff only
    user.save()
    return user


@pytest.mark.parametrize("url_name", LOGIN_URLS)
def test_the_right_password_signs_in(client, staffer, url_name):
    response = _try(client, url_name, "staffer", "right-password-42")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staffer.pk)


@pytest.mark.parametrize("url_name", LOGIN_URLS)
def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, staffer, url_name):
    statuses = [
        _try(client, url_name, "staffer", "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    response = _try(client, url_name, "staffer", "right-password-42")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Sign-in locked" in response.content.decode()


def test_the_lock_holds_for_one_name_from_one_address_only(client, staffer):
    other = f.user("other", password="other-password-42")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "login", "staffer", "wrong")
    assert _try(client, "login", "other", "other-password-42").status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_sign_ins_and_failures_are_in_the_audit_history(client, staffer):
    _try(client, "login", "staffer", "wrong")
    _try(client, "login", "ghost", "wrong")
    _try(client, "login", "staffer", "right-password-42")
    rows = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_name", "summary", "target_id"))
    assert rows[-3:] == [
        ("login.failed", "", "staffer", staffer.pk),
        ("login.failed", "", "ghost", 0),
        ("login", "staffer", "", staffer.pk),
    ]
    assert AuditEntry.objects.filter(action="login").first().changes == {"address": "127.0.0.1"}


def test_new_passwords_are_hashed_with_argon2(db, settings):
    import serment.settings as project

    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS  # the tests' fixtures use a fast one
    user = f.user("hashed", password="a-good-long-passphrase")
    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("12345678901", "password_entirely_numeric"),
        ("password", "password_too_short"),
        ("password123", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused(db, password, code):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert code in [e.code for e in exc.value.error_list]


def test_a_user_changes_their_password(client, staffer):
    client.force_login(staffer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "right-password-42", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "right-password-42",
            "new_password1": "lanterns-over-the-river",
            "new_password2": "lanterns-over-the-river",
        },
    )
    assert response.url == reverse("accounts:password_change_done")
    staffer.refresh_from_db()
    assert staffer.check_password("lanterns-over-the-river")


def test_a_forgotten_password_is_reset_through_a_mailed_link(client, staffer):
    staffer.email = "staffer@example.org"
    staffer.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "staffer@example.org"})
    assert response.url == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path).url  # Django swaps the token for a session marker
    response = client.post(
        form_url, {"new_password1": "lanterns-over-the-river", "new_password2": "lanterns-over-the-river"}
    )
    assert response.url == reverse("accounts:password_reset_complete")
    staffer.refresh_from_db()
    assert staffer.check_password("lanterns-over-the-river")


def test_activity_renews_the_session_for_thirty_minutes(client, staffer):
    client.force_login(staffer)
    stale = client.session
    stale["_seen"] = int(time.time()) - 61  # the last renewal was over a minute ago
    stale.save()
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 200
    left = Session.objects.get().expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)


def test_an_idle_session_ends(client, staffer):
    client.force_login(staffer)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.url == reverse("login") + "?next=/"

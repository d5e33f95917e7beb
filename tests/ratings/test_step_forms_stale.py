"""The rating step forms refuse a stale form as the member edit form does (issue 13 §3):
two people reviewing one rating, the second is refused with the first one's change."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from serment.core.actors import SYSTEM
from serment.core.audit import version_of
from serment.ratings import actions
from serment.ratings.models import Rating

from .conftest import YEAR


@pytest.fixture
def rating(rated):
    actions.open_round(by=SYSTEM, organisation=rated.P, year=YEAR, on=dt.date(2022, 12, 1))
    return Rating.objects.get(year=YEAR, member=rated.alice, subject_kind="member")


def _open(client, user, url):
    client.force_login(user)
    return client.get(url).context["form"]["version"].value()


def test_a_stale_review_form_is_refused_and_the_first_review_kept(rated, rating):
    url = reverse("ratings:step", args=[rating.pk, "review"])
    first, second = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    version_first, version_second = _open(first, rated.secretary, url), _open(second, rated.g1_staff, url)
    assert first.post(url, {"text": "Good.", "level": "good", "version": version_first}).status_code == 302
    refused = second.post(url, {"text": "Average.", "level": "completed", "version": version_second})
    assert refused.status_code == 200
    form = refused.context["form"]
    assert [e.code for e in form.errors.as_data()["__all__"]] == ["stale_form"]
    assert "secretary" in form.non_field_errors()[0] and "review_level" in form.non_field_errors()[0]
    rating.refresh_from_db()
    assert (rating.review, rating.review_level) == ("Good.", "good")
    # the form now carries the current version: saving again, knowingly, goes through
    assert form["version"].value() == str(version_of(rating))
    assert second.post(url, dict(form.data.items())).status_code == 302
    rating.refresh_from_db()
    assert rating.review_level == "completed"


def test_a_stale_decide_form_is_refused(rated, rating):
    url = reverse("ratings:step", args=[rating.pk, "decide"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    version = _open(client, rated.admin, url)
    actions.review(by=rated.secretary, rating=rating, text="", level="completed")
    refused = client.post(url, {"level": "good", "version": version})
    assert [e.code for e in refused.context["form"].errors.as_data()["__all__"]] == ["stale_form"]
    rating.refresh_from_db()
    assert (rating.level, rating.locked) == ("", False)


def test_a_self_assessment_form_carries_the_version(rated, rating):
    url = reverse("ratings:step", args=[rating.pk, "self-assess"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    version = _open(client, rated.alice_user, url)
    assert version == version_of(rating)
    done = client.post(url, {"text": "Kept my promises.", "level": "good", "version": version})
    assert done.status_code == 302

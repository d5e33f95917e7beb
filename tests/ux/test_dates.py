"""One date format per language, everywhere: pages, messages and documents."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from serment.core.dates import long_date, show_date, show_datetime
from serment.core.errors import DomainError, Refusal
from serment.oath import actions


@pytest.mark.parametrize(
    ("language", "expected"), [("vi", "15/09/1999"), ("fr", "15/09/1999"), ("en", "15 Sep 1999")]
)
def test_one_short_format_per_language(language, expected):
    with translation.override(language):
        assert show_date(dt.date(1999, 9, 15)) == expected


def test_a_moment_is_shown_in_local_time():
    with translation.override("vi"):
        assert show_datetime(dt.datetime(2026, 12, 2, 5, 30, tzinfo=dt.UTC)) == "02/12/2026 12:30"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "ngày 20 tháng 6 năm 2023"), ("fr", "20 juin 2023"), ("en", "20 June 2023")],
)
def test_a_documents_dateline(language, expected):
    with translation.override(language):
        assert long_date(dt.date(2023, 6, 20)) == expected


def test_a_refusal_shows_its_dates_in_the_readers_format():
    refusal = Refusal(code="x", message="due on %(date)s", params={"date": dt.date(2023, 6, 30)})
    with translation.override("vi"):
        assert refusal.text == "due on 30/06/2023"


def test_an_action_message_carries_no_iso_date(world, campaign_2023):
    with pytest.raises(DomainError) as exc:
        actions.save_self_assessment(
            by=world.alice_user, campaign=campaign_2023, member=world.alice, kept="x"
        )
    assert "30 Jun 2023" in exc.value.message and "2023-06-30" not in exc.value.message


def test_the_member_page_in_vietnamese_writes_a_date_once(client, world):
    client.force_login(world.admin)
    html = client.get(
        reverse("members:detail", args=[world.alice.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "19/05/2010" in html  # admitted on
    assert "Ngày 19 tháng 5" not in html and "2010-05-19" not in html

"""Each demo-like role signs in through the login page, at desktop and phone sizes,
and reaches their main task from the home page by clicks alone."""

import datetime as dt

import pytest
from django.utils import timezone

from serment.core.actors import SYSTEM
from serment.oath import actions as oath_actions
from serment.ratings import actions as rating_actions

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def live_world(world):
    """``world`` with work open today: G1's campaign and rating round."""
    today = timezone.localdate()
    world.campaign = oath_actions.launch_campaign(
        by=SYSTEM,
        organisation=world.G1,
        title="Học tập và làm theo",
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=20),
        deadline=today + dt.timedelta(days=30),
    )
    world.round = rating_actions.open_round(by=SYSTEM, organisation=world.G1, year=today.year, on=today)
    return world


def _open_menu_on_a_phone(page, size):
    if size == "phone":
        menu_link = page.locator("#main-menu a").first
        assert not menu_link.is_visible()  # collapsed behind the button
        page.get_by_role("button", name="Menu").click()
        assert menu_link.is_visible()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_secretary_reaches_the_meeting_to_schedule(live_server, open_page, live_world, size):
    page = open_page(size)
    sign_in(page, live_server, "secretary")
    page.get_by_role("link", name="the thematic meeting of Chi bộ thôn 1 is not scheduled").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Học tập và làm theo")
    assert page.locator("form select[name=cell], form input[name=cell]").count() >= 1  # the schedule form


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_member_reaches_their_self_assessment(live_server, open_page, live_world, size):
    page = open_page(size)
    sign_in(page, live_server, "alice")
    assert "My space" in page.locator("h1").inner_text()
    page.get_by_role("link", name="write and submit your self-assessment").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/oath/campaigns/{live_world.campaign.pk}/my-self-assessment/")
    page.go_back()
    _open_menu_on_a_phone(page, size)
    page.locator("#main-menu").get_by_role("link", name="My space").click()
    assert page.locator("#main-menu a[aria-current=page]").inner_text() == "My space"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_leader_reaches_the_records_behind_a_figure(live_server, open_page, live_world, size):
    page = open_page(size)
    sign_in(page, live_server, "leader")
    assert page.locator("#area-admissions").is_visible()
    page.locator("#area-admissions .figures a").first.click()  # members admitted
    page.wait_for_load_state()
    assert "/admissions/figures/admitted/" in page.url
    _open_menu_on_a_phone(page, size)
    page.locator("#main-menu").get_by_role("link", name="Members").click()
    assert page.locator("#main-menu a[aria-current=page]").inner_text() == "Members"


def test_the_skip_link_takes_the_keyboard_to_the_content(live_server, open_page, live_world):
    page = open_page("desktop")
    sign_in(page, live_server, "secretary")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()  # it shows when focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the focus ring is visible

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


SIZES = ("desktop", "phone")


def test_a_secretary_reaches_the_meeting_to_schedule(live_server, open_page, live_world):
    for size in SIZES:
        page = open_page(size)
        sign_in(page, live_server, "secretary")
        if size == "desktop":  # the skip link comes first, with a visible focus ring
            page.keyboard.press("Tab")
            skip = page.locator(".skip-link")
            assert skip.evaluate("el => el === document.activeElement")
            assert skip.is_visible()
            assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
        page.get_by_role("link", name="the thematic meeting of Chi bộ thôn 1 is not scheduled").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().startswith("Học tập và làm theo")
        assert page.locator("form select[name=cell], form input[name=cell]").count() >= 1  # the schedule form


def test_a_member_reaches_their_self_assessment(live_server, open_page, live_world):
    for size in SIZES:
        page = open_page(size)
        sign_in(page, live_server, "alice")
        assert "My space" in page.locator("h1").inner_text()
        page.get_by_role("link", name="write and submit your self-assessment").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/oath/campaigns/{live_world.campaign.pk}/my-self-assessment/")
        _open_menu_on_a_phone(page, size)
        page.locator("#main-menu").get_by_role("link", name="My space").click()
        assert page.locator("#main-menu a[aria-current=page]").inner_text() == "My space"


def test_a_leader_reaches_the_records_behind_a_figure(live_server, open_page, live_world):
    for size in SIZES:
        page = open_page(size)
        sign_in(page, live_server, "leader")
        assert page.locator("#area-admissions").is_visible()
        page.locator("#area-admissions .figures a").first.click()  # members admitted
        page.wait_for_load_state()
        assert "/admissions/figures/admitted/" in page.url
        _open_menu_on_a_phone(page, size)
        page.locator("#main-menu").get_by_role("link", name="Members").click()
        assert page.locator("#main-menu a[aria-current=page]").inner_text() == "Members"


def _click_task(page, pattern: str):
    """Click the task whose text matches ``pattern`` in the "Your tasks" list."""
    import re

    page.locator(".tasks a", has_text=re.compile(pattern)).first.click()
    page.wait_for_load_state()


def test_an_administrator_reaches_the_undecided_ratings_of_the_subtree(live_server, open_page, live_world):
    for size in SIZES:
        page = open_page(size)
        sign_in(page, live_server, "admin")
        assert page.locator("#area-tree").is_visible()  # the province at a glance, with its map
        _click_task(page, r"Rating round \d+ of Đảng bộ xã 1: \d+ of \d+ subjects not decided")
        assert page.locator("h1").inner_text() == f"Đảng bộ xã 1 – {live_world.round.year}"
        assert page.locator("select[name=status] option[selected]").get_attribute("value") == "undecided"


def test_district_staff_reach_the_cells_that_have_not_held_the_meeting(live_server, open_page, live_world):
    for size in SIZES:
        page = open_page(size)
        sign_in(page, live_server, "d1_staff")
        assert page.locator("#dashboard-title").inner_text() == "Huyện ủy 1"  # their own subtree
        _click_task(page, r"“Học tập và làm theo”: 2 of 2 cells under Đảng bộ xã 1 have not held the meeting")
        assert "/oath/campaigns/" in page.url and "category=not_held" in page.url
        content = page.locator("main").inner_text()
        assert "Chi bộ thôn 1" in content and "Chi bộ thôn 2" in content
        assert "Chi bộ thôn 3" not in content  # under D2


def test_grassroots_staff_reach_the_round_to_decide(live_server, open_page, live_world):
    for size in SIZES:
        page = open_page(size)
        sign_in(page, live_server, "g1_staff")
        assert page.locator("#dashboard-title").inner_text() == "Đảng bộ xã 1"
        _click_task(page, r"Rating round \d+ of Đảng bộ xã 1")
        assert page.locator("h1").inner_text() == f"Đảng bộ xã 1 – {live_world.round.year}"
        assert page.locator("table").first.is_visible()  # the subjects to decide


def test_inspection_staff_reach_a_case_near_its_deadline(live_server, open_page, live_world, settings):
    from serment.inspection.actions import receive_case

    today = timezone.localdate()
    case = receive_case(
        by=SYSTEM,
        committee=live_world.D1,
        kind="petition",
        channel="post",
        received_on=today,
        summary="Kiến nghị về sinh hoạt chi bộ",
        reference="KN-01",
        sender_name="Nguyễn Văn Dân",
    )
    settings.SERMENT_CASE_TASK_DAYS = (case.due_on - today).days + 1  # near its deadline
    for size in SIZES:
        page = open_page(size)
        sign_in(page, live_server, "inspector")
        _click_task(page, r"KN-01: to be handled by ")
        assert page.locator("h1").inner_text().endswith("KN-01")
        _open_menu_on_a_phone(page, size)
        page.locator("#main-menu").get_by_role("link", name="Inspection and discipline").click()
        page.wait_for_load_state()
        assert page.locator("#main-menu a[aria-current=page]").inner_text() == "Inspection and discipline"

"""In Chromium: the meeting sheet saves a row in place (no reload, no jump to the top),
lays out as cards on a phone, and the organisation picker finds a cell by typing."""

import datetime as dt

import pytest

from serment.oath import actions
from tests import factories as f

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APRIL = dt.date(2023, 4, 10)


@pytest.fixture
def meeting(world):
    campaign = actions.launch_campaign(
        by=world.admin,
        organisation=world.P,
        title="Giữ trọn lời thề đảng viên",
        starts_on=dt.date(2023, 2, 1),
        ends_on=dt.date(2023, 5, 31),
        deadline=dt.date(2023, 6, 30),
    )
    for n in range(8):
        f.member(world.C1, full_name=f"Nguyễn Văn Thành {n}")
    return actions.schedule_meeting(by=world.secretary, campaign=campaign, cell=world.C1, held_on=APRIL)


def test_a_row_is_saved_in_place_without_reloading(live_server, open_page, world, meeting):
    page = open_page("desktop")
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/oath/meetings/{meeting.pk}/")
    page.evaluate("window.__same_page = true")
    row = page.locator(f"#member-{world.alice.pk}")
    row.get_by_role("button", name="Present", exact=True).click()
    page.locator(f"#member-{world.alice.pk} [role=status]").wait_for()
    assert page.evaluate("window.__same_page") is True  # no page load
    assert "Present" in page.locator(f"#member-{world.alice.pk}").inner_text()
    assert page.locator("text=Not recorded").count() == 8  # the other rows untouched


def test_the_sheet_is_a_list_of_cards_on_a_phone(live_server, open_page, world, meeting):
    page = open_page("phone")
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/oath/meetings/{meeting.pk}/")
    cell = page.locator(f"#member-{world.alice.pk} td").nth(3)
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    suggestions = page.locator(f"#member-{world.alice.pk} textarea")
    box = suggestions.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390 + 1  # on screen


def test_the_picker_finds_a_cell_by_typing(live_server, open_page, world, meeting):
    for n in range(1, 30):
        f.org("cell", world.G1, name=f"Chi bộ khu phố {n}", code=f"G1.{n}")
    page = open_page("desktop")
    sign_in(page, live_server, "g1_staff")
    page.goto(f"{live_server.url}/oath/campaigns/{meeting.campaign.pk}/")
    assert page.locator("text=G1.27").count() == 0
    page.fill("input[name=cell__q]", "khu phố 27")
    page.locator("label.picker-option:has-text('G1.27')").wait_for()
    page.locator("label.picker-option:has-text('G1.27') input").check()
    page.fill("input[name=held_on]", "2023-04-12")
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_load_state()
    assert "Chi bộ khu phố 27" in page.locator("h1").inner_text()

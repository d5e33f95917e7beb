"""Searchable organisation pickers: every cell the user may choose can be found (no cut
at 500), nothing outside their scope is listed or accepted, and lists follow the tree."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.core.actors import SYSTEM
from serment.oath import actions
from serment.oath.forms import ScheduleForm
from serment.organisations.pickers import PAGE, choices_for, tree_sorted
from tests import factories as f

from ..web.conftest import ACTORS


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("organisations:pick"), {"field": "cell", **params})
    assert response.status_code == 200
    html = response.content.decode()
    return html


@pytest.fixture
def many_cells(world):
    """More cells under G1 than the picker shows at once."""
    return [f.org("cell", world.G1, name=f"Chi bộ khu phố {n}", code=f"G1.{n}") for n in range(1, PAGE + 6)]


RUN_MEETINGS_IN = {
    "admin": {"C1", "C2", "C3", "GC1"},
    "d1_staff": {"C1", "C2", "GC1"},
    "g1_staff": {"C1", "C2"},
    "secretary": {"C1"},
    "outsider": {"C3"},
    "leader": set(),
    "inspector": set(),
    "alice_user": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_picker_lists_only_cells_the_user_may_choose(client, web, actor):
    html = listed(client, getattr(web, actor), perm="run_meetings", kinds="cells")
    shown = {code for code in ("C1", "C2", "C3", "GC1") if f">{code}</span>" in html}
    assert shown == RUN_MEETINGS_IN[actor]


def test_a_cell_beyond_the_first_page_is_found_by_typing(client, world, many_cells):
    first = listed(client, world.admin, perm="run_meetings", kinds="cells")
    assert "G1.25" not in first and "more: type to narrow the list" in first
    found = listed(client, world.admin, perm="run_meetings", kinds="cells", cell__q="khu phố 25")
    assert ">G1.25</span>" in found


def test_the_form_accepts_any_cell_in_scope_and_refuses_others(world, many_cells):
    campaign = actions.launch_campaign(
        by=SYSTEM,
        organisation=world.P,
        title="T",
        starts_on=dt.date(2023, 2, 1),
        ends_on=dt.date(2023, 5, 31),
        deadline=dt.date(2023, 6, 30),
    )
    day = {"held_on": "2023-04-10"}
    ok = ScheduleForm({"cell": many_cells[-1].pk, **day}, viewer=world.g1_staff, campaign=campaign)
    assert ok.is_valid(), ok.errors
    refused = ScheduleForm({"cell": world.C3.pk, **day}, viewer=world.g1_staff, campaign=campaign)
    assert not refused.is_valid() and "cell" in refused.errors


def test_a_forged_permission_lists_nothing(client, world):
    client.force_login(world.admin)
    assert (
        client.get(reverse("organisations:pick"), {"field": "cell", "perm": "everything"}).status_code == 404
    )


def test_lists_follow_the_tree_with_codes_in_natural_order(world):
    for n in (9, 10, 18, 1, 2):
        f.org("district_committee", world.P, code=f"BT.{n:02d}" if n < 10 else f"BT.{n}")
    codes = [o.code for o in tree_sorted(choices_for(world.admin, perm="view", kinds="committees"))]
    assert codes[:8] == ["P", "BT.01", "BT.02", "BT.09", "BT.10", "BT.18", "D1", "G1"]


def test_the_schedule_form_on_the_campaign_page_is_a_picker(client, world, many_cells):
    campaign = actions.launch_campaign(
        by=SYSTEM,
        organisation=world.P,
        title="T",
        starts_on=dt.date(2023, 2, 1),
        ends_on=dt.date(2023, 5, 31),
        deadline=dt.date(2023, 6, 30),
    )
    client.force_login(world.g1_staff)
    html = client.get(reverse("oath:campaign", args=[campaign.pk])).content.decode()
    assert 'type="search" name="cell__q"' in html
    assert "perm=run_meetings" in html and f"within={world.P.pk}" in html
    assert ">C1</span>" in html and ">C3</span>" not in html

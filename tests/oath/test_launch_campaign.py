import datetime as dt

import pytest

from serment.core.errors import DomainError, NotPermitted
from serment.oath import actions
from serment.oath.models import Campaign

from .conftest import SPRING_2023


def launch(by, org, **kw):
    data = dict(title="Giữ trọn lời thề đảng viên", **SPRING_2023)
    data.update(kw)
    return actions.launch_campaign(by=by, organisation=org, **data)


def test_a_committee_launches_a_campaign_expecting_active_members_by_default(world):
    c = launch(world.d1_staff, world.D1)
    assert (c.expected_states, c.count_whole_register, c.counted_states()) == (["active"], False, ["active"])


def test_the_whole_register_can_be_counted(world):
    c = launch(world.admin, world.P, count_whole_register=True)
    assert c.counted_states() == ["active", "exempt", "transferred_out"]


def test_a_secretary_cannot_launch_a_campaign(world):
    with pytest.raises(NotPermitted):
        launch(world.secretary, world.C1)


def test_a_cell_does_not_launch_campaigns(world):
    with pytest.raises(DomainError) as exc:
        launch(world.admin, world.C1)
    assert exc.value.field == "organisation"


def test_dates_must_be_in_order(world):
    with pytest.raises(DomainError) as exc:
        launch(world.admin, world.P, deadline=dt.date(2023, 5, 1))
    assert exc.value.field == "deadline"
    with pytest.raises(DomainError) as exc:
        launch(world.admin, world.P, ends_on=dt.date(2023, 1, 1))
    assert exc.value.field == "ends_on"


def test_someone_must_be_expected(world):
    with pytest.raises(DomainError) as exc:
        launch(world.admin, world.P, expected_states=[])
    assert exc.value.field == "expected_states"
    with pytest.raises(DomainError) as exc:
        launch(world.admin, world.P, expected_states=["left"])
    assert exc.value.code == "expected_states_required"


def test_a_campaign_is_visible_above_and_inside_its_subtree_only(world):
    province = launch(world.admin, world.P)
    d2 = launch(world.outsider, world.D2)
    assert list(Campaign.objects.visible_to(world.secretary)) == [province]
    assert list(Campaign.objects.visible_to(world.alice_user)) == [province]
    assert set(Campaign.objects.visible_to(world.admin)) == {province, d2}
    assert set(Campaign.objects.visible_to(world.outsider)) == {province, d2}
    assert list(Campaign.objects.visible_to(world.d1_staff)) == [province]

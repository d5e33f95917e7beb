"""The organisation actions answer "may I?" with refusal codes before they act."""

import pytest

from serment.core.errors import NotPermitted, Refused
from serment.organisations import actions
from serment.organisations.models import Organisation


def test_a_cell_cannot_be_created_under_a_cell(world):
    refusals = actions.check_create_organisation(
        by=world.admin, code="X1", name="X", kind="cell", parent=world.C1
    )
    assert [r.code for r in refusals] == ["placement_not_allowed"]
    with pytest.raises(Refused) as exc:
        actions.create_organisation(by=world.admin, code="X1", name="X", kind="cell", parent=world.C1)
    assert exc.value.codes == ["placement_not_allowed"]
    assert not Organisation.objects.filter(code="X1").exists()


def test_a_taken_code_is_refused(world):
    with pytest.raises(Refused) as exc:
        actions.create_organisation(by=world.admin, code="C2", name="Again", kind="cell", parent=world.G1)
    assert exc.value.codes == ["code_taken"]


def test_creating_outside_ones_subtree_is_not_permitted(world):
    with pytest.raises(NotPermitted) as exc:
        actions.create_organisation(by=world.outsider, code="X2", name="X", kind="cell", parent=world.G1)
    assert exc.value.code == "not_permitted"


def test_a_cell_with_members_cannot_be_dissolved(world):
    refusals = actions.check_update_organisation(
        by=world.admin, organisation=world.C1, fields={"dissolved_on": world.alice.admitted_on}
    )
    assert [r.code for r in refusals] == ["cell_has_members"]


def test_an_organisation_cannot_move_under_itself(world):
    refusals = actions.check_move_organisation(by=world.admin, organisation=world.G1, new_parent=world.C1)
    assert [r.code for r in refusals] == ["moved_under_itself"]

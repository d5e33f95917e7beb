"""Accounts and roles: one action each, its permission checked inside, refusals by code."""

import pytest
from django.contrib.auth import get_user_model

from serment.accounts import actions
from serment.accounts.models import RoleGrant
from serment.core.actors import SYSTEM
from serment.core.errors import NotPermitted, Refused


def test_create_user_checks_its_permission_itself(world):
    with pytest.raises(NotPermitted) as exc:
        actions.create_user(by=world.secretary, username="newbie", password=None)
    assert exc.value.code == "not_permitted"
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_create_user_refuses_none_as_the_actor(world):
    with pytest.raises(NotPermitted) as exc:
        actions.create_user(by=None, username="newbie", password=None)
    assert exc.value.code == "no_actor"


def test_an_account_and_its_role_are_one_action(world):
    user = actions.create_user(
        by=world.admin, username="c1_secretary", password=None, organisation=world.C1, role="secretary"
    )
    assert list(RoleGrant.objects.filter(user=user).values_list("organisation__code", "role")) == [
        ("C1", "secretary")
    ]


def test_a_role_refused_leaves_no_account(world):
    with pytest.raises(Refused) as exc:
        actions.create_user(
            by=world.admin, username="g1_secretary", password=None, organisation=world.G1, role="secretary"
        )
    assert exc.value.codes == ["secretary_on_cell"]
    assert not get_user_model().objects.filter(username="g1_secretary").exists()


def test_a_role_outside_the_granters_subtree_is_not_permitted(world):
    assert [
        r.code
        for r in actions.check_grant_role(
            by=world.outsider, user=world.alice_user, organisation=world.C1, role="leader"
        )
    ] == ["not_permitted"]


def test_a_role_held_already_is_refused_by_code(world):
    actions.grant_role(by=SYSTEM, user=world.alice_user, organisation=world.C1, role="leader")
    with pytest.raises(Refused) as exc:
        actions.grant_role(by=world.admin, user=world.alice_user, organisation=world.C1, role="leader")
    assert exc.value.codes == ["role_already_held"]

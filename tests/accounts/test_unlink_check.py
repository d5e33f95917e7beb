"""``check_unlink_account``: an administrator of the member's cell, and a link to end."""

import pytest

from serment.accounts import actions
from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.members.models import Member


def codes(refusals):
    return [r.code for r in refusals]


def test_unlink_codes(world):
    assert codes(actions.check_unlink_account(by=world.secretary, member=world.alice)) == ["not_permitted"]
    assert codes(actions.check_unlink_account(by=None, member=world.alice)) == ["no_actor"]
    assert codes(actions.check_unlink_account(by=world.admin, member=world.bob)) == ["not_linked"]
    with pytest.raises(Refused) as exc:
        actions.unlink_account(by=SYSTEM, member=world.bob)
    assert exc.value.codes == ["not_linked"]
    assert actions.check_unlink_account(by=world.admin, member=world.alice) == []
    actions.unlink_account(by=world.admin, member=world.alice, reason="Yêu cầu")
    assert Member.objects.get(pk=world.alice.pk).user_id is None

import pytest

from serment.core.errors import NotPermitted
from serment.members.actions import update_member_details
from serment.members.models import Member
from serment.organisations.models import Organisation


def names(qs):
    return sorted(m.full_name for m in qs)


def test_role_on_district_covers_its_subtree_only(world):
    assert names(Member.objects.visible_to(world.d1_staff)) == ["Lê Văn Bob", "Trần Thị Alice"]


def test_secretary_sees_own_cell_only(world):
    assert names(Member.objects.visible_to(world.secretary)) == ["Trần Thị Alice"]


def test_member_sees_only_their_own_record(world):
    assert names(Member.objects.visible_to(world.alice_user)) == ["Trần Thị Alice"]
    assert list(Organisation.objects.visible_to(world.alice_user)) == []


def test_outsider_in_sibling_subtree_sees_nothing_of_d1(world):
    assert names(Member.objects.visible_to(world.outsider)) == ["Phạm Thị Carol"]


def test_provincial_admin_sees_everyone(world):
    assert Member.objects.visible_to(world.admin).count() == 3


def test_user_without_role_or_record_sees_nothing(world):
    from tests.factories import user

    assert Member.objects.visible_to(user()).count() == 0


def test_read_only_leader_cannot_change_a_member(world):
    with pytest.raises(NotPermitted):
        update_member_details(by=world.leader, member=world.alice, phone="0900000000")
    world.alice.refresh_from_db()
    assert world.alice.phone == ""


def test_sibling_staff_cannot_change_a_member_outside_their_subtree(world):
    with pytest.raises(NotPermitted):
        update_member_details(by=world.outsider, member=world.alice, phone="0900000000")

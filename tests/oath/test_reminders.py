import pytest
from django.core import mail

from serment.core.errors import NotPermitted
from serment.oath import actions, queries
from serment.oath.models import Notice
from tests import factories as f

from .test_self_assessment import TEXTS


def test_members_who_have_not_submitted_get_a_notice_and_an_email(
    world, campaign, django_capture_on_commit_callbacks
):
    other = f.member(world.C1, full_name="Đỗ Văn Other", email="other@example.org")
    a = actions.save_self_assessment(by=world.alice_user, campaign=campaign, member=world.alice, **TEXTS)
    actions.submit_self_assessment(by=world.alice_user, assessment=a)
    assert list(queries.not_submitted(viewer=world.secretary, campaign=campaign, cell=world.C1)) == [other]
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.remind_not_submitted(by=world.secretary, campaign=campaign, cell=world.C1) == 1
    assert list(Notice.objects.values_list("member_id", flat=True)) == [other.pk]
    assert [m.to for m in mail.outbox] == [["other@example.org"]]


def test_a_secretary_cannot_remind_another_cell(world, campaign):
    with pytest.raises(NotPermitted):
        actions.remind_not_submitted(by=world.secretary, campaign=campaign, cell=world.C2)

"""The reminder actions' checks: who sends, and no reminder after a task's deadline."""

import datetime as dt

import pytest
from django.utils import timezone

from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.home import actions
from serment.home.models import Notification
from serment.home.tasks import tasks_for


def codes(refusals):
    return [r.code for r in refusals]


def test_send_reminders_codes(live):
    w = live
    assert codes(actions.check_send_reminders(by=w.d1_staff, recipient=w.secretary)) == ["not_permitted"]
    assert codes(actions.check_send_reminders(by=None, recipient=w.secretary)) == ["no_actor"]
    assert actions.check_send_reminders(by=w.secretary, recipient=w.secretary) == []
    assert actions.check_send_reminders(by=SYSTEM, recipient=w.secretary) == []


def test_remind_everyone_is_the_jobs_alone(live):
    w = live
    assert codes(actions.check_remind_everyone(by=w.admin)) == ["not_permitted"]
    assert codes(actions.check_remind_everyone(by=None)) == ["no_actor"]
    with pytest.raises(Refused) as exc:
        actions.remind_everyone(by=w.admin)
    assert exc.value.codes == ["not_permitted"]
    assert Notification.objects.count() == 0
    assert actions.remind_everyone(by=SYSTEM) > 0


def test_no_reminder_goes_out_after_the_deadline(live):
    w = live
    today = timezone.localdate()
    task = next(t for t in tasks_for(w.alice_user, today) if t.message == "oath.own_assessment")
    after = w.live_campaign.deadline + dt.timedelta(days=1)
    assert codes(actions.reminder_refusals(task=task, today=after, pending={task.key})) == ["deadline_passed"]
    assert codes(actions.reminder_refusals(task=task, today=today, pending=set())) == ["task_done"]
    actions.send_reminders(by=SYSTEM, recipient=w.alice_user, today=after)
    assert not Notification.objects.filter(user=w.alice_user, task_key=task.key).exists()
    actions.send_reminders(by=SYSTEM, recipient=w.alice_user, today=today)
    assert Notification.objects.filter(user=w.alice_user, task_key=task.key).count() == 1

"""Notifications: stored as a key and parameters, read in the reader's language, with
an unread count in the top bar; reminders send the task list, stop once a task is
done and are refused after its deadline."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from serment.core.actors import SYSTEM
from serment.core.errors import DomainError, Refused
from serment.home import actions
from serment.home.models import Notification
from serment.home.tasks import tasks_for
from serment.oath import actions as oath_actions


def test_reminders_send_the_task_list_in_app_and_by_email(live, settings, django_capture_on_commit_callbacks):
    w = live
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w.secretary.email = "bi.thu@example.vn"
    w.secretary.save()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        n = actions.send_reminders(by=SYSTEM, recipient=w.secretary, today=today)
    tasks = tasks_for(w.secretary, today)
    assert n == len(tasks) == 3
    notes = Notification.objects.filter(user=w.secretary)
    assert sorted(x.task_key for x in notes) == sorted(t.key for t in tasks)
    assert len(mail.outbox) == 1
    # the site's language (Vietnamese) when the account names none
    assert f"“{w.live_campaign.title}”: {w.C1.name} chưa lên lịch sinh hoạt chuyên đề" in mail.outbox[0].body


def test_a_notification_reads_in_the_readers_language(live):
    w = live
    actions.send_reminders(by=SYSTEM, recipient=w.secretary)
    note = Notification.objects.get(user=w.secretary, key="oath.meeting_not_scheduled")
    assert note.params == {"campaign": w.live_campaign.title, "cell": w.C1.name}
    with translation.override("en"):
        english = note.text
    with translation.override("vi"):
        vietnamese = note.text
    with translation.override("fr"):
        french = note.text
    assert english == f"“{w.live_campaign.title}”: the thematic meeting of {w.C1.name} is not scheduled"
    assert vietnamese == f"“{w.live_campaign.title}”: {w.C1.name} chưa lên lịch sinh hoạt chuyên đề"
    assert (
        french == f"« {w.live_campaign.title} » : la réunion thématique de {w.C1.name} n’est pas programmée"
    )


def test_reminders_stop_once_the_task_is_done(live):
    w = live
    today = timezone.localdate()
    actions.send_reminders(by=SYSTEM, recipient=w.secretary, today=today)
    oath_actions.schedule_meeting(by=w.secretary, campaign=w.live_campaign, cell=w.C1, held_on=today)
    actions.send_reminders(by=SYSTEM, recipient=w.secretary, today=today)
    unread = Notification.objects.filter(user=w.secretary, read_at__isnull=True)
    assert "oath.meeting_not_scheduled" not in {n.key for n in unread}
    task = next(t for t in tasks_for(w.alice_user, today) if t.message == "oath.own_assessment")
    with pytest.raises(Refused) as exc:
        actions.send_reminder(by=SYSTEM, recipient=w.secretary, task=task, today=today)
    assert exc.value.codes == ["task_done"]


def test_a_reminder_is_refused_after_the_deadline(live):
    w = live
    today = timezone.localdate()
    task = next(t for t in tasks_for(w.alice_user, today) if t.message == "oath.own_assessment")
    after = w.live_campaign.deadline + dt.timedelta(days=1)
    with pytest.raises(Refused) as exc:
        actions.send_reminder(by=SYSTEM, recipient=w.alice_user, task=task, today=after)
    assert "deadline_passed" in exc.value.codes
    assert actions.send_reminder(by=SYSTEM, recipient=w.alice_user, task=task, today=today).key == (
        "oath.own_assessment"
    )


def test_only_the_job_or_the_person_sends_reminders(live):
    w = live
    with pytest.raises(Refused) as exc:
        actions.send_reminders(by=w.d1_staff, recipient=w.secretary)
    assert exc.value.code == "not_permitted"
    with pytest.raises(DomainError) as exc:
        actions.send_reminders(by=None, recipient=w.secretary)
    assert exc.value.code == "no_actor"


def test_the_top_bar_counts_unread_and_marking_read_lowers_it(live, client):
    w = live
    actions.send_reminders(by=SYSTEM, recipient=w.secretary)
    client.force_login(w.secretary)
    html = client.get(reverse("home:notifications")).content.decode()
    assert '<span class="count" aria-label="3 unread">3</span>' in html
    note = Notification.objects.filter(user=w.secretary).order_by("pk").first()
    response = client.post(reverse("home:notification_read", args=[note.pk]), {"follow": "1"})
    assert response.status_code == 302 and response["Location"] == note.url
    html = client.get(reverse("home:notifications")).content.decode()
    assert '<span class="count" aria-label="2 unread">2</span>' in html
    client.post(reverse("home:notifications_read_all"))
    assert 'class="count"' not in client.get(reverse("home")).content.decode()


def test_nobody_reads_or_marks_another_persons_notification(live, client):
    w = live
    actions.send_reminders(by=SYSTEM, recipient=w.secretary)
    note = Notification.objects.filter(user=w.secretary).first()
    client.force_login(w.d1_staff)
    assert client.post(reverse("home:notification_read", args=[note.pk])).status_code == 404
    assert note.text not in client.get(reverse("home:notifications")).content.decode()
    with pytest.raises(Refused) as exc:
        actions.mark_read(by=w.d1_staff, notification=note)
    assert exc.value.code == "not_permitted"

"""Notifications and reminders. Reminders send each person the same list as their
home page's tasks (``home.tasks.tasks_for``): a task that is done is no longer in the
list, so its reminders stop; a task whose deadline has passed is refused."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from serment.core import audit
from serment.core.actors import Actor, is_actor, is_system
from serment.core.errors import Refusal, refuse_if_any
from serment.core.scoping import NO_ACTOR, require_actor

from . import messages
from .models import Notification
from .tasks import Task, tasks_for


def _is_self(by: Actor, user) -> bool:
    return getattr(by, "pk", None) is not None and by.pk == user.pk


def _sender_refusals(by: Actor, recipient) -> list[Refusal]:
    """The job (``SYSTEM``) or the person themself sends reminders."""
    if not is_actor(by):
        return [Refusal(code="no_actor", message=NO_ACTOR)]
    if is_system(by) or _is_self(by, recipient):
        return []
    return [
        Refusal(
            code="not_permitted",
            message=_("Only the reminder job or the person themself sends reminders."),
        )
    ]


def reminder_refusals(*, task: Task, today: dt.date, pending: set[str]) -> list[Refusal]:
    """The rules on reminding of one task: never after its deadline (a reminder then asks
    for what can no longer be done), never once it is done (``pending``: the keys of the
    recipient's tasks still to do)."""
    refusals: list[Refusal] = []
    if task.due_on is not None and task.due_on < today:
        refusals.append(
            Refusal(
                code="deadline_passed",
                message=_("The deadline (%(date)s) has passed: no reminder is sent any more."),
                params={"date": task.due_on},
            )
        )
    if task.key not in pending:
        refusals.append(Refusal(code="task_done", message=_("This task is done: no reminder is needed.")))
    return refusals


def check_send_reminder(*, by: Actor, recipient, task: Task, today: dt.date) -> list[Refusal]:
    """May ``by`` remind ``recipient`` of ``task`` today? The job (``SYSTEM``) or the
    person themself; never after the task's deadline; never for a task that is done."""
    return _sender_refusals(by, recipient) + reminder_refusals(
        task=task, today=today, pending={t.key for t in tasks_for(recipient, today)}
    )


def check_send_reminders(*, by: Actor, recipient) -> list[Refusal]:
    """May ``by`` send ``recipient`` their task list? The job (``SYSTEM``) or the person
    themself. (Which tasks go out is ``reminder_refusals``: none past its deadline.)"""
    return _sender_refusals(by, recipient)


def check_remind_everyone(*, by: Actor) -> list[Refusal]:
    """May ``by`` send everyone their task list? Only the reminder job (``SYSTEM``)."""
    if not is_actor(by):
        return [Refusal(code="no_actor", message=NO_ACTOR)]
    if is_system(by):
        return []
    return [Refusal(code="not_permitted", message=_("Only the reminder job sends everyone their reminders."))]


def _notify(recipient, task: Task) -> Notification:
    """One unread reminder per task: a new reminder replaces the unread one."""
    Notification.objects.filter(user=recipient, task_key=task.key, read_at__isnull=True).delete()
    return Notification.objects.create(
        user=recipient,
        key=task.message,
        params=task.params,
        url=task.url,
        task_key=task.key,
        due_on=task.due_on,
    )


@transaction.atomic
def send_reminder(*, by: Actor, recipient, task: Task, today: dt.date | None = None) -> Notification:
    """Remind ``recipient`` of one task, in the app (and by e-mail via ``send_reminders``)."""
    today = today or timezone.localdate()
    refuse_if_any(check_send_reminder(by=by, recipient=recipient, task=task, today=today))
    note = _notify(recipient, task)
    audit.record(by=by, action="home.remind", target=recipient, summary=task.key, changes={"tasks": 1})
    return note


@transaction.atomic
def send_reminders(*, by: Actor, recipient, today: dt.date | None = None) -> int:
    """Send ``recipient`` their task list: one in-app notification per pending task not
    past its deadline, one e-mail with the list (after commit, where they have an
    address). Unread reminders of tasks since done are withdrawn (marked read).
    Returns the number of reminders sent."""
    refuse_if_any(check_send_reminders(by=by, recipient=recipient))
    today = today or timezone.localdate()
    pending = tasks_for(recipient, today)
    pending_keys = {t.key for t in pending}
    tasks = [t for t in pending if not reminder_refusals(task=t, today=today, pending=pending_keys)]
    keys = {t.key for t in tasks}
    withdrawn = (
        Notification.objects.filter(user=recipient, read_at__isnull=True)
        .exclude(task_key="")
        .exclude(task_key__in=keys)
        .update(read_at=timezone.now())
    )
    for task in tasks:
        _notify(recipient, task)
    if tasks or withdrawn:
        audit.record(
            by=by,
            action="home.remind",
            target=recipient,
            summary=f"{len(tasks)}",
            changes={"tasks": len(tasks), "withdrawn": withdrawn},
        )
    if tasks and recipient.email and getattr(settings, "EMAIL_BACKEND", ""):
        transaction.on_commit(lambda: _mail(recipient, tasks))
    return len(tasks)


def _mail(recipient, tasks: list[Task]) -> None:
    """The digest in the recipient's language (their account's, else the site's)."""
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = messages.render("reminder.digest", {"n": len(tasks)})
        body = "\n".join(f"- {t.text}" for t in tasks)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email], fail_silently=True)


def remind_everyone(*, by: Actor, today: dt.date | None = None) -> int:
    """The reminder job (``serment remind``): every active account with a role or a
    member record gets their list. Returns the number of reminders sent."""
    refuse_if_any(check_remind_everyone(by=by))
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role_grants__isnull=False) | Q(member__isnull=False))
        .distinct()
        .order_by("pk")
    )
    return sum(send_reminders(by=by, recipient=u, today=today) for u in users)


@transaction.atomic
def mark_read(*, by: Actor, notification: Notification) -> Notification:
    """The reader marks one of their notifications read (another's answers 404 at the
    view: it is fetched through ``for_reader``)."""
    require_actor(by)
    refuse_if_any(check_mark_read(by=by, notification=notification))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def check_mark_read(*, by: Actor, notification: Notification) -> list[Refusal]:
    if not Notification.objects.for_reader(by).filter(pk=notification.pk).exists():
        return [Refusal(code="not_permitted", message=_("This notification is not yours."))]
    return []


@transaction.atomic
def mark_all_read(*, by: Actor) -> int:
    require_actor(by)
    return Notification.objects.for_reader(by).unread().update(read_at=timezone.now())

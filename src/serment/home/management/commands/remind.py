"""`serment remind [--user NAME]`: send each person their task list (the reminder job)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from serment.core.actors import SYSTEM
from serment.home import actions


class Command(BaseCommand):
    help = "Send every person (or one) the list of their pending tasks, in the app and by e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="only this user name")

    def handle(self, *args, user=None, **opts):
        if user:
            recipient = get_user_model().objects.filter(username=user, is_active=True).first()
            if recipient is None:
                raise CommandError(f"No active user named {user!r}.")
            n = actions.send_reminders(by=SYSTEM, recipient=recipient)
        else:
            n = actions.remind_everyone(by=SYSTEM)
        self.stdout.write(f"{n} reminders sent.")

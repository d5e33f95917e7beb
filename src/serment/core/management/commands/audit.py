"""`serment audit verify`: walk the audit history's hash chain; exit 1 at the first
entry that was changed, removed or inserted behind the application's back."""

from django.core.management.base import BaseCommand, CommandError

from serment.core import audit


class Command(BaseCommand):
    help = "Check the audit history's hash chain."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["verify"])

    def handle(self, *args, **opts):
        checked, broken = audit.verify()
        if broken is not None:
            raise CommandError(
                f"audit chain broken at entry {broken.entry_id} after {checked} good entries: "
                f"expected {broken.expected[:12]}…, found {broken.found[:12] or '(empty)'}…"
            )
        self.stdout.write(f"audit chain intact: {checked} entries")

"""`serment demo [--seed N] [--if-empty]`: build the demo province."""

import os
import time

from django.core.management.base import BaseCommand

from serment.core.demo import DEMO_PASSWORD, run_demo


class Command(BaseCommand):
    help = "Build a deterministic demo province shaped like Binh Thuan in mid-2023."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--if-empty", action="store_true", help="do nothing if organisations exist")

    def handle(self, *args, seed, if_empty, **opts):
        from serment.organisations.models import Organisation

        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds organisations: demo not loaded.")
                return
            self.stderr.write("The database is not empty; use a fresh database for the demo.")
            raise SystemExit(1)
        started = time.perf_counter()
        self.stdout.write(f"Building the demo province (seed {seed})…")
        ctx = run_demo(seed=seed, log=self.stdout.write)
        self.stdout.write(f"Demo built in {time.perf_counter() - started:.1f} s.")
        port = os.environ.get("PORT") or "8000"
        self.stdout.write(f"Sign in at http://127.0.0.1:{port} with password '{DEMO_PASSWORD}' as:")
        for username, what in ctx.users.items():
            self.stdout.write(f"  {username:<12} {what}")

"""`serment restore FILE --yes`: replace the database with a copy made by `serment backup`.

Stop the site first. SQLite: the backup API copies FILE over the live database;
PostgreSQL: `pg_restore --clean --if-exists`. The audit chain of the restored copy is
checked at the end."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from serment.core import audit

from .backup import pg_environment


def sqlite_restore(source: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        (result,) = src.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise CommandError(f"{source} fails SQLite's integrity check: {result}")
        connection.ensure_connection()
        src.backup(connection.connection)
    finally:
        src.close()


class Command(BaseCommand):
    help = "Replace the database with FILE, made by `serment backup` (stop the site first)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")

    def handle(self, *args, **opts):
        source = Path(opts["file"])
        if not source.is_file():
            raise CommandError(f"no file {source}")
        if not opts["yes"]:
            raise CommandError("this replaces every record of the database: add --yes to confirm")
        if connection.vendor == "sqlite":
            sqlite_restore(source)
        elif connection.vendor == "postgresql":
            args, env = pg_environment()
            connection.close()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(source),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"no restore for the {connection.vendor} database")
        checked, broken = audit.verify()
        if broken is not None:
            raise CommandError(f"restored, but the audit chain is broken at entry {broken.entry_id}")
        self.stdout.write(f"restored from {source}; audit chain intact ({checked} entries)")

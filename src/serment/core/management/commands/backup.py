"""`serment backup FILE`: a consistent copy of the database while the site runs.

SQLite: the online backup API (pages copied under a read lock, writers wait a moment);
PostgreSQL: `pg_dump --format=custom`. Restore with `serment restore FILE --yes`
(docs/security.md)."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from serment.core import audit


def pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore."""
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    if target.exists():
        target.unlink()
    dest = sqlite3.connect(target)
    try:
        with dest:
            connection.connection.backup(dest, pages=1024)
        (result,) = dest.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise CommandError(f"the copy fails SQLite's integrity check: {result}")
    finally:
        dest.close()


class Command(BaseCommand):
    help = "Copy the database to FILE (SQLite file, or a pg_dump custom-format archive)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        target = Path(opts["file"])
        checked, broken = audit.verify()
        if broken is not None:
            self.stderr.write(f"warning: the audit chain is broken at entry {broken.entry_id}")
        if connection.vendor == "sqlite":
            sqlite_backup(target)
        elif connection.vendor == "postgresql":
            args, env = pg_environment()
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"no backup for the {connection.vendor} database")
        self.stdout.write(
            f"backup written to {target} ({target.stat().st_size} bytes, {checked} audit entries)"
        )

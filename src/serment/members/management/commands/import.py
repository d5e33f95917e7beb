"""`serment import organisations|members FILE [--dry-run] [--user USERNAME]`.

Reads a CSV or XLSX file (docs/import-formats.md), prints the per-row error report,
and exits with status 1 when any row was refused (nothing is written then).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from serment.members.importers import import_members
from serment.organisations.importers import import_organisations

from ._common import acting_user

IMPORTERS = {"organisations": import_organisations, "members": import_members}


class Command(BaseCommand):
    help = "Import organisations or members from a CSV or XLSX file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument("--user", help="import as this user, within their scope (default: the system)")

    def handle(self, *args, kind, file, dry_run, user, **opts):
        by = acting_user(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        report = IMPORTERS[kind](by=by, data=path.read_bytes(), filename=path.name, dry_run=dry_run)
        for e in report.errors:
            where = f"line {e.row}" if e.row else "file"
            column = f" [{e.column}]" if e.column else ""
            self.stderr.write(f"{where}{column}: {e.message}")
        if not report.ok:
            self.stderr.write(f"{len(report.errors)} error(s) in {report.rows} row(s); nothing was imported.")
            sys.exit(1)
        verb = "would be created (dry run)" if dry_run else "created"
        self.stdout.write(f"{report.created} {kind} {verb} from {report.rows} row(s).")
        for label, n in report.breakdown.items():
            self.stdout.write(f"  {label}: {n}")

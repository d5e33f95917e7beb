"""`serment import KIND FILE [--dry-run] [--user USERNAME] [--org CODE] [--campaign ID]`.

Every kind in the import registry (``serment import --list``): reads a CSV or XLSX
file (docs/import-formats/KIND.md), prints every error of every row, and exits with
status 1 when anything was refused (nothing is written then). A dry run runs the real
actions and rolls them back. The command runs the import itself (no background job)
and, on a terminal, shows a plain-text progress bar on standard error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from serment.core.actors import SYSTEM, Actor
from serment.core.background import CHECKING, WRITING, progress_to
from serment.core.imports import get_kind, kinds, max_import_bytes, run_kind, write_doc_page


def acting_user(username: str | None) -> Actor:
    """The user named by ``--user``, or the system (the whole tree) without it."""
    if not username:
        return SYSTEM
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"no active user {username!r}") from exc


class ProgressBar:
    """``[##########..........]  50%  checking 5000/10000 rows`` on one terminal line,
    redrawn as the import's runner reports (``core.background.report_progress``); off
    when the output is not a terminal (a log or a pipe gets only the final lines)."""

    WIDTH = 30
    LABELS = {CHECKING: "checking", WRITING: "writing"}

    def __init__(self, stream, *, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.drawn = False
        self.last: tuple[str, int] = ("", -1)

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled or phase not in self.LABELS:
            return
        percent = 100 * done // total if total else 0
        if (phase, percent) == self.last:
            return
        self.last = (phase, percent)
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}%  {self.LABELS[phase]} {done}/{total} rows")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of one kind (all or nothing); --list shows the kinds."

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help="what the file holds (see --list)")
        parser.add_argument("file", nargs="?")
        parser.add_argument("--list", dest="list_kinds", action="store_true", help="list the kinds of import")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument("--user", help="import as this user, within their scope (default: the system)")
        parser.add_argument("--org", help="the organisation (code) to import into, for kinds that need one")
        parser.add_argument("--campaign", help="the campaign (id) to import into, for kinds that need one")
        parser.add_argument(
            "--write-docs",
            metavar="DIR",
            help="regenerate the column tables of DIR/docs/import-formats/KIND.md from the declarations",
        )

    def handle(self, *args, kind, file, list_kinds, dry_run, user, org, campaign, write_docs, **opts):
        if write_docs:
            with translation.override("en"):
                for k in kinds():
                    if write_doc_page(k, write_docs):
                        self.stdout.write(f"updated {k.doc_page}")
            return
        if list_kinds or not kind:
            for k in kinds():
                into = f" (--{'org' if k.target == 'organisation' else k.target} …)" if k.target else ""
                self.stdout.write(f"{k.name}{into}: {k.label}")
            return
        try:
            import_kind = get_kind(kind)
        except LookupError as exc:
            raise CommandError(
                f"unknown kind {kind!r}; one of: {', '.join(k.name for k in kinds())}"
            ) from exc
        if not file:
            raise CommandError("name the file to import")
        by = acting_user(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        target = None
        key = (
            org
            if import_kind.target == "organisation"
            else campaign
            if import_kind.target == "campaign"
            else None
        )
        if (org or campaign) and import_kind.target is None:
            raise CommandError(f"{kind} files are not imported into an organisation or a campaign")
        if import_kind.target is not None and (key or import_kind.target_required):
            target = import_kind.find_target(by, key) if import_kind.find_target else None
            if target is None:
                flag = "--org CODE" if import_kind.target == "organisation" else "--campaign ID"
                raise CommandError(f"{kind} needs {flag} naming a {import_kind.target} the user may see")
        with path.open("rb") as fh:
            data = fh.read(max_import_bytes() + 1)  # one byte past the limit is enough to refuse
        bar = ProgressBar(sys.stderr, enabled=sys.stderr.isatty())
        with progress_to(bar):
            report = run_kind(kind, by=by, data=data, filename=path.name, dry_run=dry_run, target=target)
        bar.finish()
        for row, column, message in report.shown_errors():
            where = f"line {row}" if row else "file"
            col = f" [{column}]" if column else ""
            self.stderr.write(f"{where}{col}: {message}")
        if not report.ok:
            self.stderr.write(f"{len(report.errors)} error(s) in {report.rows} row(s); nothing was imported.")
            sys.exit(1)
        verb = "would be created (dry run)" if dry_run else "created"
        self.stdout.write(f"{report.created} {kind} {verb} from {report.rows} row(s).")
        for label, n in report.breakdown.items():
            self.stdout.write(f"  {label}: {n}")

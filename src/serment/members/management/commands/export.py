"""`serment export members|organisations [--org CODE] [--format csv|xlsx] -o FILE [--user U]`.

Writes what the user (or, without --user, the system) may export, in the import's
columns; with --org only that organisation's subtree.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from serment.core import exports
from serment.members import exporters as member_exporters
from serment.organisations import exporters as organisation_exporters
from serment.organisations.models import Organisation

from ._common import acting_user


class Command(BaseCommand):
    help = "Export members or organisations to CSV or XLSX (the import's columns)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["members", "organisations"])
        parser.add_argument("--org", help="organisation code: export its subtree only")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", help="file to write (default for CSV: standard output)")
        parser.add_argument("--user", help="export what this user may export (default: everything)")

    def handle(self, *args, kind, org, format, output, user, **opts):
        viewer = acting_user(user)
        organisation = None
        if org:
            organisation = Organisation.objects.visible_to(viewer).filter(code=org).first()
            if organisation is None:
                raise CommandError(f"no organisation with code {org!r}")
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE")
        if kind == "members":
            header = member_exporters.header()  # in the command line's language
            rows = member_exporters.member_rows(viewer=viewer, organisation=organisation)
        else:
            header = organisation_exporters.HEADER
            rows = organisation_exporters.organisation_rows(viewer=viewer, organisation=organisation)
        payload = exports.render(format, header, rows, title=kind)
        if output and output != "-":
            with open(output, "wb") as fh:
                fh.write(payload)
        else:
            sys.stdout.write(payload.decode("utf-8-sig"))

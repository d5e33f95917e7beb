"""`serment report NAME [--org CODE] [--as-of DATE] [--year YYYY] [--from D --to D] [--format json|csv|xlsx] [-o FILE]`."""

import sys

from django.core.management.base import BaseCommand, CommandError

from serment.core.errors import DomainError
from serment.core.imports import parse_date
from serment.core.reporting import cli_reports
from serment.core.scoping import SYSTEM


class Command(BaseCommand):
    help = "Print a report for the whole tree or one organisation's subtree."

    def add_arguments(self, parser):
        parser.add_argument("name", help="report name: " + ", ".join(sorted(cli_reports())))
        parser.add_argument("--org", help="organisation code (default: the whole tree)")
        parser.add_argument("--as-of", dest="as_of", help="date, YYYY-MM-DD")
        parser.add_argument("--year", type=int)
        parser.add_argument("--from", dest="from", help="period start, YYYY-MM-DD (reports over a period)")
        parser.add_argument("--to", dest="to", help="period end, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="write to this file (required for xlsx)")
        parser.add_argument("--user", help="compute as this user would see it (default: everything)")

    def handle(self, *args, **opts):
        from django.contrib.auth import get_user_model

        from serment.organisations.models import Organisation

        reports = cli_reports()
        if opts["name"] not in reports:
            raise CommandError(f"unknown report {opts['name']!r}; known: {', '.join(sorted(reports))}")
        viewer = SYSTEM
        if opts["user"]:
            try:
                viewer = get_user_model().objects.get(username=opts["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"no user {opts['user']!r}") from exc
        org = None
        if opts["org"]:
            org = Organisation.objects.visible_to(viewer).filter(code=opts["org"]).first()
            if org is None:
                raise CommandError(f"no organisation with code {opts['org']!r}")
        try:
            for key in ("as_of", "from", "to"):
                opts[key] = parse_date(opts[key]) if opts.get(key) else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            table = reports[opts["name"]](viewer=viewer, org=org, options=opts)
        except DomainError as exc:  # a report's refusal ("no campaign covers…") is the CLI's message
            raise CommandError(str(exc)) from exc
        if opts["format"] == "xlsx" and not opts["output"]:
            raise CommandError("--format xlsx needs --output FILE")
        payload = table.render(opts["format"])
        if opts["output"]:
            with open(opts["output"], "wb") as fh:
                fh.write(payload)
        else:
            sys.stdout.write(payload.decode("utf-8-sig"))
            if not payload.endswith(b"\n"):
                sys.stdout.write("\n")

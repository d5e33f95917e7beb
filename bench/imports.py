"""Member import rate as ratios measured in one run: Serment's importer beside
django-import-export (per row and bulk mode) on the same file, and on PostgreSQL
beside ``COPY`` of the same rows into a bare table. Prints figures; asserts nothing.

    .venv/bin/python bench/imports.py [--databases sqlite,postgresql] [--iie-rows 3000]
        [--database-url postgres://postgres@127.0.0.1:5432/serment_scale_imports]

Needs ``bench/requirements.txt`` (django-import-export). For each database: a fresh
database (SQLite in a temporary file; PostgreSQL at ``--database-url``, dropped and
created), ``migrate``, the demo province's organisations imported, then the demo's
member file (the rows ``serment demo`` imports, written as CSV once) imported by:

- Serment (``members.importers.import_members``, all or nothing, every rule checked,
  writes each member, their period in the cell, their activity period and an audit
  entry);
- django-import-export 4 (``ModelResource`` of ``Member``: the cell by its code, the
  dates parsed, the left fields filled for leavers; it writes the member row only, so
  it does less than Serment), per row with its defaults and in bulk mode
  (``use_bulk``, ``force_init_instance``, batches of 1,000), on the first
  ``--iie-rows`` rows: its rate per row is what is compared;
- PostgreSQL's ``COPY`` of the same CSV into a bare table of text columns (no check,
  no index): the ceiling.

Each measurement runs in its own process (its peak memory, ``ru_maxrss``, is printed
beside it) inside a transaction that is rolled back, so each starts from the same
database. Rates are rows per second; ratios are to Serment's rate in the same run.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/serment_scale_imports"


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the child: one measurement ----------------------------------------------------


class Rollback(Exception):
    pass


def child(step: str, tmp: Path, rows: int) -> None:
    import django

    django.setup()
    from django.db import connection, transaction

    from serment.core.scoping import SYSTEM

    members_csv = tmp / "members.csv"
    if step == "prepare":
        import random

        from serment.core.demo import DemoContext
        from serment.members.demo import member_rows, organisation_rows
        from serment.organisations.importers import import_organisations

        ctx = DemoContext(seed=2023, rng=random.Random(2023), log=lambda *a: None)
        orgs, cells = organisation_rows(ctx)
        for name, data in (("orgs", orgs), ("members", list(member_rows(ctx, cells)))):
            with open(tmp / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=list(data[0]))
                w.writeheader()
                w.writerows(data)
        report = import_organisations(
            by=SYSTEM, data=(tmp / "orgs.csv").read_bytes(), filename="orgs.csv", dry_run=False
        )
        assert not report.errors, report.errors[:3]
        return

    data = members_csv.read_bytes()
    if rows:
        lines = data.decode("utf-8").splitlines(keepends=True)
        data = "".join(lines[: rows + 1]).encode("utf-8")
    count = data.count(b"\n") - 1
    started = time.perf_counter()
    try:
        with transaction.atomic():
            if step == "serment":
                from serment.members.importers import import_members

                report = import_members(by=SYSTEM, data=data, filename="members.csv", dry_run=False)
                if report.errors:
                    sys.exit(f"Serment refused rows: {report.errors[:3]}")
                count = report.created
            elif step in ("iie-row", "iie-bulk"):
                import tablib

                result = member_resource(bulk=step == "iie-bulk").import_data(
                    tablib.Dataset().load(data.decode("utf-8"), format="csv"),
                    dry_run=False,
                    raise_errors=True,
                )
                count = result.totals["new"]
            elif step == "copy":
                with connection.cursor() as cursor:
                    header = data.split(b"\n", 1)[0].decode("utf-8").split(",")
                    cursor.execute(f"CREATE TABLE bench_copy ({', '.join(f'{c} text' for c in header)})")
                    with cursor.cursor.copy(
                        "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
                    ) as copy:
                        copy.write(data)
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    print(f"RESULT {step} {count} {seconds:.3f} {peak_mb():.0f}", flush=True)


def member_resource(*, bulk: bool):
    from import_export import fields, resources, widgets

    from serment.members.models import Member
    from serment.organisations.models import Organisation

    class MemberResource(resources.ModelResource):
        organisation = fields.Field(
            attribute="organisation",
            column_name="cell_code",
            widget=widgets.ForeignKeyWidget(Organisation, "code"),
        )
        left_on = fields.Field(attribute="left_on", column_name="left_on", widget=widgets.DateWidget())
        left_reason = fields.Field(attribute="left_reason", column_name="left_reason")

        class Meta:
            model = Member
            fields = (
                "full_name", "sex", "date_of_birth", "card_number", "citizen_id", "ethnicity", "religion",
                "home_town", "phone", "education_level", "theory_level", "admitted_on", "official_on", "state",
                "organisation", "left_on", "left_reason",
            )  # fmt: skip
            import_id_fields = ("card_number",)
            use_bulk = bulk
            force_init_instance = bulk
            batch_size = 1000
            skip_diff = True

        def before_import_row(self, row, **kwargs):
            left = row.get("state") == "left"
            row["left_on"] = row.get("state_since") if left else ""
            row["left_reason"] = row.get("state_reason") if left else ""
            if row.get("official_on") == "":
                row["official_on"] = None

    return MemberResource()


# --- the parent: databases, then one process per measurement -------------------------


def run(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    return out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--iie-rows", type=int, default=3000, help="rows given to django-import-export")
    parser.add_argument("--database-url", default=os.environ.get("SERMENT_IMPORTS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT / "src"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serment.settings")
        child(args.child, Path(args.tmp), args.rows)
        return

    import psycopg

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {load()} at start", flush=True)
    for vendor in [v.strip() for v in args.databases.split(",") if v.strip()]:
        with tempfile.TemporaryDirectory(prefix="serment-imports-") as tmp_name:
            tmp = Path(tmp_name)
            env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SERMENT_VAR_DIR=str(tmp))
            env.pop("DATABASE_URL", None)
            if vendor == "postgresql":
                url = urllib.parse.urlparse(args.database_url)
                name = url.path.lstrip("/")
                if not name.startswith("serment_scale"):
                    sys.exit(f"refusing to drop {name!r}: use a database named serment_scale*")
                with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    admin.execute(f'CREATE DATABASE "{name}"')
                env["DATABASE_URL"] = args.database_url
            else:
                env["SERMENT_SQLITE_PATH"] = str(tmp / "imports.sqlite3")
            run(env, "manage.py", "migrate", "--noinput")
            me = str(Path(__file__).resolve())
            run(env, me, "--child", "prepare", "--tmp", tmp_name)
            steps = ["serment", "iie-row", "iie-bulk"] + (["copy"] if vendor == "postgresql" else [])
            results: dict[str, tuple[int, float, str]] = {}
            for step in steps:
                rows = args.iie_rows if step.startswith("iie") else 0
                line = next(
                    x for x in run(env, me, "--child", step, "--tmp", tmp_name, "--rows", str(rows)).splitlines()
                    if x.startswith("RESULT ")
                )  # fmt: skip
                _, _, count, seconds, mb = line.split()
                results[step] = (int(count), float(seconds), mb)
                rate = int(count) / float(seconds)
                print(f"[{vendor}] {step}: {count} rows in {float(seconds):.2f} s = {rate:,.0f} rows/s,"
                      f" peak memory {mb} MB ({load()})", flush=True)  # fmt: skip
            ours = results["serment"][0] / results["serment"][1]
            for step, label in (
                ("iie-row", "django-import-export, per row"),
                ("iie-bulk", "django-import-export, bulk mode"),
            ):
                theirs = results[step][0] / results[step][1]
                print(f"[{vendor}] Serment = {ours / theirs:.1f}x {label} (goal >= 10x)")
            if "copy" in results:
                ceiling = results["copy"][0] / results["copy"][1]
                print(f"[{vendor}] Serment = {ours / ceiling:.1%} of COPY into a bare table (goal >= 30%)")


if __name__ == "__main__":
    main()

"""National scale on PostgreSQL: builds a data set of national shape in Serment's own
schema with COPY, then measures Serment's roll-ups beside DuckDB on the same rows.

    .venv/bin/python bench/nation.py [--provinces 63] [--skip-build] [-n 3] [--seed 1]
        [--database-url postgres://postgres@127.0.0.1:5432/serment_scale_nation]

Needs ``bench/requirements.txt`` (duckdb) and a PostgreSQL server. Prints figures only,
asserts nothing; every time is printed beside the machine's load average, and the
comparisons are ratios measured in the same run.

1. Build (unless ``--skip-build``): drops and creates the database, runs ``migrate``,
   then writes with ``COPY`` (psycopg's ``cursor.copy``) a data set of the shape of
   the country (DOMAIN §9), ``--provinces`` of 63 of it: per province 15 committees
   directly under it, about 828 grassroots organisations (30% grassroots cells, the
   others grassroots committees with 4–11 cells each), about 4,500 cells, about
   89,000 members (4% exempt, 1% temporarily transferred out, each with the activity
   period that says so), the oath campaign of 2023 (one, launched by the first
   province, whose meetings every cell of the country held: a whole-country
   coverage report counts one campaign), one closed meeting per cell, a presentation
   for 92% of the active members and 30% of the others, an absence for the rest, and
   the decided ratings of 2020–2022 of every member and organisation (one round per
   province and year). Then ``ANALYZE``. Full scale (63 provinces, extrapolated from 4): 52k grassroots
   organisations, about 280k cells, 5.8 M members, 5.2 M presentations, 18.5 M ratings.
2. Serment's query functions on the whole data set and on one province
   (``oath.queries.coverage``, ``ratings.queries.rating_report``, ``latest_year``),
   median of ``-n`` runs, as the command line's ``SYSTEM`` viewer.
3. DuckDB on the same rows: the tables the two reports read, exported once with
   ``COPY … TO STDOUT`` to CSV and loaded into an in-memory DuckDB (export and load
   timed apart), then the same questions in SQL, median of ``-n``; the ratio
   Serment / DuckDB (issue 14 goal 3: ≤ 2×).
4. One province's pages, in-process through Django's test client, signed in as an
   administrator of that province: the oath coverage page and the ratings report
   (goal: < 300 ms each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/serment_scale_nation"

DISTRICTS = 15
GRASSROOTS = 828  # per province: 52,164 / 63
GRASSROOTS_CELL_SHARE = 0.3
CELLS_PER_COMMITTEE = (4, 11)
MEMBERS_PER_CELL = (10, 30)
YEARS = (2020, 2021, 2022)
AS_OF = dt.date(2023, 6, 30)
LEVELS = (("excellent", 0.12), ("good", 0.78), ("completed", 0.08), ("not_completed", 0.02))


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def say(text: str) -> None:
    print(text, flush=True)


def timed(fn, n: int) -> tuple[float, object]:
    """Median wall time of ``n`` calls, in seconds, and the last result."""
    times, result = [], None
    for _ in range(n):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


# --- build -----------------------------------------------------------------------


class Writer:
    """Rows for one table, sent with COPY in chunks (text format, tab-separated)."""

    def __init__(self, conn, table: str, columns: str):
        self.conn, self.table, self.columns = conn, table, columns
        self.lines: list[str] = []
        self.rows = 0

    def add(self, *values: object) -> None:
        self.lines.append("\t".join("\\N" if v is None else str(v) for v in values))
        if len(self.lines) >= 200_000:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        with self.conn.cursor() as cur:
            with cur.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                copy.write("\n".join(self.lines) + "\n")
        self.rows += len(self.lines)
        self.lines = []


def level_of(rng: random.Random) -> str:
    x = rng.random()
    for level, share in LEVELS:
        if x < share:
            return level
        x -= share
    return LEVELS[-1][0]


def build(url: str, provinces: int, seed: int) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("serment_scale"):
        sys.exit(f"refusing to drop {name!r}: the national bench only uses databases named serment_scale*")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"migrate: {time.perf_counter() - t:.1f} s ({load()})")

    rng = random.Random(seed)
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute("SET synchronous_commit = off")
        # The rows are generated consistent: foreign-key triggers off for the load, as
        # pg_restore --disable-triggers does (one check per row made COPY 40x slower).
        conn.execute("SET session_replication_role = replica")
        orgs = Writer(conn, "organisations_organisation", "id, code, name, kind, path, depth, parent_id")
        members = Writer(
            conn,
            "members_member",
            "id, full_name, search_name, sort_name, date_of_birth, sex, ethnicity, religion, home_town,"
            " card_number, phone, email, education_level, theory_level, admitted_on, official_on, state,"
            " left_reason, created_at, updated_at, organisation_id",
        )
        memberships = Writer(
            conn,
            "members_membership",
            "id, member_id, organisation_id, starts_on, kind, reason, document_ref",
        )
        periods = Writer(
            conn,
            "members_activityperiod",
            "id, member_id, state, starts_on, reason, details, destination, document_ref",
        )
        meetings = Writer(
            conn,
            "oath_cellmeeting",
            "id, campaign_id, cell_id, held_on, status, source, closed_at, notes, chair, note_taker, place",
        )
        presentations = Writer(
            conn, "oath_presentation", "id, meeting_id, member_id, report_type, suggestions"
        )
        attendance = Writer(
            conn, "oath_attendance", "id, meeting_id, member_id, present, absence_reason, absence_note"
        )
        rounds = Writer(
            conn, "ratings_ratinground", "id, organisation_id, year, rule_set, opened_on, decided_on"
        )
        ratings = Writer(
            conn,
            "ratings_rating",
            "id, round_id, year, subject_kind, member_id, organisation_id, quota_group_id, post,"
            " self_assessment, self_level, score_sheet, review, review_level, level, decided_on, locked",
        )
        ids = {"org": 0, "member": 0, "period": 0, "meeting": 0, "presentation": 0, "attendance": 0}
        ids.update({"round": 0, "rating": 0})

        def next_id(kind: str) -> int:
            ids[kind] += 1
            return ids[kind]

        campaign_id = 1
        created = "2023-01-01 00:00:00+00"
        round_of: dict[int, int] = {}  # this province's round of each year
        for p in range(1, provinces + 1):
            prov_id = next_id("org")
            prov_path = f"{prov_id}/"
            orgs.add(prov_id, f"P{p:02d}", f"Tỉnh ủy {p:02d}", "province", prov_path, 0, None)
            for year in YEARS:
                rid = next_id("round")
                round_of[year] = rid
                rounds.add(rid, prov_id, year, "qd132", f"{year}-12-01", f"{year}-12-31")
            if p == 1:  # foreign keys are checked at commit: the order of the rows does not matter
                with conn.cursor() as cur:
                    cur.execute(
                        "INSERT INTO oath_campaign (id, organisation_id, title, starts_on, ends_on, deadline,"
                        " expected_states, count_whole_register, presentation_without_self_assessment,"
                        " launched_at) VALUES (%s, %s, %s, %s, %s, %s, %s, true, true, %s)",
                        [
                            campaign_id,
                            prov_id,
                            "Học tập và làm theo lời thề 2023",
                            "2023-03-01",
                            "2023-06-15",
                            AS_OF.isoformat(),
                            '["active"]',
                            created,
                        ],
                    )
            rounds.flush()

            def rate_org(org_id: int, quota_group: int | None) -> None:
                for year in YEARS:
                    ratings.add(
                        next_id("rating"), round_of[year], year, "organisation", None, org_id,
                        quota_group, "", "", "", "{}", "", "", level_of(rng), f"{year}-12-31", "t",
                    )  # fmt: skip

            def fill_cell(cell_id: int, grassroots_id: int) -> None:
                meeting_id = next_id("meeting")
                held_on = dt.date(2023, 3, 15) + dt.timedelta(days=rng.randint(0, 80))
                meetings.add(
                    meeting_id, campaign_id, cell_id, held_on, "closed", "paper", f"{held_on} 12:00:00+00",
                    "", "", "", "",
                )  # fmt: skip
                for _ in range(rng.randint(*MEMBERS_PER_CELL)):
                    mid = next_id("member")
                    admitted = dt.date(1975, 1, 1) + dt.timedelta(days=rng.randint(0, 17_000))
                    born = admitted - dt.timedelta(days=rng.randint(18 * 365, 40 * 365))
                    x = rng.random()
                    state = "exempt" if x < 0.04 else "transferred_out" if x < 0.05 else "active"
                    members.add(
                        mid, f"Nguyễn Văn {mid}", f"nguyen van {mid}", f"{mid} nguyen van", born,
                        "male" if mid % 3 else "female", "", "", "", f"C{mid:09d}", "", "", "", "",
                        admitted, admitted + dt.timedelta(days=365), state, "", created, created, cell_id,
                    )  # fmt: skip
                    memberships.add(mid, mid, cell_id, admitted, "registered", "", "")
                    if state != "active":
                        starts = "2020-01-01" if state == "exempt" else "2023-01-01"
                        periods.add(
                            next_id("period"),
                            mid,
                            state,
                            starts,
                            "age" if state == "exempt" else "",
                            "",
                            "",
                            "",
                        )
                    presented = rng.random() < (0.92 if state == "active" else 0.3)
                    if presented:
                        presentations.add(next_id("presentation"), meeting_id, mid, "oath", "")
                    else:
                        reason = state if state != "active" else "work"
                        attendance.add(next_id("attendance"), meeting_id, mid, "f", reason, "")
                    for year in YEARS:
                        ratings.add(
                            next_id("rating"), round_of[year], year, "member", mid, cell_id,
                            grassroots_id, "", "", "", "{}", "", "", level_of(rng), f"{year}-12-31", "t",
                        )  # fmt: skip

            districts = []
            for d in range(1, DISTRICTS + 1):
                did = next_id("org")
                districts.append((did, f"{prov_path}{did}/", f"P{p:02d}.{d:02d}"))
                orgs.add(
                    did,
                    districts[-1][2],
                    f"Huyện ủy {p:02d}.{d:02d}",
                    "district_committee",
                    districts[-1][1],
                    1,
                    prov_id,
                )
                rate_org(did, prov_id)
            for g in range(GRASSROOTS):
                did, dpath, dcode = districts[g % DISTRICTS]
                gid = next_id("org")
                gpath = f"{dpath}{gid}/"
                gcode = f"{dcode}.{g // DISTRICTS + 1:03d}"
                rate_org(gid, did)
                if rng.random() < GRASSROOTS_CELL_SHARE:
                    orgs.add(gid, gcode, f"Chi bộ cơ sở {gcode}", "grassroots_cell", gpath, 2, did)
                    fill_cell(gid, gid)
                    continue
                orgs.add(gid, gcode, f"Đảng ủy {gcode}", "grassroots_committee", gpath, 2, did)
                cells = []
                for c in range(1, rng.randint(*CELLS_PER_COMMITTEE) + 1):
                    cid = next_id("org")
                    cells.append(cid)
                    orgs.add(
                        cid, f"{gcode}.{c:02d}", f"Chi bộ {gcode}.{c:02d}", "cell", f"{gpath}{cid}/", 3, gid
                    )
                    rate_org(cid, gid)
                for cid in cells:
                    fill_cell(cid, gid)
            for w in (orgs, members, memberships, periods, meetings, presentations, attendance, ratings):
                w.flush()
            conn.commit()
            say(
                f"  province {p}/{provinces}: {ids['org']:,} organisations, {ids['member']:,} members,"
                f" {ids['rating']:,} ratings, {time.perf_counter() - t0:.0f} s ({load()})"
            )
        with conn.cursor() as cur:
            for table in (
                "organisations_organisation", "members_member", "members_membership", "members_activityperiod",
                "oath_campaign", "oath_cellmeeting", "oath_presentation", "oath_attendance",
                "ratings_ratinground", "ratings_rating",
            ):  # fmt: skip
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        conn.commit()
        copied = time.perf_counter() - t0
        t = time.perf_counter()
        conn.autocommit = True
        conn.execute("ANALYZE")
        analyzed = time.perf_counter() - t
    total_rows = sum(
        w.rows for w in (orgs, members, memberships, periods, meetings, presentations, attendance, ratings)
    )
    say(
        f"built {provinces} provinces: {ids['org']:,} organisations, {ids['member']:,} members,"
        f" {ids['presentation']:,} presentations, {ids['attendance']:,} absences, {ids['rating']:,} ratings"
        f" ({total_rows:,} rows) with COPY in {copied:.0f} s ({total_rows / copied:,.0f} rows/s), ANALYZE {analyzed:.0f} s"
        f" ({load()})"
    )


# --- measure ---------------------------------------------------------------------

# The columns the two reports read, with their types (CSV carries none).
DUCK_TABLES = {
    (
        "organisations_organisation",
        "org",
    ): "id BIGINT, kind VARCHAR, path VARCHAR, founded_on DATE, dissolved_on DATE",
    (
        "members_membership",
        "membership",
    ): "member_id BIGINT, organisation_id BIGINT, starts_on DATE, ends_on DATE",
    ("members_activityperiod", "period"): "member_id BIGINT, state VARCHAR, starts_on DATE, ends_on DATE",
    (
        "oath_cellmeeting",
        "meeting",
    ): "id BIGINT, campaign_id BIGINT, cell_id BIGINT, status VARCHAR, held_on DATE",
    ("oath_presentation", "presentation"): "meeting_id BIGINT, member_id BIGINT",
    ("oath_attendance", "attendance"): "meeting_id BIGINT, member_id BIGINT, present BOOLEAN",
    ("ratings_rating", "rating"): (
        "year INTEGER, subject_kind VARCHAR, level VARCHAR, locked BOOLEAN, organisation_id BIGINT, member_id BIGINT"
    ),
}


def _columns(schema: str) -> list[tuple[str, str]]:
    return [tuple(c.split()) for c in schema.split(", ")]  # type: ignore[misc]


def duck_coverage(prefix: str) -> tuple[str, str]:
    """The coverage report's two counts in DuckDB's SQL (levels: the children of ``prefix``)."""
    depth = prefix.count("/") + 1
    level = f"array_to_string(string_split(o.path, '/')[1:{depth}], '/') || '/'"
    where = f"starts_with(o.path, '{prefix}') AND " if prefix else ""
    day = f"DATE '{AS_OF.isoformat()}'"
    closed = f"SELECT id FROM meeting WHERE campaign_id = 1 AND status = 'closed' AND held_on <= {day}"
    cells = (
        f"SELECT {level} AS level, h.cell_id IS NOT NULL AS held, count(*) FROM org o"
        f" LEFT JOIN (SELECT DISTINCT cell_id FROM meeting WHERE id IN ({closed})) h ON h.cell_id = o.id"
        f" WHERE {where}o.kind IN ('cell', 'grassroots_cell')"
        f" AND (o.founded_on IS NULL OR o.founded_on <= {day}) AND (o.dissolved_on IS NULL OR o.dissolved_on > {day})"
        " GROUP BY ALL"
    )
    members = (
        f"WITH reg AS (SELECT m.member_id, {level} AS level FROM membership m JOIN org o ON o.id = m.organisation_id"
        f"   WHERE {where}m.starts_on <= {day} AND (m.ends_on IS NULL OR m.ends_on > {day})),"
        " st AS (SELECT member_id, min(state) AS state FROM period"
        f"   WHERE starts_on <= {day} AND (ends_on IS NULL OR ends_on > {day}) GROUP BY member_id),"
        f" rep AS (SELECT DISTINCT member_id FROM presentation WHERE meeting_id IN ({closed})),"
        f" ab AS (SELECT DISTINCT member_id FROM attendance WHERE NOT present AND meeting_id IN ({closed}))"
        " SELECT reg.level, coalesce(st.state, 'active') AS state, count(*), count(rep.member_id),"
        " count(*) FILTER (WHERE rep.member_id IS NULL AND ab.member_id IS NOT NULL)"
        " FROM reg LEFT JOIN st USING (member_id) LEFT JOIN rep USING (member_id) LEFT JOIN ab USING (member_id)"
        " GROUP BY ALL"
    )
    return cells, members


def duck_ratings(prefix: str, year: int) -> tuple[str, str]:
    where = f" AND starts_with(o.path, '{prefix}')" if prefix else ""
    years = ", ".join(str(y) for y in range(year - 2, year + 1))
    counts = (
        "SELECT r.year, r.subject_kind, o.kind, r.level, count(*) FROM rating r JOIN org o ON o.id = r.organisation_id"
        f" WHERE r.locked AND r.year IN ({years}){where} GROUP BY ALL"
    )
    twice = (
        "SELECT count(*) FROM rating r JOIN org o ON o.id = r.organisation_id"
        f" WHERE r.locked AND r.year = {year} AND r.subject_kind = 'member' AND r.level = 'not_completed'{where}"
        " AND r.member_id IN (SELECT member_id FROM rating WHERE locked AND subject_kind = 'member'"
        f"   AND level = 'not_completed' AND year = {year - 1})"
    )
    return counts, twice


def measure(url: str, n: int, year: int) -> None:
    import duckdb
    import psycopg
    from django.contrib.auth import get_user_model
    from django.test import Client

    from serment.accounts.models import RoleGrant
    from serment.core.actors import SYSTEM
    from serment.oath import queries as oath_queries
    from serment.oath.models import Campaign
    from serment.organisations.models import Organisation
    from serment.ratings import queries as rating_queries

    campaign = Campaign.objects.get(pk=1)
    province = Organisation.objects.filter(parent=None).order_by("code").first()
    members = campaign.organisation.memberships.model.objects.count()
    say(f"data set: {Organisation.objects.count():,} organisations, {members:,} memberships ({load()})")

    serment: dict[str, float] = {}
    figures: dict[str, object] = {}
    for scope, org in (("country", None), ("province", province)):
        t, cov = timed(
            partial(oath_queries.coverage, viewer=SYSTEM, campaign=campaign, org=org, as_of=AS_OF), n
        )
        serment[f"coverage {scope}"] = t
        figures[f"coverage {scope}"] = (cov.total.cells_held, cov.total.cells, cov.total.members["reported"],
                                         cov.total.members["expected"])  # fmt: skip
        say(f"[serment] oath coverage, {scope}: {t * 1000:.0f} ms ({load()})")
        t, rep = timed(partial(rating_queries.rating_report, SYSTEM, org=org, year=year), n)
        serment[f"ratings {scope}"] = t
        members_row = next(r for r in rep.rows if r.group.key == "members")
        figures[f"ratings {scope}"] = (members_row.figures.rated, members_row.figures.good_or_better,
                                        rep.not_completed_twice)  # fmt: skip
        say(f"[serment] ratings report, {scope}: {t * 1000:.0f} ms ({load()})")
        t, _ = timed(partial(rating_queries.latest_year, SYSTEM, org), n)
        say(f"[serment] latest rating year, {scope}: {t * 1000:.1f} ms ({load()})")

    # DuckDB on the same rows: exported once, loaded once, then the same questions.
    duck = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="serment-nation-") as tmp:
        t = time.perf_counter()
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            for (table, name), schema in DUCK_TABLES.items():
                select = f"SELECT {', '.join(c for c, _ in _columns(schema))} FROM {table}"
                with open(Path(tmp) / f"{name}.csv", "wb") as f:
                    with cur.copy(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                        for block in copy:
                            f.write(block)
        exported = time.perf_counter() - t
        t = time.perf_counter()
        for (_table, name), schema in DUCK_TABLES.items():
            columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in _columns(schema)) + "}"
            duck.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv('{tmp}/{name}.csv', header = true, columns = {columns})"
            )
        loaded = time.perf_counter() - t
    say(
        f"[duckdb {duckdb.__version__}] exported with COPY in {exported:.1f} s, loaded in {loaded:.1f} s ({load()})"
    )
    for scope, prefix in (("country", ""), ("province", province.path)):
        cells_sql, members_sql = duck_coverage(prefix)

        def coverage_in_duckdb(cells_sql=cells_sql, members_sql=members_sql):
            cells = duck.execute(cells_sql).fetchall()
            return cells, duck.execute(members_sql).fetchall()

        t, (cells, member_rows) = timed(coverage_in_duckdb, n)
        ours = figures[f"coverage {scope}"]
        theirs = (
            sum(c[2] for c in cells if c[1]), sum(c[2] for c in cells),
            sum(m[3] for m in member_rows), sum(m[2] for m in member_rows),
        )  # fmt: skip
        ratio = serment[f"coverage {scope}"] / t
        say(f"[duckdb] oath coverage, {scope}: {t * 1000:.0f} ms; Serment = {ratio:.1f}x DuckDB;"
            f" same figures: {'yes' if ours == theirs else f'NO {ours} != {theirs}'} ({load()})")  # fmt: skip
        counts_sql, twice_sql = duck_ratings(prefix, year)

        def ratings_in_duckdb(counts_sql=counts_sql, twice_sql=twice_sql):
            return duck.execute(counts_sql).fetchall(), duck.execute(twice_sql).fetchone()[0]

        t, (counts, twice) = timed(ratings_in_duckdb, n)
        rated = sum(r[4] for r in counts if r[0] == year and r[1] == "member")
        good = sum(
            r[4] for r in counts if r[0] == year and r[1] == "member" and r[3] in ("excellent", "good")
        )
        ours = figures[f"ratings {scope}"]
        ratio = serment[f"ratings {scope}"] / t
        say(f"[duckdb] ratings report, {scope}: {t * 1000:.0f} ms; Serment = {ratio:.1f}x DuckDB;"
            f" same figures: {'yes' if ours == (rated, good, twice) else f'NO {ours} != {(rated, good, twice)}'}"
            f" ({load()})")  # fmt: skip

    # One province's pages, signed in as its administrator.
    user, _ = get_user_model().objects.get_or_create(username="nation-admin")
    RoleGrant.objects.get_or_create(
        user=user, organisation=province, role="admin", defaults={"starts_on": dt.date(2020, 1, 1)}
    )
    client = Client()
    client.force_login(user)
    pages = {
        "oath coverage 2023": f"/oath/campaigns/{campaign.pk}/coverage/?org={province.pk}&as_of={AS_OF}",
        "ratings report": f"/ratings/report/?org={province.pk}&year={year}",
        "ratings report (latest year)": "/ratings/report/",
    }
    for label, page in pages.items():
        status = client.get(page).status_code  # warm
        t, _ = timed(partial(client.get, page), n)
        say(f"[page] {label}, province admin: {t * 1000:.0f} ms (HTTP {status}; goal < 300 ms) ({load()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--database-url", default=os.environ.get("SERMENT_NATION_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--skip-build", action="store_true", help="measure the data set already built")
    parser.add_argument("-n", type=int, default=3, help="runs of each measurement (the median is printed)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2022)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ["SERMENT_REPORT_TIMEOUT_MS"] = "0"  # the bench measures; it does not stop a slow report
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serment.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    say(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {load()} at start")
    if not args.skip_build:
        build(args.database_url, args.provinces, args.seed)
    measure(args.database_url, args.n, args.year)


if __name__ == "__main__":
    main()

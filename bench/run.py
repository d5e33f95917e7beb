"""Benchmarks: prints figures as ratios to a baseline measured in the same run; asserts nothing.

    .venv/bin/python bench/run.py [--databases sqlite,postgresql] [-n 20] [--seconds 5] [--roles …] [--import]

The databases are loaded side by side (their demos run concurrently, to save wall time),
then measured one after the other (so one database's measurements never share the
machine with the other's). For each database (SQLite in a temporary file; PostgreSQL at ``SERMENT_BENCH_DATABASE_URL``,
default ``postgres://postgres@127.0.0.1:5432/serment_bench``, dropped and created afresh):

1. ``migrate`` then ``demo``: the province is loaded from nothing, and the pages are
   measured right after, with no manual step in between (issue 16: a plan that collapses
   for want of statistics shows up here as a figure);
2. gunicorn (2 workers) serves this worktree's code; each demo role signs in (province
   admin, province leader, district staff, grassroots staff, cell secretary, district
   inspector, plain member) and each main page and report is requested ``-n`` times:
   median and p95, and the median as a multiple of ``/healthz``'s (a bare Django view
   with one database round trip, measured in the same run). A page the role may not
   open (403/404) is shown as such, not timed;
3. throughput: requests/s of the scoped member list (district staff) against
   ``/healthz`` with 4 concurrent clients, interleaved (issue 14, goal 2: ≥ 50%);
4. with ``--import``: the member import rate on SQLite (42,022 rows).

Every block prints the machine's 1-minute load average beside its figures: on a shared
machine the ratios are what compares across runs, not the milliseconds.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_URL = os.environ.get("SERMENT_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/serment_bench")
ROLES = ("admin", "leader", "district", "grassroots", "secretary", "inspector", "member")


ORDER = {"": 0, "anyone": 1, **{role: i + 2 for i, role in enumerate(ROLES)}}


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


class Database:
    def __init__(self, vendor: str, tmp: Path, filename: str = "bench.sqlite3"):
        self.vendor = vendor
        self.tmp = tmp
        self.filename = filename

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT / "src")
        env["SERMENT_VAR_DIR"] = str(self.tmp)
        env.pop("DATABASE_URL", None)
        if self.vendor == "postgresql":
            env["DATABASE_URL"] = PG_URL
        else:
            env["SERMENT_SQLITE_PATH"] = str(self.tmp / self.filename)
        return env

    def create(self) -> None:
        if self.vendor == "sqlite":
            (self.tmp / self.filename).unlink(missing_ok=True)
            return
        import psycopg

        url = urllib.parse.urlparse(PG_URL)
        name = url.path.lstrip("/")
        admin_url = url._replace(path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def manage(self, *args: str) -> tuple[float, str]:
        started = time.perf_counter()
        out = subprocess.run(
            [BIN / "python", ROOT / "manage.py", *args],
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
        )
        return time.perf_counter() - started, out.stdout


def timed(opener, url: str) -> float:
    started = time.perf_counter()
    with opener.open(url) as resp:
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{url}: {resp.status}")
    return (time.perf_counter() - started) * 1000


def status_of(opener, url: str) -> int:
    """The page's status for this user (a 403/404 is not timed: the role has no such page)."""
    try:
        with opener.open(url) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def sample(opener, url: str, n: int) -> tuple[float, float]:
    timed(opener, url)  # warm the worker's caches (templates, translations)
    times = sorted(timed(opener, url) for _ in range(n))
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def sign_in(base: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": "demo", "csrfmiddlewaretoken": token})
    opener.open(
        urllib.request.Request(base + "/login/", data=data.encode(), headers={"Referer": base + "/login/"})
    ).read()
    return opener


def throughput(make_opener, url: str, seconds: float, clients: int = 4) -> float:
    """Requests/s of ``url`` with ``clients`` threads for ``seconds``."""
    done = [0] * clients
    openers = [make_opener() for _ in range(clients)]  # signed in before the clock starts
    deadline = time.perf_counter() + seconds

    def worker(i: int) -> None:
        opener = openers[i]
        while time.perf_counter() < deadline:
            with opener.open(url) as resp:
                resp.read()
            done[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started)


class Server:
    def __init__(self, db: Database, port: int):
        self.db, self.port = db, port
        self.base = f"http://127.0.0.1:{port}"

    def __enter__(self) -> Server:
        self.db.manage("collectstatic", "--noinput", "-v", "0")
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "serment.wsgi", "--pythonpath", str(ROOT / "src"), "--chdir", str(ROOT)]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "120"],
            env=self.db.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + "/healthz").read()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(10)


def page_urls(base: str, opener) -> dict[str, str]:
    """The main pages and reports, each at the signed-in user's own scope (the role's
    default organisation and period, as a click from the menu opens them)."""
    pages = {
        "home (first page)": "/",
        "dashboard (charts)": "/dashboard/",
        "my space": "/me/",
        "notifications": "/notifications/",
        "member list": "/members/",
        "member list, page 20": "/members/?page=20",
        "member search": "/members/?q=Nguy%E1%BB%85n+V%C4%83n",
        "oath campaigns": "/oath/campaigns/",
        "ratings report": "/ratings/report/",
        "admissions report": "/admissions/",
        "cadre work": "/cadres/",
        "cadre report": "/cadres/report/",
        "inspection": "/inspection/",
        "inspection report": "/inspection/report/",
    }
    try:
        campaigns = opener.open(base + "/oath/campaigns/").read().decode()
    except urllib.error.HTTPError:
        return pages
    found = re.findall(r'href="/oath/campaigns/(\d+)/"', campaigns)
    if found:  # the 2023 campaign: the lowest id (the demo's live campaign comes last)
        pages["oath coverage 2023"] = f"/oath/campaigns/{min(found, key=int)}/coverage/"
    return pages


def load_database(db: Database, results: dict) -> None:
    """A fresh database, migrated and loaded with ``serment demo`` (no manual step)."""
    db.create()
    db.manage("migrate", "--noinput")
    seconds, _out = db.manage("demo")
    results[("demo load (migrate excluded)", "")][db.vendor] = f"{seconds:.0f} s ({load()})"
    print(f"[{db.vendor}] demo loaded in {seconds:.0f} s ({load()})", flush=True)


def served_code() -> str:
    """The commit served (and whether the work tree differs from it)."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    )
    return commit.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def measure_database(db: Database, args, results: dict) -> None:
    port = args.port or (8790 if db.vendor == "sqlite" else 8791)
    print(f"[{db.vendor}] serving commit {served_code()} ({load()})", flush=True)
    with Server(db, port) as server:
        base = server.base
        anonymous = urllib.request.build_opener()
        health, health_p95 = sample(anonymous, base + "/healthz", args.n)
        results[("/healthz (baseline)", "anyone")][db.vendor] = (
            f"{health:.1f} ms p95 {health_p95:.1f} ({load()})"
        )
        for role in args.roles.split(","):
            opener = sign_in(base, role)
            for label, url in page_urls(base, opener).items():
                status = status_of(opener, base + url)
                if status != 200:
                    results[(label, role)][db.vendor] = f"not offered ({status})"
                    continue
                median, p95 = sample(opener, base + url, args.n)
                results[(label, role)][db.vendor] = (
                    f"{median:.0f} ms p95 {p95:.0f} = {median / health:.1f}x ({load()})"
                )
            print(f"[{db.vendor}] {role} pages measured ({load()})", flush=True)
        rates = {"/healthz": [], "member list": []}
        for _ in range(2):  # interleaved, so a change in the machine's load hits both
            rates["/healthz"].append(throughput(urllib.request.build_opener, base + "/healthz", args.seconds))
            rates["member list"].append(
                throughput(lambda: sign_in(base, "district"), base + "/members/", args.seconds)
            )
        health_rate = statistics.mean(rates["/healthz"])
        list_rate = statistics.mean(rates["member list"])
        results[("requests/s, /healthz, 4 clients", "anyone")][db.vendor] = f"{health_rate:.0f}/s ({load()})"
        results[("requests/s, member list, 4 clients", "district")][db.vendor] = (
            f"{list_rate:.0f}/s = {100 * list_rate / health_rate:.0f}% of /healthz ({load()})"
        )


def report_failure(vendor: str, exc: BaseException) -> None:
    print(f"[{vendor}] not measured: {exc}", flush=True)
    print("\n".join((getattr(exc, "stderr", None) or "").splitlines()[-15:]), flush=True)


FAILURES = (OSError, subprocess.CalledProcessError, urllib.error.URLError, ImportError, RuntimeError)


def bench_import(tmp: Path) -> None:
    db = Database("sqlite", tmp / "import")
    db.tmp.mkdir(exist_ok=True)
    script = f"""
import csv, random
from serment.core.demo import DemoContext
from serment.members.demo import organisation_rows, member_rows
ctx = DemoContext(seed=2023, rng=random.Random(2023), log=print)
orgs, cells = organisation_rows(ctx)
for name, rows in (("orgs", orgs), ("members", list(member_rows(ctx, cells)))):
    with open(f"{tmp}/{{name}}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader(); w.writerows(rows)
"""
    db.manage("migrate", "--noinput")
    db.manage("shell", "-c", script)
    db.manage("import", "organisations", str(tmp / "orgs.csv"))
    lines = sum(1 for _ in open(tmp / "members.csv", encoding="utf-8")) - 1
    seconds, _out = db.manage("import", "members", str(tmp / "members.csv"))
    print(
        f"member import (SQLite): {lines} rows in {seconds:.1f} s = {lines / seconds:,.0f} members/s ({load()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("-n", type=int, default=20, help="requests per page and role")
    parser.add_argument("--seconds", type=float, default=5, help="duration of each throughput run")
    parser.add_argument("--roles", default=",".join(ROLES), help="demo users to sign in as")
    parser.add_argument("--port", type=int, default=0, help="serve on this port (default 8790/8791)")
    parser.add_argument(
        "--sqlite-file",
        help="measure this SQLite database as it is (no fresh demo: for trying the script out only)",
    )
    parser.add_argument(
        "--import", dest="with_import", action="store_true", help="also time the member import"
    )
    args = parser.parse_args()
    vendors = [v.strip() for v in args.databases.split(",") if v.strip()]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {load()} at start")
    from collections import defaultdict

    results: dict = defaultdict(dict)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        databases = [Database(vendor, tmp) for vendor in vendors]
        failed: set[str] = set()

        def load_one(db: Database) -> None:
            try:
                load_database(db, results)
            except FAILURES as exc:
                failed.add(db.vendor)
                report_failure(db.vendor, exc)

        if args.sqlite_file:
            databases = [Database("sqlite", Path(args.sqlite_file).parent, Path(args.sqlite_file).name)]
        loaders = [threading.Thread(target=load_one, args=(db,)) for db in databases if not args.sqlite_file]
        for t in loaders:
            t.start()
        for t in loaders:
            t.join()
        for db in databases:
            if db.vendor in failed:
                continue
            try:
                measure_database(db, args, results)
            except FAILURES as exc:
                report_failure(db.vendor, exc)
            if db is not databases[-1]:  # the figures so far, in case a later database never ends
                print_table(args, [db.vendor], {k: v for k, v in results.items() if db.vendor in v})
        if args.with_import:
            bench_import(tmp)
    print_table(args, vendors, results)


def print_table(args, vendors: list[str], results: dict) -> None:
    print()
    print(f"n={args.n} requests per page and role; ratio = median / median of /healthz on the same database")
    widths = (36, 11)
    rows = sorted(results.items(), key=lambda kv: ORDER.get(kv[0][1], 99))
    header = ["page", "signed in as", *vendors]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for (label, role), by_vendor in rows:
        cells = [label.ljust(widths[0]), role.ljust(widths[1])] + [by_vendor.get(v, "-") for v in vendors]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()

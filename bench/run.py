"""Benchmarks: prints figures, asserts nothing (targets live in docs/benchmarks.md).

    .venv/bin/python bench/run.py [--skip-demo DB]

1. demo generation time on SQLite (`serment demo` into a fresh database);
2. import throughput: a 42,022-row member CSV (the demo generator's rows, written to
   a file) imported into a fresh database holding only the organisation tree;
3. median latency of the member list and a member page, and of the reports that
   exist, served by gunicorn with whitenoise, signed in as the provincial admin;
4. peak memory (max RSS) of each step's process.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def env_for(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["SERMENT_SQLITE_PATH"] = str(db)
    env["SERMENT_VAR_DIR"] = str(db.parent)
    return env


def serment(db: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(
        [BIN / "serment", *args], env=env_for(db), check=True, capture_output=True, text=True
    )
    return time.perf_counter() - started, out.stdout


def child_max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_demo(db: Path) -> None:
    serment(db, "migrate", "--noinput")
    seconds, out = serment(db, "demo")
    print(
        f"demo generation (all steps, SQLite): {seconds:.1f} s, peak RSS so far {child_max_rss_mb():.0f} MB"
    )
    for line in out.splitlines():
        if line.strip().startswith("serment."):
            print("   ", line.strip())


def bench_import(tmp: Path) -> None:
    script = f"""
import csv, random, sys
from serment.core.demo import DemoContext
from serment.members.demo import organisation_rows, member_rows
ctx = DemoContext(seed=2023, rng=random.Random(2023), log=print)
orgs, cells = organisation_rows(ctx)
for name, rows in (("orgs", orgs), ("members", list(member_rows(ctx, cells)))):
    with open(f"{tmp}/{{name}}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader(); w.writerows(rows)
"""
    db = tmp / "import.sqlite3"
    serment(db, "migrate", "--noinput")
    subprocess.run([BIN / "serment", "shell", "-c", script], env=env_for(db), check=True)
    serment(db, "import", "organisations", str(tmp / "orgs.csv"))
    lines = sum(1 for _ in open(tmp / "members.csv", encoding="utf-8")) - 1
    seconds, _out = serment(db, "import", "members", str(tmp / "members.csv"))
    print(
        f"member import: {lines} rows in {seconds:.1f} s = {lines / seconds:,.0f} members/s (whole command)"
    )


def median_ms(opener, url: str, n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        with opener.open(url) as resp:
            resp.read()
            assert resp.status == 200, (url, resp.status)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_pages(db: Path, port: int = 8799, n: int = 30) -> None:
    serment(db, "collectstatic", "--noinput", "-v", "0")
    server = subprocess.Popen(
        [BIN / "gunicorn", "serment.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env_for(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/login/")
                break
            except OSError:
                time.sleep(0.2)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": "admin", "password": "demo", "csrfmiddlewaretoken": token})
        req = urllib.request.Request(
            base + "/login/", data=data.encode(), headers={"Referer": base + "/login/"}
        )
        opener.open(req).read()
        member_page = opener.open(base + "/members/?q=Nguy").read().decode()
        member_id = re.search(r'href="/members/(\d+)/"', member_page).group(1)
        province = re.search(r'href="/org/(\d+)/"', opener.open(base + "/").read().decode()).group(1)
        urls = {
            "member list (page 1 of 42,022)": "/members/",
            "member search by name": "/members/?q=Nguy%E1%BB%85n+V%C4%83n+H%C3%B9ng",
            "member page": f"/members/{member_id}/",
            "province page (tree with counts)": f"/org/{province}/",
            "home: the province dashboard (every figure, charts)": "/",
        }
        for label, url in urls.items():
            print(f"median latency, {label}: {median_ms(opener, base + url, n):.0f} ms (n={n})")
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-demo", metavar="DB", help="reuse an existing demo database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = Path(args.skip_demo) if args.skip_demo else tmp / "demo.sqlite3"
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
        if not args.skip_demo:
            bench_demo(db)
        bench_import(tmp)
        print(f"peak RSS of the child processes: {child_max_rss_mb():.0f} MB")
        bench_pages(db)


if __name__ == "__main__":
    main()

"""Load test (issue 13): 200 simulated users for 10 minutes against PostgreSQL; prints, asserts nothing.

    .venv/bin/python bench/load.py [--users 200] [--minutes 10] [--workers 3] [--port 8795] [--keep]
    make load                                  # the same, with the defaults

What the runner does:

1. copies the loaded demo database: ``createdb -T serment_demo serment_load_demo``
   (``SERMENT_LOAD_TEMPLATE`` / ``SERMENT_LOAD_DATABASE`` to change; the copy is dropped
   first, and at the end unless ``--keep``). ``CREATE DATABASE … TEMPLATE`` copies the data
   files, ``pg_statistic`` included, so the planner has the demo's statistics from the first
   request: no ANALYZE, no cold plans;
2. prepares the live flows in that copy (``PREPARE`` below): the demo cell secretary
   schedules their cell's thematic meeting of the live campaign for today (the demo
   leaves it unscheduled), and the ids each role's users visit are read from the
   database (a sample of the members each role may see);
3. serves this worktree with gunicorn as ``make run`` does (``--workers 3``, gunicorn's
   default 30 s timeout, sync workers), its error log kept to count worker timeouts;
4. runs locust (as a library, headless) with ``--users`` simulated users spread over
   every demo role (``ROLE_SHARES``: admin, leader, district staff, grassroots staff,
   inspector, cell secretary, member; password ``demo``), each signing in through the
   login page and then doing their role's main flows with a think time of
   ``THINK_SECONDS`` between pages: read-mostly, with two writes (a member saves their
   self-assessment draft; a secretary records attendance on the live meeting sheet).
   One more user, the probe, requests ``/healthz`` (a bare Django view with one database
   round trip) once a second under the same load: its p95 is the baseline, and every
   endpoint's p95 is printed as a multiple of it;
5. prints, per endpoint: requests, failures, median, p95, p95 / baseline p95; then the
   totals (requests/s, failures), the failures by cause, gunicorn's worker timeouts and
   the machine's 1-minute load average (at start, minimum, median, maximum over the
   run): on a shared machine the ratios compare across runs, not the milliseconds.

A failure is a status other than 200 (after redirects), a page that lands on the sign-in
page (a lost session), a draft save that does not come back to "My space", or an
attendance row that reports an error. Under ``locust -f bench/load.py`` (a server of your
own, ``--host``) the role users read their ids from ``SERMENT_LOAD_TARGETS`` (a JSON file
written by the runner's preparation; ``--prepare-only`` writes it and stops).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = os.environ.get("SERMENT_LOAD_PG", "postgres://postgres@127.0.0.1:5432")
TEMPLATE = os.environ.get("SERMENT_LOAD_TEMPLATE", "serment_demo")
DATABASE = os.environ.get("SERMENT_LOAD_DATABASE", "serment_load_demo")

# How the simulated users are spread over the demo roles: a province has many members
# and cell secretaries, few people at the province. Shares of --users, rounded.
ROLE_SHARES = {
    "admin": 0.02,
    "leader": 0.02,
    "district": 0.08,
    "inspector": 0.06,
    "grassroots": 0.12,
    "secretary": 0.30,
    "member": 0.40,
}
# Seconds a person spends reading a page before the next (uniform between the two).
THINK_SECONDS = (10.0, 30.0)

# The preparation, run in the copied database with ``manage.py shell -c``: prints JSON.
PREPARE = r"""
import json, random
from django.contrib.auth import get_user_model
from django.utils import timezone
from serment.accounts.models import RoleGrant
from serment.members.models import Member
from serment.oath import queries as oath_queries
from serment.oath.actions import schedule_meeting
from serment.oath.models import Campaign, CellMeeting
from serment.ratings.models import RatingRound

rng = random.Random(13)
today = timezone.localdate()
users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
live = Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on", "-pk").first()
cell = RoleGrant.objects.filter(user=users["secretary"], role="secretary").select_related("organisation").first().organisation
meeting = CellMeeting.objects.filter(campaign=live, cell=cell).first() or schedule_meeting(
    by=users["secretary"], campaign=live, cell=cell, held_on=today
)
live_round = RatingRound.objects.filter(organisation=live.organisation).order_by("-year").first()
targets = {
    "live_campaign": live.pk,
    "meeting": meeting.pk,
    "sheet_members": [r["member"].pk for r in oath_queries.meeting_sheet(meeting).rows],
    "live_round": live_round.pk if live_round else None,
    "roles": {},
}
for name, user in users.items():
    visible = Campaign.objects.visible_to(user).filter(starts_on__year=2023).order_by("starts_on", "pk")
    ids = list(Member.objects.visible_to(user).values_list("pk", flat=True))
    targets["roles"][name] = {
        "campaign_2023": visible.values_list("pk", flat=True).first(),
        "members": sorted(rng.sample(ids, min(60, len(ids)))),
    }
print("TARGETS=" + json.dumps(targets))
"""

TARGETS: dict = {}


def load_average() -> float:
    return os.getloadavg()[0]


# --- the simulated users -----------------------------------------------------------------
# locust is imported here so that ``--help`` works without it (``make load`` installs it).
from locust import HttpUser, between, constant, task  # noqa: E402


def _targets() -> dict:
    if not TARGETS and os.environ.get("SERMENT_LOAD_TARGETS"):
        TARGETS.update(json.loads(Path(os.environ["SERMENT_LOAD_TARGETS"]).read_text()))
    return TARGETS


class RoleUser(HttpUser):
    """One person of a demo role: signs in once, then reads and writes as that role does."""

    abstract = True
    username = ""
    wait_time = between(*THINK_SECONDS)

    def on_start(self) -> None:
        self.targets = _targets()
        self.mine = self.targets["roles"][self.username]
        with self.client.get("/login/", name="sign-in page", catch_response=True) as page:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
            if token is None:
                page.failure("no CSRF token on the sign-in page")
                return
        data = {"username": self.username, "password": "demo", "csrfmiddlewaretoken": token.group(1)}
        with self.client.post(
            "/login/",
            data=data,
            headers={"Referer": self.host + "/login/"},
            name="sign in",
            catch_response=True,
        ) as response:
            if response.url.rstrip("/").endswith("/login") or response.status_code != 200:
                response.failure(f"not signed in ({response.status_code})")

    def page(self, url: str, name: str, expect: str = "") -> None:
        """GET a page as this role; a lost session or a missing ``expect`` is a failure."""
        with self.client.get(url, name=f"{self.username}: {name}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif "/login/" in response.url:
                response.failure("sent to the sign-in page")
            elif expect and expect not in response.text:
                response.failure(f"no {expect!r} on the page")

    def member_page(self) -> None:
        self.page(f"/members/{random.choice(self.mine['members'])}/", "member page")


class Admin(RoleUser):
    username = "admin"

    @task(3)
    def home(self):
        self.page("/", "home (dashboard)")

    @task(3)
    def members(self):
        self.page("/members/", "member list")

    @task(2)
    def search(self):
        self.page("/members/?q=Nguy%E1%BB%85n+V%C4%83n", "member search")

    @task(4)
    def member(self):
        self.member_page()

    @task(1)
    def coverage(self):
        self.page(f"/oath/campaigns/{self.mine['campaign_2023']}/coverage/", "oath coverage 2023")

    @task(1)
    def ratings(self):
        self.page("/ratings/report/", "ratings report")

    @task(1)
    def admissions(self):
        self.page("/admissions/", "admissions report")


class Leader(RoleUser):
    username = "leader"

    @task(3)
    def home(self):
        self.page("/", "home (dashboard)")

    @task(2)
    def coverage(self):
        self.page(f"/oath/campaigns/{self.mine['campaign_2023']}/coverage/", "oath coverage 2023")

    @task(2)
    def ratings(self):
        self.page("/ratings/report/", "ratings report")

    @task(2)
    def admissions(self):
        self.page("/admissions/", "admissions report")

    @task(2)
    def member(self):
        self.member_page()


class District(RoleUser):
    username = "district"

    @task(3)
    def home(self):
        self.page("/", "home (dashboard)")

    @task(3)
    def members(self):
        self.page("/members/", "member list")

    @task(1)
    def page_two(self):
        self.page("/members/?page=2", "member list, page 2")

    @task(4)
    def member(self):
        self.member_page()

    @task(1)
    def coverage(self):
        self.page(f"/oath/campaigns/{self.mine['campaign_2023']}/coverage/", "oath coverage 2023")

    @task(1)
    def ratings(self):
        self.page("/ratings/report/", "ratings report")

    @task(1)
    def admissions(self):
        self.page("/admissions/", "admissions report")


class Inspector(RoleUser):
    username = "inspector"

    @task(2)
    def home(self):
        self.page("/", "home (dashboard)")

    @task(2)
    def register(self):
        self.page("/inspection/discipline/", "discipline register")

    @task(2)
    def cases(self):
        self.page("/inspection/cases/", "inspection cases")

    @task(1)
    def plan(self):
        self.page("/inspection/plan/", "inspection plan")

    @task(1)
    def report(self):
        self.page("/inspection/report/", "inspection report")

    @task(2)
    def member(self):
        self.member_page()


class Grassroots(RoleUser):
    username = "grassroots"

    @task(3)
    def home(self):
        self.page("/", "home (dashboard)")

    @task(2)
    def members(self):
        self.page("/members/", "member list")

    @task(3)
    def member(self):
        self.member_page()

    @task(2)
    def campaign(self):
        self.page(f"/oath/campaigns/{self.targets['live_campaign']}/", "live campaign")

    @task(1)
    def coverage(self):
        self.page(f"/oath/campaigns/{self.targets['live_campaign']}/coverage/", "live campaign coverage")

    @task(2)
    def rating_round(self):
        if self.targets["live_round"]:
            self.page(f"/ratings/rounds/{self.targets['live_round']}/", "live rating round")


class Secretary(RoleUser):
    username = "secretary"

    @task(3)
    def home(self):
        self.page("/", "home (tasks)")

    @task(2)
    def members(self):
        self.page("/members/", "member list")

    @task(2)
    def member(self):
        self.member_page()

    @task(3)
    def sheet(self):
        self.page(f"/oath/meetings/{self.targets['meeting']}/", "meeting sheet")

    @task(3)
    def attendance(self):
        """Mark one member present or absent on the live meeting's sheet (htmx row save)."""
        url = f"/oath/meetings/{self.targets['meeting']}/attendance/"
        present = random.random() < 0.8
        data = {"member": random.choice(self.targets["sheet_members"]), "present": "yes" if present else "no"}
        if not present:
            data["absence_reason"] = "work"
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            url,
            data=data,
            headers={"X-CSRFToken": token, "HX-Request": "true", "Referer": self.host + url},
            name="secretary: record attendance (write)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif 'role="alert"' in response.text:
                response.failure("the row reports an error")
            elif 'class="badge" role="status"' not in response.text:
                response.failure("the row does not say it was saved")

    @task(1)
    def rating_round(self):
        if self.targets["live_round"]:
            self.page(f"/ratings/rounds/{self.targets['live_round']}/", "live rating round")


class MemberUser(RoleUser):
    username = "member"

    @task(3)
    def my_space(self):
        self.page("/me/", "my space")

    @task(2)
    def self_assessment(self):
        self.page(
            f"/oath/campaigns/{self.targets['live_campaign']}/my-self-assessment/", "my self-assessment"
        )

    @task(2)
    def save_draft(self):
        """Save the self-assessment as a draft (never submit: the next save would be refused)."""
        url = f"/oath/campaigns/{self.targets['live_campaign']}/my-self-assessment/"
        data = {
            "kept": f"Tham gia đầy đủ sinh hoạt chi bộ ({random.randint(1, 10**6)}).",
            "not_well": "Chưa chủ động đề xuất.",
            "not_done": "",
            "will_do": "Học tập nghị quyết đầy đủ.",
            "save": "",
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            url,
            data=data,
            headers={"Referer": self.host + url},
            name="member: save self-assessment draft (write)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not response.url.rstrip("/").endswith("/me"):
                response.failure("the draft was not saved (no redirect to My space)")

    @task(1)
    def notifications(self):
        self.page("/notifications/", "notifications")

    @task(1)
    def own_record(self):
        self.member_page()


class Probe(HttpUser):
    """The baseline: /healthz once a second under the same load."""

    fixed_count = 1
    wait_time = constant(1)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz (baseline)")


ROLE_CLASSES = {
    "admin": Admin,
    "leader": Leader,
    "district": District,
    "inspector": Inspector,
    "grassroots": Grassroots,
    "secretary": Secretary,
    "member": MemberUser,
}


# --- the runner ----------------------------------------------------------------------------


def spread(users: int) -> dict[str, int]:
    """``users`` over the roles by ``ROLE_SHARES``, at least one each, summing to ``users``."""
    counts = {role: max(1, round(share * users)) for role, share in ROLE_SHARES.items()}
    counts["member"] += users - sum(counts.values())
    return counts


def env_for(var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PYTHONPATH=str(ROOT / "src"), SERMENT_VAR_DIR=str(var_dir), DATABASE_URL=f"{PG}/{DATABASE}")
    env.pop("SERMENT_DEBUG", None)  # served as in production: DEBUG off
    return env


def copy_database() -> float:
    """Drop the previous copy and copy the template; a template in use is retried."""
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DATABASE], check=True
    )
    started = time.perf_counter()
    for attempt in range(30):
        done = subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", TEMPLATE, DATABASE],
            capture_output=True,
            text=True,
        )
        if done.returncode == 0:
            return time.perf_counter() - started
        if "being accessed by other users" not in done.stderr or attempt == 29:
            raise RuntimeError(done.stderr.strip())
        time.sleep(2)
    raise AssertionError("unreachable")


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [BIN / "python", ROOT / "manage.py", *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n" + "\n".join(done.stderr.splitlines()[-15:]))
    return done.stdout


def prepare(env: dict[str, str]) -> dict:
    script = f"ROLES = {list(ROLE_SHARES)!r}\n" + PREPARE
    out = manage(env, "shell", "-c", script)
    line = next(line for line in out.splitlines() if line.startswith("TARGETS="))
    return json.loads(line.removeprefix("TARGETS="))


class Gunicorn:
    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path):
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.base = f"http://127.0.0.1:{port}"

    def __enter__(self) -> Gunicorn:
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "serment.wsgi", "--pythonpath", str(ROOT / "src"), "--chdir", str(ROOT)]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--timeout", "30"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log_file,
        )
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/healthz").read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn stopped: see {self.log}") from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:  # a worker still in a long request
            self.process.kill()
            self.process.wait(10)
        self.log_file.close()


def percentile(entry, q: float) -> float:
    return entry.get_response_time_percentile(q) if entry.num_requests else 0.0


def report(stats, baseline_name: str, seconds: float, loads: list[float], timeouts: int) -> None:
    entries = sorted(stats.entries.values(), key=lambda e: (e.name.split(":")[0], e.name))
    base = stats.entries.get((baseline_name, "GET"))
    base_p95 = percentile(base, 0.95) if base else 0.0
    base_median = base.median_response_time if base else 0.0
    print()
    print(
        f"baseline {baseline_name}: median {base_median:.0f} ms, p95 {base_p95:.0f} ms "
        f"({base.num_requests if base else 0} requests under the same load)"
    )
    print("| endpoint | requests | failures | median ms | p95 ms | p95 / baseline p95 |")
    print("|---|---:|---:|---:|---:|---:|")
    for e in entries:
        p95 = percentile(e, 0.95)
        ratio = f"{p95 / base_p95:.1f}x" if base_p95 else "-"
        label = f"{e.method} {e.name}" if e.method != "GET" else e.name
        print(
            f"| {label} | {e.num_requests} | {e.num_failures} | {e.median_response_time:.0f} | {p95:.0f} | {ratio} |"
        )
    total = stats.total
    print(
        f"| **all** | {total.num_requests} | {total.num_failures} | {total.median_response_time:.0f} "
        f"| {percentile(total, 0.95):.0f} | {percentile(total, 0.95) / base_p95 if base_p95 else 0:.1f}x |"
    )
    print()
    print(
        f"{total.num_requests} requests in {seconds:.0f} s = {total.num_requests / seconds:.1f} requests/s; "
        f"failures: {total.num_failures}; gunicorn worker timeouts: {timeouts}"
    )
    print(
        f"machine load (1-minute average, {os.cpu_count()} cores): start {loads[0]:.1f}, "
        f"min {min(loads):.1f}, median {statistics.median(loads):.1f}, max {max(loads):.1f}"
    )
    for error in stats.errors.values():
        print(f"failure: {error.method} {error.name}: {error.error} x{error.occurrences}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started per second")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 3)))
    parser.add_argument("--port", type=int, default=8795)
    parser.add_argument("--keep", action="store_true", help="keep the database copy at the end")
    parser.add_argument("--prepare-only", metavar="JSON", help="copy, prepare, write the targets, stop")
    args = parser.parse_args()

    import gevent
    from locust.env import Environment

    loads = [load_average()]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {loads[0]:.1f} at start; "
        f"{args.users} users × {args.minutes:g} min, gunicorn {args.workers} workers (timeout 30 s)",
        flush=True,
    )
    seconds = copy_database()
    print(
        f"copied {TEMPLATE} to {DATABASE} in {seconds:.0f} s (planner statistics copied with it)", flush=True
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = env_for(tmp)
        TARGETS.update(prepare(env))
        if args.prepare_only:
            Path(args.prepare_only).write_text(json.dumps(TARGETS))
            print(f"targets written to {args.prepare_only}; database {DATABASE} kept")
            return
        print(
            f"prepared: live campaign {TARGETS['live_campaign']}, meeting {TARGETS['meeting']} "
            f"({len(TARGETS['sheet_members'])} members on the sheet), live round {TARGETS['live_round']}",
            flush=True,
        )
        manage(env, "collectstatic", "--noinput", "-v", "0")
        log = ROOT / "var" / "load-gunicorn.log"
        log.parent.mkdir(exist_ok=True)
        counts = spread(args.users)
        print("users per role: " + ", ".join(f"{r} {n}" for r, n in counts.items()) + ", /healthz probe 1")
        try:
            with Gunicorn(env, args.port, args.workers, log) as server:
                classes = []
                for role, cls in ROLE_CLASSES.items():
                    cls.fixed_count = counts[role]
                    classes.append(cls)
                environment = Environment(user_classes=[*classes, Probe], host=server.base)
                runner = environment.create_local_runner()
                started = time.perf_counter()
                runner.start(args.users + 1, spawn_rate=args.spawn_rate)
                deadline = started + args.minutes * 60
                next_print = started + 60
                while time.perf_counter() < deadline:
                    gevent.sleep(min(10, max(0.1, deadline - time.perf_counter())))
                    loads.append(load_average())
                    if time.perf_counter() >= next_print:
                        next_print += 60
                        total = environment.stats.total
                        print(
                            f"  {time.perf_counter() - started:4.0f} s: {runner.user_count} users, "
                            f"{total.num_requests} requests, {total.num_failures} failures, "
                            f"p95 {percentile(total, 0.95):.0f} ms, load {loads[-1]:.1f}",
                            flush=True,
                        )
                elapsed = time.perf_counter() - started
                runner.quit()
                timeouts = log.read_text().count("WORKER TIMEOUT")
                report(environment.stats, "/healthz (baseline)", elapsed, loads, timeouts)
                print(f"gunicorn's log: {log}")
        finally:
            if not args.keep:
                subprocess.run(
                    ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DATABASE],
                    check=False,
                )


if __name__ == "__main__":
    main()

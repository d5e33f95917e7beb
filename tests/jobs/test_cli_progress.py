"""`serment import` stays synchronous and, on a terminal, draws a plain-text progress
bar from the import runner's reports."""

import importlib
import io

from django.core.management import call_command

from serment.core.actors import SYSTEM
from serment.core.background import progress_to
from serment.core.imports import run_kind
from serment.jobs.models import Job
from serment.members.models import Member
from tests.imports.conftest import member_csv, member_row

ProgressBar = importlib.import_module("serment.core.management.commands.import").ProgressBar


def _rows(n):
    return [member_row(name=f"Nguyễn Văn {i}", card=f"T{i:04d}", cid=f"0600800{i:05d}") for i in range(n)]


def test_the_runner_reports_checking_every_row_then_writing(world):
    calls = []
    with progress_to(lambda phase, done, total: calls.append((phase, done, total))):
        report = run_kind("members", by=SYSTEM, data=member_csv(*_rows(3)), filename="m.csv", dry_run=True)
    assert report.ok, report.errors
    assert calls == [("checking", 0, 3), ("checking", 1, 3), ("checking", 2, 3), ("writing", 3, 3)]


def test_the_bar_draws_one_line_on_a_terminal():
    out = io.StringIO()
    bar = ProgressBar(out, enabled=True)
    for done in range(0, 5):
        bar("checking", done, 4)
    bar("writing", 4, 4)
    bar.finish()
    frames = out.getvalue().split("\r")[1:]
    assert frames[0] == "[" + "." * 30 + "]   0%  checking 0/4 rows"
    assert frames[2] == "[" + "#" * 15 + "." * 15 + "]  50%  checking 2/4 rows"
    assert frames[-1] == "[" + "#" * 30 + "] 100%  writing 4/4 rows\n"


def test_the_command_imports_in_the_foreground_without_a_bar_off_a_terminal(world, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(member_csv(*_rows(2)))
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "members", str(path), stdout=out, stderr=err)
    assert out.getvalue().splitlines()[0] == "2 members created from 2 row(s)."
    assert "\r" not in err.getvalue()
    assert Member.objects.filter(card_number__in=["T0000", "T0001"]).count() == 2
    assert Job.objects.count() == 0  # the command runs its import itself

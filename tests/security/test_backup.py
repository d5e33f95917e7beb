"""`serment backup` and `serment restore`: a restored copy answers a report exactly as
the original did (SQLite's online backup API; pg_dump/pg_restore on PostgreSQL)."""

import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from serment.core import audit
from tests import factories as f


def _answers(capsys) -> dict[str, str]:
    """The admissions report and the member register export, as the CLI prints them."""
    capsys.readouterr()
    call_command("report", "admissions", "--format", "json")
    report = capsys.readouterr().out
    call_command("export", "members")
    register = capsys.readouterr().out
    assert report and register
    return {"admissions": report, "members": register}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None, reason="pg_dump is not installed"
)
def test_a_restored_copy_answers_the_report_as_the_original(world, tmp_path, capsys):
    before = _answers(capsys)
    entries = audit.verify()[0]
    target = tmp_path / "serment.backup"
    call_command("backup", str(target), stdout=io.StringIO())

    for _ in range(3):  # life goes on after the backup
        f.member(world.C1)
    assert _answers(capsys) != before

    out = io.StringIO()
    call_command("restore", str(target), "--yes", stdout=out)
    assert _answers(capsys) == before
    assert out.getvalue().strip() == f"restored from {target}; audit chain intact ({entries} entries)"


def test_restore_asks_for_confirmation(db, tmp_path):
    (tmp_path / "x").write_bytes(b"")
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore", str(tmp_path / "x"))

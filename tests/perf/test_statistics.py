"""Issue 16: bulk writes leave the planner's statistics current; report queries are bounded."""

import pytest
from django.db import connection

from serment.core.db import ReportTimedOut, refresh_statistics, report_query
from serment.members.importers import import_members
from serment.members.models import Member, Membership

from ..imports.conftest import member_csv, member_row

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")

MEMBERS = 3000


def _import_many(world):
    rows = [
        member_row(
            name=f"Đảng viên {i}", card=f"S{i:06d}", cid=f"0601{i:08d}", cell=("C1", "C2", "C3")[i % 3]
        )
        for i in range(MEMBERS)
    ]
    report = import_members(by=world.admin, data=member_csv(*rows), filename="members.csv", dry_run=False)
    assert report.errors == []
    assert report.created == MEMBERS


def _last_analyze(tables):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the stats views are cached per transaction
        cursor.execute(
            "SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname = ANY(%s)", [list(tables)]
        )
        return dict(cursor.fetchall())


@on_postgresql
@pytest.mark.slow
def test_a_member_import_analyzes_the_tables_it_filled_on_postgresql(world):
    tables = [Member._meta.db_table, Membership._meta.db_table, "core_auditentry"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        started = cursor.fetchone()[0]
    _import_many(world)
    analyzed = _last_analyze(tables)
    assert sorted(analyzed) == sorted(tables)
    for table in tables:
        assert analyzed[table] is not None and analyzed[table] >= started, table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Member._meta.db_table])
        assert cursor.fetchone()[0] >= MEMBERS  # the planner counts the imported rows


@on_sqlite
@pytest.mark.slow
def test_a_member_import_analyzes_the_tables_it_filled_on_sqlite(world):
    _import_many(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analyzed = {row[0] for row in cursor.fetchall()}
    assert {Member._meta.db_table, Membership._meta.db_table, "core_auditentry"} <= analyzed


def test_refresh_statistics_names_every_table_of_the_project_when_given_none(db):
    tables = refresh_statistics()
    assert Member._meta.db_table in tables
    assert "organisations_organisation" in tables
    assert "auth_user" not in tables  # Django's own tables are not ours to analyze


@report_query
def _slow_report(seconds: float):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
    return "done"


@on_postgresql
def test_a_report_query_over_the_timeout_is_stopped_with_a_clear_message(db, settings):
    settings.SERMENT_REPORT_TIMEOUT_MS = 50
    with pytest.raises(ReportTimedOut) as exc:
        _slow_report(1)
    assert exc.value.code == "report_timeout"
    assert exc.value.status_code == 503
    assert "took longer than 1 s" in str(exc.value)
    assert Member.objects.count() == 0  # the connection is usable afterwards


@on_postgresql
def test_the_report_timeout_does_not_outlive_the_report(db, settings):
    settings.SERMENT_REPORT_TIMEOUT_MS = 5000
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
    assert _slow_report(0) == "done"
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before

"""Keeping the database's planner informed, and report queries bounded.

- ``refresh_statistics(*models)``: every bulk write that changes a table's size
  noticeably (a demo step, an import, a province-wide rating decision) calls it before
  it returns, so that the first report after an import is planned from current row
  counts. Autovacuum would analyze the tables eventually; a committee that imports its
  register and opens the reports the same morning does not wait for it (issue 16: the
  province's oath coverage took 257 s on PostgreSQL right after the demo, 1.7 s after
  a plain ``ANALYZE``).
- ``report_query``: a decorator for the report queries; on PostgreSQL they run under
  ``SET LOCAL statement_timeout`` (``settings.SERMENT_REPORT_TIMEOUT_MS``), so a plan
  that collapses ends with a clear message instead of a web worker killed at its
  timeout with the query still running; inside a background job (``without_report_timeout``)
  they run to the end.
- ``ReplicaRouter`` and ``replica_reads``: reports and exports read from the read replica
  (``DATABASE_REPLICA_URL``, the ``replica`` alias) when one is configured; every write,
  and every read inside a transaction of the primary, stays on the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connections, models, router, transaction
from django.utils.connection import ConnectionDoesNotExist
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

# A bulk write of at least this many rows refreshes the statistics of its table.
BULK_ROWS = 1000
# SQLite's ANALYZE reads every index entry unless told to sample; this many rows per
# index is plenty for the planner's choices and keeps ANALYZE in milliseconds.
SQLITE_ANALYSIS_LIMIT = 1000

F = TypeVar("F", bound=Callable[..., Any])

PRIMARY = "default"
REPLICA = "replica"
_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("serment_replica_reads", default=False)
_report_timeout_off: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "serment_report_timeout_off", default=False
)


def has_replica() -> bool:
    """Is a read replica configured (``DATABASE_REPLICA_URL``)?"""
    try:
        connections[REPLICA]
    except ConnectionDoesNotExist:
        return False
    return True


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Send the reads made meanwhile to the replica, when there is one (reports, exports)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def read_rows_from_replica(rows: Iterable[Any]) -> Iterator[Any]:
    """``rows`` read from the replica, for a streamed export whose rows are read after
    the view has returned."""
    iterator = iter(rows)
    while True:
        with replica_reads():
            try:
                row = next(iterator)
            except StopIteration:
                return
        yield row


class ReplicaRouter:
    """Reads inside ``replica_reads()`` go to the replica; everything else to the primary.

    Never to the replica: a write, a read while the primary is inside a transaction (it
    may have written what the read must see: a replica lags behind), and anything when
    no replica is configured. The replica gets no migrations: it copies the primary.
    """

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if _replica_reads.get() and has_replica() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


@contextlib.contextmanager
def without_report_timeout() -> Iterator[None]:
    """Let report queries run to the end (a background job has no web worker to protect)."""
    token = _report_timeout_off.set(True)
    try:
        yield
    finally:
        _report_timeout_off.reset(token)


def project_models() -> list[type[models.Model]]:
    """Every concrete model of Serment's own apps (the tables a demo step may touch)."""
    return [
        m
        for cfg in apps.get_app_configs()
        if cfg.name.startswith("serment.")
        for m in cfg.get_models()
        if not m._meta.proxy and m._meta.managed
    ]


def _tables(model_list: Iterable[type[models.Model]]) -> list[str]:
    tables: list[str] = []
    for m in model_list:
        concrete = m._meta.concrete_model or m
        for table in (
            concrete._meta.db_table,
            *(f.m2m_db_table() for f in concrete._meta.local_many_to_many),
        ):
            if table not in tables:
                tables.append(table)
    return tables


def refresh_statistics(*model_list: type[models.Model], using: str | None = None) -> list[str]:
    """Bring the planner's statistics of ``model_list``'s tables up to date (all of
    Serment's tables when none is named); returns the tables analyzed.

    PostgreSQL: ``ANALYZE`` of those tables. It may run inside the writing
    transaction and counts that transaction's own rows, so callers invoke it right
    after their bulk write. SQLite: a sampled ``ANALYZE`` of each table (what
    ``PRAGMA optimize`` would do, but unconditionally: it only acts on tables it saw
    queried on the same connection).
    """
    chosen = list(model_list) or project_models()
    alias = using or router.db_for_write(chosen[0])
    connection = connections[alias]
    tables = _tables(chosen)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(quote(t) for t in tables))
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            for table in tables:
                cursor.execute("ANALYZE " + quote(table))
        else:  # pragma: no cover - Serment runs on SQLite and PostgreSQL only
            return []
    return tables


def refresh_statistics_after_bulk(model: type[models.Model], rows: int) -> None:
    """``refresh_statistics(model)`` when ``rows`` is enough to change its plans."""
    if rows >= BULK_ROWS:
        refresh_statistics(model)


class ReportTimedOut(DomainError):
    """A report query ran longer than ``SERMENT_REPORT_TIMEOUT_MS`` and was stopped."""

    status_code = 503

    def __init__(self, milliseconds: int):
        seconds = max(1, round(milliseconds / 1000))
        super().__init__(
            _(
                "This report took longer than %(seconds)d s and was stopped. Nothing was changed. "
                "Choose a smaller organisation or an earlier date, or try again later."
            )
            % {"seconds": seconds},
            code="report_timeout",
        )


def _is_statement_timeout(exc: BaseException) -> bool:
    cause = exc.__cause__
    # psycopg (3) and psycopg2 both name the SQLSTATE 57014 error QueryCanceled
    return type(cause).__name__ == "QueryCanceled" or getattr(cause, "sqlstate", None) == "57014"


def report_query(func: F) -> F:
    """Run a report query under the report statement timeout (PostgreSQL).

    The timeout is ``SET LOCAL`` inside a savepoint and restored afterwards, so it
    never outlives the report, even inside a longer transaction. A query stopped by it
    raises ``ReportTimedOut`` (a ``DomainError``: the page says so, answering 503).
    SQLite has no statement timeout; its reports are bounded by the data's size.
    Reports read from the replica when there is one (``replica_reads``).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return _bounded(*args, **kwargs)

    def _bounded(*args: Any, **kwargs: Any) -> Any:
        connection = connections[router.db_for_read(models.Model)]
        limit = int(getattr(settings, "SERMENT_REPORT_TIMEOUT_MS", 0) or 0)
        if connection.vendor != "postgresql" or limit <= 0 or _report_timeout_off.get():
            return func(*args, **kwargs)
        try:
            with transaction.atomic(using=connection.alias):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT current_setting('statement_timeout')")
                    previous = cursor.fetchone()[0]
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(limit)])
                result = func(*args, **kwargs)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
                return result
        except OperationalError as exc:
            if _is_statement_timeout(exc):
                raise ReportTimedOut(limit) from exc
            raise

    return wrapper  # type: ignore[return-value]

"""Inserting many rows fast, for the bulk actions of the importers.

The ORM's ``bulk_create`` prepares every value through several layers of field
and compiler code; on a 42,000-member register that is most of the import's time.
``insert_rows`` sends plain ``executemany`` batches instead (``COPY`` on PostgreSQL),
preparing only the values that need it (dates, JSON, decimals), on the database the
router names for the model. Callers are actions, which have validated the rows already; the inserter
still refuses text longer than its field (SQLite would store it) and database
constraints still apply. It is the only raw inserter: use it, not ``executemany``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils.translation import gettext as _

from .db import refresh_statistics_after_bulk
from .errors import DomainError

BATCH = 5000
COPY_BATCH = 20_000
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """``count`` primary keys for rows about to be inserted, or None when the
    database offers no safe way (the caller then lets the ORM assign them).

    SQLite: the importing transaction holds the write lock from its start
    (``transaction_mode: IMMEDIATE``), so the ids after the current maximum are free.
    PostgreSQL: taken from the table's sequence, which is safe under concurrency.
    """
    if count == 0:
        return []
    connection = connections[router.db_for_write(model)]
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if not connection.in_atomic_block:
                return None
            # AUTOINCREMENT never reuses an id, even a deleted row's: start after the
            # table's sequence (audit entries name their targets by id)
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"COALESCE(MAX({connection.ops.quote_name(pk)}), 0)) FROM {connection.ops.quote_name(table)}",
                [table],
            )
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
    return None


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT ``rows`` (tuples of values for ``fields``, attribute names such as
    ``member_id``) into ``model``'s table; returns how many."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = []
    preparers = []
    limits: list[tuple[int, int, str]] = []  # (position, max_length, field name)
    for i, name in enumerate(fields):
        f = next(x for x in meta.concrete_fields if x.attname == name or x.name == name)
        columns.append(connection.ops.quote_name(f.column))
        preparers.append(None if isinstance(f, _AS_IS) else f)
        if isinstance(f, models.CharField) and f.max_length:
            limits.append((i, f.max_length, f.name))

    def check_lengths(row: Sequence[Any]) -> None:
        for i, limit, name in limits:
            value = row[i]
            if isinstance(value, str) and len(value) > limit:
                raise DomainError(
                    _("%(field)s: at most %(n)d characters (this has %(len)d).")
                    % {"field": name, "n": limit, "len": len(value)},
                    field=name,
                    code="too_long",
                )

    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(meta.db_table), ", ".join(columns), ", ".join(["%s"] * len(columns))
    )
    last: dict[int, tuple[Any, Any]] = {}  # a timestamp repeats on every row: prepare it once

    def prepare(i: int, value: Any) -> Any:
        f = preparers[i]
        if f is None or value is None:
            return value
        seen = last.get(i)
        if seen is not None and seen[0] is value:
            return seen[1]
        out = f.get_db_prep_save(value, connection=connection)
        last[i] = (value, out)
        return out

    total = 0
    batch: list[tuple[Any, ...]] = []
    if connection.vendor == "postgresql":
        # COPY, one per batch: measured faster than executemany (bench/imports.py);
        # constraints and triggers apply as for INSERT, and its errors are Django's
        # (IntegrityError…). A batch is checked before its COPY starts: a refused row
        # raises before anything of its batch is sent, leaving the transaction usable.
        copy_sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(meta.db_table), ", ".join(columns)
        )

        def send(cursor: Any, batch: list[tuple[Any, ...]]) -> None:
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for prepared in batch:
                    copy.write_row(prepared)

        with connection.cursor() as cursor:
            for row in rows:
                if limits:
                    check_lengths(row)
                batch.append(tuple(prepare(i, v) for i, v in enumerate(row)))
                if len(batch) >= COPY_BATCH:
                    send(cursor, batch)
                    total += len(batch)
                    batch = []
            if batch:
                send(cursor, batch)
                total += len(batch)
        refresh_statistics_after_bulk(model, total)
        return total
    with connection.cursor() as cursor:
        for row in rows:
            if limits:
                check_lengths(row)
            batch.append(tuple(prepare(i, v) for i, v in enumerate(row)))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    refresh_statistics_after_bulk(model, total)
    return total

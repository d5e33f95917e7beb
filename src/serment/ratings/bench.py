"""Benchmark of one committee decision step over a whole province (docs/benchmarks.md).

    SERMENT_SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python manage.py shell \
        -c "from serment.ratings.bench import run; run('BT', 2023)"

Opens the year's round on the province (every member and organisation of the
subtree), proposes levels for all (``review_many``, levels drawn then settled by
the rules), then times ``decide_round``. Everything is rolled back at the end.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from serment.core.actors import SYSTEM

from . import actions, facts, policies
from .models import Rating
from .policies import Case, Level


def run(code: str = "BT", year: int = 2023) -> None:
    from serment.organisations.models import Organisation

    province = Organisation.objects.get(code=code)
    rng = random.Random(year)
    with transaction.atomic():
        started = time.perf_counter()
        rnd = actions.open_round(by=SYSTEM, organisation=province, year=year, on=dt.date(year, 12, 15))
        opened = time.perf_counter() - started
        rows = list(Rating.objects.filter(round=rnd).values_list("pk", "subject_kind", "quota_group_id"))
        rules = policies.rule_set_for_year(year)
        proposed = [
            Case(pk, kind, rng.choices(Level.values, weights=(15, 75, 8, 2))[0], quota_group=(kind, group))
            for pk, kind, group in rows
        ]
        levels = {c.key: c.level for c in policies.settle(rules, proposed)}
        started = time.perf_counter()
        actions.review_many(by=SYSTEM, round=rnd, levels=levels)
        reviewed = time.perf_counter() - started
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            decided = actions.decide_round(by=SYSTEM, round=rnd, on=dt.date(year, 12, 20))
            seconds = time.perf_counter() - started
        kinds = {}
        for _pk, kind, _g in rows:
            kinds[kind] = kinds.get(kind, 0) + 1
        print(f"round {year} on {code}: {len(rows)} subjects {kinds}")
        print(f"  open_round: {opened:.2f} s; review_many: {reviewed:.2f} s")
        print(f"  decide_round: {decided} ratings decided in {seconds:.2f} s, {len(queries)} queries")
        tree = facts.Tree(province)
        print(f"  ({len(tree.nodes)} organisations in the tree)")
        transaction.set_rollback(True)

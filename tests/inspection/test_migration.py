"""The rating app's discipline rows move into the one register with nothing lost."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories as f

BEFORE = [("inspection", "0001_initial"), ("ratings", "0001_initial")]
AFTER = [("inspection", "0002_move_ratings_disciplines"), ("ratings", "0002_discipline_moved_to_inspection")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_existing_discipline_rows_move_to_the_register():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Discipline = old.get_model("ratings", "Discipline")
    # members and organisations through today's models: only ratings and inspection went back
    cell = f.org("cell", code="C9")
    member = f.member(cell, full_name="Võ Văn Cũ")
    kept = Discipline.objects.create(
        member_id=member.pk,
        unit_id=cell.pk,
        form="warning",
        decided_on=dt.date(2021, 4, 2),
        deciding_body="UBKT",
        self_detected=True,
        document_ref="9-QĐ",
        reason="Vi phạm",
    )
    Discipline.objects.create(
        organisation_id=cell.pk,
        unit_id=cell.pk,
        form="reprimand",
        decided_on=dt.date(2020, 1, 3),
        deciding_body="BTV",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Decision = new.get_model("inspection", "DisciplineDecision")
    assert list(
        Decision.objects.order_by("pk").values_list(
            "pk",
            "member_id",
            "organisation_id",
            "unit_id",
            "form",
            "decided_on",
            "announced_on",
            "deciding_body",
            "self_detected",
            "document_ref",
            "violation",
        )
    ) == [
        (
            kept.pk,
            member.pk,
            None,
            cell.pk,
            "warning",
            dt.date(2021, 4, 2),
            dt.date(2021, 4, 2),
            "UBKT",
            True,
            "9-QĐ",
            "Vi phạm",
        ),
        (
            kept.pk + 1,
            None,
            cell.pk,
            cell.pk,
            "reprimand",
            dt.date(2020, 1, 3),
            dt.date(2020, 1, 3),
            "BTV",
            False,
            "",
            "",
        ),
    ]
    # a new decision gets a fresh id (PostgreSQL's sequence was moved past the copied ids)
    assert (
        Decision.objects.create(
            organisation_id=cell.pk,
            unit_id=cell.pk,
            form="warning",
            decided_on=dt.date(2022, 1, 1),
            announced_on=dt.date(2022, 1, 1),
            deciding_body="x",
        ).pk
        == kept.pk + 2
    )
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

"""The audit history is append-only, keeps the actor's name, and its hash chain
detects an entry changed or removed behind the application's back."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from serment.core import audit
from serment.core.actors import SYSTEM
from serment.core.models import AppendOnly, AuditEntry
from serment.members.actions import update_member_details
from tests import factories as f


@pytest.fixture
def history(world):
    update_member_details(by=world.secretary, member=world.alice, phone="0901 234 567")
    return world


def _raw(sql: str, params=()):
    """Write behind the application's back (on PostgreSQL, past the trigger too)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_an_entry_cannot_be_changed_or_deleted_through_the_application(history):
    entry = AuditEntry.objects.first()
    entry.summary = "nothing happened"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="nothing happened")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_a_raw_update(history):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET summary = 'x'")


def test_an_entry_keeps_its_actors_name_when_the_user_is_deleted(history):
    entry = AuditEntry.objects.filter(action="member.update").first()
    assert (entry.actor_id, entry.actor_name) == (history.secretary.pk, "secretary")
    history.secretary.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor_id, entry.actor_name) == (None, "secretary")
    assert audit.verify()[1] is None


def test_the_chain_of_an_untouched_history_verifies(history, capsys):
    call_command("audit", "verify")
    count = AuditEntry.objects.count()
    assert capsys.readouterr().out.strip() == f"audit chain intact: {count} entries"


def test_a_changed_summary_is_detected(history):
    entry = AuditEntry.objects.filter(action="member.update").first()
    _raw("UPDATE core_auditentry SET summary = %s WHERE id = %s", ["nothing happened", entry.pk])
    checked, broken = audit.verify()
    assert broken.entry_id == entry.pk
    with pytest.raises(CommandError, match=f"broken at entry {entry.pk}"):
        call_command("audit", "verify")


def test_a_changed_change_is_detected(history):
    entry = AuditEntry.objects.filter(action="member.update").first()
    _raw("UPDATE core_auditentry SET changes = %s WHERE id = %s", ['{"phone": ["", "0"]}', entry.pk])
    assert audit.verify()[1].entry_id == entry.pk


def test_a_removed_entry_is_detected(history):
    first, second = AuditEntry.objects.order_by("pk")[:2]
    _raw("DELETE FROM core_auditentry WHERE id = %s", [first.pk])
    assert audit.verify()[1].entry_id == second.pk


def test_bulk_entries_continue_the_chain(history):
    members = [f.member(history.C1) for _ in range(3)]
    audit.record_many(by=SYSTEM, action="test.bulk", targets=members, changes_for=lambda m: {"n": m.pk})
    audit.record(by=history.admin, action="test.one", target=members[0], changes={"when": [None, 1]})
    checked, broken = audit.verify()
    assert (checked, broken) == (AuditEntry.objects.count(), None)


def test_bulk_entries_cost_one_query_for_the_chain(history, django_assert_max_num_queries):
    members = [f.member(history.C1) for _ in range(50)]
    # content types are cached; the chain's tail is read once (plus PostgreSQL's lock), one INSERT.
    with django_assert_max_num_queries(5):
        audit.record_many(by=SYSTEM, action="test.bulk", targets=members)

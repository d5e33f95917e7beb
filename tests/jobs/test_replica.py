"""The read replica (issue 14 goal 7): reports and exports read from ``replica`` when it
is configured; writes, and reads inside a transaction of the primary, never do. Here the
two aliases point at the same database (the replica as a test mirror of the primary)."""

import pytest
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from serment.core.db import REPLICA, ReplicaRouter, has_replica, replica_reads
from serment.members.models import Member
from serment.organisations.models import Organisation


@pytest.fixture
def replica(world):
    """A ``replica`` connection to the primary's own test database (once it exists),
    as Django's test mirror would give."""
    settings_dict = {**connections["default"].settings_dict}
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=REPLICA)
    setattr(connections._connections, REPLICA, connection)
    yield REPLICA
    connection.close()
    delattr(connections._connections, REPLICA)


def _queries(alias):
    return CaptureQueriesContext(connections[alias])


def test_without_a_replica_everything_reads_the_primary():
    assert not has_replica()
    with replica_reads():
        assert ReplicaRouter().db_for_read(Member) is None


@pytest.mark.django_db(transaction=True)
def test_report_and_export_reads_go_to_the_replica_and_find_the_same_rows(replica, world):
    router = ReplicaRouter()
    assert router.db_for_read(Member) is None  # outside a report: the primary
    with replica_reads():
        assert router.db_for_read(Member) == REPLICA
        with _queries(REPLICA) as on_replica, _queries("default") as on_primary:
            count = Member.objects.count()
        assert count == Member.objects.using("default").count() == 3
        assert (len(on_replica), len(on_primary)) == (1, 0)
    assert router.db_for_write(Member) == "default"
    assert router.allow_migrate(REPLICA, "members") is False


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_that_wrote_stays_on_the_primary(replica, world):
    with replica_reads():
        with transaction.atomic():
            Organisation.objects.filter(code="C1").update(name="Renamed")
            with _queries(REPLICA) as on_replica:
                name = Organisation.objects.get(code="C1").name
        assert (name, len(on_replica)) == ("Renamed", 0)


@pytest.mark.django_db(transaction=True)
def test_the_member_export_streams_from_the_replica(replica, world, client):
    client.force_login(world.d1_staff)
    with _queries(REPLICA) as on_replica:
        response = client.get(reverse("members:export"), {"format": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(body.splitlines()) == 3  # the header and D1's two members
    assert any("members_member" in q["sql"] for q in on_replica.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_report_reads_from_the_replica(replica, world, client):
    client.force_login(world.d1_staff)
    with _queries(REPLICA) as on_replica:
        page = client.get(reverse("admissions:index"), {"org": world.D1.pk, "year": 2023})
    assert page.status_code == 200 and page.context["report"] is not None
    assert any("members_member" in q["sql"] for q in on_replica.captured_queries)

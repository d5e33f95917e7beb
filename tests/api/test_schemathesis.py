"""Schemathesis against the OpenAPI document (issue 15): every operation, with generated
valid and invalid input, signed in with an administrator's read-write token on the
fixture world (a rating round and a candidate in it), answers no 5xx and nothing the
document does not describe. Bounded: a fixed number of examples per operation,
derandomised, so a run takes the same time and finds the same cases every time.

Marked ``slow``: ``make test`` runs it on SQLite and on PostgreSQL (``.ci/run``)."""

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from serment.admissions.actions import register_candidate
from serment.api.actions import create_token
from serment.core.actors import SYSTEM
from serment.ratings.actions import open_round

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def fuzzed_world(world, settings):
    settings.SERMENT_API_RATE_PER_MINUTE = 1_000_000
    open_round(by=SYSTEM, organisation=world.P, year=2022, on=dt.date(2022, 12, 1))
    register_candidate(
        by=SYSTEM,
        organisation=world.C1,
        full_name="Lý Thị Hương",
        date_of_birth=dt.date(2000, 3, 15),
        sex="female",
        citizen_id="079300000001",
    )
    _row, world.token = create_token(by=world.admin, name="schemathesis", days=1, read_only=False)
    return world


@pytest.fixture
def api_schema(fuzzed_world):
    # The requests run in this process, inside the test's transaction: the handler must
    # not close the connection at the end of each request (Django's test client does
    # the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.mark.slow
def test_the_api_answers_every_generated_request_as_documented(api_schema, fuzzed_world):
    """Every operation, in both generation modes; the first failing case of each is
    collected, so one run lists every operation at fault."""
    headers = {"Authorization": f"Bearer {fuzzed_world.token}", "Accept-Language": "vi"}
    failures: dict[str, str] = {}
    operations = list(_operations(api_schema))
    assert len(operations) > 25
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def exercise(case):
                case.call_and_validate(
                    headers=headers, checks=[not_a_server_error, response_schema_conformance]
                )

            try:
                exercise()
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a group of failures
                failures[f"{operation.label} ({mode})"] = str(exc)[:2000]
    assert failures == {}

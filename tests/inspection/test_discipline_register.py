"""The one discipline register and the question other apps ask it:
``member_disciplines`` / ``in_force`` / ``disciplined_in_year``."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from serment.core.actors import SYSTEM
from serment.inspection import queries
from serment.inspection.actions import decide_complaint, lodge_complaint, record_discipline
from serment.inspection.queries import DisciplineFact, in_force, member_disciplines
from tests import factories as f

from .conftest import UBKT


def reprimand(member, on=dt.date(2022, 3, 1), announced=None, **kw):
    return record_discipline(
        by=SYSTEM,
        member=member,
        form=kw.pop("form", "reprimand"),
        decided_on=on,
        announced_on=announced,
        deciding_body=UBKT,
        document_ref=kw.pop("document_ref", "12-QĐ/UBKT"),
        **kw,
    )


def test_the_register_answers_with_the_exact_fact(insp):
    d = reprimand(insp.alice, announced=dt.date(2022, 3, 5), self_detected=True)
    assert member_disciplines([insp.alice.pk, insp.bob.pk], as_of=dt.date(2022, 6, 1)) == {
        insp.alice.pk: [
            DisciplineFact(
                decision_id=d.pk,
                member_id=insp.alice.pk,
                organisation_id=None,
                form="reprimand",
                decided_on=dt.date(2022, 3, 1),
                announced_on=dt.date(2022, 3, 5),
                lapses_on=dt.date(2023, 3, 5),
                document_ref="12-QĐ/UBKT",
                deciding_body=UBKT,
                self_detected=True,
            )
        ]
    }


def test_a_decision_lapses_twelve_months_after_announcement(insp):
    reprimand(insp.alice, announced=dt.date(2022, 3, 5))
    (fact,) = member_disciplines([insp.alice.pk], as_of=dt.date(2024, 1, 1))[insp.alice.pk]
    assert [
        in_force(fact, day) for day in (dt.date(2022, 2, 28), dt.date(2023, 3, 4), dt.date(2023, 3, 5))
    ] == [
        False,
        True,
        False,
    ]


def test_an_expulsion_never_lapses(insp):
    reprimand(insp.alice, form="expulsion")
    (fact,) = member_disciplines([insp.alice.pk], as_of=dt.date(2030, 1, 1))[insp.alice.pk]
    assert (fact.lapses_on, in_force(fact, dt.date(2030, 1, 1))) == (None, True)


def test_a_new_violation_keeps_the_earlier_decision_in_force(insp):
    reprimand(insp.alice, on=dt.date(2022, 1, 10))
    reprimand(insp.alice, on=dt.date(2022, 9, 1), form="warning")
    warning, first = member_disciplines([insp.alice.pk], as_of=dt.date(2024, 1, 1))[insp.alice.pk]
    assert (warning.form, first.form) == ("warning", "reprimand")
    assert first.lapses_on == warning.lapses_on == dt.date(2023, 9, 1)


def test_a_decision_is_unknown_before_its_date(insp):
    reprimand(insp.alice, on=dt.date(2022, 3, 1))
    assert member_disciplines([insp.alice.pk], as_of=dt.date(2022, 2, 28)) == {}


def test_a_changed_decision_changes_the_answer_from_the_complaint_decision(insp):
    d = reprimand(insp.alice, on=dt.date(2022, 3, 1), form="warning")
    c = lodge_complaint(
        by=SYSTEM,
        decision=d,
        received_decision_on=dt.date(2022, 3, 3),
        lodged_on=dt.date(2022, 3, 20),
        level=3,
        handling_body="Ủy ban Kiểm tra Tỉnh ủy",
    )
    decide_complaint(
        by=SYSTEM, complaint=c, outcome="changed", new_form="reprimand", decided_on=dt.date(2022, 6, 1)
    )
    before = member_disciplines([insp.alice.pk], as_of=dt.date(2022, 5, 31))[insp.alice.pk][0]
    after = member_disciplines([insp.alice.pk], as_of=dt.date(2022, 6, 1))[insp.alice.pk][0]
    assert (before.form, before.lapses_on) == ("warning", dt.date(2023, 3, 1))
    # the 12 months count again from the decision on the complaint (Quy định 69-QĐ/TW)
    assert (after.form, after.lapses_on) == ("reprimand", dt.date(2023, 6, 1))


def test_an_annulled_complaint_outcome_removes_the_decision_from_that_date(insp):
    d = reprimand(insp.alice)
    c = lodge_complaint(
        by=SYSTEM,
        decision=d,
        received_decision_on=dt.date(2022, 3, 2),
        lodged_on=dt.date(2022, 3, 30),
        level=2,
        handling_body="Ủy ban Kiểm tra Huyện ủy 1",
    )
    decide_complaint(by=SYSTEM, complaint=c, outcome="annulled", decided_on=dt.date(2022, 5, 1))
    assert list(member_disciplines([insp.alice.pk], as_of=dt.date(2022, 4, 30))) == [insp.alice.pk]
    assert member_disciplines([insp.alice.pk], as_of=dt.date(2022, 5, 1)) == {}


def test_member_disciplines_is_two_queries_for_one_or_many_members(insp):
    members = [f.member(insp.C1) for _ in range(3)]
    for m in members:
        reprimand(m)
    for ids in ([members[0].pk], [m.pk for m in members]):
        with CaptureQueriesContext(connection) as ctx:
            result = member_disciplines(ids, as_of=dt.date(2023, 1, 1))
        assert (len(result), len(ctx.captured_queries)) == (len(ids), 2)


def test_disciplined_in_year_gives_members_and_organisations_of_that_year(insp):
    reprimand(insp.alice, on=dt.date(2021, 12, 31))
    d = reprimand(insp.bob, on=dt.date(2022, 1, 1))
    o = record_discipline(
        by=SYSTEM, organisation=insp.C3, form="warning", decided_on=dt.date(2022, 7, 1), deciding_body="UBKT"
    )
    year = queries.disciplined_in_year(year=2022)
    assert (
        {m: [x.decision_id for x in fs] for m, fs in year.of_member.items()},
        list(year.of_organisation),
    ) == (
        {insp.bob.pk: [d.pk]},
        [insp.C3.pk],
    )
    assert [x.decision_id for x in year.of_organisation[insp.C3.pk]] == [o.pk]
    only = queries.disciplined_in_year(year=2022, member_ids=[insp.alice.pk], organisation_ids=[])
    assert (only.of_member, only.of_organisation) == ({}, {})


@pytest.mark.parametrize(
    ("months", "day", "expected"), [(12, dt.date(2023, 3, 4), True), (12, dt.date(2023, 3, 5), False)]
)
def test_within_months_counts_from_the_announcement(insp, months, day, expected):
    reprimand(insp.alice, announced=dt.date(2022, 3, 5))
    (fact,) = member_disciplines([insp.alice.pk], as_of=day)[insp.alice.pk]
    assert queries.within_months(fact, day, months) is expected

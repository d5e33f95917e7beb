"""Steps are recorded in order, once each, never dated before the previous one."""

import datetime as dt

import pytest

from serment.admissions import actions
from serment.admissions.models import Step, StepKind
from serment.core.errors import DomainError
from tests import factories as f

from .conftest import advance

D = dt.date


def test_steps_recorded_in_order_are_kept_with_their_dates_and_documents(adm):
    advance(adm, adm.huong, through=StepKind.DECISION)
    assert list(Step.objects.filter(candidate=adm.huong).values_list("kind", "on", "document_ref")) == [
        ("certificate", D(2022, 3, 1), "certificate-1"),
        ("application", D(2023, 2, 1), "application-1"),
        ("cv", D(2023, 2, 5), "cv-1"),
        ("introducers", D(2023, 2, 10), "introducers-1"),
        ("opinions", D(2023, 3, 1), "opinions-1"),
        ("cell_resolution", D(2023, 3, 10), "cell_resolution-1"),
        ("grassroots_resolution", D(2023, 3, 20), "grassroots_resolution-1"),
        ("decision", D(2023, 4, 1), "decision-1"),
    ]
    assert sorted(adm.huong.introducers.values_list("member__full_name", flat=True)) == [
        "Trần Thị Alice",
        "Đỗ Văn Dan",
    ]


def test_a_step_cannot_skip_the_one_before(adm):
    with pytest.raises(DomainError) as refusal:
        actions.record_step(by=adm.secretary, candidate=adm.huong, kind=StepKind.CV, on=D(2023, 2, 5))
    assert refusal.value.message == "Record “Party-awareness class certificate” before “CV”."


def test_a_step_cannot_be_recorded_twice(adm):
    advance(adm, adm.huong, through=StepKind.APPLICATION)
    with pytest.raises(DomainError) as refusal:
        actions.record_step(
            by=adm.secretary, candidate=adm.huong, kind=StepKind.APPLICATION, on=D(2023, 2, 2)
        )
    assert refusal.value.message == "The step “Application” is already recorded for Lý Thị Hương."


def test_a_step_cannot_be_dated_before_the_previous_one(adm):
    advance(adm, adm.huong, through=StepKind.APPLICATION)
    with pytest.raises(DomainError) as refusal:
        actions.record_step(by=adm.secretary, candidate=adm.huong, kind=StepKind.CV, on=D(2023, 1, 31))
    assert refusal.value.message == "“CV” cannot be dated before “Application” (1 Feb 2023)."


def test_a_grassroots_cell_has_no_grassroots_committee_resolution(adm):
    alone = f.member(adm.GC1, admitted_on=D(2010, 1, 1), official_on=D(2011, 1, 1))
    assert alone.official_on == D(2011, 1, 1)
    c = actions.register_candidate(
        by=adm.d1_staff, organisation=adm.GC1, full_name="Mai Văn Cơ", date_of_birth=D(1999, 1, 1), sex="male"
    )
    with pytest.raises(DomainError) as refusal:
        actions.record_step(
            by=adm.d1_staff, candidate=c, kind=StepKind.GRASSROOTS_RESOLUTION, on=D(2023, 3, 1)
        )
    assert refusal.value.message == (
        "A candidate of Chi bộ cơ sở 1 has no step “Grassroots committee resolution”."
    )


def test_the_ceremony_is_not_recorded_as_a_plain_step(adm):
    advance(adm, adm.huong, through=StepKind.DECISION)
    with pytest.raises(DomainError) as refusal:
        actions.record_step(by=adm.secretary, candidate=adm.huong, kind=StepKind.CEREMONY, on=D(2023, 4, 5))
    assert refusal.value.field == "kind"


def test_a_withdrawn_candidate_takes_no_more_steps(adm):
    actions.withdraw_candidate(by=adm.secretary, candidate=adm.huong, on=D(2023, 1, 1), reason="Moved away")
    with pytest.raises(DomainError) as refusal:
        actions.record_step(
            by=adm.secretary, candidate=adm.huong, kind=StepKind.CERTIFICATE, on=D(2023, 1, 2)
        )
    assert refusal.value.message == "Lý Thị Hương is no longer a candidate (Withdrawn)."

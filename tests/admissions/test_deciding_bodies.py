"""Who records which step, and the ceremony's deadline (Charter Art. 4; HD 01-HD/TW 2021):
the grassroots committee resolves, the competent committee above it decides, and the
ceremony is held within 30 working days of the decision."""

import datetime as dt

import pytest

from serment.admissions import actions
from serment.admissions.models import Step, StepKind
from serment.core.errors import NotPermitted, Refused

from .conftest import advance

D = dt.date


def test_a_cell_secretary_cannot_record_the_grassroots_committee_resolution(adm):
    advance(adm, adm.huong, through=StepKind.CELL_RESOLUTION)
    with pytest.raises(NotPermitted) as refusal:
        actions.record_step(
            by=adm.secretary, candidate=adm.huong, kind=StepKind.GRASSROOTS_RESOLUTION, on=D(2023, 3, 20)
        )
    assert refusal.value.code == "not_permitted"
    assert not Step.objects.filter(candidate=adm.huong, kind=StepKind.GRASSROOTS_RESOLUTION).exists()


def test_a_cell_secretary_cannot_record_the_admission_decision(adm):
    advance(adm, adm.huong, through=StepKind.GRASSROOTS_RESOLUTION)
    with pytest.raises(NotPermitted) as refusal:
        actions.record_step(by=adm.secretary, candidate=adm.huong, kind=StepKind.DECISION, on=D(2023, 4, 1))
    assert refusal.value.code == "not_permitted"


def test_the_grassroots_committee_does_not_decide_the_admission_either(adm):
    advance(adm, adm.huong, through=StepKind.GRASSROOTS_RESOLUTION)
    with pytest.raises(NotPermitted) as refusal:
        actions.record_step(by=adm.g1_staff, candidate=adm.huong, kind=StepKind.DECISION, on=D(2023, 4, 1))
    assert refusal.value.code == "not_permitted"


def test_the_district_committee_records_the_decision(adm):
    advance(adm, adm.huong, through=StepKind.GRASSROOTS_RESOLUTION)
    step = actions.record_step(by=adm.d1_staff, candidate=adm.huong, kind=StepKind.DECISION, on=D(2023, 4, 1))
    assert (step.kind, step.on) == (StepKind.DECISION, D(2023, 4, 1))


def test_a_ceremony_nine_months_after_the_decision_is_refused(adm):
    advance(adm, adm.huong, through=StepKind.DECISION)  # decided on Saturday 1 April 2023
    with pytest.raises(Refused) as refusal:
        actions.hold_ceremony(by=adm.secretary, candidate=adm.huong, on=D(2024, 1, 2))
    assert refusal.value.codes == ["ceremony_too_late"]
    assert refusal.value.field == "on"


def test_the_ceremony_on_the_thirtieth_working_day_is_accepted_and_the_next_is_not(adm):
    advance(adm, adm.huong, through=StepKind.DECISION)
    # 30 working days (Monday to Friday) after Saturday 1 April 2023: Friday 12 May.
    assert actions.check_hold_ceremony(by=adm.secretary, candidate=adm.huong, on=D(2023, 5, 12)) == []
    late = actions.check_hold_ceremony(by=adm.secretary, candidate=adm.huong, on=D(2023, 5, 15))
    assert [r.code for r in late] == ["ceremony_too_late"]
    assert late[0].source == "Hướng dẫn 01-HD/TW (2021)"

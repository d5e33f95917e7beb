"""Complaints about discipline: the window and the levels are rule data; the
decision stays in force while a complaint runs."""

import datetime as dt

import pytest

from serment.core.actors import SYSTEM
from serment.core.errors import Refused
from serment.inspection.actions import decide_complaint, lodge_complaint, record_discipline
from serment.inspection.queries import in_force, member_disciplines

from .conftest import UBKT


@pytest.fixture
def decision(insp):
    return record_discipline(
        by=SYSTEM, member=insp.alice, form="warning", decided_on=dt.date(2022, 3, 1), deciding_body=UBKT
    )


def lodge(by, decision, lodged_on=dt.date(2022, 3, 20), level=2, received=dt.date(2022, 3, 3), body="UBKT"):
    return lodge_complaint(
        by=by,
        decision=decision,
        received_decision_on=received,
        lodged_on=lodged_on,
        level=level,
        handling_body=body,
    )


def test_a_complaint_one_month_and_a_day_after_receiving_is_late(decision):
    assert lodge(SYSTEM, decision, lodged_on=dt.date(2022, 4, 3)).pk
    with pytest.raises(Refused) as exc:
        lodge(SYSTEM, decision, lodged_on=dt.date(2022, 5, 4), received=dt.date(2022, 4, 3), level=3)
    assert "complaint_pending" in exc.value.codes


def test_the_window_counts_from_receiving_the_decision(decision):
    with pytest.raises(Refused) as exc:
        lodge(SYSTEM, decision, lodged_on=dt.date(2022, 4, 4))
    assert exc.value.codes == ["complaint_late"]
    assert "by 3 Apr 2022" in exc.value.refusals[0].text  # the reader's format, not ISO


def test_the_decision_stays_in_force_while_the_complaint_runs(insp, decision):
    lodge(SYSTEM, decision)
    (fact,) = member_disciplines([insp.alice.pk], as_of=dt.date(2022, 6, 1))[insp.alice.pk]
    assert (fact.form, in_force(fact, dt.date(2022, 6, 1))) == ("warning", True)


def test_each_new_complaint_goes_up_to_the_final_level(decision):
    c = lodge(SYSTEM, decision, level=3)
    decide_complaint(by=SYSTEM, complaint=c, outcome="upheld", decided_on=dt.date(2022, 4, 10))
    with pytest.raises(Refused) as exc:
        lodge(SYSTEM, decision, level=3, received=dt.date(2022, 4, 12), lodged_on=dt.date(2022, 4, 20))
    assert exc.value.codes == ["level_not_above"]
    with pytest.raises(Refused) as exc:
        lodge(SYSTEM, decision, level=5, received=dt.date(2022, 4, 12), lodged_on=dt.date(2022, 4, 20))
    assert exc.value.codes == ["beyond_final_level"]  # warning: the Central Inspection Commission
    c = lodge(SYSTEM, decision, level=4, received=dt.date(2022, 4, 12), lodged_on=dt.date(2022, 4, 20))
    decide_complaint(by=SYSTEM, complaint=c, outcome="upheld", decided_on=dt.date(2022, 6, 1))
    with pytest.raises(Refused) as exc:
        lodge(SYSTEM, decision, level=5, received=dt.date(2022, 6, 2), lodged_on=dt.date(2022, 6, 10))
    assert exc.value.codes == ["final_level_reached"]


def test_dates_out_of_order_and_a_missing_body_are_refused(decision):
    with pytest.raises(Refused) as exc:
        lodge(SYSTEM, decision, received=dt.date(2022, 2, 1), body=" ")
    assert exc.value.codes == ["handling_body_required", "dates_out_of_order"]


def test_deciding_a_complaint_twice_or_badly_is_refused(decision):
    c = lodge(SYSTEM, decision)
    with pytest.raises(Refused) as exc:
        decide_complaint(
            by=SYSTEM, complaint=c, outcome="changed", new_form="warning", decided_on=dt.date(2022, 3, 10)
        )
    assert exc.value.codes == ["dates_out_of_order", "new_form_same"]
    with pytest.raises(Refused) as exc:
        decide_complaint(
            by=SYSTEM, complaint=c, outcome="upheld", new_form="reprimand", decided_on=dt.date(2022, 4, 1)
        )
    assert exc.value.codes == ["new_form_unexpected"]
    decide_complaint(by=SYSTEM, complaint=c, outcome="upheld", decided_on=dt.date(2022, 4, 1))
    with pytest.raises(Refused) as exc:
        decide_complaint(by=SYSTEM, complaint=c, outcome="annulled", decided_on=dt.date(2022, 4, 2))
    assert exc.value.codes == ["complaint_decided"]


def test_only_inspection_staff_record_complaints(insp, decision):
    with pytest.raises(Refused) as exc:
        lodge(insp.g1_staff, decision)
    assert exc.value.codes == ["not_permitted"]


def test_a_change_to_expulsion_on_complaint_expels(insp, decision):
    c = lodge(SYSTEM, decision, level=3)
    decide_complaint(
        by=SYSTEM,
        complaint=c,
        outcome="changed",
        new_form="expulsion",
        decided_on=dt.date(2022, 5, 2),
        document_ref="9",
    )
    insp.alice.refresh_from_db()
    assert (insp.alice.state, insp.alice.left_on, insp.alice.left_reason) == (
        "left",
        dt.date(2022, 5, 2),
        "expelled",
    )

"""Recording a discipline decision: its refusals and its effects on the register."""

import datetime as dt

import pytest

from serment.core.actors import SYSTEM
from serment.core.audit import history_of
from serment.core.errors import Refused
from serment.inspection.actions import annul_discipline, record_discipline
from serment.inspection.models import DisciplineDecision
from serment.members.actions import expel
from serment.members.models import PostHolding

from .conftest import UBKT


def record(by, **kw):
    kw.setdefault("form", "reprimand")
    kw.setdefault("decided_on", dt.date(2022, 3, 1))
    kw.setdefault("deciding_body", UBKT)
    kw.setdefault("document_ref", "7-QĐ/UBKT")
    return record_discipline(by=by, **kw)


def test_an_expulsion_takes_the_member_off_the_register_in_the_same_transaction(insp):
    d = record(insp.inspector, member=insp.alice, form="expulsion", decided_on=dt.date(2022, 4, 1))
    insp.alice.refresh_from_db()
    assert (insp.alice.state, insp.alice.left_on, insp.alice.left_reason) == (
        "left",
        dt.date(2022, 4, 1),
        "expelled",
    )
    assert history_of(d).get().action == "inspection.record_discipline"
    assert history_of(insp.alice).filter(action="member.leave").count() == 1


def test_a_dismissal_from_post_ends_the_post(insp):
    record(insp.inspector, member=insp.bob, form="dismissal", decided_on=dt.date(2022, 4, 1))
    assert PostHolding.objects.get(pk=insp.bob_post.pk).ends_on == dt.date(2022, 4, 1)


def test_a_dismissal_of_a_member_without_a_post_is_refused(insp):
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice, form="dismissal")
    assert exc.value.codes == ["no_post"]


def test_a_member_who_already_left_cannot_be_disciplined(insp):
    expel(by=SYSTEM, member=insp.alice, on=dt.date(2021, 1, 1), document_ref="1-QĐ")
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice)
    assert exc.value.codes == ["member_left"]


def test_a_decision_after_an_expulsion_is_refused(insp):
    record(insp.inspector, member=insp.alice, form="expulsion", decided_on=dt.date(2022, 4, 1))
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice, decided_on=dt.date(2022, 5, 1))
    assert exc.value.codes == ["after_expulsion"]


def test_dates_out_of_order_are_refused(insp):
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice, announced_on=dt.date(2022, 2, 1))
    assert exc.value.codes == ["dates_out_of_order"]
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice, decided_on=dt.date(2009, 1, 1))  # admitted 2010
    assert exc.value.codes == ["dates_out_of_order"]


def test_a_decision_in_the_future_is_refused(insp):
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice, decided_on=dt.date.today() + dt.timedelta(days=2))
    assert exc.value.codes == ["date_in_future"]


def test_an_organisation_cannot_be_expelled_nor_a_member_dissolved(insp):
    with pytest.raises(Refused) as exc:
        record(insp.inspector, organisation=insp.C1, form="expulsion")
    assert exc.value.codes == ["form_not_for_subject"]
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice, form="dissolution")
    assert exc.value.codes == ["form_not_for_subject"]


def test_an_expulsion_needs_its_document_reference_and_a_body(insp):
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice, form="expulsion", document_ref="", deciding_body=" ")
    assert exc.value.codes == ["deciding_body_required", "document_ref_required"]


def test_one_subject_exactly(insp):
    with pytest.raises(Refused) as exc:
        record(insp.inspector, member=insp.alice, organisation=insp.C1)
    assert exc.value.codes == ["one_subject"]


@pytest.mark.parametrize("who", ["admin", "d1_staff", "g1_staff", "secretary", "leader", "d2_inspector"])
def test_only_inspection_staff_of_the_subtree_record_discipline(insp, who):
    with pytest.raises(Refused) as exc:
        record(getattr(insp, who), member=insp.alice)
    assert exc.value.codes == ["not_permitted"]
    assert DisciplineDecision.objects.count() == 0


def test_no_actor_is_refused(insp):
    with pytest.raises(Refused) as exc:
        record(None, member=insp.alice)
    assert exc.value.codes == ["no_actor"]


def test_the_inspection_staff_of_the_grassroots_committee_records_on_its_members(insp):
    d = record(insp.g1_inspector, member=insp.alice)
    assert (d.unit, d.announced_on) == (insp.C1, d.decided_on)


def test_annulment_is_audited_and_refused_twice(insp):
    d = record(insp.inspector, member=insp.alice)
    annul_discipline(by=insp.inspector, decision=d, on=dt.date(2022, 9, 1), document_ref="3-QĐ", reason="Sai")
    assert history_of(d).filter(action="inspection.annul_discipline").get().changes["annulment_ref"] == "3-QĐ"
    with pytest.raises(Refused) as exc:
        annul_discipline(by=insp.inspector, decision=d, on=dt.date(2022, 9, 2), document_ref="4", reason="x")
    assert exc.value.codes == ["already_annulled"]


def test_annulment_needs_dates_in_order_a_reference_and_a_reason(insp):
    d = record(insp.inspector, member=insp.alice)
    with pytest.raises(Refused) as exc:
        annul_discipline(by=insp.inspector, decision=d, on=dt.date(2022, 1, 1), document_ref="", reason="")
    assert exc.value.codes == ["dates_out_of_order", "document_ref_required", "reason_required"]
    with pytest.raises(Refused) as exc:
        annul_discipline(by=insp.admin, decision=d, on=dt.date(2022, 9, 1), document_ref="3", reason="x")
    assert exc.value.codes == ["not_permitted"]

"""Restoring rights after an annulled discipline decision (Quy định 117-QĐ/TW): its
refusals, its two effects (back on the register; the posts held again), the queries
that then read the decision as never taken, the page, and the old audit entries."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from serment.core.actors import SYSTEM
from serment.core.audit import history_of
from serment.core.errors import Refused
from serment.core.models import AuditEntry
from serment.inspection import queries
from serment.inspection.actions import (
    annul_discipline,
    check_restore_rights,
    decide_complaint,
    lodge_complaint,
    record_discipline,
    restore_rights,
)
from serment.members.actions import register_member
from serment.members.models import Member, Membership, PostHolding

from .conftest import UBKT

EXPELLED_ON = dt.date(2022, 4, 1)
ANNULLED_ON = dt.date(2022, 9, 1)


def _expel(w, member=None, by=None):
    return record_discipline(
        by=by or w.inspector,
        member=member or w.alice,
        form="expulsion",
        decided_on=EXPELLED_ON,
        deciding_body=UBKT,
        document_ref="7-QĐ/UBKT",
    )


def _annul(w, decision, on=ANNULLED_ON):
    return annul_discipline(by=SYSTEM, decision=decision, on=on, document_ref="3-QĐ", reason="Sai")


def _dismiss(w):
    return record_discipline(
        by=w.inspector,
        member=w.bob,
        form="dismissal",
        decided_on=EXPELLED_ON,
        deciding_body=UBKT,
        document_ref="8-QĐ/UBKT",
    )


def _codes(by, decision, **kw):
    decision.refresh_from_db()
    return [r.code for r in check_restore_rights(by=by, decision=decision, **kw)]


# --- the effects ----------------------------------------------------------------------


def test_an_annulled_expulsion_puts_the_member_back_in_their_last_cell_from_the_annulment(insp):
    d = _annul(insp, _expel(insp))
    restore_rights(by=insp.inspector, decision=d)
    alice = Member.objects.get(pk=insp.alice.pk)
    assert (alice.state, alice.left_on, alice.left_reason, alice.organisation_id) == (
        "active",
        None,
        "",
        insp.C1.pk,
    )
    current = Membership.objects.get(member=alice, ends_on__isnull=True)
    assert (current.organisation_id, current.starts_on, current.kind) == (
        insp.C1.pk,
        ANNULLED_ON,
        "reinstated",
    )
    d.refresh_from_db()
    assert d.rights_restored_on is not None
    assert [e.action for e in history_of(d)][:1] == ["inspection.restore_rights"]
    assert history_of(alice).filter(action="member.reinstate").count() == 1


def test_the_inspection_staff_may_choose_another_cell_within_their_scope(insp):
    d = _annul(insp, _expel(insp))
    restore_rights(by=insp.inspector, decision=d, cell=insp.C2)
    assert Member.objects.get(pk=insp.alice.pk).organisation_id == insp.C2.pk


def test_an_annulled_dismissal_gives_back_the_posts_it_ended_from_the_annulment(insp):
    d = _annul(insp, _dismiss(insp))
    assert PostHolding.objects.get(pk=insp.bob_post.pk).ended_how == "dismissal"
    restore_rights(by=insp.inspector, decision=d)
    held = PostHolding.objects.get(member=insp.bob, ends_on__isnull=True)
    assert (held.organisation_id, held.post, held.starts_on) == (insp.C2.pk, "secretary", ANNULLED_ON)


def test_a_complaint_that_annuls_the_decision_lets_the_rights_be_restored(insp):
    d = _expel(insp)
    complaint = lodge_complaint(
        by=insp.inspector,
        decision=d,
        received_decision_on=dt.date(2022, 4, 2),
        lodged_on=dt.date(2022, 4, 20),
        level=3,
        handling_body="Ủy ban Kiểm tra Tỉnh ủy",
    )
    decide_complaint(
        by=SYSTEM, complaint=complaint, outcome="annulled", decided_on=dt.date(2022, 6, 1), document_ref="9"
    )
    restore_rights(by=insp.inspector, decision=d)
    assert Membership.objects.get(member=insp.alice, ends_on__isnull=True).starts_on == dt.date(2022, 6, 1)


def test_once_restored_the_register_reads_the_decision_as_never_taken(insp):
    d = _annul(insp, _expel(insp))
    before = dt.date(2022, 6, 1)  # expelled and not yet annulled on that day
    assert [
        x.decision_id for x in queries.member_disciplines([insp.alice.pk], as_of=before)[insp.alice.pk]
    ] == [d.pk]
    assert queries.disciplined_in_year(member_ids=[insp.alice.pk], year=2022, as_of=before).of_member != {}
    restore_rights(by=insp.inspector, decision=d)
    assert queries.member_disciplines([insp.alice.pk], as_of=before) == {}
    assert queries.disciplined_in_year(member_ids=[insp.alice.pk], year=2022, as_of=before).of_member == {}


# --- the refusals ----------------------------------------------------------------------


def test_refused_when_the_decision_is_not_annulled(insp):
    d = _expel(insp)
    assert _codes(insp.inspector, d) == ["not_annulled"]
    with pytest.raises(Refused) as exc:
        restore_rights(by=insp.inspector, decision=d)
    assert exc.value.codes == ["not_annulled"]
    assert Member.objects.get(pk=insp.alice.pk).state == "left"


def test_refused_when_the_rights_are_already_restored(insp):
    d = _annul(insp, _expel(insp))
    restore_rights(by=insp.inspector, decision=d)
    assert _codes(insp.inspector, d) == ["rights_already_restored"]


def test_refused_when_the_member_died_since(insp):
    d = _annul(insp, _dismiss(insp))
    f_member = Member.objects.get(pk=insp.bob.pk)
    from serment.members.actions import record_death

    record_death(by=SYSTEM, member=f_member, on=dt.date(2022, 10, 1))
    assert _codes(insp.inspector, d) == ["member_deceased"]


def test_refused_when_the_member_left_for_another_reason_since(insp):
    d = _annul(insp, _dismiss(insp))
    from serment.members.actions import transfer_out_of_province

    transfer_out_of_province(by=SYSTEM, member=insp.bob, on=dt.date(2022, 10, 1), destination="Tỉnh khác")
    assert _codes(insp.inspector, d) == ["member_left_otherwise"]


def test_refused_when_the_chosen_cell_is_out_of_scope(insp):
    d = _annul(insp, _expel(insp))
    assert _codes(insp.inspector, d, cell=insp.C3) == ["cell_out_of_scope"]
    with pytest.raises(Refused) as exc:
        restore_rights(by=insp.inspector, decision=d, cell=insp.C3)
    assert exc.value.codes == ["cell_out_of_scope"]
    assert Member.objects.get(pk=insp.alice.pk).state == "left"


def test_refused_when_the_last_cell_is_out_of_scope_of_a_lower_inspector(insp):
    bob_decision = _annul(insp, _expel(insp, insp.bob))  # bob's cell C2 is under G1
    assert _codes(insp.g1_inspector, bob_decision) == []
    assert _codes(insp.g1_inspector, bob_decision, cell=insp.GC1) == ["cell_out_of_scope"]


def test_refused_to_anyone_without_the_inspection_role(insp):
    d = _annul(insp, _expel(insp))
    assert _codes(insp.admin, d) == ["not_permitted"]
    assert _codes(None, d) == ["no_actor"]


def test_refused_when_a_post_is_taken_since(insp):
    d = _annul(insp, _dismiss(insp))
    other = register_member(
        by=SYSTEM,
        organisation=insp.C2,
        full_name="Đỗ Văn Khác",
        date_of_birth=dt.date(1980, 1, 1),
        sex="male",
        admitted_on=dt.date(2010, 5, 19),
        official_on=dt.date(2011, 5, 19),
        card_number="C99999999",
        citizen_id="099999999999",
    )
    from serment.members.actions import assign_post

    assign_post(by=SYSTEM, member=other, organisation=insp.C2, post="secretary", on=dt.date(2022, 5, 1))
    codes = _codes(insp.inspector, d)
    assert codes and "not_annulled" not in codes  # the seat rule of cadre work answers
    with pytest.raises(Refused):
        restore_rights(by=insp.inspector, decision=d)
    assert PostHolding.objects.filter(member=insp.bob, ends_on__isnull=True).count() == 0


# --- the page --------------------------------------------------------------------------


def test_the_discipline_page_offers_the_restoration_after_the_annulment_only(client, insp):
    d = _expel(insp)
    client.force_login(insp.inspector)
    page = client.get(f"/inspection/discipline/{d.pk}/").content.decode()
    assert "Restore the rights" not in page
    assert "Annul" in page
    _annul(insp, d)
    page = client.get(f"/inspection/discipline/{d.pk}/").content.decode()
    assert "Restore the rights" in page
    assert f"/inspection/discipline/{d.pk}/restore/" in page


def test_restoring_from_the_form_and_the_page_says_so(client, insp):
    d = _annul(insp, _expel(insp))
    client.force_login(insp.inspector)
    form_page = client.get(f"/inspection/discipline/{d.pk}/restore/").content.decode()
    assert insp.C1.code in form_page  # the last cell is named
    response = client.post(f"/inspection/discipline/{d.pk}/restore/", {"cell_code": ""})
    assert response.status_code == 302
    page = client.get(f"/inspection/discipline/{d.pk}/").content.decode()
    assert "Rights restored on" in page
    assert "Restore the rights" not in page
    assert Member.objects.get(pk=insp.alice.pk).state == "active"


def test_a_cell_out_of_scope_is_a_form_error_and_changes_nothing(client, insp):
    d = _annul(insp, _expel(insp))
    client.force_login(insp.inspector)
    response = client.post(f"/inspection/discipline/{d.pk}/restore/", {"cell_code": insp.C3.code})
    assert response.status_code == 200
    assert "This cell is outside your scope" in response.content.decode()
    assert Member.objects.get(pk=insp.alice.pk).state == "left"


def test_an_unknown_cell_code_is_a_form_error(client, insp):
    d = _annul(insp, _expel(insp))
    client.force_login(insp.inspector)
    response = client.post(f"/inspection/discipline/{d.pk}/restore/", {"cell_code": "NOPE"})
    assert "No organisation with code NOPE" in response.content.decode()


def test_the_restoration_page_is_not_found_out_of_scope(client, insp):
    d = _annul(insp, _expel(insp, insp.carol, by=SYSTEM))
    client.force_login(insp.inspector)
    assert client.get(f"/inspection/discipline/{d.pk}/restore/").status_code == 404


# --- the audit entries written before the discipline table moved --------------------


def _old_entry(decision, summary):
    """An entry as the rating app wrote it before the move: its own object type, the same
    row id, appended to the chain as ``core.audit.record`` appends."""
    from django.utils import timezone

    from serment.core import audit

    old_type, _created = ContentType.objects.get_or_create(app_label="ratings", model="discipline")
    entry = AuditEntry(
        at=timezone.now(),
        actor=None,
        actor_name="",
        action="ratings.record_discipline",
        target_type=old_type,
        target_id=decision.pk,
        summary=summary,
        changes={"form": "expulsion"},
    )
    entry.chain_hash = audit.entry_digest(entry, audit._chain_tail())
    entry.save(force_insert=True)
    return old_type


def test_the_discipline_history_lists_entries_written_under_the_old_ratings_type(client, insp):
    d = _expel(insp)
    _old_entry(d, "Kỷ luật cũ")
    assert [e.action for e in history_of(d)] == ["ratings.record_discipline", "inspection.record_discipline"]
    client.force_login(insp.inspector)
    assert "Kỷ luật cũ" in client.get(f"/inspection/discipline/{d.pk}/").content.decode()
    call_command("audit", "verify")  # nothing was rewritten: the chain still verifies


def test_other_models_do_not_read_the_old_type(insp):
    from serment.core.audit import target_types_of

    d = _expel(insp)
    old_type = _old_entry(d, "Kỷ luật cũ")
    assert old_type.pk in target_types_of(d)
    assert old_type.pk not in target_types_of(insp.alice)

"""The ceremony turns the candidate into a probationary member of their cell."""

import datetime as dt

import pytest

from serment.admissions import actions
from serment.admissions.models import CandidateStatus, Step, StepKind
from serment.core.errors import DomainError
from serment.core.models import AuditEntry
from serment.members.models import Membership
from serment.oath.models import Oath

from .conftest import advance

D = dt.date


def test_the_ceremony_creates_a_probationary_member_admitted_on_its_date(adm):
    advance(adm, adm.huong, through=StepKind.DECISION)
    member = actions.hold_ceremony(
        by=adm.secretary, candidate=adm.huong, on=D(2023, 4, 19), document_ref="KN-12", card_number="B0001"
    )
    adm.huong.refresh_from_db()
    assert (member.full_name, member.organisation, member.admitted_on, member.official_on) == (
        "Lý Thị Hương",
        adm.C1,
        D(2023, 4, 19),
        None,
    )
    assert (member.citizen_id, member.card_number) == ("079300000001", "B0001")
    assert list(Membership.objects.filter(member=member).values_list("kind", "starts_on")) == [
        ("admission", D(2023, 4, 19))
    ]
    assert (adm.huong.status, adm.huong.member) == (CandidateStatus.ADMITTED, member)
    assert Step.objects.get(candidate=adm.huong, kind=StepKind.CEREMONY).on == D(2023, 4, 19)


def test_the_oath_taken_at_the_ceremony_is_recorded_with_its_date(adm):
    advance(adm, adm.huong, through=StepKind.DECISION)
    member = actions.hold_ceremony(
        by=adm.secretary, candidate=adm.huong, on=D(2023, 4, 19), place="Hội trường xã"
    )
    assert list(Oath.objects.filter(member=member).values_list("taken_on", "place")) == [
        (D(2023, 4, 19), "Hội trường xã")
    ]


def test_the_ceremony_waits_for_the_admission_decision(adm):
    advance(adm, adm.huong, through=StepKind.GRASSROOTS_RESOLUTION)
    with pytest.raises(DomainError) as refusal:
        actions.hold_ceremony(by=adm.secretary, candidate=adm.huong, on=D(2023, 4, 19))
    assert refusal.value.message == "Record “Admission decision” before “Admission ceremony”."


def test_an_admitted_candidate_cannot_be_admitted_twice(adm):
    advance(adm, adm.huong, through=StepKind.DECISION)
    actions.hold_ceremony(by=adm.secretary, candidate=adm.huong, on=D(2023, 4, 19))
    with pytest.raises(DomainError) as refusal:
        actions.hold_ceremony(by=adm.secretary, candidate=adm.huong, on=D(2023, 4, 20))
    assert refusal.value.message == "Lý Thị Hương is no longer a candidate (Admitted)."


def test_every_step_is_audited(adm):
    advance(adm, adm.huong, through=StepKind.DECISION)
    actions.hold_ceremony(by=adm.secretary, candidate=adm.huong, on=D(2023, 4, 19))
    assert list(
        AuditEntry.objects.filter(target_id=adm.huong.pk, action__startswith="candidate.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["candidate.register"] + ["candidate.step"] * 8 + ["candidate.admit"]

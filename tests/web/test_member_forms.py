"""Each member action's form page: bad input shows a field error and changes nothing;
good input calls the action, changes the record and writes an audit entry."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.core.actors import SYSTEM
from serment.core.models import AuditEntry
from serment.members.actions import exempt_member
from serment.members.models import Member
from tests import factories as f


@pytest.fixture
def people(web):
    """alice (active, official, C1), bob (exempt since 2024, C2), dan (probationary, C1)."""
    exempt_member(
        by=SYSTEM, member=web.bob, on=dt.date(2024, 1, 1), reason="illness", until=dt.date(2024, 6, 1)
    )
    web.dan = f.member(web.C1, full_name="Đỗ Văn Dan", admitted_on=dt.date(2023, 1, 1), official_on=None)
    return web


def record_of(member: Member) -> dict:
    """Everything an action could change about a member."""
    m = Member.objects.get(pk=member.pk)
    return {
        **{f.name: getattr(m, f.attname) for f in Member._meta.concrete_fields if f.name != "updated_at"},
        "memberships": list(m.memberships.values_list("organisation_id", "starts_on", "ends_on")),
        "periods": list(m.activity_periods.values_list("state", "starts_on", "ends_on")),
        "posts": list(m.posts.values_list("post", "starts_on", "ends_on")),
    }


def details_of(member: Member, **changes) -> dict:
    data = {
        name: getattr(member, name) or ""
        for name in (
            "full_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "religion",
            "home_town",
            "citizen_id",
            "card_number",
            "phone",
            "email",
            "education_level",
            "theory_level",
        )
    }
    return {**data, **changes}


BAD_INPUT = [
    (
        "edit",
        "alice",
        lambda w: details_of(w.alice, card_number=w.bob.card_number),
        {"card_number": ["The Party card number {bob_card} belongs to another member."]},
    ),
    (
        "edit",
        "alice",
        lambda w: details_of(w.alice, full_name=""),
        {"full_name": ["This field is required."]},
    ),
    (
        "recognise",
        "dan",
        lambda w: {"on": "2023-06-01"},
        # dates in messages are formatted in the reader's language (ux: "1 Jan 2024", no longer ISO)
        {"on": ["Probation lasts until 1 Jan 2024; recognition cannot be dated earlier."]},
    ),
    (
        "transfer",
        "alice",
        lambda w: {"to": w.GC1.pk, "internal": "internal", "on": "2024-01-01"},
        {"to": ["An internal transfer stays within one grassroots committee."]},
    ),
    (
        "transfer",
        "alice",
        lambda w: {"to": w.C3.pk, "internal": "official", "on": "2024-01-01"},
        {"to": ["Choose an organisation from the list."]},
    ),
    (
        "transfer-temporarily",
        "alice",
        lambda w: {"on": "2024-01-01", "until": "2024-02-01", "destination": "Hà Nội"},
        {"until": ["A temporary transfer lasts at least 3 months."]},
    ),
    (
        "exempt",
        "alice",
        lambda w: {"on": "2024-01-01", "reason": "age"},
        {"reason": ["Exemption for age needs an age over 55; Trần Thị Alice is 44."]},
    ),
    (
        "exempt",
        "alice",
        lambda w: {"on": "2024-01-01", "reason": "request", "until": "2024-06-01"},
        {"document_ref": ["Give the reference of the written request."]},
    ),
    (
        "resume",
        "bob",
        lambda w: {"on": "2023-12-01"},
        {"on": ["The return is dated before the period began."]},
    ),
    (
        "assign-post",
        "alice",
        lambda w: {"organisation": w.C1.pk, "post": "emperor", "on": "2024-01-01"},
        {"post": ["Select a valid choice. emperor is not one of the available choices."]},
    ),
    (
        "transfer-out",
        "alice",
        lambda w: {"on": "2024-01-01", "destination": ""},
        {"destination": ["This field is required."]},
    ),
    (
        "strike-off",
        "alice",
        lambda w: {"on": "2000-01-01", "document_ref": "QĐ 1"},
        {"on": ["The date is before the admission."]},
    ),
    (
        "expel",
        "alice",
        lambda w: {"on": "2024-01-01", "document_ref": ""},
        {"document_ref": ["This field is required."]},
    ),
    (
        "record-death",
        "alice",
        lambda w: {"on": "2000-01-01"},
        {"on": ["The date is before the admission."]},
    ),
]


@pytest.mark.parametrize(
    ("action", "who", "data", "errors"), BAD_INPUT, ids=[f"{c[0]}-{list(c[3])[0]}" for c in BAD_INPUT]
)
def test_bad_input_shows_the_error_on_its_field_and_changes_nothing(
    client, people, action, who, data, errors
):
    member = getattr(people, who)
    before, audit_count = record_of(member), AuditEntry.objects.count()
    client.force_login(people.d1_staff)
    response = client.post(reverse("members:action", args=[member.pk, action]), data(people))
    assert response.status_code == 200
    expected = {k: [m.format(bob_card=people.bob.card_number) for m in v] for k, v in errors.items()}
    assert response.context["form"].errors == expected
    assert record_of(member) == before
    assert AuditEntry.objects.count() == audit_count


def test_refusal_without_a_field_is_shown_above_the_form(client, people):
    client.force_login(people.d1_staff)
    response = client.post(reverse("members:action", args=[people.alice.pk, "resume"]), {"on": "2024-01-01"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Trần Thị Alice is already active."]


GOOD_INPUT = [
    (
        "edit",
        "alice",
        lambda w: details_of(w.alice, phone="0901234567"),
        {"phone": "0901234567"},
        "member.update",
    ),
    (
        "recognise",
        "dan",
        lambda w: {"on": "2024-01-05", "votes_for": "1", "document_ref": "NQ 3"},
        {"official_on": dt.date(2024, 1, 1)},  # official from the end of probation, not the vote
        "member.recognise",
    ),
    (
        "transfer",
        "alice",
        lambda w: {"to": w.C2.pk, "internal": "internal", "on": "2024-01-01"},
        {"organisation": "C2"},
        "member.transfer",
    ),
    (
        "transfer-temporarily",
        "alice",
        lambda w: {"on": "2024-01-01", "until": "2024-06-01", "destination": "Hà Nội"},
        {"state": "transferred_out"},
        "member.transfer_temporarily",
    ),
    (
        "exempt",
        "alice",
        lambda w: {"on": "2024-01-01", "reason": "illness", "until": "2024-06-01"},
        {"state": "exempt"},
        "member.exempt",
    ),
    ("resume", "bob", lambda w: {"on": "2024-03-01"}, {"state": "active"}, "member.resume"),
    (
        "transfer-out",
        "alice",
        lambda w: {"on": "2024-01-01", "destination": "Tỉnh ủy Lâm Đồng"},
        {"state": "left", "left_reason": "transferred_away", "left_on": dt.date(2024, 1, 1)},
        "member.leave",
    ),
    (
        "strike-off",
        "alice",
        lambda w: {"on": "2024-01-01", "document_ref": "QĐ 7"},
        {"state": "left", "left_reason": "struck_off", "left_on": dt.date(2024, 1, 1)},
        "member.leave",
    ),
    (
        "expel",
        "alice",
        lambda w: {"on": "2024-01-01", "document_ref": "QĐ 8"},
        {"state": "left", "left_reason": "expelled", "left_on": dt.date(2024, 1, 1)},
        "member.leave",
    ),
    (
        "record-death",
        "alice",
        lambda w: {"on": "2024-01-01"},
        {"state": "left", "left_reason": "deceased", "left_on": dt.date(2024, 1, 1)},
        "member.leave",
    ),
]


@pytest.mark.parametrize(
    ("action", "who", "data", "expected", "audit_action"), GOOD_INPUT, ids=[c[0] for c in GOOD_INPUT]
)
def test_good_input_changes_the_record_and_is_audited(
    client, people, action, who, data, expected, audit_action
):
    member = getattr(people, who)
    client.force_login(people.d1_staff)
    response = client.post(reverse("members:action", args=[member.pk, action]), data(people))
    assert response.status_code == 302
    assert response.url == reverse("members:detail", args=[member.pk])
    after = record_of(member)
    named = {"C2": people.C2.pk, "nobody": people.nobody.pk}
    assert {k: after[k] for k in expected} == {k: named.get(v, v) for k, v in expected.items()}
    latest = AuditEntry.objects.first()
    assert (latest.action, latest.target_id, latest.actor) == (audit_action, member.pk, people.d1_staff)


def test_assigning_and_ending_a_post(client, people):
    client.force_login(people.secretary)
    response = client.post(
        reverse("members:action", args=[people.alice.pk, "assign-post"]),
        {"organisation": people.C1.pk, "post": "secretary", "on": "2024-01-01"},
    )
    assert response.status_code == 302
    holding = people.alice.posts.get(post="secretary")
    response = client.post(
        reverse("members:end_post", args=[people.alice.pk, holding.pk]), {"on": "2023-01-01"}
    )
    assert response.context["form"].errors == {"on": ["A post cannot end before it starts."]}
    response = client.post(
        reverse("members:end_post", args=[people.alice.pk, holding.pk]), {"on": "2024-12-31"}
    )
    assert response.status_code == 302
    holding.refresh_from_db()
    assert holding.ends_on == dt.date(2024, 12, 31)
    assert list(AuditEntry.objects.values_list("action", flat=True)[:2]) == [
        "member.end_post",
        "member.assign_post",
    ]


def test_transfer_offers_only_cells_the_user_may_manage(client, people):
    client.force_login(people.g1_staff)
    response = client.get(reverse("members:action", args=[people.alice.pk, "transfer"]))
    assert [c.code for c in response.context["form"].fields["to"].queryset] == ["C2"]


def test_read_only_leader_cannot_post_a_change(client, people):
    before = record_of(people.alice)
    client.force_login(people.leader)
    response = client.post(
        reverse("members:action", args=[people.alice.pk, "exempt"]),
        {"on": "2024-01-01", "reason": "illness", "until": "2024-06-01"},
    )
    assert response.status_code == 403
    assert record_of(people.alice) == before


def test_success_message_on_the_member_page(client, people):
    client.force_login(people.d1_staff)
    response = client.post(
        reverse("members:action", args=[people.alice.pk, "exempt"]),
        {"on": "2024-01-01", "reason": "illness", "until": "2024-06-01"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Trần Thị Alice is exempt from work and activities."
    ]
    assert response.context["now"].open_period.state == "exempt"

"""Confidential by construction (DOMAIN §7): each role × each inspection view, an
object inside and outside its scope. Only inspection staff of the competent
committee and above see these records; the person concerned (alice) sees the
decisions on herself, never the cases; everyone else gets a 404."""

import pytest
from django.urls import reverse

ACTORS = (
    "admin",
    "d1_staff",
    "g1_staff",
    "secretary",
    "leader",
    "inspector",
    "g1_inspector",
    "d2_inspector",
    "p_inspector",
    "outsider",
    "alice_user",
    "nobody",
)
INSPECTORS = ("inspector", "g1_inspector", "d2_inspector", "p_inspector")


def expect(*ok, status=200):
    return {a: status if a in ok else 404 for a in ACTORS}


# (view, url, who gets 200; everyone else 404)
CASES = [
    ("index", lambda w: reverse("inspection:index"), INSPECTORS),
    ("plan", lambda w: reverse("inspection:plan"), INSPECTORS),
    ("cases", lambda w: reverse("inspection:cases"), INSPECTORS),
    ("report", lambda w: reverse("inspection:report"), INSPECTORS),
    ("records", lambda w: reverse("inspection:records") + "?figure=cases.open&year=2023", INSPECTORS),
    ("import", lambda w: reverse("inspection:import"), INSPECTORS),
    ("register", lambda w: reverse("inspection:register"), (*INSPECTORS, "alice_user")),
    (
        "decision in D1",
        lambda w: reverse("inspection:decision", args=[w.alice_decision.pk]),
        ("inspector", "g1_inspector", "p_inspector", "alice_user"),
    ),
    (
        "decision in D2",
        lambda w: reverse("inspection:decision", args=[w.carol_decision.pk]),
        ("d2_inspector", "p_inspector"),
    ),
    (
        "annul in D1",
        lambda w: reverse("inspection:annul", args=[w.alice_decision.pk]),
        ("inspector", "g1_inspector", "p_inspector"),
    ),
    (
        "annul in D2",
        lambda w: reverse("inspection:annul", args=[w.carol_decision.pk]),
        ("d2_inspector", "p_inspector"),
    ),
    (
        "complaint in D1",
        lambda w: reverse("inspection:complaint_new", args=[w.alice_decision.pk]),
        ("inspector", "g1_inspector", "p_inspector"),
    ),
    (
        "complaint in D2",
        lambda w: reverse("inspection:complaint_new", args=[w.carol_decision.pk]),
        ("d2_inspector", "p_inspector"),
    ),
    (
        "decide complaint in D1",
        lambda w: reverse("inspection:complaint_decide", args=[w.alice_complaint.pk]),
        ("inspector", "g1_inspector", "p_inspector"),
    ),
    (
        "new decision on alice",
        lambda w: reverse("inspection:decision_new", args=["member", w.alice.pk]),
        ("inspector", "g1_inspector", "p_inspector"),
    ),
    (
        "new decision on carol",
        lambda w: reverse("inspection:decision_new", args=["member", w.carol.pk]),
        ("d2_inspector", "p_inspector"),
    ),
    (
        "new decision on G1",
        lambda w: reverse("inspection:decision_new", args=["organisation", w.G1.pk]),
        ("inspector", "g1_inspector", "p_inspector"),
    ),
    (
        "start a decision on alice",
        lambda w: reverse("inspection:decision_start") + f"?card={w.alice.card_number}",
        ("inspector", "g1_inspector", "p_inspector"),
    ),
    (
        "start a decision on C3",
        lambda w: reverse("inspection:decision_start") + "?org=C3",
        ("d2_inspector", "p_inspector"),
    ),
    # A case handled by D1 is not seen by G1's inspection staff, below it.
    ("case of D1", lambda w: reverse("inspection:case", args=[w.d1_case.pk]), ("inspector", "p_inspector")),
    (
        "case of D2",
        lambda w: reverse("inspection:case", args=[w.d2_case.pk]),
        ("d2_inspector", "p_inspector"),
    ),
    (
        "close case of D1",
        lambda w: reverse("inspection:case_close", args=[w.d1_case.pk]),
        ("inspector", "p_inspector"),
    ),
    (
        "close case of D2",
        lambda w: reverse("inspection:case_close", args=[w.d2_case.pk]),
        ("d2_inspector", "p_inspector"),
    ),
    (
        "new case at D1",
        lambda w: reverse("inspection:case_new", args=[w.D1.pk]),
        ("inspector", "p_inspector"),
    ),
    (
        "new case at D2",
        lambda w: reverse("inspection:case_new", args=[w.D2.pk]),
        ("d2_inspector", "p_inspector"),
    ),
    (
        "plan at D1",
        lambda w: reverse("inspection:inspection_new", args=[w.D1.pk]),
        ("inspector", "p_inspector"),
    ),
    (
        "plan at D2",
        lambda w: reverse("inspection:inspection_new", args=[w.D2.pk]),
        ("d2_inspector", "p_inspector"),
    ),
    (
        "conclude in D1",
        lambda w: reverse("inspection:inspection_conclude", args=[w.d1_inspection.pk]),
        ("inspector", "p_inspector"),
    ),
    (
        "conclude in D2",
        lambda w: reverse("inspection:inspection_conclude", args=[w.d2_inspection.pk]),
        ("d2_inspector", "p_inspector"),
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "url", "ok"), CASES, ids=[c[0] for c in CASES])
def test_each_role_in_and_out_of_scope(client, records, name, url, ok):
    target = url(records)
    got = {}
    for actor in ACTORS:
        client.force_login(getattr(records, actor))
        got[actor] = client.get(target).status_code
    assert got == expect(*ok, status=302 if name.startswith("start") else 200)


def test_anonymous_visitors_are_sent_to_sign_in(client, records):
    response = client.get(reverse("inspection:decision", args=[records.alice_decision.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_person_concerned_sees_her_decision_but_not_who_complained_or_denounced(client, records):
    client.force_login(records.alice_user)
    register = client.get(reverse("inspection:register")).content.decode()
    assert "Trần Thị Alice" in register and "Phạm Thị Carol" not in register
    page = client.get(reverse("inspection:decision", args=[records.alice_decision.pk])).content.decode()
    assert "Reprimand" in page and "Record a complaint" not in page and "History" not in page
    assert client.get(reverse("inspection:case", args=[records.d1_case.pk])).status_code == 404


def test_the_denouncer_is_named_only_to_the_handling_committee_staff(client, records):
    url = reverse("inspection:case", args=[records.d1_case.pk])
    client.force_login(records.inspector)
    assert "Người tố cáo Bí Mật" in client.get(url).content.decode()
    client.force_login(records.p_inspector)
    page = client.get(url).content.decode()
    assert "Người tố cáo Bí Mật" not in page and "Known to the handling committee" in page


def test_the_menu_offers_inspection_only_to_inspection_staff(client, records):
    client.force_login(records.inspector)
    assert reverse("inspection:index") in client.get(reverse("inspection:plan")).content.decode()
    client.force_login(records.admin)
    assert reverse("inspection:index") not in client.get(reverse("ratings:index")).content.decode()


def test_a_secretary_can_no_longer_record_discipline_from_the_rating_pages(client, records):
    client.force_login(records.secretary)
    page = client.get(reverse("ratings:index")).content.decode()
    assert "Discipline decisions" not in page
    assert (
        client.post(
            reverse("inspection:decision_new", args=["member", records.alice.pk]),
            {"form": "warning", "decided_on": "2023-05-02", "deciding_body": "x"},
        ).status_code
        == 404
    )

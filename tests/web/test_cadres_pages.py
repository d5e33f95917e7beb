"""Cadre pages: who gets what (each role × each view × an object in and out of its
scope), and what the pages show."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.cadres import actions
from serment.core.actors import SYSTEM

from .conftest import ACTORS, status_as


def expect(ok=(), forbidden=()):
    return {a: 200 if a in ok else 403 if a in forbidden else 404 for a in ACTORS}


@pytest.fixture
def cadres(web):
    w = web
    w.alice_move = actions.record_movement(
        by=SYSTEM,
        member=w.alice,
        kind="appointment",
        decided_on=dt.date(2022, 3, 1),
        document_ref="12-QĐ/HU",
        deciding_body="Ban Thường vụ Huyện ủy 1",
        deciding_level="district",
        organisation=w.G1,
        post="committee_member",
    )
    w.carol_move = actions.record_movement(
        by=SYSTEM,
        member=w.carol,
        kind="appointment",
        decided_on=dt.date(2022, 3, 1),
        document_ref="13-QĐ/HU",
        deciding_body="Ban Thường vụ Huyện ủy 2",
        deciding_level="district",
        organisation=w.G2,
        post="committee_member",
    )
    w.alice_plan = actions.add_to_planning(
        by=SYSTEM,
        member=w.alice,
        organisation=w.G1,
        post="deputy_secretary",
        term_start=2025,
        on=dt.date(2022, 6, 1),
    )
    w.carol_plan = actions.add_to_planning(
        by=SYSTEM,
        member=w.carol,
        organisation=w.G2,
        post="deputy_secretary",
        term_start=2025,
        on=dt.date(2022, 6, 1),
    )
    return w


READERS_IN = ("admin", "d1_staff", "g1_staff", "leader")
NOT_READERS = ("inspector", "alice_user", "nobody")
MANAGE_IN = ("admin", "d1_staff", "g1_staff")


def _list_case(name, view, *, secretary_reads=False):
    readers = (*READERS_IN, "secretary") if secretary_reads else READERS_IN
    forbidden = NOT_READERS if secretary_reads else (*NOT_READERS, "secretary")
    return (
        name,
        lambda w: reverse(view) + "?org=C1",
        lambda w: reverse(view) + "?org=C3",
        expect(ok=readers, forbidden=forbidden),
        expect(ok=("admin", "outsider"), forbidden=forbidden),
    )


CASES = [
    (
        "cadre index",
        lambda w: reverse("cadres:index"),
        lambda w: reverse("cadres:index"),
        expect(ok=ACTORS),
        expect(ok=ACTORS),
    ),
    _list_case("posts", "cadres:posts", secretary_reads=True),
    _list_case("decisions", "cadres:movements"),
    _list_case("planning", "cadres:planning"),
    _list_case("report", "cadres:report"),
    (
        "decision",
        lambda w: reverse("cadres:movement", args=[w.alice_move.pk]),
        lambda w: reverse("cadres:movement", args=[w.carol_move.pk]),
        expect(ok=(*READERS_IN, "alice_user")),
        expect(ok=("admin", "outsider")),
    ),
    (
        "cadre record of a member",
        lambda w: reverse("cadres:member", args=[w.alice.pk]),
        lambda w: reverse("cadres:member", args=[w.carol.pk]),
        expect(ok=(*READERS_IN, "alice_user")),
        expect(ok=("admin", "outsider")),
    ),
    *(
        (
            f"member form {view}",
            lambda w, view=view: reverse(view, args=[w.alice.pk]),
            lambda w, view=view: reverse(view, args=[w.carol.pk]),
            expect(ok=MANAGE_IN, forbidden=("secretary", "leader", "inspector", "alice_user")),
            expect(ok=("admin", "outsider")),
        )
        for view in ("cadres:record_movement", "cadres:plan_add", "cadres:set_locality")
    ),
    (
        "remove from planning",
        lambda w: reverse("cadres:plan_remove", args=[w.alice_plan.pk]),
        lambda w: reverse("cadres:plan_remove", args=[w.carol_plan.pk]),
        expect(ok=MANAGE_IN, forbidden=("leader", "alice_user")),
        expect(ok=("admin", "outsider")),
    ),
]


@pytest.mark.parametrize(
    ("url_in", "url_out", "expected_in", "expected_out"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_role_gets_the_expected_status(client, cadres, url_in, url_out, expected_in, expected_out):
    got_in = {a: status_as(client, getattr(cadres, a), url_in(cadres)) for a in ACTORS}
    got_out = {a: status_as(client, getattr(cadres, a), url_out(cadres)) for a in ACTORS}
    assert got_in == expected_in
    assert got_out == expected_out


@pytest.mark.parametrize(("page", "url"), [(case[0], case[1]) for case in CASES], ids=[c[0] for c in CASES])
def test_anonymous_visitor_is_sent_to_sign_in(client, cadres, page, url):
    response = client.get(url(cadres))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_a_cell_secretary_sees_the_posts_of_their_own_cell_only(client, cadres):
    actions.assign_post(
        by=SYSTEM, member=cadres.bob, organisation=cadres.C2, post="secretary", on=dt.date(2021, 1, 1)
    )
    client.force_login(cadres.secretary)
    holders = {h.member.full_name for h in client.get(reverse("cadres:posts")).context["page"]}
    assert holders == {"Trần Thị Alice"}  # her C1 post; not her G1 post, not Bob's C2 post


def test_a_member_sees_their_own_posts_and_planning(client, cadres):
    client.force_login(cadres.alice_user)
    page = client.get(reverse("cadres:index")).content.decode()
    assert "Chi bộ thôn 1" in page and "Đảng bộ xã 1" in page
    assert "2025–2030" in page
    assert "Phạm Thị Carol" not in page


def test_the_report_drills_down_to_each_decision(client, cadres):
    client.force_login(cadres.d1_staff)
    response = client.get(reverse("cadres:report"), {"start": "2022-01-01", "end": "2022-12-31"})
    rows = {r[1]: r for r in response.context["rows"]}
    assert rows["appointment:district"][4] == 1  # only alice's decision is in D1's sight
    drill = client.get(
        reverse("cadres:movements"),
        {"start": "2022-01-01", "end": "2022-12-31", "figure": "kind:appointment:district"},
    )
    assert [m.document_ref for m in drill.context["page"]] == ["12-QĐ/HU"]
    assert reverse("cadres:movement", args=[cadres.alice_move.pk]) in drill.content.decode()


def test_recording_a_decision_from_the_page_shows_the_bar(client, cadres):
    from tests.cadres.conftest import discipline

    discipline(cadres.bob, "warning", dt.date(2022, 5, 1), ref="07-QĐ/UBKT")
    client.force_login(cadres.g1_staff)
    response = client.post(
        reverse("cadres:record_movement", args=[cadres.bob.pk]),
        {
            "kind": "appointment",
            "organisation": "C2",
            "post": "secretary",
            "document_ref": "20-QĐ/ĐU",
            "decided_on": "2022-09-01",
            "deciding_body": "Đảng ủy xã 1",
            "deciding_level": "grassroots",
            "grounds": "work",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "07-QĐ/UBKT" in text and "1 Nov 2024" in text
    )  # the decision and the first eligible day (English dates)

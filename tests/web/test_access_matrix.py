"""Who gets what on every foundation page: each role × each view × an object in and
out of its scope. 404 when the object is outside what the user sees, 403 when the
user sees it but their role does not allow the change, 200 otherwise."""

import pytest
from django.urls import reverse

from .conftest import ACTORS, status_as


def expect(ok=(), forbidden=()):
    """Every actor's status: 200 for ``ok``, 403 for ``forbidden``, 404 for the rest."""
    return {a: 200 if a in ok else 403 if a in forbidden else 404 for a in ACTORS}


D1_READERS = ("admin", "d1_staff", "g1_staff", "leader", "inspector")
SEES_ALICE = (*D1_READERS, "secretary", "alice_user")
MANAGE_ALICE = ("admin", "d1_staff", "g1_staff", "secretary")
MANAGE_CAROL = ("admin", "outsider")

MEMBER_ACTIONS = (
    "edit",
    "recognise",
    "transfer",
    "transfer-temporarily",
    "exempt",
    "resume",
    "assign-post",
    "transfer-out",
    "strike-off",
    "expel",
    "record-death",
)

# (page, url of the object in scope, url out of scope for most, expected in, expected out)
CASES = [
    (
        "member detail",
        lambda w: reverse("members:detail", args=[w.alice.pk]),
        lambda w: reverse("members:detail", args=[w.carol.pk]),
        expect(ok=SEES_ALICE),
        expect(ok=MANAGE_CAROL),
    ),
    *(
        (
            f"member action {slug}",
            lambda w, slug=slug: reverse("members:action", args=[w.alice.pk, slug]),
            lambda w, slug=slug: reverse("members:action", args=[w.carol.pk, slug]),
            expect(ok=MANAGE_ALICE, forbidden=("leader", "inspector", "alice_user")),
            expect(ok=MANAGE_CAROL),
        )
        for slug in MEMBER_ACTIONS
    ),
    (
        "member end post",
        lambda w: reverse("members:end_post", args=[w.alice.pk, w.alice_post.pk]),
        lambda w: reverse("members:end_post", args=[w.carol.pk, w.carol_post.pk]),
        expect(ok=MANAGE_ALICE, forbidden=("leader", "inspector", "alice_user")),
        expect(ok=MANAGE_CAROL),
    ),
    (
        "organisation detail",
        lambda w: reverse("organisations:detail", args=[w.C1.pk]),
        lambda w: reverse("organisations:detail", args=[w.C3.pk]),
        expect(ok=(*D1_READERS, "secretary")),
        expect(ok=MANAGE_CAROL),
    ),
    (
        "organisation create child",
        lambda w: reverse("organisations:create_child", args=[w.G1.pk]),
        lambda w: reverse("organisations:create_child", args=[w.G2.pk]),
        expect(ok=("admin", "d1_staff", "g1_staff"), forbidden=("leader", "inspector")),
        expect(ok=MANAGE_CAROL),
    ),
    (
        "organisation edit",
        lambda w: reverse("organisations:edit", args=[w.C1.pk]),
        lambda w: reverse("organisations:edit", args=[w.C3.pk]),
        expect(ok=("admin", "d1_staff", "g1_staff"), forbidden=("leader", "inspector", "secretary")),
        expect(ok=MANAGE_CAROL),
    ),
    (
        "organisation move",
        lambda w: reverse("organisations:move", args=[w.C1.pk]),
        lambda w: reverse("organisations:move", args=[w.C3.pk]),
        expect(ok=("admin", "d1_staff", "g1_staff"), forbidden=("leader", "inspector", "secretary")),
        expect(ok=MANAGE_CAROL),
    ),
    (
        "roles of an organisation",
        lambda w: reverse("accounts:org_roles", args=[w.G1.pk]),
        lambda w: reverse("accounts:org_roles", args=[w.G2.pk]),
        expect(ok=D1_READERS),
        expect(ok=MANAGE_CAROL),
    ),
    (
        "grant a role",
        lambda w: reverse("accounts:grant", args=[w.G1.pk]),
        lambda w: reverse("accounts:grant", args=[w.G2.pk]),
        expect(ok=("admin",), forbidden=("d1_staff", "g1_staff", "leader", "inspector")),
        expect(ok=("admin",), forbidden=("outsider",)),
    ),
    (
        "new sign-in account",
        lambda w: reverse("accounts:new_user", args=[w.G1.pk]),
        lambda w: reverse("accounts:new_user", args=[w.G2.pk]),
        expect(ok=("admin",), forbidden=("d1_staff", "g1_staff", "leader", "inspector")),
        expect(ok=("admin",), forbidden=("outsider",)),
    ),
    (
        "revoke a role",
        lambda w: reverse("accounts:revoke", args=[w.secretary_grant.pk]),
        lambda w: reverse("accounts:revoke", args=[w.outsider_grant.pk]),
        expect(
            ok=("admin",),
            forbidden=("d1_staff", "g1_staff", "secretary", "leader", "inspector"),
        ),
        expect(ok=("admin",), forbidden=("outsider",)),
    ),
]


@pytest.mark.parametrize(
    ("url_in", "url_out", "expected_in", "expected_out"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_role_gets_the_expected_status(client, web, url_in, url_out, expected_in, expected_out):
    got_in = {a: status_as(client, getattr(web, a), url_in(web)) for a in ACTORS}
    got_out = {a: status_as(client, getattr(web, a), url_out(web)) for a in ACTORS}
    assert got_in == expected_in
    assert got_out == expected_out


@pytest.mark.parametrize(("page", "url"), [(case[0], case[1]) for case in CASES], ids=[c[0] for c in CASES])
def test_anonymous_visitor_is_sent_to_sign_in(client, web, page, url):
    response = client.get(url(web))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def listed_names(client, user, query: str = "") -> list[str]:
    client.force_login(user)
    response = client.get(reverse("members:list") + query)
    assert response.status_code == 200
    return [m.full_name for m in response.context["page"]]


def test_member_list_shows_exactly_the_members_in_scope(client, web):
    got = {a: listed_names(client, getattr(web, a)) for a in ACTORS}
    alice, bob, carol = "Trần Thị Alice", "Lê Văn Bob", "Phạm Thị Carol"
    assert got == {
        "admin": [alice, bob, carol],  # by given name (Vietnamese order)
        "d1_staff": [alice, bob],
        "g1_staff": [alice, bob],
        "secretary": [alice],
        "leader": [alice, bob],
        "inspector": [alice, bob],
        "outsider": [carol],
        "alice_user": [alice],
        "nobody": [],
    }


def test_member_list_filtered_on_an_organisation_outside_scope_is_404(client, web):
    client.force_login(web.d1_staff)
    assert client.get(reverse("members:list"), {"org": web.G2.pk}).status_code == 404


def test_member_list_filtered_on_a_cell_in_scope(client, web):
    assert listed_names(client, web.d1_staff, f"?org={web.C2.pk}") == ["Lê Văn Bob"]


def test_organisation_picker_offers_only_visible_organisations(client, web):
    client.force_login(web.d1_staff)
    response = client.get(reverse("members:list"))
    offered = [label for value, label in response.context["form"].fields["org"].choices if value]
    assert offered == [
        "· Huyện ủy 1",
        "· · Đảng bộ xã 1",
        "· · · Chi bộ thôn 1",
        "· · · Chi bộ thôn 2",
        "· · Chi bộ cơ sở 1",
    ]


def test_roles_page_lists_grants_in_the_subtree_only(client, web):
    client.force_login(web.d1_staff)
    response = client.get(reverse("accounts:org_roles", args=[web.G1.pk]))
    assert [(g.user.username, g.role) for g in response.context["grants"]] == [
        ("g1_staff", "org_staff"),
        ("secretary", "secretary"),
    ]


def test_action_buttons_only_for_those_who_may_change_the_member(client, web):
    shown = {}
    for actor in ("d1_staff", "secretary", "leader", "alice_user"):
        client.force_login(getattr(web, actor))
        response = client.get(reverse("members:detail", args=[web.alice.pk]))
        shown[actor] = [slug for slug, _label in response.context["actions"]]
    every_action_for_an_active_official = [
        "edit",
        "transfer",
        "transfer-temporarily",
        "exempt",
        "assign-post",
        "transfer-out",
        "strike-off",
        "expel",
        "record-death",
    ]
    assert shown == {
        "d1_staff": every_action_for_an_active_official,
        "secretary": every_action_for_an_active_official,
        "leader": [],
        "alice_user": [],
    }


def test_read_only_leader_gets_a_clear_refusal(client, web):
    client.force_login(web.leader)
    response = client.get(reverse("members:action", args=[web.alice.pk, "exempt"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.context["message"] == "Your role does not allow this here."

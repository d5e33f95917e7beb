"""Each role lands on its own first page; the member's own space holds only their
things; the menu marks the current item and every new page answers in and out of
scope as the access matrix expects."""

import pytest
from django.urls import reverse

from tests.web.conftest import ACTORS

from .conftest import AS_OF


def _html(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_leader_lands_on_the_province_dashboard(province, client):
    html = _html(client, province.leader, reverse("home"), year=2023, as_of=AS_OF.isoformat())
    assert "Keeping the oath" in html and "Quality rating" in html and "Member development" in html
    assert province.D1.name in html  # D1 is the leader's top organisation
    assert "Members who reported" in html


def test_a_secretary_lands_on_their_tasks_not_a_dashboard(live, client):
    html = _html(client, live.secretary, reverse("home"))
    assert "Your tasks" in html
    assert f"1 members of {live.C1.name} to review" in html
    assert 'id="dashboard-title"' not in html


def test_a_plain_member_lands_on_their_own_space(live, client):
    w = live
    html = _html(client, w.alice_user, reverse("home"))
    assert "My space" in html and w.alice.full_name in html
    assert reverse("oath:assessment", args=[w.live_campaign.pk]) in html  # the open self-assessment
    assert w.bob.full_name not in html and w.carol.full_name not in html


def test_someone_with_no_role_and_no_record_is_told_so(web, client):
    html = _html(client, web.nobody, reverse("home"))
    assert "You hold no role on any organisation." in html


def test_the_menu_marks_the_current_item_and_offers_my_space_to_members(web, client):
    html = _html(client, web.admin, reverse("members:list"))
    assert f'<a href="{reverse("members:list")}" aria-current="page" class="current">Members</a>' in html
    assert reverse("home:me") not in html  # the admin has no member record
    html = _html(client, web.alice_user, reverse("home:me"))
    assert f'<a href="{reverse("home:me")}" aria-current="page" class="current">My space</a>' in html
    assert 'class="skip-link" href="#content"' in html
    assert 'aria-controls="main-menu"' in html


def test_organisation_pages_show_the_tree_as_a_breadcrumb(web, client):
    html = _html(client, web.secretary, reverse("organisations:detail", args=[web.C1.pk]))
    assert 'aria-label="Organisation tree"' in html
    # the secretary sees C1 only: the committees above are named, not linked
    assert f"<span>{web.G1.name}</span>" in html
    html = _html(client, web.admin, reverse("organisations:detail", args=[web.C1.pk]))
    assert f'<a href="{reverse("organisations:detail", args=[web.G1.pk])}">{web.G1.name}</a>' in html


STAFF = ("admin", "d1_staff", "g1_staff", "secretary", "leader", "inspector", "outsider")


@pytest.mark.parametrize("actor", ACTORS)
def test_who_gets_each_home_page(web, client, actor):
    user = getattr(web, actor)
    client.force_login(user)
    expected = {
        reverse("home"): 200,
        reverse("home:dashboard"): 200 if actor in STAFF else 404,
        reverse("home:me"): 200 if actor == "alice_user" else 404,
        reverse("home:notifications"): 200,
        # a subtree outside D1 (C3 is under D2): only the province admin and D2's staff
        f"{reverse('home:dashboard')}?org={web.C3.pk}": 200 if actor in ("admin", "outsider") else 404,
    }
    got = {url: client.get(url).status_code for url in expected}
    assert got == expected
    for url in (reverse("home:notifications_read_all"), reverse("home:remind_me")):
        assert client.get(url).status_code == 405  # changes only by POST

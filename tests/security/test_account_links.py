"""Linking a sign-in account to a member (issue 13 §1): an administrator's action with
the member's request on file; nobody links their own account; a link never silently
replaces another; the form does not tell which user names exist."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.accounts.actions import link_account, unlink_account
from serment.core.errors import NotPermitted, Refused
from serment.core.models import AuditEntry

CONSENT = {"consent_ref": "Đơn ngày 02/12/2026", "consent_on": dt.date(2026, 12, 2)}


def test_an_administrator_links_an_account_with_the_members_request(web):
    link_account(by=web.admin, member=web.bob, user=web.nobody, **CONSENT)
    web.bob.refresh_from_db()
    assert web.bob.user == web.nobody
    entry = AuditEntry.objects.filter(action="member.link_account").first()
    assert (entry.actor_name, entry.changes) == (
        "admin",
        {"user": [None, "nobody"], "consent_ref": "Đơn ngày 02/12/2026", "consent_on": "2026-12-02"},
    )


def test_a_cell_secretary_may_not_link_accounts(web):
    with pytest.raises(NotPermitted):
        link_account(by=web.secretary, member=web.alice, user=web.nobody, **CONSENT)


def test_nobody_links_their_own_account_to_a_member(web):
    with pytest.raises(Refused) as exc:
        link_account(by=web.admin, member=web.bob, user=web.admin, **CONSENT)
    assert exc.value.codes == ["own_account"]


def test_a_link_never_replaces_the_members_own(web):
    with pytest.raises(Refused) as exc:
        link_account(by=web.admin, member=web.alice, user=web.nobody, **CONSENT)
    assert exc.value.codes == ["member_already_linked"]
    web.alice.refresh_from_db()
    assert web.alice.user == web.alice_user


def test_an_account_stands_for_one_member(web):
    with pytest.raises(Refused) as exc:
        link_account(by=web.admin, member=web.bob, user=web.alice_user, **CONSENT)
    assert exc.value.codes == ["account_already_linked"]


def test_without_the_members_request_nothing_is_linked(web):
    with pytest.raises(Refused) as exc:
        link_account(
            by=web.admin, member=web.bob, user=web.nobody, consent_ref=" ", consent_on=dt.date(2026, 1, 1)
        )
    assert exc.value.codes == ["no_consent"]
    web.bob.refresh_from_db()
    assert web.bob.user is None


def test_ending_a_link_then_linking_another(web):
    unlink_account(by=web.admin, member=web.alice, reason="new account")
    link_account(by=web.admin, member=web.alice, user=web.nobody, **CONSENT)
    web.alice.refresh_from_db()
    assert web.alice.user == web.nobody
    assert list(AuditEntry.objects.values_list("action", flat=True)[:2]) == [
        "member.link_account",
        "member.unlink_account",
    ]


def _post_link(client, web, username):
    client.force_login(web.admin)
    return client.post(
        reverse("accounts:link_member", args=[web.bob.pk]),
        {"user": username, "consent_ref": "Đơn 1", "consent_on": "2026-12-02"},
    )


def test_the_form_says_the_same_for_an_unknown_name_and_a_taken_account(client, web):
    unknown = _post_link(client, web, "no-such-user").context["form"].errors
    taken = _post_link(client, web, "alice").context["form"].errors
    assert unknown == taken == {"user": ["No account can be linked with this user name."]}


def test_the_page_links_the_account(client, web):
    response = _post_link(client, web, "nobody")
    assert response.url == reverse("members:detail", args=[web.bob.pk])
    web.bob.refresh_from_db()
    assert web.bob.user == web.nobody


def test_the_secretary_gets_no_link_page_and_no_button(client, web):
    client.force_login(web.secretary)
    assert client.get(reverse("accounts:link_member", args=[web.alice.pk])).status_code == 403
    page = client.get(reverse("members:detail", args=[web.alice.pk])).content.decode()
    assert reverse("accounts:link_member", args=[web.alice.pk]) not in page


def test_the_administrator_sees_the_current_link_and_may_end_it(client, web):
    client.force_login(web.admin)
    url = reverse("accounts:link_member", args=[web.alice.pk])
    assert "End the link to the sign-in account alice" in client.get(url).content.decode()
    assert client.post(url, {"reason": "left the cell"}).status_code == 302
    web.alice.refresh_from_db()
    assert web.alice.user is None


def test_an_unlinked_account_no_longer_sees_the_record(client, web):
    unlink_account(by=web.admin, member=web.alice)
    client.force_login(web.alice_user)
    assert client.get(reverse("members:detail", args=[web.alice.pk])).status_code == 404

"""Two people editing one record: the second, stale form is refused with what the first
changed, instead of silently restoring the old values (issue 13 §3)."""

from django.urls import reverse

from serment.core.audit import check_not_stale, version_of
from serment.members.actions import update_member_details
from tests.web.test_member_forms import details_of


def _open_form(client, user, url):
    client.force_login(user)
    return client.get(url).context["form"]["version"].value()


def test_a_stale_member_form_is_refused_with_the_change(client, web):
    url = reverse("members:action", args=[web.alice.pk, "edit"])
    version = _open_form(client, web.secretary, url)
    update_member_details(by=web.d1_staff, member=web.alice, phone="0912 000 111")  # someone else saves first
    web.alice.refresh_from_db()
    response = client.post(
        url, {**details_of(web.alice, phone="0988 777 666", home_town="Huế"), "phone": "", "version": version}
    )
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith("This record changed while you were editing it — d1_staff (")
    assert "phone: — → 0912 000 111" in error
    web.alice.refresh_from_db()
    assert (web.alice.phone, web.alice.home_town) == ("0912 000 111", "")


def test_after_looking_the_user_may_save_again(client, web):
    url = reverse("members:action", args=[web.alice.pk, "edit"])
    version = _open_form(client, web.secretary, url)
    update_member_details(by=web.d1_staff, member=web.alice, phone="0912 000 111")
    web.alice.refresh_from_db()
    response = client.post(url, {**details_of(web.alice, home_town="Huế"), "version": version})
    assert response.context["form"]["version"].value() == str(version_of(web.alice))
    resubmitted = dict(response.context["form"].data.items())
    assert client.post(url, resubmitted).status_code == 302
    web.alice.refresh_from_db()
    assert (web.alice.phone, web.alice.home_town) == ("0912 000 111", "Huế")


def test_a_fresh_form_saves(client, web):
    url = reverse("members:action", args=[web.alice.pk, "edit"])
    version = _open_form(client, web.secretary, url)
    assert client.post(url, {**details_of(web.alice, phone="0988"), "version": version}).status_code == 302


def test_a_stale_organisation_form_is_refused(client, web):
    from serment.organisations.actions import update_organisation

    url = reverse("organisations:edit", args=[web.C1.pk])
    version = _open_form(client, web.d1_staff, url)
    update_organisation(by=web.g1_staff, organisation=web.C1, name="Chi bộ thôn Một")
    response = client.post(url, {"code": "C1", "name": "Chi bộ thôn 1 (sửa)", "version": version})
    assert response.status_code == 200
    assert "Chi bộ thôn 1 → Chi bộ thôn Một" in response.context["form"].non_field_errors()[0]
    web.C1.refresh_from_db()
    assert web.C1.name == "Chi bộ thôn Một"


def test_the_check_answers_with_a_code(web):
    version = version_of(web.bob)
    update_member_details(by=web.d1_staff, member=web.bob, phone="1")
    assert [r.code for r in check_not_stale(target=web.bob, version=version)] == ["stale_form"]
    assert check_not_stale(target=web.bob, version=version_of(web.bob)) == []

"""Pages follow the browser's language (Vietnamese, French, English) and the switcher."""

import pytest
from django.urls import reverse


def heading(response) -> str:
    html = response.content.decode()
    return html[html.index("<h1>") + 4 : html.index("</h1>")].split("<")[0].strip()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "Đảng viên"), ("fr", "Membres"), ("en", "Members")],
)
def test_member_list_follows_the_browser_language(client, web, language, expected):
    client.force_login(web.d1_staff)
    response = client.get(reverse("members:list"), HTTP_ACCEPT_LANGUAGE=language)
    assert heading(response) == expected


def test_member_page_labels_and_states_are_translated(client, web):
    client.force_login(web.d1_staff)
    url = reverse("members:detail", args=[web.alice.pk])
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    vietnamese = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert ("Date d’admission" in french, "Titulaire" in french) == (True, True)
    assert ("Ngày vào Đảng" in vietnamese, "Chính thức" in vietnamese) == (True, True)


def test_a_refusal_is_explained_in_the_users_language(client, web):
    client.force_login(web.leader)
    url = reverse("members:action", args=[web.alice.pk, "exempt"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.context["message"] == "Votre rôle ne permet pas cela ici."


def test_a_form_error_from_an_action_is_translated(client, web):
    client.force_login(web.d1_staff)
    response = client.post(
        reverse("members:action", args=[web.alice.pk, "transfer-temporarily"]),
        {"on": "2024-01-01", "until": "2024-02-01", "destination": "Hà Nội"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.context["form"].errors == {"until": ["Chuyển sinh hoạt tạm thời ít nhất 3 tháng."]}


def test_language_switcher_overrides_the_browser(client, web):
    client.force_login(web.d1_staff)
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("members:list")})
    assert response.status_code == 302
    assert response.url == reverse("members:list")
    response = client.get(reverse("members:list"), HTTP_ACCEPT_LANGUAGE="vi")
    assert heading(response) == "Membres"
    assert '<option value="fr" lang="fr" selected>Français</option>' in response.content.decode()

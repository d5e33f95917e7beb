"""Numbered pagination and sortable columns on the member list (the long list)."""

from django.urls import reverse

from serment.home.templatetags.navigation import page_window
from tests import factories as f


def test_the_member_list_has_numbered_pages_and_sorts_by_a_clicked_column(web, client, settings):
    settings.SERMENT_PAGE_SIZE = 2
    for name in ("Phạm Văn An", "Hồ Thị Bình", "Lý Văn Cường", "Đỗ Thị Dung"):
        f.member(web.C2, full_name=name)
    client.force_login(web.g1_staff)  # sees C1 (alice) and C2 (bob + 4)
    html = client.get(reverse("members:list")).content.decode()
    assert '<span aria-current="page" class="current">1</span>' in html
    assert '<a href="?page=3">3</a>' in html
    assert 'href="?sort=card"' in html
    page = client.get(reverse("members:list"), {"sort": "-cell", "page": 1})
    names = [m.full_name for m in page.context["page"]]
    assert [m.organisation for m in page.context["page"]] == [web.C2, web.C2]
    assert names == sorted(names, reverse=True)
    assert 'href="?sort=cell"' in page.content.decode()  # clicking again sorts the other way
    ignored = client.get(reverse("members:list"), {"sort": "citizen_id"})  # not a column: default order
    default = client.get(reverse("members:list"))
    assert list(ignored.context["page"]) == list(default.context["page"])


def test_the_page_window_shows_first_last_and_neighbours():
    class P:
        def __init__(self, number, pages):
            self.number = number
            self.paginator = type("X", (), {"num_pages": pages})

    assert page_window(P(1, 3)) == [1, 2, 3]
    assert page_window(P(10, 20)) == [1, None, 8, 9, 10, 11, 12, None, 20]

"""The organisation picker's widget renders the same HTML as Django's ``Select``, without
a template per option (issue 14: docs/performance.md)."""

import re

from django import forms

from serment.core.widgets import PlainSelect

CHOICES = [
    ("", "All my organisations"),
    (1, "Tỉnh ủy"),
    (2, "· Đảng bộ <Phan Thiết> & co"),
    (3, "· · Chi bộ 1"),
]


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_the_picker_renders_what_djangos_select_renders():
    for value in (None, "", 2, "3"):
        fast = PlainSelect(choices=CHOICES).render("org", value, attrs={"id": "id_org"})
        django = forms.Select(choices=CHOICES).render("org", value, attrs={"id": "id_org"})
        assert _normalised(fast) == _normalised(django)
    html = PlainSelect(choices=CHOICES).render("org", 2, attrs={"id": "id_org"})
    assert '<option value="2" selected>· Đảng bộ &lt;Phan Thiết&gt; &amp; co</option>' in html
    assert html.count("selected") == 1


def test_grouped_choices_keep_their_groups():
    grouped = [("Huyện", [(1, "A"), (2, "B")]), ("Xã", [(3, "C")])]
    fast = PlainSelect(choices=grouped).render("org", 3)
    assert _normalised(fast) == _normalised(forms.Select(choices=grouped).render("org", 3))

"""Tables that matter on a phone carry a card layout: every cell names its column
(``data-label``), so a 16-column table does not squeeze to one word per line."""

import datetime as dt
import re

from django.urls import reverse

from serment.core.actors import SYSTEM
from serment.oath import actions


def cells_without_label(html: str, table_class: str) -> list[str]:
    table = re.search(rf'<table class="[^"]*{table_class}[^"]*phone-cards[^"]*">(.*?)</table>', html, re.S)
    assert table is not None, f"no phone-cards table {table_class}"
    body = table.group(1).split("</thead>")[-1]
    return [td for td in re.findall(r"<td[^>]*>", body) if "data-label" not in td and "colspan" not in td]


def test_the_coverage_table_has_a_phone_layout(client, world):
    campaign = actions.launch_campaign(
        by=SYSTEM,
        organisation=world.P,
        title="T",
        starts_on=dt.date(2023, 2, 1),
        ends_on=dt.date(2023, 5, 31),
        deadline=dt.date(2023, 6, 30),
    )
    client.force_login(world.admin)
    html = client.get(reverse("oath:coverage", args=[campaign.pk]) + "?as_of=2023-06-30").content.decode()
    assert '<table class="phone-cards">' in html
    assert cells_without_label(html, "") == []
    assert 'data-label="Members who reported (%)"' in html


def test_the_phone_css_turns_rows_into_cards(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("serment/app.css"), encoding="utf-8").read()
    assert "table.phone-cards td[data-label]::before" in css
    assert "content:attr(data-label)" in css

""" "The figures as the article quotes them" reads each figure over the article's own
period: the oath as of 30 June 2023, ratings and admissions of 2022, and cadre
decisions from 1 October 2020 to 31 May 2023 (DOMAIN §8), not to 30 June."""

import re

from django.urls import reverse


def test_the_article_link_reads_cadre_decisions_to_31_may_2023(province, client):
    w = province
    client.force_login(w.admin)
    html = client.get(reverse("home")).content.decode()
    link = re.search(r'<a href="(\?[^"]*)">The figures as the article quotes them', html).group(1)
    page = client.get(reverse("home") + link.replace("&amp;", "&"))
    board = page.context["board"]
    (cadres,) = [s for s in board.sections if s.key == "cadres"]
    assert cadres.subtitle == "1 Oct 2020 – 31 May 2023"
    assert "start=2020-10-01&end=2023-05-31" in cadres.report_url
    assert (board.year, board.as_of.isoformat()) == (2022, "2023-06-30")


def test_without_an_end_the_cadre_period_ends_on_the_as_of_date(province, client):
    client.force_login(province.admin)
    page = client.get(reverse("home:dashboard"), {"year": 2023, "as_of": "2023-06-30", "since": "2023-01-01"})
    (cadres,) = [s for s in page.context["board"].sections if s.key == "cadres"]
    assert cadres.subtitle == "1 Jan 2023 – 30 Jun 2023"


def test_a_malformed_end_is_a_field_error_not_a_500(province, client):
    client.force_login(province.admin)
    page = client.get(reverse("home:dashboard"), {"until": "not a date"})
    assert page.status_code == 200
    assert "until" in page.context["period_form"].errors

"""Odd input answers a clear page, never a 500 (issue 13 §4): every URL pattern (taken from
the resolver through the every-URL access cases) with Unicode digits, negative pages, far
years and dates at both ends in every parameter it takes."""

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from serment.core import params
from serment.oath.actions import launch_campaign
from serment.ratings.actions import open_round

from .test_every_url import CASES as URL_CASES
from .test_every_url import pattern_names

ODD_QUERIES = [
    {"org": "²"},
    {"org": "-1"},
    {"org": "99999999999999999999999"},
    {"page": "-1"},
    {"page": "²"},
    {"page": "99999999999999999999999"},
    {"year": "99999"},
    {"year": "²"},
    {"year": "1"},
    {"as_of": "0001-01-01"},
    {"as_of": "9999-12-31"},
    {"since": "0001-01-01"},
    {"since": "9999-12-31"},
    {"q": "a\x00b"},
    {"status": "²", "kind": "²", "step": "²", "group": "²", "category": "²", "format": "²"},
]

# Every value that once answered 500 somewhere, sent at once to every parameter a page
# takes (below): Unicode digits, negative, huge and far numbers, dates at both ends.
ODD_VALUES = ["²", "١٢", "-1", "99999", "99999999999999999999999", "0001-01-01", "9999-12-31", "2023-02-30"]
# The parameters list and report pages read (core/params.py); each page adds the names
# of its own GET forms and of the query strings of its links.
COMMON_PARAMETERS = ("org", "page", "year", "as_of", "since", "until", "from", "to", "on", "q", "sort")
GET_FORM = re.compile(r"<form\b[^>]*method=\"get\"[^>]*>(.*?)</form>", re.S | re.I)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)
LINK = re.compile(r'href="([^"#]*\?[^"#]*)"')
PREFERRED_ACTORS = ("admin", "inspector", "d1_staff", "g1_staff", "secretary", "alice_user", "leader")


def parameters_of(html: str) -> set[str]:
    """The query parameter names a page itself uses: its GET forms' fields and its links' queries."""
    names = set(COMMON_PARAMETERS)
    for form in GET_FORM.findall(html):
        names.update(FIELD_NAME.findall(form))
    for link in LINK.findall(html):
        names.update(parse_qs(urlsplit(unescape(link)).query, keep_blank_values=True))
    names.discard("csrfmiddlewaretoken")
    return names


def view_name(url: str) -> str:
    return resolve(url.split("?")[0]).view_name


def odd_requests(url: str, names: set[str]) -> list[str]:
    """``url`` with the issue's single odd parameters, then each odd value in every parameter at once."""
    joiner = "&" if "?" in url else "?"
    queries = [urlencode(q) for q in ODD_QUERIES]
    queries += [urlencode(dict.fromkeys(sorted(names), value)) for value in ODD_VALUES]
    return [url + joiner + q for q in queries]


@pytest.mark.slow
@pytest.mark.parametrize("case", URL_CASES, ids=[c.name for c in URL_CASES])
def test_no_page_answers_500_on_odd_parameters(client, web, case):
    """Every URL pattern (the cases of the every-URL test, one per pattern at least), as the
    first actor it shows itself to, with every odd value in every parameter it takes."""
    url = case.url_in(web)
    html = ""
    for actor in PREFERRED_ACTORS:
        client.force_login(getattr(web, actor))
        response = client.get(url)
        if response.status_code == 200:
            if not getattr(response, "streaming", False) and "html" in response.get("Content-Type", ""):
                html = response.content.decode()
            break
    else:
        client.force_login(web.admin)  # a POST-only or refused view: odd queries still answer < 500
    got = {odd: client.get(odd).status_code for odd in odd_requests(url, parameters_of(html))}
    assert {odd: status for odd, status in got.items() if status >= 500} == {}


def test_the_odd_input_pages_are_every_url_pattern(web):
    """The fuzzed pages come from the resolver, not from a hand-kept list."""
    assert {view_name(c.url_in(web)) for c in URL_CASES} == pattern_names()


@pytest.fixture
def pages(web):
    today = timezone.localdate()
    web.campaign = launch_campaign(
        by=web.admin,
        organisation=web.P,
        title="Giữ trọn lời thề",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=60),
    )
    web.round = open_round(by=web.admin, organisation=web.G1, year=2022, on=dt.date(2022, 12, 1))
    return web


# Inspection pages, which only the inspection staff (and the person concerned) see.
INSPECTOR_VIEWS = [
    ("discipline register", lambda w: reverse("inspection:register")),
]


@pytest.mark.parametrize(("view", "url"), INSPECTOR_VIEWS, ids=[v for v, _ in INSPECTOR_VIEWS])
def test_no_inspection_view_answers_500_on_odd_parameters(client, pages, view, url):
    from urllib.parse import urlencode

    client.force_login(pages.inspector)
    base = url(pages)
    assert client.get(base).status_code == 200  # the inspector sees the page itself
    got = {}
    for query in ODD_QUERIES + [{"org": str(pages.D1.pk), "form": "²", "year": "2023"}]:
        joiner = "&" if "?" in base else "?"
        got[urlencode(query)] = client.get(base + joiner + urlencode(query)).status_code
    assert {q: s for q, s in got.items() if s >= 500} == {}


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12", 12), ("²", None), ("١٢", None), ("-1", None), (" 7 ", 7), ("", None), ("1e3", None)],
)
def test_only_ascii_digits_make_a_number(raw, value):
    assert params.parse_int(raw, minimum=0) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2023-02-29", None),
        ("２０２４-01-01", None),
        ("1899-12-31", None),
        ("2100-12-31", dt.date(2100, 12, 31)),
    ],
)
def test_dates_outside_1900_2100_are_not_dates(raw, value):
    assert params.parse_date(raw) == value


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("transfer-temporarily", {"on": "2024-01-01", "until": "9999-12-31", "destination": "Hà Nội"}),
        ("transfer-temporarily", {"on": "0001-01-01", "until": "2024-06-01", "destination": "Hà Nội"}),
        ("exempt", {"on": "2024-01-01", "reason": "illness", "until": "9999-12-31"}),
        ("edit", {"full_name": "Trần Thị Alice", "date_of_birth": "0001-01-01", "sex": "female"}),
    ],
)
def test_member_forms_refuse_dates_at_both_ends(client, web, action, data):
    client.force_login(web.secretary)
    response = client.post(reverse("members:action", args=[web.alice.pk, action]), data)
    assert response.status_code == 200
    errors = [e for field_errors in response.context["form"].errors.values() for e in field_errors]
    assert "Enter a date between 1900 and 2100." in errors
    web.alice.refresh_from_db()
    assert web.alice.state == "active"

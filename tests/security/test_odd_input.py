"""Odd input answers a clear page, never a 500 (issue 13 §4): every list, report and
export view with Unicode digits, negative pages, far years and dates at both ends."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from serment.core import params
from serment.oath.actions import launch_campaign
from serment.ratings.actions import open_round

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

# Every view that reads query parameters: lists, reports, figures and exports.
LIST_VIEWS = [
    ("home", lambda w: reverse("home")),
    ("member list", lambda w: reverse("members:list")),
    ("member export", lambda w: reverse("members:export")),
    ("organisation export", lambda w: reverse("organisations:export")),
    ("organisation detail", lambda w: reverse("organisations:detail", args=[w.G1.pk])),
    ("roles", lambda w: reverse("accounts:org_roles", args=[w.G1.pk])),
    ("oath index", lambda w: reverse("oath:index")),
    ("campaigns", lambda w: reverse("oath:campaigns")),
    ("campaign", lambda w: reverse("oath:campaign", args=[w.campaign.pk])),
    ("coverage", lambda w: reverse("oath:coverage", args=[w.campaign.pk])),
    (
        "coverage cells",
        lambda w: reverse("oath:coverage_list", args=[w.campaign.pk, "cells"]) + "?category=held",
    ),
    ("coverage members", lambda w: reverse("oath:coverage_list", args=[w.campaign.pk, "members"])),
    ("ratings index", lambda w: reverse("ratings:index")),
    ("rating round", lambda w: reverse("ratings:round", args=[w.round.pk])),
    ("rating report", lambda w: reverse("ratings:report")),
    ("rating records", lambda w: reverse("ratings:records") + "?group=members&year=2022"),
    # The discipline register moved from the ratings app to the inspection app; it is
    # tested below as the inspector (the admin gets a 404 there whatever the query).
    ("admissions", lambda w: reverse("admissions:index")),
    ("admissions figure", lambda w: reverse("admissions:drilldown", args=["admitted"])),
    ("admissions due", lambda w: reverse("admissions:drilldown", args=["due"])),
    ("admissions export", lambda w: reverse("admissions:export")),
    ("candidates", lambda w: reverse("admissions:candidates")),
    ("probation", lambda w: reverse("admissions:reminders")),
    ("targets", lambda w: reverse("admissions:targets")),
    ("dashboard", lambda w: reverse("home:dashboard")),
    ("notifications", lambda w: reverse("home:notifications")),
    ("inspection", lambda w: reverse("inspection:index")),
    ("discipline register", lambda w: reverse("inspection:register")),
    ("inspection cases", lambda w: reverse("inspection:cases")),
    ("inspection plan", lambda w: reverse("inspection:plan")),
    ("inspection report", lambda w: reverse("inspection:report")),
    ("inspection records", lambda w: reverse("inspection:records")),
    ("cadres", lambda w: reverse("cadres:index")),
    ("cadre posts", lambda w: reverse("cadres:posts")),
    ("cadre decisions", lambda w: reverse("cadres:movements")),
    ("cadre planning", lambda w: reverse("cadres:planning")),
    ("cadre report", lambda w: reverse("cadres:report")),
]


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


@pytest.mark.parametrize(("view", "url"), LIST_VIEWS, ids=[v for v, _ in LIST_VIEWS])
def test_no_list_view_answers_500_on_odd_parameters(client, pages, view, url):
    client.force_login(pages.admin)
    base = url(pages)
    got = {}
    for query in ODD_QUERIES:
        joiner = "&" if "?" in base else "?"
        from urllib.parse import urlencode

        got[urlencode(query)] = client.get(base + joiner + urlencode(query)).status_code
    assert {q: s for q, s in got.items() if s >= 500} == {}


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

"""The dashboard's sections are cached across requests and users (docs/performance.md,
"Dashboard cache"): a repeated request reads the cache, a change to any record shows at
once, and a cached section never reaches a viewer who may not see it."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from serment.members.actions import exempt_member

from .conftest import AS_OF

PERIOD = {"year": 2023, "as_of": AS_OF.isoformat()}


def _get(client, user, **params):
    client.force_login(user)
    page = client.get(reverse("home:dashboard"), {**PERIOD, **params})
    assert page.status_code == 200
    return page


def _sections(page):
    return {s.key: s for s in page.context["board"].sections}


def test_a_second_request_reads_the_sections_from_the_cache(province, client):
    w = province
    client.force_login(w.admin)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home:dashboard"), PERIOD)
    with CaptureQueriesContext(connection) as second:
        page = client.get(reverse("home:dashboard"), PERIOD)
    assert len(first) > 30
    assert len(second) <= 12
    assert _sections(page)["oath"].values["cells_held"] == 1
    assert _sections(page)["ratings"].values["grassroots.rated"] == 3


def test_the_default_year_is_cached_too(province, client):
    w = province
    client.force_login(w.admin)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home:dashboard"))
    with CaptureQueriesContext(connection) as second:
        page = client.get(reverse("home:dashboard"))
    assert page.context["board"].year == 2023
    assert len(first) > 30
    assert len(second) <= 12


def test_an_exemption_shows_at_once_after_the_dashboard_was_cached(province, client):
    w = province
    before = _sections(_get(client, w.admin))["oath"].values
    assert before["members_exempt"] == 0
    exempt_member(
        by=w.g1_staff, member=w.bob, on=dt.date(2023, 3, 1), reason="illness", until=dt.date(2023, 9, 1)
    )
    after = _sections(_get(client, w.admin))["oath"].values
    assert after["members_exempt"] == 1
    assert after["members_expected"] == before["members_expected"] - 1


def test_a_decided_rating_shows_at_once_after_the_dashboard_was_cached(province, client):
    from serment.ratings.importers import import_rating_rows

    from .conftest import _rating_rows

    w = province
    assert _sections(_get(client, w.leader, year=2021))["ratings"].values == {}
    report = import_rating_rows(
        by=w.admin, rows=_rating_rows(2021, {"G1": "good", "alice": "good"}, w), dry_run=False
    )
    assert report.errors == []
    values = _sections(_get(client, w.leader, year=2021))["ratings"].values
    assert (values["grassroots.rated"], values["members.good_or_better"]) == (1, 1)


def test_a_viewer_without_the_inspection_role_never_gets_the_cached_inspection_section(province, client):
    w = province
    assert "inspection" in _sections(_get(client, w.inspector))
    assert _sections(_get(client, w.d1_staff)).keys() == {"oath", "ratings", "admissions", "cadres", "tree"}
    assert "inspection" not in _sections(_get(client, w.leader))
    assert "inspection" in _sections(_get(client, w.inspector))


def test_a_district_dashboard_never_shows_the_cached_province_figures(province, client):
    w = province
    province_oath = _sections(_get(client, w.admin))["oath"].values
    district_oath = _sections(_get(client, w.d1_staff))["oath"].values
    assert (province_oath["cells_held"], province_oath["cells"]) == (1, 4)
    assert (district_oath["cells_held"], district_oath["cells"]) == (1, 3)
    assert district_oath["members_expected"] == 3


def test_each_language_gets_its_own_sections(province, client):
    w = province
    client.force_login(w.admin)
    english = client.get(reverse("home:dashboard"), PERIOD, HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(reverse("home:dashboard"), PERIOD, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Tenir le serment" in french.content.decode()
    assert "Keeping the oath" in english.content.decode()
    assert _sections(french)["oath"].figures[0].value == "1 / 4 = 25,0%"
    assert _sections(english)["oath"].figures[0].value == "1 / 4 = 25.0%"


def test_a_sign_in_keeps_the_cached_dashboard_but_a_change_does_not(province):
    from serment.core import audit
    from serment.home import dashboard

    w = province
    before = dashboard.data_version()
    audit.record(by=w.admin, action="login", target=w.admin, changes={"address": "127.0.0.1"})
    assert dashboard.data_version() == before
    exempt_member(
        by=w.g1_staff, member=w.bob, on=dt.date(2023, 3, 1), reason="illness", until=dt.date(2023, 9, 1)
    )
    assert dashboard.data_version() not in ("", before)

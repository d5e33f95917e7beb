"""Reports open on the latest year with data, and say which year they show."""

import datetime as dt

from django.urls import reverse

from tests import factories as f


def test_the_admissions_report_opens_on_the_latest_year_with_admissions(client, world):
    f.member(
        world.C1, full_name="Đinh Văn Mới", admitted_on=dt.date(2022, 3, 1), official_on=dt.date(2023, 3, 1)
    )
    client.force_login(world.admin)
    response = client.get(reverse("admissions:index"))
    assert response.context["year"] == 2022


def test_an_explicit_year_is_kept(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("admissions:index"), {"year": 2019}).context["year"] == 2019

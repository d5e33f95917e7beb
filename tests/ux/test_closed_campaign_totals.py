"""Closed campaigns show their state honestly and do not change: a closed campaign's
denominator is the register as Serment knew it at closing (42,022 → 42,025 no more)."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.core.errors import Refused
from serment.oath import actions, queries
from tests import factories as f

AFTER = dt.date(2023, 6, 30)


def totals(world, campaign):
    cov = queries.coverage(viewer=world.admin, campaign=campaign, org=world.P, as_of=AFTER)
    return cov.total.members["expected"], cov.total.members["not_reported"]


def late_member(world, name):
    return f.member(
        world.C1, full_name=name, admitted_on=dt.date(2015, 1, 1), official_on=dt.date(2016, 1, 1)
    )


def test_members_registered_after_closing_do_not_change_a_closed_campaign(world, campaign_2023):
    actions.close_campaign(by=world.admin, campaign=campaign_2023)
    campaign_2023.refresh_from_db()
    before = totals(world, campaign_2023)
    late_member(world, "Võ Văn Muộn")  # imported today, admitted years ago
    assert totals(world, campaign_2023) == before


def test_an_open_campaign_counts_members_registered_today(world, campaign_2023):
    before = totals(world, campaign_2023)
    late_member(world, "Võ Văn Mới")
    assert totals(world, campaign_2023) == (before[0] + 1, before[1] + 1)


def test_a_campaign_closes_only_after_its_deadline(world, campaign):
    with pytest.raises(Refused) as exc:
        actions.close_campaign(by=world.admin, campaign=campaign)
    assert exc.value.codes == ["campaign_not_over"]


def test_reminders_are_refused_after_the_deadline(world, campaign_2023):
    with pytest.raises(Refused) as exc:
        actions.remind_not_submitted(by=world.secretary, campaign=campaign_2023, cell=world.C1)
    assert exc.value.codes == ["campaign_deadline_passed"]


def test_an_expired_campaign_offers_no_writing_to_the_member(client, world, campaign_2023):
    client.force_login(world.alice_user)
    me = client.get(reverse("oath:me")).content.decode()
    assert "Deadline passed" in me and reverse("oath:assessment", args=[campaign_2023.pk]) not in me
    page = client.get(reverse("oath:assessment", args=[campaign_2023.pk])).content.decode()
    assert "has passed" in page and "<textarea" not in page


def test_a_submitted_self_assessment_reads_submitted_not_open(client, world, campaign):
    saved = actions.save_self_assessment(
        by=world.alice_user,
        campaign=campaign,
        member=world.alice,
        kept="a",
        not_well="b",
        not_done="c",
        will_do="d",
    )
    actions.submit_self_assessment(by=world.alice_user, assessment=saved)
    client.force_login(world.alice_user)
    me = client.get(reverse("oath:me")).content.decode()
    assert "Submitted" in me and "Write it" not in me and "Continue writing" not in me


def test_the_campaign_page_shows_the_state_and_closing(client, world, campaign_2023):
    client.force_login(world.admin)
    url = reverse("oath:campaign", args=[campaign_2023.pk])
    assert "Deadline passed" in client.get(url).content.decode()
    client.post(reverse("oath:campaign_close", args=[campaign_2023.pk]))
    assert "Closed: figures are final" in client.get(url).content.decode()


@pytest.mark.parametrize(("actor", "status"), [("admin", 302), ("secretary", 403), ("outsider", 404)])
def test_who_may_close_a_campaign(client, world, actor, status):
    d1 = actions.launch_campaign(
        by=world.admin,
        organisation=world.D1,
        title="D1",
        starts_on=dt.date(2023, 2, 1),
        ends_on=dt.date(2023, 5, 31),
        deadline=dt.date(2023, 6, 30),
    )
    client.force_login(getattr(world, actor))
    assert client.post(reverse("oath:campaign_close", args=[d1.pk])).status_code == status

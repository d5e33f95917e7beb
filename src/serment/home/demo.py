"""The demo's live part: something to do today, apart from the 2023 snapshot.

The snapshot (the earlier steps) reproduces the article as of 30 June 2023, so all
its deadlines have passed. This step, last in ``SERMENT_DEMO_STEPS``, gives the demo
users work dated relative to the day the demo is built, through the same actions
users run: the demo grassroots committee launches a campaign open today and opens
its rating round of the year. It touches no 2023 figure: the campaign covers only
that committee's subtree (the province's and BT.01's coverage still read the 2023
campaign) and an open round's ratings are not decided, so no report counts them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from serment.core.actors import SYSTEM

LIVE_CAMPAIGN_TITLE = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh — đợt {year}"


def rating_year(today: dt.date) -> int:
    """Ratings are made at year end (DOMAIN §4): from November the current year is
    being rated, before that the previous one."""
    return today.year if today.month >= 11 else today.year - 1


def close_past_campaigns(ctx, today: dt.date) -> list:
    """Close every campaign past its reporting deadline and still open."""
    from serment.oath import actions as oath_actions
    from serment.oath.models import Campaign

    closed = [
        oath_actions.close_campaign(by=SYSTEM, campaign=c)
        for c in Campaign.objects.filter(closed_at__isnull=True, deadline__lt=today).order_by(
            "deadline", "pk"
        )
    ]
    for c in closed:
        ctx.log(f"  closed: campaign “{c.title}” (deadline {c.deadline})")
    return closed


def live_case(district, today: dt.date):
    """A petition to the district committee received so that its handling deadline
    (rule data) falls ten days from today: the inspection staff's task "cases near
    their deadline"."""
    from serment.inspection.actions import receive_case
    from serment.inspection.policies import case_due_date

    days = (case_due_date("petition", district.depth, today) - today).days
    return receive_case(
        by=SYSTEM,
        committee=district,
        kind="petition",
        channel="post",
        received_on=today - dt.timedelta(days=max(days - 10, 0)),
        summary="Kiến nghị về việc tổ chức sinh hoạt chi bộ định kỳ",
        reference=f"KN-{today.year}-01",
        sender_name="Nguyễn Văn Dân",
    )


def build(ctx) -> None:
    from serment.oath import actions as oath_actions
    from serment.organisations.models import Organisation
    from serment.ratings import actions as rating_actions
    from serment.ratings.models import RatingRound

    today = timezone.localdate()
    ctx.data["closed_campaigns"] = close_past_campaigns(ctx, today)
    committee = ctx.data.get("grassroots") or (
        Organisation.objects.filter(code__startswith="BT.01.", kind="grassroots_committee")
        .order_by("code")
        .first()
    )
    campaign = oath_actions.launch_campaign(
        by=SYSTEM,
        organisation=committee,
        title=LIVE_CAMPAIGN_TITLE.format(year=today.year),
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=21),
        deadline=today + dt.timedelta(days=35),
    )
    year = rating_year(today)
    rnd = RatingRound.objects.filter(organisation=committee, year=year).first() or rating_actions.open_round(
        by=SYSTEM, organisation=committee, year=year, on=today
    )
    case = live_case(committee.parent, today)
    ctx.data.update(live_campaign=campaign, live_round=rnd, live_case=case)
    ctx.log(
        f"  live: campaign “{campaign.title}” open until {campaign.ends_on}, "
        f"rating round {year} of {committee.code} open ({rnd.ratings.count()} subjects)"
    )

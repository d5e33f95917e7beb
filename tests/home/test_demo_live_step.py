"""The demo's live step: a campaign and a rating round open today, made with the
users' actions, leaving every 2023 figure as it was."""

import datetime as dt
import random

from django.urls import reverse
from django.utils import timezone

from serment.core.actors import SYSTEM
from serment.core.demo import DemoContext
from serment.home import demo
from serment.home.tasks import tasks_for
from serment.oath import queries as oath_queries
from serment.ratings import queries as rating_queries

from .conftest import AS_OF


def test_the_live_step_gives_the_secretary_and_the_member_work_today_without_moving_2023(province):
    w = province
    before_cov = oath_queries.coverage(viewer=SYSTEM, campaign=w.campaign_2023, org=w.P, as_of=AS_OF).total
    before_ratings = rating_queries.rating_report(SYSTEM, org=w.P, year=2023).rows
    ctx = DemoContext(
        seed=1, rng=random.Random(1), log=lambda msg: None, province=w.P, data={"grassroots": w.G1}
    )

    demo.build(ctx)

    today = timezone.localdate()
    w.campaign_2023.refresh_from_db()
    assert w.campaign_2023.closed_at is not None  # closed, as a real province's would be by now
    assert ctx.data["closed_campaigns"] == [w.campaign_2023]
    campaign, rnd = ctx.data["live_campaign"], ctx.data["live_round"]
    assert campaign.closed_at is None
    assert campaign.starts_on < today < campaign.ends_on < campaign.deadline
    assert (rnd.organisation, rnd.year, rnd.decided_on) == (w.G1, demo.rating_year(today), None)
    secretary_tasks = {t.message for t in tasks_for(w.secretary, today)}
    assert {
        "rating.review",
        "oath.meeting_not_scheduled",
        "oath.assessments_not_submitted",
    } <= secretary_tasks
    assert "oath.own_assessment" in {t.message for t in tasks_for(w.alice_user, today)}
    case = ctx.data["live_case"]
    assert (case.committee, case.due_on) == (w.D1, today + dt.timedelta(days=10))
    assert [t.url for t in tasks_for(w.inspector, today) if t.message == "inspection.case_due"] == [
        reverse("inspection:case", args=[case.pk])
    ]
    after_cov = oath_queries.coverage(viewer=SYSTEM, campaign=w.campaign_2023, org=w.P, as_of=AS_OF).total
    assert (after_cov.cells_held, after_cov.cells, after_cov.members) == (
        before_cov.cells_held,
        before_cov.cells,
        before_cov.members,
    )
    assert oath_queries.campaign_for_report(viewer=SYSTEM, org=w.P, as_of=today) == w.campaign_2023
    after_ratings = rating_queries.rating_report(SYSTEM, org=w.P, year=2023).rows
    assert [r.figures for r in after_ratings] == [r.figures for r in before_ratings]


def test_the_rating_year_is_the_current_one_from_november():
    import datetime as dt

    assert demo.rating_year(dt.date(2026, 12, 2)) == 2026
    assert demo.rating_year(dt.date(2027, 3, 1)) == 2026

"""Each role's tasks, each linking to the page where it is done; done tasks vanish."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from serment.core.actors import SYSTEM
from serment.home.tasks import tasks_for
from serment.oath import actions as oath_actions
from serment.ratings import actions as rating_actions
from serment.ratings.models import Rating


def _by_message(tasks):
    return {t.message: t for t in tasks}


def test_a_secretary_sees_the_round_to_review_the_meeting_to_schedule_and_assessments_missing(live):
    w = live
    today = timezone.localdate()
    tasks = _by_message(tasks_for(w.secretary, today))
    review = tasks["rating.review"]
    assert review.params == {"year": today.year, "n": 1, "cell": w.C1.name}  # alice
    assert review.url == reverse("ratings:round", args=[w.live_round.pk]) + "?status=undecided"
    meeting = tasks["oath.meeting_not_scheduled"]
    assert meeting.url == reverse("oath:campaign", args=[w.live_campaign.pk])
    assert meeting.due_on == w.live_campaign.ends_on
    assert tasks["oath.assessments_not_submitted"].params["n"] == 1
    assert review.text == f"Rating round {today.year}: 1 members of {w.C1.name} to review"


def test_a_scheduled_meeting_is_no_longer_a_task_and_the_missing_assessments_link_to_it(live):
    w = live
    today = timezone.localdate()
    meeting = oath_actions.schedule_meeting(
        by=w.secretary, campaign=w.live_campaign, cell=w.C1, held_on=today
    )
    tasks = _by_message(tasks_for(w.secretary, today))
    assert "oath.meeting_not_scheduled" not in tasks
    assert tasks["oath.assessments_not_submitted"].url == reverse("oath:meeting", args=[meeting.pk])


def test_a_member_sees_their_own_self_assessment_and_rating_step(live):
    w = live
    today = timezone.localdate()
    tasks = _by_message(tasks_for(w.alice_user, today))
    assert tasks["oath.own_assessment"].url == reverse("oath:assessment", args=[w.live_campaign.pk])
    own = Rating.objects.get(round=w.live_round, member=w.alice, subject_kind="member")
    assert tasks["rating.own_self_assessment"].url == reverse("ratings:step", args=[own.pk, "self-assess"])
    rating_actions.self_assess(
        by=w.alice_user, rating=own, text="Hoàn thành", level="good", score=Decimal(80)
    )
    assert "rating.own_self_assessment" not in _by_message(tasks_for(w.alice_user, today))


def test_committee_staff_see_their_subtree_rounds_and_campaigns_not_their_siblings(live):
    w = live
    today = timezone.localdate()
    tasks = _by_message(tasks_for(w.d1_staff, today))
    assert tasks["rating.undecided"].params["org"] == w.G1.name
    assert tasks["oath.cells_not_held"].params == {
        "campaign": w.live_campaign.title,
        "n": 2,
        "total": 2,
        "org": w.G1.name,
    }
    assert tasks_for(w.outsider, today) == []  # D2 has nothing open


def test_a_probation_ending_soon_is_a_task_for_the_secretary(world):
    from tests import factories as f

    today = timezone.localdate()
    admitted = today.replace(year=today.year - 1) + dt.timedelta(days=21)
    newcomer = f.member(world.C1, full_name="Hồ Thị Mới", admitted_on=admitted, official_on=None)
    tasks = [t for t in tasks_for(world.secretary, today) if t.message.startswith("admissions.")]
    assert [t.url for t in tasks] == [reverse("admissions:probation", args=[newcomer.pk])]
    assert tasks[0].params["days"] == (tasks[0].due_on - today).days
    assert 0 <= tasks[0].params["days"] <= 30


def test_the_home_page_lists_the_tasks_as_links(live, client):
    w = live
    client.force_login(w.secretary)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("oath:campaign", args=[w.live_campaign.pk])}"' in html
    assert f"the thematic meeting of {w.C1.name} is not scheduled" in html
    assert SYSTEM  # the fixtures act as the system


def test_inspection_staff_see_cases_near_their_deadline(world):
    from serment.inspection.actions import receive_case

    w = world
    today = timezone.localdate()
    case = receive_case(
        by=SYSTEM,
        committee=w.D1,
        kind="petition",
        channel="post",
        received_on=today - dt.timedelta(days=20),
        summary="Kiến nghị về sinh hoạt chi bộ",
        reference="KN-01",
        sender_name="Nguyễn Văn Dân",
    )
    assert case.due_on is not None  # a petition is handled within a deadline (rule data)

    def case_tasks(user, day):
        return [t for t in tasks_for(user, day) if t.message == "inspection.case_due"]

    near = case.due_on - dt.timedelta(days=3)
    assert [t.url for t in case_tasks(w.inspector, near)] == [reverse("inspection:case", args=[case.pk])]
    assert case_tasks(w.inspector, case.due_on - dt.timedelta(days=30)) == []  # not near yet
    assert case_tasks(w.outsider, near) == [] and case_tasks(w.leader, near) == []


def test_a_task_that_states_its_deadline_does_not_repeat_it(live, client):
    w = live
    client.force_login(w.alice_user)
    html = client.get(reverse("home:me")).content.decode()
    deadline = w.live_campaign.deadline
    shown = f"{deadline.day} {deadline:%b %Y}"  # English: 6 Jan 2027, stated once
    assert html.count(shown) == 1, html


def test_a_secretary_who_follows_the_review_task_sees_the_round_for_their_cell_only(live, client):
    """The round is G1's, the secretary's scope is C1 under it: the task's link opens the
    round (found by the load test: it answered 404), listing C1's members and no one else,
    with the subject counts of C1 on the ratings index and no "decide" button."""
    w = live
    review = _by_message(tasks_for(w.secretary, timezone.localdate()))["rating.review"]
    client.force_login(w.secretary)
    page = client.get(review.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert w.alice.full_name in text
    assert w.bob.full_name not in text  # C2, same round, not the secretary's cell
    assert w.C2.name not in text
    assert reverse("ratings:decide_round", args=[w.live_round.pk]) not in text
    assert client.get(reverse("ratings:decide_round", args=[w.live_round.pk])).status_code in (403, 404)
    index = client.get(reverse("ratings:index")).context["rounds"]
    (row,) = [r for r in index if r.pk == w.live_round.pk]
    in_c1 = Rating.objects.filter(round=w.live_round, organisation=w.C1).count()
    assert (row.subjects, row.decided) == (in_c1, 0)
    assert in_c1 < Rating.objects.filter(round=w.live_round).count()


def test_a_round_stays_hidden_from_staff_of_a_sibling_district(live, client):
    """The outsider (staff of D2) neither lists nor opens G1's round."""
    w = live
    client.force_login(w.outsider)
    assert client.get(reverse("ratings:round", args=[w.live_round.pk])).status_code == 404
    assert w.live_round.pk not in [r.pk for r in client.get(reverse("ratings:index")).context["rounds"]]

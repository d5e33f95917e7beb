"""The cell secretary records a promise for a member of the cell (issue 3)."""

import datetime as dt

from serment.core.models import AuditEntry
from serment.oath.models import Promise

FORM = {
    "made_on": "2021-03-01",
    "occasion": "appointment",
    "to_whom": "collective",
    "text": "Hoàn thành tốt nhiệm vụ",
    "due_on": "2021-12-31",
}


def url(member):
    return f"/oath/members/{member.pk}/promises/new/"


def test_the_secretary_records_a_promise_for_a_member_of_the_cell(world, client):
    client.force_login(world.secretary)
    response = client.post(url(world.alice) + "?next=/oath/", FORM)
    assert (response.status_code, response["Location"]) == (302, "/oath/")
    promise = Promise.objects.get()
    assert (promise.member, promise.made_on, promise.due_on, promise.state) == (
        world.alice,
        dt.date(2021, 3, 1),
        dt.date(2021, 12, 31),
        "in_progress",
    )
    entry = AuditEntry.objects.get(action="oath.add_promise")
    assert (entry.actor, entry.target_id, entry.summary) == (
        world.secretary,
        world.alice.pk,
        "Hoàn thành tốt nhiệm vụ",
    )


def test_a_rule_refused_shows_on_the_field_and_writes_nothing(world, client):
    client.force_login(world.secretary)
    response = client.post(url(world.alice), {**FORM, "made_on": "2001-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"made_on": ["A member's promise is made after admission."]}
    assert Promise.objects.count() == 0


def test_a_member_outside_the_secretarys_cell_is_not_found(world, client):
    client.force_login(world.secretary)
    assert client.get(url(world.bob)).status_code == 404
    assert client.post(url(world.bob), FORM).status_code == 404
    client.force_login(world.outsider)
    assert client.post(url(world.alice), FORM).status_code == 404
    assert Promise.objects.count() == 0


def test_a_plain_member_cannot_use_the_page_for_someone_else(world, client):
    client.force_login(world.alice_user)
    assert client.post(url(world.bob), FORM).status_code == 404
    assert Promise.objects.count() == 0


def test_the_meeting_page_links_each_member_to_the_page(world, client, campaign):
    from serment.oath import actions

    meeting = actions.schedule_meeting(
        by=world.secretary, campaign=campaign, cell=world.C1, held_on=campaign.starts_on
    )
    client.force_login(world.secretary)
    page = client.get(f"/oath/meetings/{meeting.pk}/").content.decode()
    assert page.count(url(world.alice) + "?next=") == 1

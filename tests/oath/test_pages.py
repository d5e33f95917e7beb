import datetime as dt

import pytest
from django.urls import reverse

from serment.oath import actions
from serment.oath.models import Campaign, CellMeeting, SelfAssessment
from tests import factories as f

from .conftest import held_meeting
from .test_self_assessment import TEXTS

APRIL = dt.date(2023, 4, 10)


def login(client, user):
    client.force_login(user)
    return client


def test_a_member_writes_and_submits_from_their_page(client, world, campaign):
    login(client, world.alice_user)
    url = reverse("oath:assessment", args=[campaign.pk])
    client.post(url, {**TEXTS, "save": "1"})
    assert SelfAssessment.objects.get().status == "draft"
    response = client.post(url, {**TEXTS, "will_do": "", "submit": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "will_do": ["Write every part of the self-assessment before submitting."]
    }
    client.post(url, {**TEXTS, "submit": "1"})
    assert SelfAssessment.objects.get().status == "submitted"


def test_the_member_sees_suggestions_only_after_the_meeting_closes(client, world, campaign_2023):
    meeting = actions.schedule_meeting(
        by=world.secretary, campaign=campaign_2023, cell=world.C1, held_on=APRIL
    )
    actions.record_presentation(
        by=world.secretary, meeting=meeting, member=world.alice, suggestions="Cần gương mẫu hơn"
    )
    login(client, world.alice_user)
    assert "Cần gương mẫu hơn" not in client.get(reverse("oath:me")).content.decode()
    actions.close_meeting(by=world.secretary, meeting=meeting)
    assert "Cần gương mẫu hơn" in client.get(reverse("oath:me")).content.decode()


def test_a_member_cannot_open_the_meeting_page_and_a_sibling_subtree_gets_404(client, world, campaign_2023):
    meeting = held_meeting(world.secretary, campaign_2023, world.C1, APRIL, presented=[world.alice])
    assert login(client, world.alice_user).get(reverse("oath:meeting", args=[meeting.pk])).status_code == 404
    assert login(client, world.outsider).get(reverse("oath:meeting", args=[meeting.pk])).status_code == 404
    response = login(client, world.secretary).get(reverse("oath:meeting", args=[meeting.pk]))
    assert [r["member"] for r in response.context["sheet"].rows] == [world.alice]


def test_the_secretary_runs_the_meeting_from_its_page(client, world, campaign_2023):
    extra = f.member(world.C1, full_name="Võ Văn Extra")
    login(client, world.secretary)
    client.post(
        reverse("oath:campaign", args=[campaign_2023.pk]), {"cell": world.C1.pk, "held_on": "2023-04-10"}
    )
    meeting = CellMeeting.objects.get()
    act = lambda what, **data: client.post(reverse("oath:meeting_act", args=[meeting.pk, what]), data)  # noqa: E731
    act("attendance", member=extra.pk, present="no", absence_reason="work")
    act("presentation", member=world.alice.pk, suggestions="Phát huy")
    act("close", confirm="yes")
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    assert list(meeting.presentations.values_list("member__full_name", "suggestions")) == [
        ("Trần Thị Alice", "Phát huy")
    ]
    response = act("attendance", member=extra.pk, present="yes")
    assert [str(m) for m in response.wsgi_request._messages][-1] == (
        "This meeting is closed; change it through a correction."
    )


def test_the_secretary_of_another_cell_cannot_act_on_the_meeting(client, world, campaign_2023):
    meeting = actions.schedule_meeting(
        by=world.g1_staff, campaign=campaign_2023, cell=world.C2, held_on=APRIL
    )
    response = login(client, world.secretary).post(reverse("oath:meeting_act", args=[meeting.pk, "close"]))
    assert response.status_code == 404


def test_the_minutes_are_a_pdf(client, world, campaign_2023):
    meeting = held_meeting(world.secretary, campaign_2023, world.C1, APRIL, presented=[world.alice])
    response = login(client, world.secretary).get(reverse("oath:minutes", args=[meeting.pk]))
    assert (response["Content-Type"], response.content[:4]) == ("application/pdf", b"%PDF")


def test_staff_launch_a_campaign_from_the_page(client, world):
    login(client, world.d1_staff)
    response = client.post(
        reverse("oath:campaign_launch"),
        {
            "organisation": world.D1.pk,
            "title": "Giữ trọn lời thề",
            "starts_on": "2023-02-01",
            "ends_on": "2023-05-31",
            "deadline": "2023-05-01",
            "expected_states": ["active"],
        },
    )
    assert response.context["form"].errors == {
        "deadline": ["The reporting deadline is before the end of the campaign."]
    }
    client.post(
        reverse("oath:campaign_launch"),
        {
            "organisation": world.D1.pk,
            "title": "Giữ trọn lời thề",
            "starts_on": "2023-02-01",
            "ends_on": "2023-05-31",
            "deadline": "2023-06-30",
            "expected_states": ["active"],
        },
    )
    assert Campaign.objects.get().organisation == world.D1


def test_coverage_page_every_number_opens_its_records(client, world, campaign_2023):
    held_meeting(world.secretary, campaign_2023, world.C1, APRIL, presented=[world.alice])
    login(client, world.d1_staff)
    url = reverse("oath:coverage", args=[campaign_2023.pk])
    response = client.get(url, {"org": world.D1.pk, "as_of": "2023-06-30"})
    total = response.context["cov"].total
    assert (total.cells_held, total.cells, total.members["reported"], total.members["expected"]) == (
        1,
        3,
        1,
        2,
    )
    lists = reverse("oath:coverage_list", args=[campaign_2023.pk, "members"])
    assert (
        f"{lists}?org={world.D1.pk}&amp;as_of=2023-06-30&amp;category=reported" in response.content.decode()
    )
    page = client.get(lists, {"org": world.D1.pk, "as_of": "2023-06-30", "category": "not_reported"})
    assert [m.member for m in page.context["page"]] == [world.bob]
    cells = client.get(
        reverse("oath:coverage_list", args=[campaign_2023.pk, "cells"]),
        {"org": world.D1.pk, "as_of": "2023-06-30", "category": "held"},
    )
    assert [c.code for c in cells.context["page"]] == ["C1"]


def test_coverage_outside_the_viewers_subtree_is_404(client, world, campaign_2023):
    response = login(client, world.outsider).get(
        reverse("oath:coverage", args=[campaign_2023.pk]), {"org": world.D1.pk}
    )
    assert response.status_code == 404


def test_coverage_exports_xlsx(client, world, campaign_2023):
    import io

    from openpyxl import load_workbook

    response = login(client, world.admin).get(
        reverse("oath:coverage", args=[campaign_2023.pk]),
        {"org": world.P.pk, "as_of": "2023-06-30", "format": "xlsx"},
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row][:4] for row in ws.iter_rows(min_row=2)] == [
        ["P", "Tỉnh ủy", 0, 4],
        ["D1", "Huyện ủy 1", 0, 3],
        ["D2", "Huyện ủy 2", 0, 1],
    ]


@pytest.mark.parametrize("cells", [1, 3])
def test_coverage_page_queries_do_not_grow_with_cells(
    client, world, campaign_2023, cells, django_assert_max_num_queries
):
    for i in range(cells):
        cell = f.org("cell", world.G2, code=f"Y{i}")
        held_meeting(world.admin, campaign_2023, cell, APRIL, presented=[f.member(cell)])
    login(client, world.admin)
    with django_assert_max_num_queries(12):
        client.get(
            reverse("oath:coverage", args=[campaign_2023.pk]), {"org": world.P.pk, "as_of": "2023-06-30"}
        )
    lists = reverse("oath:coverage_list", args=[campaign_2023.pk, "members"])
    with django_assert_max_num_queries(12):
        client.get(lists, {"org": world.P.pk, "as_of": "2023-06-30", "category": "reported"})


def test_paper_import_from_the_page(client, world, campaign_2023):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, world.d1_staff)
    data = f"cell_code,meeting_date,card_number,reported,report_type\nC1,2023-04-15,{world.alice.card_number},yes,oath\n"
    page = reverse("imports:kind", args=["paper-campaigns"]) + f"?campaign={campaign_2023.pk}"
    assert client.get(reverse("oath:import", args=[campaign_2023.pk])).url == page
    checked = client.post(page, {"file": SimpleUploadedFile("p.csv", data.encode())})
    assert not CellMeeting.objects.exists()
    client.post(page, {"confirm": checked.context["token"]})
    assert CellMeeting.objects.get().source == "paper"

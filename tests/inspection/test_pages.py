"""The inspection forms call the same actions and show their refusals on the field."""

from django.urls import reverse

from serment.inspection.models import Case, DisciplineDecision, Inspection


def test_recording_a_decision_from_the_form(client, insp):
    client.force_login(insp.inspector)
    response = client.post(
        reverse("inspection:decision_new", args=["member", insp.alice.pk]),
        {"form": "warning", "decided_on": "2022-05-02", "deciding_body": "UBKT Huyện ủy 1"},
    )
    decision = DisciplineDecision.objects.get()
    assert response["Location"] == reverse("inspection:decision", args=[decision.pk])
    assert (decision.member, decision.form, decision.announced_on.isoformat()) == (
        insp.alice,
        "warning",
        "2022-05-02",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Warning (cảnh cáo)" in page and "In force" not in page  # lapsed by now
    assert "Lapsed" in page


def test_a_refusal_is_shown_on_its_field(client, insp):
    client.force_login(insp.inspector)
    response = client.post(
        reverse("inspection:decision_new", args=["member", insp.alice.pk]),
        {"form": "dismissal", "decided_on": "2022-05-02", "deciding_body": "UBKT"},
    )
    assert response.context["form"].errors == {
        "form": ["Trần Thị Alice held no post on 2 May 2022 to be dismissed from."]
    }
    assert DisciplineDecision.objects.count() == 0


def test_a_case_about_a_member_out_of_scope_is_not_found(client, insp):
    client.force_login(insp.inspector)
    response = client.post(
        reverse("inspection:case_new", args=[insp.D1.pk]),
        {
            "kind": "denunciation",
            "channel": "post",
            "received_on": "2023-01-05",
            "sender_name": "A",
            "summary": "Tố cáo",
            "concerned_card": insp.carol.card_number,
        },
    )
    assert response.context["form"].errors == {
        "concerned_card": [f"No member with card number “{insp.carol.card_number}”."]
    }
    assert Case.objects.count() == 0


def test_planning_and_concluding_from_the_pages(client, insp):
    client.force_login(insp.inspector)
    response = client.post(
        reverse("inspection:inspection_new", args=[insp.D1.pk]),
        {
            "kind": "supervision",
            "mode": "thematic",
            "subject_org_code": "G1",
            "topic": "Chuyên đề",
            "starts_on": "2023-03-01",
            "ends_on": "2023-03-10",
            "deadline": "2023-04-01",
        },
    )
    item = Inspection.objects.get()
    assert response["Location"] == reverse("inspection:plan") + "?year=2023"
    client.post(
        reverse("inspection:inspection_conclude", args=[item.pk]),
        {"conclusion": "no_violation", "concluded_on": "2023-03-30", "findings": "Tốt"},
    )
    item.refresh_from_db()
    assert (item.subject_organisation, item.conclusion, item.concluded_on.isoformat()) == (
        insp.G1,
        "no_violation",
        "2023-03-30",
    )


def _register_queries(client, django_assert_max_num_queries, n):
    with django_assert_max_num_queries(n) as ctx:
        response = client.get(reverse("inspection:register"))
    return response, len(ctx.captured_queries)


def test_the_register_page_does_not_query_per_row(client, insp, django_assert_max_num_queries):
    import datetime as dt

    from serment.core.actors import SYSTEM
    from serment.inspection.actions import record_discipline

    client.force_login(insp.inspector)
    record_discipline(
        by=SYSTEM, member=insp.alice, form="reprimand", decided_on=dt.date(2022, 1, 3), deciding_body="U"
    )
    _response, one = _register_queries(client, django_assert_max_num_queries, 30)
    for m in (insp.bob, insp.alice):
        record_discipline(
            by=SYSTEM, member=m, form="warning", decided_on=dt.date(2022, 2, 3), deciding_body="U"
        )
    response, three = _register_queries(client, django_assert_max_num_queries, 30)
    assert (len(response.context["rows"]), three) == (3, one)

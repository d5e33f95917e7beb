"""The pages: scoping (404 outside the subtree), forms that show the rule's message,
drill-downs, export, and query counts that do not grow with rows."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.admissions import actions
from serment.admissions.models import Step, StepKind
from serment.core.actors import SYSTEM
from tests import factories as f

from .conftest import advance

D = dt.date


@pytest.fixture
def as_user(client):
    def login(user):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages compared in English
        client.force_login(user)
        return client

    return login


def test_a_candidate_is_invisible_outside_its_subtree(adm, as_user):
    url = reverse("admissions:candidate", args=[adm.huong.pk])
    assert as_user(adm.outsider).get(url).status_code == 404
    assert as_user(adm.alice_user).get(url).status_code == 404
    page = as_user(adm.secretary).get(url)
    assert (page.status_code, page.context["next_kind"]) == (200, StepKind.CERTIFICATE)


def test_the_candidate_list_shows_only_the_viewers_subtree(adm, as_user):
    actions.register_candidate(
        by=SYSTEM, organisation=adm.C3, full_name="Ở Huyện Hai", date_of_birth=D(2000, 1, 1), sex="male"
    )

    def names(user):
        return [c.full_name for c in as_user(user).get(reverse("admissions:candidates")).context["page"]]  # noqa: E731

    assert names(adm.secretary) == ["Lý Thị Hương"]
    assert names(adm.outsider) == ["Ở Huyện Hai"]
    assert names(adm.admin) == ["Lý Thị Hương", "Ở Huyện Hai"]


def test_the_step_form_shows_why_the_rule_refuses(adm, as_user):
    young = actions.register_candidate(
        by=SYSTEM, organisation=adm.C1, full_name="Phan Văn Trẻ", date_of_birth=D(2005, 4, 15), sex="male"
    )
    advance(adm, young, through=StepKind.OPINIONS)
    page = as_user(adm.secretary).post(
        reverse("admissions:candidate_step", args=[young.pk]),
        {"on": "2023-03-20", "votes_for": "2"},
    )
    assert page.status_code == 200
    assert page.context["form"].errors["on"] == [
        "Phan Văn Trẻ is 17 years 11 months old at the cell's consideration; the minimum is 18."
    ]
    assert not Step.objects.filter(candidate=young, kind=StepKind.CELL_RESOLUTION).exists()


def test_the_introducers_form_takes_card_numbers(adm, as_user):
    advance(adm, adm.huong, through=StepKind.CV)
    page = as_user(adm.secretary).post(
        reverse("admissions:candidate_step", args=[adm.huong.pk]),
        {
            "on": "2023-02-10",
            "introducer_1": adm.alice.card_number,
            "since_1": "2020-01-01",
            "introducer_2": adm.dan.card_number,
            "since_2": "2021-01-01",
        },
    )
    assert page.status_code == 302
    assert sorted(adm.huong.introducers.values_list("member__full_name", flat=True)) == [
        "Trần Thị Alice",
        "Đỗ Văn Dan",
    ]


def test_outsider_cannot_post_a_step(adm, as_user):
    page = as_user(adm.outsider).post(
        reverse("admissions:candidate_step", args=[adm.huong.pk]), {"on": "2022-03-01"}
    )
    assert page.status_code == 404
    assert Step.objects.count() == 0


def test_a_leader_sees_the_candidate_but_cannot_record_a_step(adm, as_user):
    url = reverse("admissions:candidate_step", args=[adm.huong.pk])
    assert as_user(adm.leader).post(url, {"on": "2022-03-01"}).status_code == 403
    assert Step.objects.count() == 0


def test_the_ceremony_through_the_page_admits_the_member(adm, as_user):
    advance(adm, adm.huong, through=StepKind.DECISION)
    page = as_user(adm.secretary).post(
        reverse("admissions:candidate_step", args=[adm.huong.pk]), {"on": "2023-04-19", "card_number": "B77"}
    )
    adm.huong.refresh_from_db()
    assert (page.status_code, adm.huong.member.card_number, adm.huong.member.admitted_on) == (
        302,
        "B77",
        D(2023, 4, 19),
    )


def test_report_figures_link_to_their_records(adm, as_user):
    client = as_user(adm.d1_staff)
    page = client.get(reverse("admissions:index"), {"org": adm.D1.pk, "year": 2023})
    assert (page.context["report"].admitted, page.context["report"].members_at_start) == (1, 3)
    listing = client.get(reverse("admissions:drilldown", args=["admitted"]), {"org": adm.D1.pk, "year": 2023})
    assert [m.full_name for m in listing.context["page"]] == ["Võ Thị Eve"]
    listing = client.get(
        reverse("admissions:drilldown", args=["candidates"]),
        {"org": adm.D1.pk, "year": 2023, "step": "registered"},
    )
    assert [c.full_name for c in listing.context["page"]] == ["Lý Thị Hương"]


def test_the_report_of_another_subtree_is_404(adm, as_user):
    client = as_user(adm.outsider)
    assert client.get(reverse("admissions:index"), {"org": adm.D1.pk}).status_code == 404
    assert (
        client.get(reverse("admissions:drilldown", args=["admitted"]), {"org": adm.D1.pk}).status_code == 404
    )
    assert client.get(reverse("admissions:export"), {"org": adm.D1.pk}).status_code == 404


def test_the_export_is_an_xlsx_workbook(adm, as_user):
    page = as_user(adm.d1_staff).get(reverse("admissions:export"), {"org": adm.D1.pk, "year": 2023})
    assert (page.status_code, page["Content-Type"], page.content[:2]) == (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK",
    )


def test_the_secretary_is_reminded_of_probation_ending_within_30_days(adm, as_user):
    from django.utils import timezone

    today = timezone.localdate()
    f.member(
        adm.C1,
        full_name="Sắp Hết",
        admitted_on=today.replace(year=today.year - 1) + dt.timedelta(days=20),
        official_on=None,
    )
    f.member(
        adm.C1,
        full_name="Còn Lâu",
        admitted_on=today.replace(year=today.year - 1) + dt.timedelta(days=40),
        official_on=None,
    )
    rows = as_user(adm.secretary).get(reverse("admissions:reminders")).context["rows"]
    assert [m.full_name for m in rows] == ["Võ Thị Eve", "Sắp Hết"]
    assert as_user(adm.outsider).get(reverse("admissions:reminders")).context["rows"] == []


def test_recognition_through_the_probation_page(adm, as_user):
    page = as_user(adm.secretary).post(
        reverse("admissions:probation", args=[adm.eve.pk]), {"action": "recognise", "on": "2024-01-09"}
    )
    assert page.context["recognise_form"].errors["on"] == [
        "Probation lasts until 10 Jan 2024; recognition cannot be dated earlier."
    ]
    page = as_user(adm.secretary).post(
        reverse("admissions:probation", args=[adm.eve.pk]),
        {"action": "recognise", "on": "2024-01-10", "votes_for": "2"},
    )
    adm.eve.refresh_from_db()
    assert (page.status_code, adm.eve.official_on) == (302, D(2024, 1, 10))


def test_targets_page_sets_a_target_for_a_committee_below(adm, as_user):
    page = as_user(adm.d1_staff).post(
        reverse("admissions:targets") + f"?org={adm.D1.pk}&year=2023",
        {"organisation": adm.G1.pk, "year": 2023, "target": 12},
    )
    assert page.status_code == 302
    assert list(adm.G1.admission_targets.values_list("year", "target", "set_by__code")) == [(2023, 12, "D1")]


def test_import_page_lists_refused_rows(adm, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "t.csv", b"org_code,year,target\nD1,2023,20\nC1,2023,2\n", content_type="text/csv"
    )
    page = as_user(adm.d1_staff).post(
        reverse("imports:kind", args=["targets"]) + f"?org={adm.D1.pk}", {"file": upload}
    )
    assert [(e.row, e.message) for e in page.context["report"].errors] == [
        (3, "Targets are set for committees, not for cells (Chi bộ thôn 1).")
    ]


def _candidates(w, n):
    for i in range(n):
        c = actions.register_candidate(
            by=SYSTEM, organisation=w.C1, full_name=f"Ứng viên {i}", date_of_birth=D(2000, 1, 1), sex="male"
        )
        actions.record_step(by=SYSTEM, candidate=c, kind=StepKind.CERTIFICATE, on=D(2023, 1, 1))


@pytest.mark.parametrize("rows", [1, 3])
def test_list_and_report_pages_read_a_fixed_number_of_queries(
    adm, as_user, rows, django_assert_max_num_queries
):
    _candidates(adm, rows)
    client = as_user(adm.d1_staff)
    client.get(reverse("admissions:index"))  # warm the session
    with django_assert_max_num_queries(22):
        assert client.get(reverse("admissions:index"), {"org": adm.D1.pk, "year": 2023}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admissions:candidates")).status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get(
            reverse("admissions:drilldown", args=["candidates"]), {"org": adm.D1.pk, "step": "certificate"}
        )
        assert page.context["page"].paginator.count == rows

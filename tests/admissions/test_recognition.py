"""Recognition as official (Charter Art. 5; Quy định 24-QĐ/TW; HD 01-HD/TW 2021): more than
half of the cell's official members vote in favour; the member is official from the day
the 12 months of probation end; one action, whichever page records it."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.admissions import actions
from serment.admissions.models import ProbationHelper, ProbationReview
from serment.core.errors import Refused
from serment.core.models import AuditEntry
from serment.members.models import Member
from tests import factories as f

D = dt.date


@pytest.fixture
def nine_officials(adm):
    """C1 with nine official members: Alice, Dan and seven more."""
    for n in range(7):
        f.member(adm.C1, full_name=f"Official {n}", admitted_on=D(2010, 1, 1), official_on=D(2011, 1, 1))
    return adm


def test_one_vote_for_and_eight_against_does_not_recognise(nine_officials):
    w = nine_officials
    with pytest.raises(Refused) as refusal:
        actions.recognise(by=w.secretary, member=w.eve, on=D(2024, 1, 12), votes_for=1, votes_against=8)
    assert refusal.value.codes == ["vote_short"]
    assert Member.objects.get(pk=w.eve.pk).official_on is None
    assert not ProbationReview.objects.exists()


def test_half_of_the_official_members_is_not_more_than_half(adm):
    # C1 has two official members (Alice and Dan): one in favour is half, not more.
    with pytest.raises(Refused) as refusal:
        actions.recognise(by=adm.secretary, member=adm.eve, on=D(2024, 1, 12), votes_for=1, votes_against=1)
    assert refusal.value.codes == ["vote_short"]


def test_five_of_nine_official_members_recognise(nine_officials):
    w = nine_officials
    actions.recognise(by=w.secretary, member=w.eve, on=D(2024, 1, 12), votes_for=5, votes_against=4)
    assert Member.objects.get(pk=w.eve.pk).official_on == D(2024, 1, 10)


def test_a_recognition_without_the_vote_is_refused(adm):
    with pytest.raises(Refused) as refusal:
        actions.recognise(by=adm.secretary, member=adm.eve, on=D(2024, 1, 12))
    assert refusal.value.codes == ["votes_missing"]


def test_the_official_date_is_the_end_of_probation_even_when_the_cell_meets_late(adm):
    review = actions.recognise(by=adm.secretary, member=adm.eve, on=D(2024, 3, 20), votes_for=2)
    assert Member.objects.get(pk=adm.eve.pk).official_on == D(2024, 1, 10)
    assert review.on == D(2024, 3, 20)


def test_a_member_cannot_be_recognised_twice(adm):
    with pytest.raises(Refused) as refusal:
        actions.recognise(by=adm.secretary, member=adm.dan, on=D(2024, 1, 12), votes_for=2)
    assert refusal.value.codes == ["already_official"]


def test_the_member_page_recognises_through_the_one_action(adm, client):
    """The member page's button writes the cell's vote and closes the helper, as the
    probation page does."""
    actions.assign_helper(by=adm.secretary, member=adm.eve, helper=adm.dan, on=D(2023, 1, 15))
    client.force_login(adm.secretary)
    response = client.post(
        reverse("members:action", args=[adm.eve.pk, "recognise"]),
        {"on": "2024-01-12", "votes_for": "2", "document_ref": "NQ 3"},
    )
    assert response.status_code == 302
    review = ProbationReview.objects.get(member=adm.eve)
    assert (review.on, review.recognised, review.votes_for) == (D(2024, 1, 12), True, 2)
    assert ProbationHelper.objects.get(member=adm.eve).ends_on == D(2024, 1, 12)
    assert Member.objects.get(pk=adm.eve.pk).official_on == D(2024, 1, 10)
    assert AuditEntry.objects.filter(target_id=adm.eve.pk, action="member.recognise").count() == 1


def test_the_member_page_shows_the_vote_refusal_on_its_field(nine_officials, client):
    w = nine_officials
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(w.secretary)
    response = client.post(
        reverse("members:action", args=[w.eve.pk, "recognise"]),
        {"on": "2024-01-12", "votes_for": "1", "votes_against": "8"},
    )
    assert response.context["form"].errors["votes_for"] == [
        "1 of the cell's 9 official members voted in favour; recognition needs more than 1/2 of them (5)."
    ]

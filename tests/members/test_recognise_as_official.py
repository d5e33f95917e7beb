import datetime as dt

import pytest

from serment.core.errors import DomainError
from serment.core.models import AuditEntry
from serment.members.actions import recognise_as_official
from tests import factories as f


@pytest.fixture
def probationer(world):
    return f.member(world.C1, admitted_on=dt.date(2022, 3, 15), official_on=None)


def test_secretary_recognises_a_probationer_after_twelve_months(world, probationer):
    recognise_as_official(by=world.secretary, member=probationer, on=dt.date(2023, 3, 15))
    probationer.refresh_from_db()
    assert probationer.official_on == dt.date(2023, 3, 15)
    assert probationer.standing == "official"
    entry = AuditEntry.objects.filter(target_id=probationer.pk, action="member.recognise").get()
    assert entry.actor == world.secretary


def test_recognition_before_the_end_of_probation_is_refused(world, probationer):
    with pytest.raises(DomainError) as exc:
        recognise_as_official(by=world.secretary, member=probationer, on=dt.date(2023, 3, 14))
    assert "2023-03-15" in str(exc.value)
    probationer.refresh_from_db()
    assert probationer.official_on is None


def test_an_official_member_cannot_be_recognised_again(world):
    with pytest.raises(DomainError):
        recognise_as_official(by=world.secretary, member=world.alice, on=dt.date(2023, 1, 1))

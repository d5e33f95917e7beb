"""Each rule of DOMAIN §5 refuses with a message that says why."""

import datetime as dt

import pytest

from serment.admissions import actions
from serment.admissions.actions import IntroducerInput
from serment.admissions.models import Step, StepKind
from serment.core.actors import SYSTEM
from serment.core.errors import DomainError

from .conftest import SMOOTH, advance

D = dt.date


def candidate(w, born, name="Phan Văn Trẻ"):
    return actions.register_candidate(
        by=w.secretary, organisation=w.C1, full_name=name, date_of_birth=born, sex="male"
    )


CONSIDERED = D(2023, 3, 10)


def consider(w, c, on=CONSIDERED, votes_for=2):
    return actions.record_step(
        by=w.secretary, candidate=c, kind=StepKind.CELL_RESOLUTION, on=on, votes_for=votes_for
    )


def test_candidate_17_years_11_months_old_at_the_cells_consideration_is_refused(adm):
    c = candidate(adm, born=D(2005, 4, 15))
    advance(adm, c, through=StepKind.OPINIONS)
    with pytest.raises(DomainError) as refusal:
        consider(adm, c, on=D(2023, 3, 20))
    assert refusal.value.message == (
        "Phan Văn Trẻ is 17 years 11 months old at the cell's consideration; the minimum is 18."
    )
    assert refusal.value.field == "on"
    assert not Step.objects.filter(candidate=c, kind=StepKind.CELL_RESOLUTION).exists()


def test_candidate_turning_18_on_the_day_of_the_consideration_is_accepted(adm):
    c = candidate(adm, born=D(2005, 3, 10))
    advance(adm, c, through=StepKind.OPINIONS)
    assert consider(adm, c, on=D(2023, 3, 10)).kind == StepKind.CELL_RESOLUTION


def test_candidate_60_years_1_month_old_is_refused(adm):
    c = candidate(adm, born=D(1963, 2, 1))
    advance(adm, c, through=StepKind.OPINIONS)
    with pytest.raises(DomainError) as refusal:
        consider(adm, c, on=D(2023, 3, 10))
    assert refusal.value.message == (
        "Phan Văn Trẻ is 60 years 1 month old at the cell's consideration; the maximum is 60."
    )


def test_candidate_exactly_60_years_old_is_accepted(adm):
    c = candidate(adm, born=D(1963, 3, 10))
    advance(adm, c, through=StepKind.OPINIONS)
    assert consider(adm, c, on=D(2023, 3, 10)).kind == StepKind.CELL_RESOLUTION


def test_certificate_older_than_5_years_at_the_consideration_is_refused(adm):
    dates = {**SMOOTH, StepKind.CERTIFICATE: D(2018, 3, 10)}
    advance(adm, adm.huong, through=StepKind.OPINIONS, dates=dates)
    with pytest.raises(DomainError) as refusal:
        consider(adm, adm.huong, on=D(2023, 3, 10))
    assert refusal.value.message == (
        "The Party-awareness class certificate of 10 Mar 2018 expired on 10 Mar 2023 (valid 5 years); "
        "the candidate must attend the class again."
    )


def test_certificate_a_day_short_of_5_years_is_still_valid(adm):
    dates = {**SMOOTH, StepKind.CERTIFICATE: D(2018, 3, 11)}
    advance(adm, adm.huong, through=StepKind.OPINIONS, dates=dates)
    assert consider(adm, adm.huong, on=D(2023, 3, 10)).on == D(2023, 3, 10)


INTRODUCED = D(2023, 2, 10)


def introduce(w, c, introducers, on=INTRODUCED, youth_union=False):
    return actions.record_step(
        by=w.secretary,
        candidate=c,
        kind=StepKind.INTRODUCERS,
        on=on,
        introducers=introducers,
        youth_union_recommendation=youth_union,
    )


def test_a_probationary_introducer_is_refused(adm):
    advance(adm, adm.huong, through=StepKind.CV)
    with pytest.raises(DomainError) as refusal:
        introduce(
            adm,
            adm.huong,
            [
                IntroducerInput(member=adm.alice, worked_together_since=D(2020, 1, 1)),
                IntroducerInput(member=adm.eve, worked_together_since=D(2020, 1, 1)),
            ],
        )
    assert refusal.value.message == (
        "Võ Thị Eve is a probationary member; only official members can introduce a candidate."
    )
    assert refusal.value.field == "introducers"


def test_an_introducer_who_left_the_register_is_refused(adm):
    from serment.members.actions import record_death

    record_death(by=SYSTEM, member=adm.dan, on=D(2022, 12, 1))
    advance(adm, adm.huong, through=StepKind.CV)
    with pytest.raises(DomainError) as refusal:
        introduce(
            adm,
            adm.huong,
            [
                IntroducerInput(member=adm.alice, worked_together_since=D(2020, 1, 1)),
                IntroducerInput(member=adm.dan, worked_together_since=D(2020, 1, 1)),
            ],
        )
    assert (
        refusal.value.message == "Đỗ Văn Dan is not a member of the Party and cannot introduce a candidate."
    )


def test_an_introducer_who_worked_with_the_candidate_under_a_year_is_refused(adm):
    advance(adm, adm.huong, through=StepKind.CV)
    with pytest.raises(DomainError) as refusal:
        introduce(
            adm,
            adm.huong,
            [
                IntroducerInput(member=adm.alice, worked_together_since=D(2020, 1, 1)),
                IntroducerInput(member=adm.dan, worked_together_since=D(2022, 2, 11)),
            ],
        )
    assert refusal.value.message == (
        "Đỗ Văn Dan has worked with the candidate since 11 Feb 2022, less than 12 months before 10 Feb 2023."
    )


def test_one_introducer_alone_is_refused(adm):
    advance(adm, adm.huong, through=StepKind.CV)
    with pytest.raises(DomainError) as refusal:
        introduce(adm, adm.huong, [IntroducerInput(member=adm.alice, worked_together_since=D(2020, 1, 1))])
    assert refusal.value.message == (
        "2 official members must introduce the candidate (or the youth union must recommend them)."
    )


def test_a_youth_union_recommendation_replaces_the_introducers(adm):
    advance(adm, adm.huong, through=StepKind.CV)
    step = introduce(adm, adm.huong, [], youth_union=True)
    assert step.youth_union_recommendation is True


def test_the_cell_resolution_needs_two_thirds_of_the_official_members(adm):
    advance(adm, adm.huong, through=StepKind.OPINIONS)
    with pytest.raises(DomainError) as refusal:
        consider(adm, adm.huong, votes_for=1)
    assert refusal.value.message == (
        "1 of the cell's 2 official members voted in favour; admission needs at least 2/3 of them (2)."
    )


def test_more_votes_than_official_members_is_refused(adm):
    advance(adm, adm.huong, through=StepKind.OPINIONS)
    with pytest.raises(DomainError) as refusal:
        actions.record_step(
            by=adm.secretary,
            candidate=adm.huong,
            kind=StepKind.CELL_RESOLUTION,
            on=D(2023, 3, 10),
            votes_for=2,
            votes_against=1,
        )
    assert refusal.value.message == "3 votes were cast but the cell has 2 official members."


def test_the_refusal_is_translated_for_vietnamese_users(adm):
    from django.utils import translation

    c = candidate(adm, born=D(2005, 4, 15))
    advance(adm, c, through=StepKind.OPINIONS)
    with translation.override("vi"), pytest.raises(DomainError) as refusal:
        consider(adm, c, on=D(2023, 3, 20))
    assert refusal.value.message == (
        "Phan Văn Trẻ được 17 tuổi 11 tháng khi chi bộ xét kết nạp; tối thiểu là 18 tuổi."
    )

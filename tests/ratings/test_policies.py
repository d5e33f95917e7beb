"""The rules engine, rule by rule and rule set by rule set (DOMAIN §4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from serment.ratings import policies
from serment.ratings.policies import Case, Discipline, Level, SubjectKind

QD132 = policies.RULE_SETS_BY_CODE["qd132"]
QD124 = policies.RULE_SETS_BY_CODE["qd124"]
QD366 = policies.RULE_SETS_BY_CODE["qd366"]


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2018, "qd132"),
        (2020, "qd132"),
        (2022, "qd132"),
        (2023, "qd124"),
        (2024, "qd124"),
        (2025, "qd366"),
        (2030, "qd366"),
    ],
)
def test_the_year_chooses_the_rule_set_by_effective_date(year, code):
    assert policies.rule_set_for_year(year).code == code


def test_no_rule_set_before_2018():
    with pytest.raises(ValueError):
        policies.rule_set_for_year(2017)


def member(level="excellent", **kw):
    return Case(key=kw.pop("key", 1), kind=SubjectKind.MEMBER, level=level, name="Nguyễn Văn A", **kw)


REPRIMAND = Discipline("reprimand")
REPRIMAND_SELF_REMEDIED = Discipline("reprimand", self_remedied=True)
WARNING = Discipline("warning")


@pytest.mark.parametrize(
    ("rules", "disciplines", "cap", "rule"),
    [
        (QD132, (), Level.EXCELLENT, ""),
        (QD132, (REPRIMAND,), Level.NOT_COMPLETED, "disciplined"),
        (QD132, (REPRIMAND_SELF_REMEDIED,), Level.NOT_COMPLETED, "disciplined"),  # no exemption before 2023
        (QD124, (REPRIMAND,), Level.NOT_COMPLETED, "disciplined"),
        (QD124, (REPRIMAND_SELF_REMEDIED,), Level.EXCELLENT, ""),
        (QD124, (REPRIMAND_SELF_REMEDIED, WARNING), Level.NOT_COMPLETED, "disciplined"),
    ],
)
def test_a_member_disciplined_in_the_year_is_not_completed(rules, disciplines, cap, rule):
    result = policies.cap_for(rules, member(disciplines=disciplines))
    assert (result.level, result.rule) == (cap, rule)


def collective(**kw):
    return Case(key=9, kind=SubjectKind.COLLECTIVE, level="good", name="Đảng ủy xã", **kw)


@pytest.mark.parametrize(
    ("rules", "case_kw", "cap", "rule"),
    [
        (QD132, {"member_disciplines": (REPRIMAND,)}, Level.EXCELLENT, ""),
        (QD132, {"member_disciplines": (WARNING,)}, Level.NOT_COMPLETED, "collective_member_disciplined"),
        (
            QD132,
            {"member_disciplines": (Discipline("expulsion"),)},
            Level.NOT_COMPLETED,
            "collective_member_disciplined",
        ),
        (QD132, {"subordinate_units": 10, "subordinate_units_disciplined": 5}, Level.EXCELLENT, ""),
        (QD124, {"member_disciplines": (WARNING,)}, Level.EXCELLENT, ""),
        (QD124, {"subordinate_units": 10, "subordinate_units_disciplined": 2}, Level.EXCELLENT, ""),
        (
            QD124,
            {"subordinate_units": 10, "subordinate_units_disciplined": 3},
            Level.NOT_COMPLETED,
            "collective_units_disciplined",
        ),
        (QD124, {"targets_met": Decimal("0.50")}, Level.EXCELLENT, ""),
        (QD124, {"targets_met": Decimal("0.49")}, Level.NOT_COMPLETED, "collective_targets_met"),
        (QD366, {"targets_met": Decimal("0.49")}, Level.NOT_COMPLETED, "collective_targets_met"),
    ],
)
def test_leadership_collective_caps(rules, case_kw, cap, rule):
    result = policies.cap_for(rules, collective(**case_kw))
    assert (result.level, result.rule) == (cap, rule)


@pytest.mark.parametrize(
    ("score", "on_time", "exceeded", "cap", "rule"),
    [
        (Decimal(95), True, Decimal("0.30"), Level.EXCELLENT, ""),
        (Decimal(90), True, Decimal("0.50"), Level.EXCELLENT, ""),
        (Decimal(95), False, Decimal("0.50"), Level.GOOD, "excellent_conditions"),
        (Decimal(95), True, Decimal("0.29"), Level.GOOD, "excellent_conditions"),
        (Decimal("89.5"), True, Decimal("0.50"), Level.GOOD, "score_band"),
        (Decimal(70), None, None, Level.GOOD, "score_band"),
        (Decimal("69.99"), None, None, Level.COMPLETED, "score_band"),
        (Decimal(50), None, None, Level.COMPLETED, "score_band"),
        (Decimal(49), None, None, Level.NOT_COMPLETED, "score_band"),
        (None, None, None, Level.NOT_COMPLETED, "score_missing"),
    ],
)
def test_2025_score_bands(score, on_time, exceeded, cap, rule):
    result = policies.cap_for(QD366, member(score=score, all_tasks_on_time=on_time, tasks_exceeded=exceeded))
    assert (result.level, result.rule) == (cap, rule)


def test_before_2025_the_score_is_not_read():
    assert policies.cap_for(QD124, member(score=Decimal(10))).level == Level.EXCELLENT


def group(excellent, good, other=0, group="G"):
    levels = ["excellent"] * excellent + ["good"] * good + ["completed"] * other
    return [
        Case(key=i, kind=SubjectKind.MEMBER, level=lvl, quota_group=group) for i, lvl in enumerate(levels)
    ]


@pytest.mark.parametrize(
    ("rules", "excellent", "good", "refused"),
    [
        (QD132, 5, 25, False),
        (QD132, 6, 25, True),
        (QD132, 1, 4, True),
        (QD132, 1, 5, False),
        (QD132, 0, 0, False),
        (QD124, 6, 25, True),
        (QD366, 6, 25, True),
    ],
)
def test_excellent_may_not_exceed_20_percent_of_those_rated_good(rules, excellent, good, refused):
    refusals = policies.quota_refusals(rules, group(excellent, good, other=3), {"G": "Đảng bộ xã 1"})
    assert bool(refusals) == refused


def test_the_quota_refusal_names_the_rule_and_the_figures():
    (refusal,) = policies.quota_refusals(QD132, group(6, 25), {"G": "Đảng bộ xã 1 (G1)"})
    assert refusal.rule == "excellent_quota"
    assert refusal.message == (
        "6 excellent exceeds 20% of 25 rated good in Đảng bộ xã 1 (G1) "
        "(Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW)."
    )
    assert refusal.keys == (0, 1, 2, 3, 4, 5)


def test_the_quota_counts_each_group_apart():
    cases = group(5, 25, group="A") + [
        Case(key=100 + i, kind=SubjectKind.MEMBER, level=lvl, quota_group="B")
        for i, lvl in enumerate(["excellent", "good"])
    ]
    assert [r.message.split(" in ")[1][:1] for r in policies.quota_refusals(QD132, cases)] == ["B"]


@override_settings(SERMENT_RATINGS_QUOTA_QD124=False)
def test_the_unconfirmed_2023_quota_is_a_setting():
    assert policies.quota_refusals(QD124, group(6, 25)) == []
    assert len(policies.quota_refusals(QD132, group(6, 25))) == 1


def test_the_cap_refusal_names_the_rule():
    (refusal,) = policies.cap_refusals(QD132, [member("good", disciplines=(REPRIMAND,))])
    assert refusal.rule == "disciplined"
    assert refusal.message == (
        "Nguyễn Văn A cannot be rated Good (hoàn thành tốt): disciplined in the year "
        "(Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW); at most Not completed (không hoàn thành)."
    )


def test_settle_lowers_to_caps_and_trims_the_quota():
    cases = group(8, 20) + [member("excellent", key="d", disciplines=(REPRIMAND,), quota_group="G")]
    settled = policies.settle(QD132, cases)
    levels = [c.level for c in settled]
    # each demotion moves one from excellent to good: 4 excellent ≤ 20% of 24 good
    assert (levels.count("excellent"), levels.count("good"), settled[-1].level) == (4, 24, "not_completed")
    assert policies.check(QD132, settled) == []


def test_rule_sets_have_increasing_effective_dates():
    dates = [r.effective_from for r in policies.RULE_SETS]
    assert dates == sorted(dates) and dates[0] == dt.date(2018, 1, 1)

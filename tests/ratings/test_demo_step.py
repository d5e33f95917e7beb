"""The demo step on a small tree: it runs, and what it makes obeys the rules."""

import random

from serment.core.demo import DemoContext
from serment.inspection.models import DisciplineDecision
from serment.ratings import demo, facts, policies
from serment.ratings.models import Rating, RatingTarget
from serment.ratings.policies import Case
from tests import factories as f


def test_demo_ratings_obey_the_quota_and_the_discipline_cap(world):
    for cell in (world.C1, world.C2, world.C3):
        for i in range(14):
            f.member(cell, full_name=f"Hồ Văn {cell.code} {i}")
    ctx = DemoContext(seed=1, rng=random.Random(1), log=lambda msg: None, province=world.P)
    demo.build(ctx)
    assert set(Rating.objects.values_list("year", flat=True)) == {2020, 2021, 2022}
    assert RatingTarget.objects.count() == 4
    tree = facts.Tree(None)
    for year in demo.YEARS:
        rules = policies.rule_set_for_year(year)
        rows = Rating.objects.filter(year=year).values_list("pk", "subject_kind", "quota_group_id", "level")
        cases = [Case(pk, kind, level, quota_group=(kind, group)) for pk, kind, group, level in rows]
        assert policies.quota_refusals(rules, cases) == []
        disciplined = DisciplineDecision.objects.filter(decided_on__year=year).values("member_id")
        assert set(
            Rating.objects.filter(year=year, member_id__in=disciplined).values_list("level", flat=True)
        ) == {"not_completed"}
    assert len(tree.nodes) == 9
    # 45 members on the register since 2010, all rated each year
    assert Rating.objects.filter(year=2022, subject_kind="member").count() == 45

"""Property tests: whatever is proposed, what ``settle`` makes decidable never
breaks the quota or the discipline cap, and ``check`` agrees."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from serment.ratings import policies
from serment.ratings.policies import Case, Discipline, Level, SubjectKind

rule_sets = st.sampled_from(policies.RULE_SETS)
levels = st.sampled_from(Level.values)
disciplines = st.lists(
    st.builds(Discipline, st.sampled_from(["reprimand", "warning", "dismissal", "expulsion"]), st.booleans()),
    max_size=2,
)
scores = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1))


@st.composite
def cases(draw):
    n = draw(st.integers(min_value=0, max_value=60))
    return [
        Case(
            key=i,
            kind=draw(st.sampled_from([SubjectKind.MEMBER, SubjectKind.ORGANISATION])),
            level=draw(levels),
            quota_group=draw(st.sampled_from(["A", "B", "C", None])),
            disciplines=tuple(draw(disciplines)),
            score=draw(scores),
            all_tasks_on_time=draw(st.booleans()),
            tasks_exceeded=draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=2))),
        )
        for i in range(n)
    ]


@settings(max_examples=300, deadline=None)
@given(rule_sets, cases())
def test_settled_ratings_never_break_a_rule(rules, proposed):
    settled = policies.settle(rules, proposed)
    assert policies.check(rules, settled) == []
    quota = rules.quota()
    for group in ("A", "B", "C"):
        members = [c for c in settled if c.quota_group == group]
        excellent = sum(c.level == Level.EXCELLENT for c in members)
        good = sum(c.level == Level.GOOD for c in members)
        assert Decimal(excellent) <= quota * good
    for case in settled:
        counted = [d for d in case.disciplines if not (rules.self_remedy_exempts and d.self_remedied)]
        if counted:
            assert case.level == Level.NOT_COMPLETED


@settings(max_examples=300, deadline=None)
@given(rule_sets, cases())
def test_settle_never_raises_a_level(rules, proposed):
    settled = policies.settle(rules, proposed)
    rank = policies.LEVEL_RANK
    assert all(rank[s.level] <= rank[p.level] for s, p in zip(settled, proposed, strict=True))


@settings(max_examples=300, deadline=None)
@given(rule_sets, cases())
def test_check_refuses_exactly_when_settle_would_change_something(rules, proposed):
    changed = policies.settle(rules, proposed) != proposed
    assert bool(policies.check(rules, proposed)) == changed

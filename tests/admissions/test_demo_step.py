"""The demo step on a small tree: targets, a peer table ranking the province 3rd of 67,
candidates at various steps. (The full demo is checked with the CLI, docs/admissions.md.)"""

import datetime as dt
import random

from serment.admissions import demo, queries
from serment.admissions.models import AdmissionTarget, Candidate, PeerFigure
from serment.core.demo import DemoContext
from serment.core.scoping import SYSTEM
from tests import factories as f

D = dt.date


def test_demo_step_ranks_the_province_third_of_67(world):
    for n in range(3):
        f.member(world.C1, admitted_on=D(2021, 3, 1 + n), official_on=D(2022, 3, 2 + n))
    f.member(world.C3, admitted_on=D(2022, 5, 1), official_on=None)
    ctx = DemoContext(
        seed=7, rng=random.Random(7), log=lambda m: None, province=world.P, data={"cell": world.C1}
    )
    demo.build(ctx)
    assert list(AdmissionTarget.objects.filter(year=2022).values_list("organisation__code", "target")) == [
        ("P", 2000),
        ("D1", 1667),
        ("D2", 333),
    ]
    assert PeerFigure.objects.filter(year=2022).count() == 66
    for year in (2021, 2022):
        r = queries.admission_report(viewer=SYSTEM, org=world.P, year=year, as_of=D(2023, 6, 30))
        assert (year, r.peer_rank, r.peer_count) == (year, 3, 67)
    assert Candidate.objects.filter(status="in_progress").count() == 5  # 4 in C1, 1 in its only neighbour C2

import datetime as dt
import random

from serment.core.demo import DemoContext
from serment.core.scoping import SYSTEM
from serment.members.actions import exempt_member, transfer_member
from serment.oath import demo, queries
from serment.oath.models import CellMeeting
from tests import factories as f


def test_demo_campaign_covers_every_cell_and_every_active_member(world):
    old = f.member(world.C3, date_of_birth=dt.date(1950, 1, 1))
    exempt_member(by=SYSTEM, member=old, on=dt.date(2023, 1, 10), reason="age")
    late = f.member(world.C2, admitted_on=dt.date(2023, 6, 20), official_on=None)
    transfer_member(by=SYSTEM, member=world.bob, to=world.C1, on=dt.date(2023, 5, 25))
    ctx = DemoContext(seed=1, rng=random.Random(1), log=lambda msg: None, province=world.P)

    demo.build(ctx)

    cov = queries.coverage(
        viewer=SYSTEM, campaign=ctx.data["oath_campaign"], org=None, as_of=dt.date(2023, 6, 30)
    )
    t = cov.total
    assert (t.cells_held, t.cells, t.members["reported"], t.members["expected"]) == (4, 4, 4, 5)
    assert (t.members["exempt"], t.members["not_reported"]) == (1, 0)
    assert CellMeeting.objects.get(cell=world.C2).held_on >= late.admitted_on

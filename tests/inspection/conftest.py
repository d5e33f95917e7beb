"""Inspection fixtures: the shared ``world``, plus inspection staff on G1 (below the
D1 inspector) and on D2 (a sibling subtree), and a post held by bob."""

import datetime as dt

import pytest

from serment.core.actors import SYSTEM
from serment.members.actions import assign_post
from tests import factories as f

UBKT = "Ủy ban Kiểm tra Huyện ủy 1"


@pytest.fixture
def insp(world):
    w = world
    w.g1_inspector = f.user("g1_inspector")
    f.role(w.g1_inspector, w.G1, "inspection_staff")
    w.d2_inspector = f.user("d2_inspector")
    f.role(w.d2_inspector, w.D2, "inspection_staff")
    w.bob_post = assign_post(
        by=SYSTEM, member=w.bob, organisation=w.C2, post="secretary", on=dt.date(2018, 1, 1)
    )
    return w

"""Rating fixtures: the shared ``world`` with a few more members in cell C1, so a
grassroots organisation has enough members for the quota to bite."""

import datetime as dt

import pytest

from tests import factories as f


@pytest.fixture
def rated(world):
    """``world`` plus 10 members in C1 (dave0..dave9) admitted in 2010."""
    world.daves = [f.member(world.C1, full_name=f"Đào Văn Dave {i}") for i in range(10)]
    return world


YEAR = 2022
DECIDED_ON = dt.date(2022, 12, 20)

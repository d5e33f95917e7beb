"""The demo runner: `serment demo` calls each step of ``settings.SERMENT_DEMO_STEPS``.

Steps make records only through importers and actions, as users do; reports never
know the demo exists.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .db import refresh_statistics

DEMO_PASSWORD = "demo"


@dataclass
class DemoContext:
    seed: int
    rng: random.Random
    log: Callable[[str], None]
    province: Any = None  # the provincial committee, set by the first step
    users: dict[str, Any] = field(default_factory=dict)  # username -> description, printed at the end
    data: dict[str, Any] = field(default_factory=dict)  # what a step leaves for later ones


def run_demo(*, seed: int = 2023, log: Callable[[str], None] = print) -> DemoContext:
    """Build the demo province in one transaction (nothing is left half-made)."""
    ctx = DemoContext(seed=seed, rng=random.Random(seed), log=log)
    with transaction.atomic():
        for dotted in settings.SERMENT_DEMO_STEPS:
            started = time.perf_counter()
            step = import_string(dotted)
            step(ctx)
            refresh_statistics()  # the next step's queries, and the first report, plan from current counts
            log(f"  {dotted}: {time.perf_counter() - started:.1f} s")
    return ctx

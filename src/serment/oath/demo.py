"""Demo step for the oath campaign (filled in below)."""

from __future__ import annotations

from serment.core.demo import DemoContext


def build(ctx: DemoContext) -> None:
    """The 2023 campaign of the demo province (being written)."""

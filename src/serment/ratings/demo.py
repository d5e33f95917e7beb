"""Demo step: decided ratings for 2020–2022 (filled in below as the app grows)."""

from __future__ import annotations


def build(ctx) -> None:
    """Rate the demo province for 2020, 2021 and 2022."""

"""Transfer letters and packages through the API (filled below)."""

from ninja import Router

router = Router(tags=["transfers"])

"""Shared shape of reports, so pages, exports and the CLI print the same figures.

Each app that has command-line reports exposes ``CLI_REPORTS`` in its ``reports.py``:
``{"oath-coverage": callable}``, the callable taking keyword arguments
``viewer``, ``org`` (an Organisation or None for the whole tree) and ``options``
(the parsed command-line options: ``as_of``, ``year``…) and returning a ``ReportTable``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from . import exports


@dataclass
class ReportTable:
    title: str
    header: list[str]
    rows: list[list[Any]]
    data: Any = field(default=None)  # JSON-able structure; defaults to the rows as dicts

    def as_json(self) -> str:
        data = (
            self.data
            if self.data is not None
            else [dict(zip(self.header, r, strict=False)) for r in self.rows]
        )
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)

    def render(self, fmt: str) -> bytes:
        if fmt == "json":
            return self.as_json().encode("utf-8")
        return exports.render(fmt, self.header, self.rows, title=self.title)


def percent(numerator: int, denominator: int, places: int = 1) -> Decimal | None:
    """Share as a percentage rounded half-up (101.45 → 101.5), None when nothing to divide by."""
    if not denominator:
        return None
    q = Decimal(1).scaleb(-places)
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(q, rounding=ROUND_HALF_UP)


def cli_reports() -> dict[str, Callable[..., ReportTable]]:
    """All reports the apps offer to ``serment report``."""
    found: dict[str, Callable[..., ReportTable]] = {}
    for cfg in apps.get_app_configs():
        if not cfg.name.startswith("serment."):
            continue
        try:
            module = importlib.import_module(f"{cfg.name}.reports")
        except ModuleNotFoundError as exc:
            if exc.name == f"{cfg.name}.reports":
                continue
            raise
        found.update(getattr(module, "CLI_REPORTS", {}))
    return found

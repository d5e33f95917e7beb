"""The top menu: a list of entries each app contributes.

An app adds its links with a ``menu.py`` module holding ``ENTRIES``, a list of
``MenuEntry``. ``core`` imports no app: it finds those modules through the app
registry, as ``core.reporting.cli_reports`` finds reports.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import reverse

from .scoping import Scope


@dataclass(frozen=True)
class MenuEntry:
    """One link of the top menu.

    ``shown`` decides from the viewer's scope whether the link is offered (the page
    itself still checks); ``prefixes`` are the URL paths under which the entry is the
    current one (default: the link's own path)."""

    key: str
    label: Any  # gettext_lazy
    url_name: str
    order: int = 100
    shown: Callable[[Scope], bool] = lambda scope: True
    prefixes: tuple[str, ...] = ()
    url_args: Callable[[Scope], tuple[Any, ...]] | None = None  # e.g. the viewer's top organisation

    def url(self, scope: Scope) -> str:
        return reverse(self.url_name, args=self.url_args(scope) if self.url_args else ())

    def is_current(self, path: str, url: str) -> bool:
        candidates = self.prefixes or (url,)
        return any(path == p if p == "/" else path.startswith(p) for p in candidates)


@cache
def all_entries() -> tuple[MenuEntry, ...]:
    """Every app's entries, in menu order."""
    found: list[MenuEntry] = []
    for cfg in apps.get_app_configs():
        if not cfg.name.startswith("serment."):
            continue
        try:
            module = importlib.import_module(f"{cfg.name}.menu")
        except ModuleNotFoundError as exc:
            if exc.name == f"{cfg.name}.menu":
                continue
            raise
        found.extend(getattr(module, "ENTRIES", ()))
    return tuple(sorted(found, key=lambda e: (e.order, e.key)))


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: Any
    url: str
    current: bool


def menu_for(scope: Scope, path: str) -> list[MenuLink]:
    """The links the viewer is offered, the one for ``path`` marked current (the
    longest matching link wins, so /members/import/ marks Import, not Members)."""
    links = []
    for entry in all_entries():
        if entry.shown(scope):
            url = entry.url(scope)
            links.append((entry, url))
    best = None
    best_len = -1
    for entry, url in links:
        if entry.is_current(path, url):
            length = max(len(p) for p in (entry.prefixes or (url,)) if path.startswith(p) or p == path)
            if length > best_len:
                best, best_len = entry.key, length
    return [MenuLink(e.key, e.label, url, e.key == best) for e, url in links]

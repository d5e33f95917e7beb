"""One source text, one meaning: Django merges every app's catalogue into one, so
when two catalogues translate the same msgid (same context) differently, whichever
loads first wins everywhere ("Record" read "Hồ sơ" on the meeting sheet's save
button). Give the two meanings a ``pgettext`` context or distinct source texts.

The check covers every catalogue of the project's apps, including apps added later,
against each other and against Django's own catalogues (the ratings "History" heading
took the admin's "Bản ghi nhớ")."""

from __future__ import annotations

import gettext
from collections import defaultdict
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def _catalogue(path: Path) -> dict:
    with path.open("rb") as fh:
        return {k: v for k, v in gettext.GNUTranslations(fh)._catalog.items() if k != ""}


def _catalogues(language: str) -> list[tuple[str, bool, dict]]:
    """(label, is ours, catalogue) in the order Django gives them precedence: the
    first installed app that translates a text wins, Django's own catalogue last."""
    out = []
    for app in apps.get_app_configs():
        mo = Path(app.path) / "locale" / language / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            out.append((app.label, app.name.startswith("serment."), _catalogue(mo)))
    core = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.mo"
    if core.exists():
        out.append(("django", False, _catalogue(core)))
    return out


def clashes(language: str) -> list[str]:
    """Source texts that one of our catalogues translates otherwise than another of
    ours, or otherwise than the translation users actually get (the first loaded)."""
    catalogues = _catalogues(language)
    ours: dict[object, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for label, is_ours, catalogue in catalogues:
        if is_ours:
            for key, text in catalogue.items():
                ours[key][text].add(label)
    out = []
    for key, texts in sorted(ours.items(), key=lambda kv: str(kv[0])):
        winner = next((label, c[key]) for label, _o, c in catalogues if key in c)
        texts = {t: set(labels) for t, labels in texts.items()}
        texts.setdefault(winner[1], set()).add(winner[0] + " (shown)")
        if len(texts) > 1:
            shown = "; ".join(f"{t!r} in {', '.join(sorted(labels))}" for t, labels in sorted(texts.items()))
            out.append(f"{str(key).replace(chr(4), ' | ')}: {shown}")
    return out


def test_the_project_has_catalogues_to_check():
    ours = {label for label, is_ours, _c in _catalogues("vi") if is_ours}
    assert {"core", "members", "oath", "ratings", "admissions"} <= ours


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_source_text_has_two_translations(language):
    found = clashes(language)
    assert found == [], f"{len(found)} source texts translated two ways in {language}:\n" + "\n".join(found)

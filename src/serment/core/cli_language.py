"""The command line's language: ``--lang vi|fr|en`` (anywhere on the line), else the
first supported language of the ``LANGUAGE`` environment variable (GNU style,
``vi:fr``), else English. The web pages follow the browser or the language chosen there;
the command line follows the user's shell, and its documentation is written in English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

SUPPORTED = ("vi", "fr", "en")
DEFAULT = "en"


def _supported(code: str) -> str | None:
    code = code.strip().lower().replace("_", "-").split(".")[0]
    base = code.split("-")[0]
    return base if base in SUPPORTED else None


def command_line_language(argv: Sequence[str], environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """(language, argv without the ``--lang`` option)."""
    rest: list[str] = []
    chosen = None
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang" and i + 1 < len(args):
            chosen = _supported(args[i + 1]) or chosen
            i += 2
            continue
        if arg.startswith("--lang="):
            chosen = _supported(arg.split("=", 1)[1]) or chosen
            i += 1
            continue
        rest.append(arg)
        i += 1
    if chosen is None:
        for code in environ.get("LANGUAGE", "").split(":"):
            chosen = _supported(code) if code else None
            if chosen:
                break
    return chosen or DEFAULT, rest


def activate_for_command_line(argv: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """Set up Django, activate the command line's language, and return the remaining argv."""
    import django
    from django.utils import translation

    language, rest = command_line_language(argv, environ)
    django.setup()
    translation.activate(language)
    return rest

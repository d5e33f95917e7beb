"""No message shows an ISO date (2023-06-20) or a hard-coded day/month/year: a date in a
message is passed as a date (a ``Refusal`` shows it in the reader's format) or shown
with ``core.dates.show_date``. The source is read for the two ways a date slipped in
before, and the messages of inspection, cadre work and the home page are rendered in
each language."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation

from serment.cadres.actions._common import _d as cadre_day
from serment.core.actors import SYSTEM
from serment.core.errors import DomainError
from serment.home import messages
from serment.inspection.actions import record_discipline

SRC = Path(__file__).resolve().parents[2] / "src" / "serment"
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}
EXPECTED = {"vi": "05/03/2023", "fr": "05/03/2023", "en": "5 Mar 2023"}


def _formats_a_date(node: ast.AST) -> bool:
    """``x.isoformat()`` or ``x.strftime(...)`` anywhere in ``node``."""
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("isoformat", "strftime")
        for n in ast.walk(node)
    )


def _name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        # Refusal(..., params={"day": d.isoformat()})
        if isinstance(node, ast.Call) and _name(node.func) == "Refusal":
            for kw in node.keywords:
                if kw.arg == "params" and _formats_a_date(kw.value):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} Refusal params")
        # gettext("… %(day)s …") % {"day": d.isoformat()}
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Call)
            and _name(node.left.func) in GETTEXT
            and _formats_a_date(node.right)
        ):
            found.append(f"{path.relative_to(SRC)}:{node.lineno} message")
        # def __str__(self): return f"… {self.decided_on}" (an ISO date on every page naming the record)
        if isinstance(node, ast.FunctionDef) and node.name == "__str__":
            for f in ast.walk(node):
                if isinstance(f, ast.FormattedValue) and isinstance(f.value, ast.Attribute):
                    if f.value.attr.endswith(("_on", "_date")) or f.value.attr in ("deadline", "date"):
                        found.append(f"{path.relative_to(SRC)}:{f.lineno} __str__ {f.value.attr}")
    return found


def test_no_message_in_the_source_formats_a_date_itself():
    offences = [
        o for path in sorted(SRC.rglob("*.py")) if "migrations" not in path.parts for o in _offences(path)
    ]
    assert offences == []


@pytest.mark.parametrize("language", ["vi", "fr", "en"])
def test_home_messages_show_stored_dates_in_the_readers_format(language):
    with translation.override(language):
        text = messages.render("inspection.case_due", {"kind": "K", "case": "12", "date": "2023-03-05"})
    assert text.endswith(EXPECTED[language]) and "2023-03-05" not in text


@pytest.mark.parametrize("language", ["vi", "fr", "en"])
def test_cadre_messages_write_the_readers_date(language):
    with translation.override(language):
        assert cadre_day(dt.date(2023, 3, 5)) == EXPECTED[language]


@pytest.mark.parametrize("language", ["vi", "fr", "en"])
def test_an_inspection_refusal_shows_the_readers_date(world, language):
    with pytest.raises(DomainError) as exc:
        record_discipline(
            by=SYSTEM,
            member=world.bob,
            form="reprimand",
            decided_on=dt.date(2009, 3, 5),  # before bob's admission (19 May 2010)
            announced_on=dt.date(2009, 3, 6),
            deciding_body="Ủy ban kiểm tra",
            document_ref="1-QĐ",
        )
    with translation.override(language):
        text = " ".join(str(r.text) for r in exc.value.refusals)
    assert {"vi": "19/05/2010", "fr": "19/05/2010", "en": "19 May 2010"}[language] in text
    assert "2010-05-19" not in text

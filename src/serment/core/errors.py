"""One family of domain errors.

Actions raise these with a translatable, human message; the boundary (form, view,
importer, CLI, API) turns them into a field error, a 4xx page or a CLI message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class DomainError(Exception):
    """A rule refused the change. Nothing was written."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class NotPermitted(DomainError):
    """The user sees the object but their role does not allow this change."""

    status_code = 403

    def __init__(self, message: str, *, field: str | None = None, code: str = "not_permitted"):
        super().__init__(message, field=field, code=code)


@dataclass(frozen=True)
class Refusal:
    """One reason a change may not happen: what ``check_<action>`` functions return.

    ``code`` is stable (tests and API clients read it); ``message`` is a translatable
    template (``gettext_lazy``) filled with ``params`` when shown, so it reads in the
    reader's language; ``source`` cites the rule ("Quy định 80-QĐ/TW, Art. 3");
    ``field`` names the form or import field at fault.
    """

    code: str
    message: Any
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    field: str | None = None

    @property
    def text(self) -> str:
        from .dates import plain  # dates in params read in the reader's format

        template = str(self.message)
        return template % {k: plain(v) for k, v in self.params.items()} if self.params else template

    def __str__(self) -> str:
        return self.text


class Refused(DomainError):
    """An action refused with the result of its ``check_*`` function."""

    def __init__(self, refusals: Sequence[Refusal]):
        refusals = list(refusals)
        first = refusals[0]
        super().__init__(" ".join(r.text for r in refusals), field=first.field, code=first.code)
        self.refusals = refusals
        if any(r.code == "not_permitted" or r.code == "no_actor" for r in refusals):
            self.status_code = 403

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.refusals]


class RefusedNotPermitted(Refused, NotPermitted):
    """A check refused because of who acts (``no_actor``, ``not_permitted``): a 403, never a
    form error, as ``NotPermitted`` is."""


PERMISSION_CODES = frozenset({"no_actor", "not_permitted"})


def refuse_if_any(refusals: Sequence[Refusal]) -> None:
    """The action's first line after its check: raise ``Refused`` when the list is not empty
    (``RefusedNotPermitted``, a 403, when the actor may not act at all)."""
    if refusals:
        if any(r.code in PERMISSION_CODES for r in refusals):
            raise RefusedNotPermitted(refusals)
        raise Refused(refusals)


def refusals_of(validate: Callable[[], object]) -> list[Refusal]:
    """The refusal of a validator that raises ``DomainError`` (with its code), as the list a
    ``check_*`` function returns: empty when the validator passes."""
    try:
        validate()
    except Refused as refused:
        return list(refused.refusals)
    except DomainError as error:
        return [Refusal(code=error.code, message=error.message, field=error.field)]
    return []

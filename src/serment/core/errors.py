"""One family of domain errors.

Actions raise these with a translatable, human message; the boundary (form, view,
importer, CLI, API) turns them into a field error, a 4xx page or a CLI message.
"""

from __future__ import annotations


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

"""What every API module shares: the error body and the answers a write may give."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator

from serment.core.params import MAX_DATE, MIN_DATE


class ErrorOut(Schema):
    """Every refusal: the refusal's stable ``code``, its message in the language asked
    for (``Accept-Language``), the field at fault, every refusal when there are several,
    and on a 409 the record's current ``version``."""

    code: str
    message: str
    field: str | None = None
    refusals: list[dict[str, Any]] = []
    version: int | None = None


# The error answers of a read by id, and of a write that edits an existing record.
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    **READ_ERRORS,
    403: ErrorOut,
    409: ErrorOut,
    428: ErrorOut,
}


def _within_bounds(value: dt.date) -> dt.date:
    if not (MIN_DATE <= value <= MAX_DATE):
        raise ValueError(f"a date between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}")
    return value


# A date within core.params' bounds (1900–2100), as the web forms: year 1 and year 9999
# are typing slips, and date arithmetic on them fails.
BoundedDate = Annotated[dt.date, AfterValidator(_within_bounds)]

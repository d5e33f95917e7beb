"""One way to show a date or a time, in the reader's language.

Pages, messages, PDFs and exports all go through these helpers (or Django's ``date``
filter, which reads the same per-language formats in ``core/formats/``), so a date
never appears as ``2023-06-20`` in one place and ``20/06/2023`` in the next.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import pgettext


def show_date(value: dt.date | dt.datetime | None) -> str:
    """``20/06/2023`` (vi, fr) or ``20 Jun 2023`` (en); ``""`` for no date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def show_datetime(value: dt.datetime | None) -> str:
    """A moment in the local time zone: ``20/06/2023 14:30``."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")


def show_time(value: dt.time | None) -> str:
    return "" if value is None else formats.time_format(value, "TIME_FORMAT")


def long_date(value: dt.date) -> str:
    """The date as a document's dateline writes it: ``ngày 20 tháng 6 năm 2023``,
    ``20 juin 2023``, ``20 June 2023``."""
    return formats.date_format(value, pgettext("date format of a document's dateline", "j F Y"))


def plain(value: Any) -> Any:
    """A value for a message: dates and times shown as the reader expects, the rest as is."""
    if isinstance(value, dt.datetime):
        return show_datetime(value)
    if isinstance(value, dt.date):
        return show_date(value)
    if isinstance(value, dt.time):
        return show_time(value)
    return value

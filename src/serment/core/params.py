"""Query parameters, read in one place so odd input never becomes a 500.

Every list, report and export view reads ``?org=``, ``?page=``, ``?year=``, dates and
``?next=`` through these helpers: only ASCII digits make a number (``"²".isdigit()`` is
true and ``int("²")`` fails), numbers and dates are bounded to a sane range, and a
``next`` link must stay on this site (``url_has_allowed_host_and_scheme``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.apps import apps
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

# The range of dates any form or parameter accepts: the Party's records start in 1930;
# nothing is planned past 2100. (Year 1 and year 9999 answered 500 in date arithmetic.)
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MIN_YEAR, MAX_YEAR = 1930, 2100

_ASCII_INT = re.compile(r"[0-9]{1,18}")


def parse_int(raw: Any, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """An integer written in ASCII digits within [minimum, maximum], else None."""
    text = str(raw if raw is not None else "").strip()
    if not _ASCII_INT.fullmatch(text):
        return None
    value = int(text)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    return value


def int_param(request, name: str, *, default: int | None = None, minimum: int = 0, maximum: int = 10**15):
    """``?name=`` as a bounded integer, or ``default``."""
    value = parse_int(request.GET.get(name), minimum=minimum, maximum=maximum)
    return default if value is None else value


def page_param(request, name: str = "page") -> int:
    """The page number (1 when missing or odd); past the last page the paginator's
    ``get_page`` answers the last one."""
    return int_param(request, name, default=1, minimum=1, maximum=10**6)


def year_param(request, name: str = "year", *, default: int | None = None) -> int | None:
    """``?year=`` between MIN_YEAR and MAX_YEAR, or ``default``."""
    return int_param(request, name, default=default, minimum=MIN_YEAR, maximum=MAX_YEAR)


def parse_date(raw: Any) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) between MIN_DATE and MAX_DATE, else None."""
    text = str(raw or "").strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return value if MIN_DATE <= value <= MAX_DATE else None


def date_param(request, name: str, *, default: dt.date | None = None) -> dt.date | None:
    value = parse_date(request.GET.get(name))
    return default if value is None else value


def choice_param(request, name: str, choices, *, default: str = "") -> str:
    """``?name=`` when it is one of ``choices`` (values), else ``default``."""
    value = request.GET.get(name, "")
    return value if value in choices else default


def org_param(request, name: str = "org"):
    """The organisation ``?org=`` names, fetched through the viewer's scope (404 when
    outside it); None when the parameter is missing or not an id."""
    from .scoping import get_visible_or_404

    pk = int_param(request, name, minimum=1)
    if pk is None:
        if request.GET.get(name, "").strip():
            raise Http404
        return None
    Organisation = apps.get_model("organisations", "Organisation")
    return get_visible_or_404(Organisation.objects.all(), request.user, pk=pk)


def is_safe_url(request, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, *, default: str, name: str = "next") -> str:
    """The ``next`` link (POST, then GET) when it stays on this site, else ``default``.
    ``/\\evil.example/`` and ``//evil.example`` are refused."""
    url = request.POST.get(name) or request.GET.get(name) or ""
    return url if is_safe_url(request, url) else default

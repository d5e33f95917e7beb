"""Whether the code runs in a background job, and what a job's progress is.

``core`` knows nothing of the jobs app (it sits below every app); the jobs runner sets
these while a job runs, and the code below reads them:

- ``in_background()``: the export and report views build a large file in the request only
  when it is small, and in a job otherwise (``too_large_for_request``); inside a job the
  same view builds it whatever its size.
- ``report_progress(phase, done, total)``: the import runner tells where it is; the job
  shows it on its page (the command line prints it as a progress bar). Outside a job and
  without a listener it does nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

from django.conf import settings

_background: contextvars.ContextVar[bool] = contextvars.ContextVar("serment_background", default=False)
_progress: contextvars.ContextVar[Callable[[str, int, int], None] | None] = contextvars.ContextVar(
    "serment_progress", default=None
)

# phases of an import, as ``report_progress`` names them
READING, CHECKING, WRITING = "reading", "checking", "writing"


@contextlib.contextmanager
def running_in_background() -> Iterator[None]:
    token = _background.set(True)
    try:
        yield
    finally:
        _background.reset(token)


def in_background() -> bool:
    """True inside a background job."""
    return _background.get()


def too_large_for_request(rows: int) -> bool:
    """Should a file of ``rows`` rows be built in a background job rather than in the
    request? (``SERMENT_EXPORT_JOB_ROWS``; never inside a job.)"""
    return not in_background() and rows > int(settings.SERMENT_EXPORT_JOB_ROWS)


@contextlib.contextmanager
def progress_to(listener: Callable[[str, int, int], None]) -> Iterator[None]:
    """Send ``report_progress`` calls to ``listener(phase, done, total)`` meanwhile."""
    token = _progress.set(listener)
    try:
        yield
    finally:
        _progress.reset(token)


def report_progress(phase: str, done: int = 0, total: int = 0) -> None:
    listener = _progress.get()
    if listener is not None:
        listener(phase, done, total)

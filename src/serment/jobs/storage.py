"""Where jobs keep files: a private directory under ``VAR_DIR`` (never served: whitenoise
serves ``VAR_DIR/static`` only). Uploads wait in ``imports/`` for their job (and, after a
dry run, for the user's confirmation); built exports in ``jobs/`` until downloaded or pruned.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from django.conf import settings

# A checked file not confirmed within a day, and a built file older than a week, are removed.
UPLOAD_MAX_AGE_S = 24 * 3600
FILE_MAX_AGE_S = 7 * 24 * 3600


def _private(name: str) -> Path:
    path = Path(settings.VAR_DIR) / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def uploads_dir() -> Path:
    return _private("imports")


def files_dir() -> Path:
    return _private("jobs")


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _write(directory: Path, data: bytes) -> str:
    key = new_key()
    fd = os.open(directory / key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return key


def keep_upload(data: bytes) -> str:
    """Keep an uploaded file for its job; returns its key."""
    return _write(uploads_dir(), data)


def _inside(directory: Path, key: str) -> Path | None:
    if not key or "/" in key or "\\" in key or key.startswith("."):
        return None
    return directory / key


def read_upload(key: str) -> bytes | None:
    path = _inside(uploads_dir(), key)
    return path.read_bytes() if path is not None and path.is_file() else None


def drop_upload(key: str) -> None:
    path = _inside(uploads_dir(), key)
    if path is not None:
        path.unlink(missing_ok=True)


def keep_file(data: bytes) -> str:
    """Keep a job's built file (an export); returns its key."""
    return _write(files_dir(), data)


def file_path(key: str) -> Path | None:
    path = _inside(files_dir(), key)
    return path if path is not None and path.is_file() else None


def prune(now: float | None = None) -> int:
    """Remove uploads and built files past their age; returns how many."""
    now = time.time() if now is None else now
    removed = 0
    for directory, age in ((uploads_dir(), UPLOAD_MAX_AGE_S), (files_dir(), FILE_MAX_AGE_S)):
        for path in directory.iterdir():
            if path.is_file() and now - path.stat().st_mtime > age:
                path.unlink(missing_ok=True)
                removed += 1
    return removed

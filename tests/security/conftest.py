"""The page fixtures of tests/web (the fixed actors, English pages, fast hashing)."""

from tests.web.conftest import client, fast_password_hashing, web  # noqa: F401

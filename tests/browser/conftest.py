"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

They skip LOUDLY when Playwright or Chromium is missing (``.ci/run`` installs
Chromium with apt first). A failing test leaves a screenshot and the page's HTML in
``var/browser-artifacts/``. Never run ``playwright install``: the browser is the
system's (``SERMENT_CHROMIUM``, default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SERMENT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "browser-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls
# (fixtures) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _skip_loudly(reason: str):
    banner = f"!!!!!!!!!! BROWSER TESTS SKIPPED: {reason} !!!!!!!!!!"
    warnings.warn(banner, stacklevel=2)
    print(f"\n{banner}\n")
    pytest.skip(banner)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_loudly("the python package 'playwright' is not installed")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _skip_loudly(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a broken install: say so, do not fail the suite
            _skip_loudly(f"Chromium would not start: {exc}")
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


@pytest.fixture
def open_page(browser, request, settings):
    """``open_page(size)``: a fresh page at ``desktop`` or ``phone`` size, in English.
    On failure the page is saved as a screenshot and as HTML."""
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # two-factor sign-in (if the security area's setting exists) is not what these test
    settings.SERMENT_TWO_FACTOR_REQUIRED = False
    contexts = []

    def make(size: str):
        context = browser.new_context(
            viewport=SIZES[size], locale="en-GB", extra_http_headers={"Accept-Language": "en"}
        )
        context.set_default_timeout(10_000)
        contexts.append((size, context))
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for size, context in contexts:
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for i, page in enumerate(context.pages):
                stem = ARTIFACTS / f"{request.node.name}-{size}-{i}"
                try:
                    page.screenshot(path=f"{stem}.png", full_page=True)
                    Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
                except Exception:  # the page may be gone; the report still tells the story
                    pass
        context.close()


def sign_in(page, live_server, username: str, password: str = "pw") -> None:
    """Through the login page, as a person does."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()

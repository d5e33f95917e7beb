"""Deployment hardening: the secret key, `check --deploy` with the documented
production settings, and the response headers (CSP without inline script)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "serment"

PRODUCTION = {
    "SERMENT_HTTPS": "1",
    "SERMENT_REQUIRE_2FA": "1",
    "SERMENT_ALLOWED_HOSTS": "serment.example.org",
}


def _manage(*args, env):
    # A clean environment: only what a deployment sets (other tests in the same worker
    # may have changed os.environ).
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")
    full = {k: os.environ[k] for k in keep if k in os.environ} | env
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], capture_output=True, text=True, env=full, cwd=ROOT
    )


@pytest.mark.slow
def test_the_public_development_key_is_refused_when_debug_is_off(tmp_path):
    result = _manage(
        "check",
        env={"SERMENT_SECRET_KEY": "dev-only-insecure-key-change-me", "SERMENT_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "SERMENT_SECRET_KEY is the public development key" in result.stderr


@pytest.mark.slow
def test_without_a_key_a_served_site_makes_its_own(tmp_path):
    env = {"SERMENT_VAR_DIR": str(tmp_path), "SERMENT_SECRET_KEY": ""}
    assert _manage("check", env=env).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50 and oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = {**PRODUCTION, "SERMENT_SECRET_KEY": secrets.token_urlsafe(50), "SERMENT_VAR_DIR": str(tmp_path)}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert (result.returncode, result.stderr.strip()) == (0, "")


def test_pages_carry_the_security_headers(client, web):
    client.force_login(web.secretary)
    response = client.get(reverse("members:detail", args=[web.alice.pk]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:", re.I)


def test_no_template_holds_inline_script_or_style():
    """The CSP forbids them: they would silently stop working."""
    found = {
        str(path.relative_to(SRC)): INLINE.findall(path.read_text())
        for path in SRC.glob("*/templates/**/*.html")
        if INLINE.search(path.read_text())
    }
    assert found == {}

"""Fixed actors (after healthchecks' Alice/Bob/Charlie).

    province P
    ├── district D1 ── grassroots committee G1 ── cells C1, C2
    │              └── grassroots cell GC1
    └── district D2 ── grassroots committee G2 ── cell C3

Users: admin (admin on P), d1_staff (org staff on D1), g1_staff (org staff on G1),
secretary (secretary of C1), leader (read-only leader on D1), inspector (inspection
staff on D1), outsider (org staff on D2, a sibling subtree), alice (a plain member of
C1 with her own sign-in), bob (member of C2), carol (member of C3).
"""

from types import SimpleNamespace

import pytest
from django.test.utils import override_settings
from django.utils import translation

from . import factories as f


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Every fixture user gets a password; PBKDF2's 870,000 rounds per user made the
    shared ``world`` the slowest part of most tests. (tests/web sets the same.)"""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_in_the_request():
    """Background jobs run at once, inside the request that starts them (django-tasks'
    immediate backend); tests/jobs runs the database backend and its worker as well."""
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        yield


@pytest.fixture(autouse=True, scope="session")
def _dashboard_cache_in_memory():
    """The dashboard cache (home/dashboard.py) in this process's memory, not in var/:
    test databases of different runs share audit hashes (an empty audit log)."""
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "dashboard": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dashboard-tests",
        },
    }
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _empty_dashboard_cache():
    """Factories write records without audit entries, so a test starts with an empty cache."""
    from django.core.cache import caches

    caches["dashboard"].clear()
    yield


@pytest.fixture(autouse=True)
def _english():
    """Domain tests read messages in English; page tests set Accept-Language themselves."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.P = f.org("province", name="Tỉnh ủy", code="P")
    w.D1 = f.org("district_committee", w.P, name="Huyện ủy 1", code="D1")
    w.D2 = f.org("district_committee", w.P, name="Huyện ủy 2", code="D2")
    w.G1 = f.org("grassroots_committee", w.D1, name="Đảng bộ xã 1", code="G1")
    w.GC1 = f.org("grassroots_cell", w.D1, name="Chi bộ cơ sở 1", code="GC1")
    w.G2 = f.org("grassroots_committee", w.D2, name="Đảng bộ xã 2", code="G2")
    w.C1 = f.org("cell", w.G1, name="Chi bộ thôn 1", code="C1")
    w.C2 = f.org("cell", w.G1, name="Chi bộ thôn 2", code="C2")
    w.C3 = f.org("cell", w.G2, name="Chi bộ thôn 3", code="C3")

    w.admin = f.user("admin")
    f.role(w.admin, w.P, "admin")
    w.d1_staff = f.user("d1_staff")
    f.role(w.d1_staff, w.D1, "org_staff")
    w.g1_staff = f.user("g1_staff")
    f.role(w.g1_staff, w.G1, "org_staff")
    w.secretary = f.user("secretary")
    f.role(w.secretary, w.C1, "secretary")
    w.leader = f.user("leader")
    f.role(w.leader, w.D1, "leader")
    w.inspector = f.user("inspector")
    f.role(w.inspector, w.D1, "inspection_staff")
    w.outsider = f.user("outsider")
    f.role(w.outsider, w.D2, "org_staff")

    w.alice = f.member(w.C1, full_name="Trần Thị Alice", sex="female")
    w.alice_user = f.user("alice")
    w.alice.user = w.alice_user
    w.alice.save(update_fields=["user"])
    w.bob = f.member(w.C2, full_name="Lê Văn Bob")
    w.carol = f.member(w.C3, full_name="Phạm Thị Carol", sex="female")
    return w


@pytest.fixture(autouse=True)
def _no_report_timeout(settings):
    """Query-count tests count a report's own queries; the statement timeout's
    set/restore statements (PostgreSQL) are tested in tests/perf/test_statistics.py."""
    settings.SERMENT_REPORT_TIMEOUT_MS = 0

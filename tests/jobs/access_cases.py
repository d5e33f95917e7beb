"""The jobs' URLs in the every-URL access test (tests/security/test_every_url.py): a job
is its owner's alone, so d1_staff's job answers 200 to d1_staff and 404 to everyone
else, and the outsider's (D2's side) 404 to everyone but the outsider."""

from django.urls import reverse

from tests.security.access_cases import UrlCase
from tests.web.conftest import ACTORS

ERRORS = {
    "ok": False,
    "dry_run": True,
    "rows": 1,
    "created": 0,
    "errors": [{"row": 2, "column": "cell_code", "message": "Not found."}],
}


def _job(w, owner: str):
    """A finished import job with errors and a built file, owned by ``owner``."""
    from serment.jobs import storage
    from serment.jobs.models import Job

    user = getattr(w, owner)
    job = Job.objects.filter(owner=user, name="access").first()
    if job is None:
        job = Job.objects.create(
            owner=user,
            kind="import",
            name="access",
            title="access",
            status="done",
            result={**ERRORS, "content_type": "text/csv"},
            file_key=storage.keep_file(b"a,b\n1,2\n"),
            file_name="access.csv",
        )
    return job


def _only(owner: str) -> dict[str, int]:
    return {a: 200 if a == owner else 404 for a in ACTORS}


def _url(name: str, owner: str):
    return lambda w: reverse(name, args=[_job(w, owner).pk])


CASES = [
    UrlCase("my jobs", lambda w: reverse("jobs:list"), expected_in=dict.fromkeys(ACTORS, 200)),
    *[
        UrlCase(
            f"job {name}",
            _url(f"jobs:{name}", "d1_staff"),
            _url(f"jobs:{name}", "outsider"),
            expected_in=_only("d1_staff"),
            expected_out=_only("outsider"),
        )
        for name in ("detail", "status", "download", "errors")
    ],
    UrlCase("run a report as a job (POST only)", lambda w: reverse("jobs:start_report")),
]

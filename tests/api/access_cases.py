"""The API's URLs in the every-URL access test (tests/security/test_every_url.py):
signed in through the session, each answers as the pages do — in scope or 404."""

from django.urls import reverse

from tests.security.access_cases import UrlCase


def _r(url_name, *args, **kwargs):
    return reverse(url_name, args=args, kwargs=kwargs or None)


CASES = [
    UrlCase("api root", lambda w: "/api/"),
    UrlCase("api docs", lambda w: _r("api:openapi-view")),
    UrlCase("api schema", lambda w: _r("api:openapi-json")),
    UrlCase("api me", lambda w: _r("api:me")),
    UrlCase("api organisations", lambda w: _r("api:organisations")),
    UrlCase(
        "api organisation",
        lambda w: _r("api:organisation", org_id=w.C1.pk),
        lambda w: _r("api:organisation", org_id=w.C3.pk),
    ),
    UrlCase("api members", lambda w: _r("api:members")),
    UrlCase(
        "api member",
        lambda w: _r("api:member", member_id=w.alice.pk),
        lambda w: _r("api:member", member_id=w.carol.pk),
    ),
    UrlCase(
        "api member history",
        lambda w: _r("api:history", member_id=w.alice.pk),
        lambda w: _r("api:history", member_id=w.carol.pk),
    ),
    # Writes answer GET with 405 whoever asks; their scope is tested in tests/api.
    UrlCase("api exempt", lambda w: _r("api:exempt", member_id=w.alice.pk)),
    UrlCase("api resume", lambda w: _r("api:resume", member_id=w.alice.pk)),
    UrlCase("api my self-assessment", lambda w: _r("api:save_my_assessment", campaign_id=1)),
    UrlCase("api submit my self-assessment", lambda w: _r("api:submit_my_assessment", campaign_id=1)),
    UrlCase("api attendance", lambda w: _r("api:attendance", meeting_id=1)),
    UrlCase("api presentation", lambda w: _r("api:presentation", meeting_id=1)),
    UrlCase("api report names", lambda w: _r("api:report_names")),
    UrlCase(
        "api report",
        lambda w: _r("api:report", name="oath-coverage") + f"?org={w.D1.pk}",
        lambda w: _r("api:report", name="oath-coverage") + f"?org={w.D2.pk}",
    ),
    UrlCase("api statistics", lambda w: _r("api:statistics")),
    # Rating and admission steps, transfer letters: their scope per role is the API access
    # matrix's (tests/api/test_access_matrix.py); here each pattern answers below 500.
    UrlCase(
        "api member transfer letter",
        lambda w: _r("api:issue_letter", member_id=w.alice.pk),
        lambda w: _r("api:issue_letter", member_id=w.carol.pk),
    ),
    UrlCase("api rating", lambda w: _r("api:rating", rating_id=1)),
    UrlCase("api rating self-assessment", lambda w: _r("api:self_assess", rating_id=1)),
    UrlCase("api rating review", lambda w: _r("api:review", rating_id=1)),
    UrlCase("api rating decision", lambda w: _r("api:decide", rating_id=1)),
    UrlCase("api candidate", lambda w: _r("api:candidate", candidate_id=1)),
    UrlCase("api candidate step", lambda w: _r("api:record_step", candidate_id=1)),
    UrlCase("api transfer letter", lambda w: _r("api:letter", letter_id=1)),
    UrlCase("api transfer letter pdf", lambda w: _r("api:letter_as_pdf", letter_id=1)),
    UrlCase("api transfer package", lambda w: _r("api:letter_package", letter_id=1)),
    UrlCase("api transfer acknowledgement in", lambda w: _r("api:record_acknowledgement", letter_id=1)),
    UrlCase("api transfer packages", lambda w: _r("api:receive_package")),
    UrlCase("api transfer receipt", lambda w: _r("api:receipt", receipt_id=1)),
    UrlCase("api transfer acknowledgement out", lambda w: _r("api:acknowledgement", receipt_id=1)),
    UrlCase("api tokens", lambda w: _r("tokens:list")),
    UrlCase("api revoke token", lambda w: _r("tokens:revoke", 1)),
]

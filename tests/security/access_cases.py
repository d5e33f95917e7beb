"""URL cases for the every-URL access test (tests/security/test_every_url.py).

Each area may add a ``tests/<area>/access_cases.py`` exporting ``CASES``, a list of
``UrlCase``; the exact role × status matrices of the foundation pages stay in
tests/web/test_access_matrix.py (counted as cases too). A case without ``expected_*``
is held to the scope rule: no actor gets a 5xx, and no actor of D1's side (and no
plain member or user without a role) gets a 2xx or 3xx on the out-of-scope URL.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from . import objects as o


@dataclass(frozen=True)
class UrlCase:
    name: str
    url_in: Callable[[Any], str]
    url_out: Callable[[Any], str] | None = None
    expected_in: dict[str, int] | None = field(default=None)
    expected_out: dict[str, int] | None = field(default=None)


def _r(name, *args):
    return reverse(name, args=args)


CASES = [
    # core and accounts
    UrlCase("home", lambda w: _r("home")),
    UrlCase("login", lambda w: _r("login")),
    UrlCase("logout", lambda w: _r("logout")),
    UrlCase("set language", lambda w: _r("set_language")),
    UrlCase(
        "member's sign-in account",
        lambda w: _r("accounts:link_member", w.alice.pk),
        lambda w: _r("accounts:link_member", w.carol.pk),
    ),
    UrlCase("two-factor", lambda w: _r("accounts:two_factor")),
    UrlCase("password change", lambda w: _r("accounts:password_change")),
    UrlCase("password change done", lambda w: _r("accounts:password_change_done")),
    UrlCase("password reset", lambda w: _r("accounts:password_reset")),
    UrlCase("password reset sent", lambda w: _r("accounts:password_reset_done")),
    UrlCase("password reset link", lambda w: _r("accounts:password_reset_confirm", "MQ", "bad-token")),
    UrlCase("password reset complete", lambda w: _r("accounts:password_reset_complete")),
    # organisations and members
    UrlCase("organisation import", lambda w: _r("organisations:import")),
    UrlCase(
        "organisation export",
        lambda w: _r("organisations:export") + f"?org={w.D1.pk}",
        lambda w: _r("organisations:export") + f"?org={w.D2.pk}",
    ),
    UrlCase("organisation picker", lambda w: _r("organisations:pick") + "?perm=view&field=org&q=Chi"),
    UrlCase("member import", lambda w: _r("members:import")),
    UrlCase(
        "member export",
        lambda w: _r("members:export") + f"?org={w.C1.pk}",
        lambda w: _r("members:export") + f"?org={w.C3.pk}",
    ),
    UrlCase(
        "member list",
        lambda w: _r("members:list") + f"?org={w.C1.pk}",
        lambda w: _r("members:list") + f"?org={w.C3.pk}",
    ),
    # oath
    UrlCase("oath index", lambda w: _r("oath:index")),
    UrlCase("my promises", lambda w: _r("oath:me")),
    UrlCase("my new promise", lambda w: _r("oath:promise_add")),
    UrlCase(
        "member's new promise",
        lambda w: _r("oath:member_promise_add", w.alice.pk),
        lambda w: _r("oath:member_promise_add", w.carol.pk),
    ),
    UrlCase("promise import", lambda w: _r("oath:promise_import")),
    UrlCase(
        "promise update",
        lambda w: _r("oath:promise_update", o.promise(w, "in").pk),
        lambda w: _r("oath:promise_update", o.promise(w, "out").pk),
    ),
    UrlCase("campaigns", lambda w: _r("oath:campaigns")),
    UrlCase("launch a campaign", lambda w: _r("oath:campaign_launch")),
    UrlCase(
        "campaign",
        lambda w: _r("oath:campaign", o.campaign(w, "in").pk),
        lambda w: _r("oath:campaign", o.campaign(w, "out").pk),
    ),
    UrlCase(
        "my self-assessment",
        lambda w: _r("oath:assessment", o.campaign(w, "in").pk),
        lambda w: _r("oath:assessment", o.campaign(w, "out").pk),
    ),
    UrlCase(
        "close a campaign",
        lambda w: _r("oath:campaign_close", o.campaign(w, "in").pk),
        lambda w: _r("oath:campaign_close", o.campaign(w, "out").pk),
    ),
    # an old address: it redirects to the one import page (its own case), whatever the id
    UrlCase("campaign import", lambda w: _r("oath:import", o.campaign(w, "in").pk)),
    UrlCase(
        "coverage",
        lambda w: _r("oath:coverage", o.campaign(w, "in").pk),
        lambda w: _r("oath:coverage", o.campaign(w, "out").pk),
    ),
    UrlCase(
        "coverage records",
        lambda w: _r("oath:coverage_list", o.campaign(w, "in").pk, "members") + "?category=expected",
        lambda w: _r("oath:coverage_list", o.campaign(w, "out").pk, "members") + "?category=expected",
    ),
    UrlCase(
        "meeting",
        lambda w: _r("oath:meeting", o.meeting(w, "in").pk),
        lambda w: _r("oath:meeting", o.meeting(w, "out").pk),
    ),
    UrlCase(
        "minutes",
        lambda w: _r("oath:minutes", o.meeting(w, "in").pk),
        lambda w: _r("oath:minutes", o.meeting(w, "out").pk),
    ),
    UrlCase(
        "meeting change",
        lambda w: _r("oath:meeting_act", o.meeting(w, "in").pk, "remind"),
        lambda w: _r("oath:meeting_act", o.meeting(w, "out").pk, "remind"),
    ),
    # ratings
    UrlCase("ratings index", lambda w: _r("ratings:index")),
    UrlCase("open a round", lambda w: _r("ratings:open_round")),
    UrlCase(
        "round",
        lambda w: _r("ratings:round", o.rating_round(w, "in").pk),
        lambda w: _r("ratings:round", o.rating_round(w, "out").pk),
    ),
    UrlCase(
        "decide a round",
        lambda w: _r("ratings:decide_round", o.rating_round(w, "in").pk),
        lambda w: _r("ratings:decide_round", o.rating_round(w, "out").pk),
    ),
    UrlCase(
        "rating",
        lambda w: _r("ratings:rating", o.rating(w, "in").pk),
        lambda w: _r("ratings:rating", o.rating(w, "out").pk),
    ),
    UrlCase(
        "rating step",
        lambda w: _r("ratings:step", o.rating(w, "in").pk, "review"),
        lambda w: _r("ratings:step", o.rating(w, "out").pk, "review"),
    ),
    UrlCase(
        "rating report",
        lambda w: _r("ratings:report") + f"?org={w.D1.pk}",
        lambda w: _r("ratings:report") + f"?org={w.D2.pk}",
    ),
    UrlCase(
        "rating records",
        lambda w: _r("ratings:records") + f"?org={w.D1.pk}&group=members&year=2022",
        lambda w: _r("ratings:records") + f"?org={w.D2.pk}&group=members&year=2022",
    ),
    UrlCase("new rating target", lambda w: _r("ratings:target_new")),
    # discipline pages moved to the inspection app: tests/inspection/access_cases.py
    UrlCase("rating import", lambda w: _r("ratings:import")),
    # admissions
    UrlCase(
        "admissions",
        lambda w: _r("admissions:index") + f"?org={w.D1.pk}",
        lambda w: _r("admissions:index") + f"?org={w.D2.pk}",
    ),
    UrlCase(
        "admissions figure",
        lambda w: _r("admissions:drilldown", "admitted") + f"?org={w.D1.pk}",
        lambda w: _r("admissions:drilldown", "admitted") + f"?org={w.D2.pk}",
    ),
    UrlCase(
        "admissions export",
        lambda w: _r("admissions:export") + f"?org={w.D1.pk}",
        lambda w: _r("admissions:export") + f"?org={w.D2.pk}",
    ),
    UrlCase(
        "candidates",
        lambda w: _r("admissions:candidates") + f"?org={w.C1.pk}",
        lambda w: _r("admissions:candidates") + f"?org={w.C3.pk}",
    ),
    UrlCase("new candidate", lambda w: _r("admissions:candidate_new")),
    UrlCase(
        "candidate",
        lambda w: _r("admissions:candidate", o.candidate(w, "in").pk),
        lambda w: _r("admissions:candidate", o.candidate(w, "out").pk),
    ),
    UrlCase(
        "candidate step",
        lambda w: _r("admissions:candidate_step", o.candidate(w, "in").pk),
        lambda w: _r("admissions:candidate_step", o.candidate(w, "out").pk),
    ),
    UrlCase(
        "candidate withdraw",
        lambda w: _r("admissions:candidate_withdraw", o.candidate(w, "in").pk),
        lambda w: _r("admissions:candidate_withdraw", o.candidate(w, "out").pk),
    ),
    UrlCase("probation reminders", lambda w: _r("admissions:reminders")),
    UrlCase(
        "probation",
        lambda w: _r("admissions:probation", o.probationer(w, "in").pk),
        lambda w: _r("admissions:probation", o.probationer(w, "out").pk),
    ),
    UrlCase("admission targets", lambda w: _r("admissions:targets")),
    UrlCase("admissions import", lambda w: _r("admissions:import", "candidates")),
]

# Pages of the areas that landed after this matrix (home, inspection, cadres): list pages
# with the scope rule, and pages of one record by an id that does not exist (404 for
# everyone, never a 5xx). Their owners replace these with in/out cases in their own
# tests/<area>/access_cases.py.
_LISTS = [
    "home:dashboard",
    "home:me",
    "home:notifications",
    "home:notifications_read_all",
    "home:remind_me",
    "inspection:index",
    "inspection:register",
    "inspection:cases",
    "inspection:plan",
    "inspection:report",
    "inspection:records",
    "inspection:decision_start",
    "imports:index",
    "tokens:list",
    "cadres:index",
    "cadres:posts",
    "cadres:movements",
    "cadres:planning",
    "cadres:report",
]
_ONE_RECORD = {
    "home:notification_read": (),
    "tokens:revoke": (),
    "inspection:decision": (),
    "inspection:annul": (),
    "inspection:complaint_new": (),
    "inspection:complaint_decide": (),
    "inspection:decision_new": ("member",),
    "inspection:case": (),
    "inspection:case_close": (),
    "inspection:case_new": (),
    "inspection:inspection_new": (),
    "inspection:inspection_conclude": (),
    "cadres:movement": (),
    "cadres:plan_remove": (),
    "cadres:member": (),
    "cadres:record_movement": (),
    "cadres:plan_add": (),
    "cadres:set_locality": (),
}
_POST_ONLY = {"home:notification_read", "tokens:revoke"}  # GET answers 405
_NOWHERE = 987654321
_ALL_404 = {
    a: 404
    for a in (
        "admin",
        "d1_staff",
        "g1_staff",
        "secretary",
        "leader",
        "inspector",
        "outsider",
        "alice_user",
        "nobody",
    )
}

CASES += [UrlCase(name, lambda w, name=name: _r(name)) for name in _LISTS]
CASES += [
    UrlCase(
        name,
        lambda w, name=name, args=args: _r(name, *args, _NOWHERE),
        expected_in=None if name in _POST_ONLY else _ALL_404,
    )
    for name, args in _ONE_RECORD.items()
]


# /healthz (the API's cases are in tests/api/access_cases.py).
CASES += [UrlCase("healthz", lambda w: _r("healthz"))]

CASES += [
    UrlCase("import page", lambda w: _r("imports:kind", "members")),
    UrlCase("import template", lambda w: _r("imports:template", "members")),
    UrlCase("import errors", lambda w: _r("imports:errors", "members")),
]

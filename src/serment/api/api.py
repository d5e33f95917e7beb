"""The REST API (`/api/`): thin endpoints over the same queries, actions and
``check_*`` functions as the pages. Scoping is the pages' scoping: every read starts
from ``visible_to``/``permitted`` and an out-of-scope id answers 404."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError

from serment.core import params
from serment.core.errors import DomainError, NotPermitted, Refused
from serment.core.reporting import cli_reports
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, scope_for
from serment.members import actions as member_actions
from serment.members.models import Member
from serment.members.queries import member_history, search_members
from serment.oath import actions as oath_actions
from serment.oath.models import Campaign, CellMeeting, SelfAssessment
from serment.organisations.models import Organisation

from .auth import BrowserSession, RateLimited, ReadOnlyToken, TokenAuth

SCHEMA_VERSION = "1.0"
MAX_LIMIT = 200

api = NinjaAPI(
    title="Serment API",
    version=SCHEMA_VERSION,
    description=(
        "The same records, scoping, actions and checks as Serment's pages. Authenticate with a personal "
        "access token (`Authorization: Bearer smt_…`, made on /api/tokens/) or a signed-in browser session."
    ),
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
)


# --- errors: the one family of domain errors, as JSON --------------------------------


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    refusals: list[dict[str, Any]] = []


def _error(request, status: int, code: str, message: str, field: str | None = None, refusals=None):
    body = {"code": code, "message": str(message), "field": field, "refusals": refusals or []}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    refusals = [
        {"code": r.code, "message": r.text, "field": r.field, "source": r.source}
        for r in getattr(exc, "refusals", [])
    ]
    status = 403 if isinstance(exc, NotPermitted) or exc.status_code == 403 else 422
    if isinstance(exc, Refused) and exc.status_code == 403:
        status = 403
    return _error(request, status, exc.code, exc.message, exc.field, refusals)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(ReadOnlyToken)
def read_only(request, exc):
    return _error(request, 403, "read_only_token", _("This token is read-only."))


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = _error(request, 429, "rate_limited", _("Too many requests with this token; wait a minute."))
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", _("Sign in or give a valid, unexpired token."))


# --- cursors ---------------------------------------------------------------------------


def _encode(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii")


def _decode(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        return base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError) as exc:
        raise DomainError(_("This cursor is not valid."), field="cursor", code="bad_cursor") from exc


def _page(items: list, limit: int, key) -> dict[str, Any]:
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": _encode(str(key(items[-1]))) if more and items else None}


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


# --- who am I --------------------------------------------------------------------------


class GrantOut(Schema):
    role: str
    organisation_id: int
    organisation: str


class MeOut(Schema):
    username: str
    member_id: int | None
    roles: list[GrantOut]
    token_read_only: bool | None


@api.get("/me", response=MeOut, tags=["account"])
def me(request):
    scope = scope_for(request.user)
    token = getattr(request, "api_token", None)
    return {
        "username": request.user.get_username(),
        "member_id": scope.member_id,
        "roles": [
            {"role": g.role, "organisation_id": g.organisation_id, "organisation": g.organisation_name}
            for g in scope.grants
        ],
        "token_read_only": token.read_only if token else None,
    }


# --- organisations ---------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    founded_on: dt.date | None
    dissolved_on: dt.date | None


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next_cursor: str | None


class OrganisationFilters(Schema):
    under: int | None = None
    cursor: str | None = None
    limit: int = 100


@api.get("/organisations", response=OrganisationPage, tags=["organisations"])
def organisations(request, filters: Query[OrganisationFilters]):
    """The organisations the user may see, in tree order; ``under`` = a subtree."""
    qs = Organisation.objects.visible_to(request.user)
    if filters.under is not None:
        root = get_visible_or_404(Organisation.objects.all(), request.user, pk=filters.under)
        qs = qs.filter(path__subtree=root.path)
    after = _decode(filters.cursor)
    if after is not None:
        qs = qs.filter(path__gt=after)
    limit = _limit(filters.limit)
    return _page(list(qs.order_by("path")[: limit + 1]), limit, key=lambda o: o.path)


@api.get("/organisations/{org_id}", response=OrganisationOut, tags=["organisations"])
def organisation(request, org_id: int):
    return get_visible_or_404(Organisation.objects.all(), request.user, pk=org_id)


# --- members -----------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    full_name: str
    date_of_birth: dt.date
    sex: str
    card_number: str | None
    admitted_on: dt.date
    official_on: dt.date | None
    organisation_id: int
    organisation_code: str
    state: str
    left_on: dt.date | None

    @staticmethod
    def resolve_organisation_code(obj) -> str:
        return obj.organisation.code


class MemberPage(Schema):
    items: list[MemberOut]
    next_cursor: str | None


class MemberFilters(Schema):
    q: str = ""
    org: int | None = None
    standing: str = ""
    state: str = ""
    cursor: str | None = None
    limit: int = 100


@api.get("/members", response=MemberPage, tags=["members"])
def members(request, filters: Query[MemberFilters]):
    """The same filters and diacritic-insensitive search as the member list page,
    in a stable order (by id) for the cursor."""
    org = None
    if filters.org is not None:
        org = get_visible_or_404(Organisation.objects.all(), request.user, pk=filters.org)
    qs = search_members(
        viewer=request.user,
        q=filters.q[:120],
        organisation=org,
        standing=filters.standing,
        state=filters.state,
    ).order_by("pk")
    after = _decode(filters.cursor)
    if after is not None:
        if not after.isascii() or not after.isdigit():
            raise DomainError(_("This cursor is not valid."), field="cursor", code="bad_cursor")
        qs = qs.filter(pk__gt=int(after))
    limit = _limit(filters.limit)
    return _page(list(qs[: limit + 1]), limit, key=lambda m: m.pk)


@api.get("/members/{member_id}", response=MemberOut, tags=["members"])
def member(request, member_id: int):
    return get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)


class HistoryOut(Schema):
    starts_on: dt.date
    ends_on: dt.date | None
    kind: str
    label: str
    detail: str


@api.get("/members/{member_id}/history", response=list[HistoryOut], tags=["members"])
def history(request, member_id: int):
    m = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    return [
        {
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "kind": e.kind,
            "label": str(e.label),
            "detail": str(e.detail),
        }
        for e in member_history(m)
    ]


class ExemptIn(Schema):
    on: dt.date
    reason: str
    until: dt.date | None = None
    details: str = ""
    document_ref: str = ""


@api.post("/members/{member_id}/exempt", response=MemberOut, tags=["members"])
def exempt(request, member_id: int, body: ExemptIn):
    m = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    member_actions.exempt_member(by=request.user, member=m, **body.dict())
    m.refresh_from_db()
    return m


class ResumeIn(Schema):
    on: dt.date


@api.post("/members/{member_id}/resume", response=MemberOut, tags=["members"])
def resume(request, member_id: int, body: ResumeIn):
    m = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    return member_actions.resume_activity(by=request.user, member=m, on=body.on)


# --- oath: self-assessment, meeting sheet ------------------------------------------------


class AssessmentIn(Schema):
    kept: str = ""
    not_well: str = ""
    not_done: str = ""
    will_do: str = ""


class AssessmentOut(Schema):
    id: int
    campaign_id: int
    member_id: int
    status: str
    kept: str
    not_well: str
    not_done: str
    will_do: str


def _own_member(request) -> Member:
    member_id = scope_for(request.user).member_id
    if member_id is None:
        raise Http404
    return Member.objects.select_related("organisation").get(pk=member_id)


@api.put("/campaigns/{campaign_id}/my-self-assessment", response=AssessmentOut, tags=["oath"])
def save_my_assessment(request, campaign_id: int, body: AssessmentIn):
    """Save the signed-in member's draft (the member themself only)."""
    member = _own_member(request)
    campaign = get_visible_or_404(Campaign.objects.all(), request.user, pk=campaign_id)
    return oath_actions.save_self_assessment(by=request.user, campaign=campaign, member=member, **body.dict())


@api.post("/campaigns/{campaign_id}/my-self-assessment/submit", response=AssessmentOut, tags=["oath"])
def submit_my_assessment(request, campaign_id: int):
    member = _own_member(request)
    assessment = SelfAssessment.objects.filter(campaign_id=campaign_id, member=member).first()
    if assessment is None:
        raise Http404
    return oath_actions.submit_self_assessment(by=request.user, assessment=assessment)


class AttendanceIn(Schema):
    member_id: int
    present: bool
    absence_reason: str = ""
    absence_note: str = ""


class DoneOut(Schema):
    ok: bool


def _meeting(request, meeting_id: int) -> CellMeeting:
    return get_visible_or_404(
        CellMeeting.objects.select_related("campaign", "cell"), request.user, pk=meeting_id
    )


def _meeting_member(request, meeting: CellMeeting, member_id: int) -> Member:
    return get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)


@api.post("/meetings/{meeting_id}/attendance", response=DoneOut, tags=["oath"])
def attendance(request, meeting_id: int, body: AttendanceIn):
    meeting = _meeting(request, meeting_id)
    member = _meeting_member(request, meeting, body.member_id)
    oath_actions.record_attendance(
        by=request.user,
        meeting=meeting,
        member=member,
        present=body.present,
        absence_reason=body.absence_reason,
        absence_note=body.absence_note,
    )
    return {"ok": True}


class PresentationIn(Schema):
    member_id: int
    suggestions: str = ""


@api.post("/meetings/{meeting_id}/presentations", response=DoneOut, tags=["oath"])
def presentation(request, meeting_id: int, body: PresentationIn):
    meeting = _meeting(request, meeting_id)
    member = _meeting_member(request, meeting, body.member_id)
    oath_actions.record_presentation(
        by=request.user, meeting=meeting, member=member, suggestions=body.suggestions
    )
    return {"ok": True}


# --- reports and the statistics document -------------------------------------------------


class ReportOut(Schema):
    name: str
    title: str
    header: list[str]
    rows: list[list[Any]]


class ReportFilters(Schema):
    org: int | None = None
    as_of: dt.date | None = None
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _options(filters: ReportFilters) -> dict[str, Any]:
    if filters.year is not None and not 1900 <= filters.year <= 2200:
        raise DomainError(_("Give a year between 1900 and 2200."), field="year", code="bad_year")
    for name in ("as_of", "date_from", "date_to"):
        day = getattr(filters, name)
        if day is not None and not params.MIN_DATE <= day <= params.MAX_DATE:
            # Year 1 and year 9999 fail in date arithmetic (issue 13 §4): bounded as everywhere.
            raise DomainError(_("Give a date between 1900 and 2100."), field=name, code="bad_date")
    return {
        "as_of": filters.as_of,
        "year": filters.year,
        "from": filters.date_from,
        "to": filters.date_to,
        "format": "json",
        "output": None,
        "user": None,
    }


def _report(request, name: str, filters: ReportFilters) -> dict[str, Any]:
    reports = cli_reports()
    if name not in reports:
        raise Http404
    org = None
    if filters.org is not None:
        org = get_visible_or_404(Organisation.objects.all(), request.user, pk=filters.org)
    table = reports[name](viewer=request.user, org=org, options=_options(filters))
    return {
        "name": name,
        "title": str(table.title),
        "header": [str(h) for h in table.header],
        "rows": table.rows,
    }


@api.get("/reports", response=list[str], tags=["reports"])
def report_names(request):
    return sorted(cli_reports())


@api.get("/reports/{name}", response=ReportOut, tags=["reports"])
def report(request, name: str, filters: Query[ReportFilters]):
    """One report, exactly as `serment report NAME` prints it for this user."""
    return _report(request, name, filters)


class StatisticsOut(Schema):
    schema_version: str
    generated_at: dt.datetime
    organisation_id: int | None
    reports: list[ReportOut]


@api.get("/statistics", response=StatisticsOut, tags=["reports"])
def statistics(request, filters: Query[ReportFilters]):
    """Every report for one period, as one document for the level above
    (docs/api.md describes the schema)."""
    if not scope_for(request.user).has(Perm.EXPORT):
        raise NotPermitted(_("Your role does not allow this here."))
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now(),
        "organisation_id": filters.org,
        "reports": [_report(request, name, filters) for name in sorted(cli_reports())],
    }

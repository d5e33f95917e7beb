"""The REST API (`/api/`): thin endpoints over the same queries, actions and
``check_*`` functions as the pages. Scoping is the pages' scoping: every read starts
from ``visible_to``/``permitted`` and an out-of-scope id answers 404."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, ValidationError

from serment.core import params
from serment.core.errors import DomainError, NotPermitted, Refused, refuse_if_any
from serment.core.reporting import cli_reports
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, scope_for
from serment.members import actions as member_actions
from serment.members.models import Member
from serment.members.queries import member_history, search_members
from serment.oath import actions as oath_actions
from serment.oath.models import Campaign, CellMeeting, SelfAssessment
from serment.organisations.models import Organisation
from serment.transfers.models import PriorPeriod

from .auth import BrowserSession, RateLimited, ReadOnlyToken, TokenAuth
from .common import READ_ERRORS, WRITE_ERRORS, BoundedDate
from .steps import router as steps_router
from .transfers import router as transfers_router
from .versions import Stale, etag, refuse_if_stale, version_of

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


def _error(
    request,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    refusals=None,
    version: int | None = None,
):
    body = {
        "code": code,
        "message": str(message),
        "field": field,
        "refusals": refusals or [],
        "version": version,
    }
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    """422 for a rule's refusal; 403 when the role may not act; 409 for a stale version
    (with the current one); 428 when a write did not say which version it read."""
    refusals = [
        {"code": r.code, "message": r.text, "field": r.field, "source": r.source}
        for r in getattr(exc, "refusals", [])
    ] or [{"code": exc.code, "message": str(exc.message), "field": exc.field, "source": ""}]
    status = 403 if isinstance(exc, NotPermitted) or exc.status_code == 403 else 422
    if isinstance(exc, Refused) and exc.status_code == 403:
        status = 403
    if exc.status_code in (409, 428):
        status = exc.status_code
    version = exc.current_version if isinstance(exc, Stale) else None
    response = _error(request, status, exc.code, exc.message, exc.field, refusals, version)
    if version is not None:
        response["ETag"] = etag(version)
    return response


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    """Malformed input (a missing field, a word where a number goes): the same body as a
    refusal, code ``invalid_input``, one refusal per field at fault."""
    refusals = []
    for error in exc.errors[:20]:
        where = [str(x) for x in error.get("loc", ()) if x not in ("body", "query", "path", "header")]
        refusals.append(
            {
                "code": "invalid_input",
                "message": str(error.get("msg", "")),
                "field": ".".join(where) or None,
                "source": "",
            }
        )
    first = refusals[0]["field"] if refusals else None
    return _error(request, 422, "invalid_input", _("Some of the input is not valid."), first, refusals)


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


@api.get("/me", response={200: MeOut, **READ_ERRORS}, tags=["account"])
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


@api.get("/organisations", response={200: OrganisationPage, **READ_ERRORS}, tags=["organisations"])
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


@api.get("/organisations/{org_id}", response={200: OrganisationOut, **READ_ERRORS}, tags=["organisations"])
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


@api.get("/members", response={200: MemberPage, **READ_ERRORS}, tags=["members"])
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


@api.get("/members/{member_id}", response={200: MemberOut, **READ_ERRORS}, tags=["members"])
def member(request, member_id: int, response: HttpResponse):
    """A member's record; the ``ETag`` header is its version, for ``If-Match`` on a write."""
    m = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    response["ETag"] = etag(version_of(m))
    return m


class HistoryOut(Schema):
    starts_on: dt.date
    ends_on: dt.date | None
    kind: str
    label: str
    detail: str


@api.get("/members/{member_id}/history", response={200: list[HistoryOut], **READ_ERRORS}, tags=["members"])
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
    ] + [
        # periods at organisations this database does not hold, from a transfer package
        {
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "kind": p.kind,
            "label": p.organisation_name,
            "detail": " · ".join(x for x in (p.how, p.post, p.title, p.reason, p.document_ref) if x),
        }
        for p in PriorPeriod.objects.filter(member=m).order_by("starts_on", "pk")
    ]


class ExemptIn(Schema):
    on: BoundedDate
    reason: str
    until: BoundedDate | None = None
    details: str = ""
    document_ref: str = ""


def _locked_member(request, member_id: int) -> Member:
    """The member in scope (else 404), its row locked for the write's transaction."""
    m = get_visible_or_404(Member.objects.all(), request.user, pk=member_id)
    return Member.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=m.pk)


@api.post("/members/{member_id}/exempt", response={200: MemberOut, **WRITE_ERRORS}, tags=["members"])
def exempt(
    request, member_id: int, body: ExemptIn, response: HttpResponse, if_match: Header[str | None] = None
):
    """Exempt the member (``If-Match``: the version read)."""
    m = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    refuse_if_any(
        member_actions.check_exempt_member(
            by=request.user,
            member=m,
            on=body.on,
            reason=body.reason,
            until=body.until,
            document_ref=body.document_ref,
        )
    )
    with transaction.atomic():
        m = _locked_member(request, member_id)
        refuse_if_stale(m, if_match)
        member_actions.exempt_member(by=request.user, member=m, **body.dict())
    m.refresh_from_db()
    response["ETag"] = etag(version_of(m))
    return m


class ResumeIn(Schema):
    on: BoundedDate


@api.post("/members/{member_id}/resume", response={200: MemberOut, **WRITE_ERRORS}, tags=["members"])
def resume(
    request, member_id: int, body: ResumeIn, response: HttpResponse, if_match: Header[str | None] = None
):
    """Back to ordinary activity (``If-Match``: the version read)."""
    m = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    refuse_if_any(member_actions.check_resume_activity(by=request.user, member=m, on=body.on))
    with transaction.atomic():
        m = _locked_member(request, member_id)
        refuse_if_stale(m, if_match)
        m = member_actions.resume_activity(by=request.user, member=m, on=body.on)
    response["ETag"] = etag(version_of(m))
    return m


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


@api.put(
    "/campaigns/{campaign_id}/my-self-assessment",
    response={200: AssessmentOut, **WRITE_ERRORS},
    tags=["oath"],
)
def save_my_assessment(
    request, campaign_id: int, body: AssessmentIn, response: HttpResponse, if_match: Header[str | None] = None
):
    """Save the signed-in member's draft (the member themself only). The first save
    creates it; saving over an existing draft takes ``If-Match`` (its version)."""
    member = _own_member(request)
    campaign = get_visible_or_404(Campaign.objects.all(), request.user, pk=campaign_id)
    with transaction.atomic():
        existing = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .filter(campaign=campaign, member=member)
            .first()
        )
        if existing is not None:
            refuse_if_stale(existing, if_match)
        assessment = oath_actions.save_self_assessment(
            by=request.user, campaign=campaign, member=member, **body.dict()
        )
    response["ETag"] = etag(version_of(assessment))
    return assessment


@api.post(
    "/campaigns/{campaign_id}/my-self-assessment/submit",
    response={200: AssessmentOut, **WRITE_ERRORS},
    tags=["oath"],
)
def submit_my_assessment(
    request, campaign_id: int, response: HttpResponse, if_match: Header[str | None] = None
):
    """Submit the draft as read (``If-Match``: its version)."""
    member = _own_member(request)
    with transaction.atomic():
        assessment = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("campaign", "member")
            .filter(campaign_id=campaign_id, member=member)
            .first()
        )
        if assessment is None:
            raise Http404
        refuse_if_stale(assessment, if_match)
        assessment = oath_actions.submit_self_assessment(by=request.user, assessment=assessment)
    response["ETag"] = etag(version_of(assessment))
    return assessment


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


@api.post("/meetings/{meeting_id}/attendance", response={200: DoneOut, **WRITE_ERRORS}, tags=["oath"])
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


@api.post("/meetings/{meeting_id}/presentations", response={200: DoneOut, **WRITE_ERRORS}, tags=["oath"])
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
    as_of: BoundedDate | None = None
    year: int | None = None
    date_from: BoundedDate | None = None
    date_to: BoundedDate | None = None


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


@api.get("/reports", response={200: list[str], **READ_ERRORS}, tags=["reports"])
def report_names(request):
    return sorted(cli_reports())


@api.get("/reports/{name}", response={200: ReportOut, **READ_ERRORS}, tags=["reports"])
def report(request, name: str, filters: Query[ReportFilters]):
    """One report, exactly as `serment report NAME` prints it for this user."""
    return _report(request, name, filters)


class StatisticsOut(Schema):
    schema_version: str
    generated_at: dt.datetime
    organisation_id: int | None
    reports: list[ReportOut]


@api.get("/statistics", response={200: StatisticsOut, **READ_ERRORS}, tags=["reports"])
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


api.add_router("/", steps_router)
api.add_router("/", transfers_router)

"""The steps people take most, through the API: a rating's three steps and a candidate's
admission step. Each endpoint fetches through the scope (out of scope: 404, as the
pages), asks the step's check, locks the record, refuses a stale version (409, see
``versions``) and calls the step's action; a refusal answers 422 with its code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from ninja import Header, Router, Schema

from serment.admissions import actions as admission_actions
from serment.admissions.models import Candidate
from serment.core.errors import refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import get_visible_or_404, scope_for
from serment.members.models import Member
from serment.ratings import actions as rating_actions
from serment.ratings.models import Rating

from .common import READ_ERRORS, WRITE_ERRORS
from .versions import etag, refuse_if_stale, version_of

router = Router(tags=["steps"])


def _answer(response: HttpResponse, record) -> int:
    version = version_of(record)
    response["ETag"] = etag(version)
    return version


# --- ratings -------------------------------------------------------------------------------


class RatingOut(Schema):
    id: int
    round_id: int
    year: int
    subject_kind: str
    subject: str
    member_id: int | None
    organisation_id: int
    self_assessment: str
    self_level: str
    score: Decimal | None
    review: str | None
    review_level: str | None
    level: str | None
    decided_on: dt.date | None
    locked: bool
    version: int


def _rating(request, rating_id: int) -> Rating:
    return get_visible_or_404(
        Rating.objects.select_related("round__organisation", "organisation", "member"),
        request.user,
        pk=rating_id,
    )


def _rating_out(request, response: HttpResponse, rating: Rating) -> dict[str, Any]:
    # As the page: the subject sees the collective's review and the decision once decided.
    staff = scope_for(request.user).has(Perm.VIEW, rating.organisation.path)
    shown = staff or rating.locked
    return {
        "id": rating.pk,
        "round_id": rating.round_id,
        "year": rating.year,
        "subject_kind": rating.subject_kind,
        "subject": str(rating.subject_name),
        "member_id": rating.member_id,
        "organisation_id": rating.organisation_id,
        "self_assessment": rating.self_assessment,
        "self_level": rating.self_level,
        "score": rating.score,
        "review": rating.review if shown else None,
        "review_level": rating.review_level if shown else None,
        "level": rating.level if shown else None,
        "decided_on": rating.decided_on if shown else None,
        "locked": rating.locked,
        "version": _answer(response, rating),
    }


def _locked_rating(rating: Rating) -> Rating:
    return (
        Rating.objects.select_for_update(of=("self",))
        .select_related("round__organisation", "organisation", "member")
        .get(pk=rating.pk)
    )


@router.get("/ratings/{rating_id}", response={200: RatingOut, **READ_ERRORS})
def rating(request, rating_id: int, response: HttpResponse):
    """One rating, with its version (``ETag``) for the next step."""
    return _rating_out(request, response, _rating(request, rating_id))


class SelfAssessIn(Schema):
    text: str
    level: str
    score: Decimal | None = None
    all_tasks_on_time: bool | None = None
    tasks_exceeded: Decimal | None = None
    targets_met: Decimal | None = None


class ReviewIn(Schema):
    text: str = ""
    level: str


class DecideIn(Schema):
    level: str
    on: dt.date | None = None


@router.post("/ratings/{rating_id}/self-assessment", response={200: RatingOut, **WRITE_ERRORS})
def self_assess(
    request,
    rating_id: int,
    body: SelfAssessIn,
    response: HttpResponse,
    if_match: Header[str | None] = None,
):
    """Step 1: the subject's self-assessment and proposed level (``If-Match`` required)."""
    rating = _rating(request, rating_id)
    refuse_if_any(
        rating_actions.check_self_assess(
            by=request.user,
            rating=rating,
            text=body.text,
            level=body.level,
            score=body.score,
            tasks_exceeded=body.tasks_exceeded,
            targets_met=body.targets_met,
        )
    )
    with transaction.atomic():
        rating = _locked_rating(rating)
        refuse_if_stale(rating, if_match)
        rating = rating_actions.self_assess(by=request.user, rating=rating, **body.dict())
    return _rating_out(request, response, rating)


@router.post("/ratings/{rating_id}/review", response={200: RatingOut, **WRITE_ERRORS})
def review(
    request, rating_id: int, body: ReviewIn, response: HttpResponse, if_match: Header[str | None] = None
):
    """Step 2: the collective's review and proposed level (``If-Match`` required)."""
    rating = _rating(request, rating_id)
    refuse_if_any(
        rating_actions.check_review(by=request.user, rating=rating, level=body.level, text=body.text)
    )
    with transaction.atomic():
        rating = _locked_rating(rating)
        refuse_if_stale(rating, if_match)
        rating = rating_actions.review(by=request.user, rating=rating, text=body.text, level=body.level)
    return _rating_out(request, response, rating)


@router.post("/ratings/{rating_id}/decision", response={200: RatingOut, **WRITE_ERRORS})
def decide(
    request, rating_id: int, body: DecideIn, response: HttpResponse, if_match: Header[str | None] = None
):
    """Step 3: the competent committee decides; the rating is then locked (``If-Match`` required)."""
    rating = _rating(request, rating_id)
    refuse_if_any(rating_actions.check_decide(by=request.user, rating=rating, level=body.level))
    with transaction.atomic():
        rating = _locked_rating(rating)
        refuse_if_stale(rating, if_match)
        rating = rating_actions.decide(by=request.user, rating=rating, level=body.level, on=body.on)
    return _rating_out(request, response, rating)


# --- admissions ----------------------------------------------------------------------------


class StepOut(Schema):
    kind: str
    on: dt.date
    document_ref: str
    votes_for: int | None
    votes_against: int | None


class CandidateOut(Schema):
    id: int
    full_name: str
    date_of_birth: dt.date
    organisation_id: int
    status: str
    steps: list[StepOut]
    version: int


def _candidate(request, candidate_id: int) -> Candidate:
    return get_visible_or_404(Candidate.objects.select_related("organisation"), request.user, pk=candidate_id)


def _candidate_out(response: HttpResponse, candidate: Candidate) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "full_name": candidate.full_name,
        "date_of_birth": candidate.date_of_birth,
        "organisation_id": candidate.organisation_id,
        "status": candidate.status,
        "steps": list(candidate.steps.order_by("position")),
        "version": _answer(response, candidate),
    }


@router.get("/candidates/{candidate_id}", response={200: CandidateOut, **READ_ERRORS})
def candidate(request, candidate_id: int, response: HttpResponse):
    """A candidate and their admission steps, with the version (``ETag``) for the next step."""
    return _candidate_out(response, _candidate(request, candidate_id))


class IntroducerIn(Schema):
    member_id: int
    worked_together_since: dt.date


class StepIn(Schema):
    kind: str
    on: dt.date
    document_ref: str = ""
    notes: str = ""
    introducers: list[IntroducerIn] = []
    youth_union_recommendation: bool = False
    votes_for: int | None = None
    votes_against: int | None = None


@router.post("/candidates/{candidate_id}/steps", response={200: CandidateOut, **WRITE_ERRORS})
def record_step(
    request, candidate_id: int, body: StepIn, response: HttpResponse, if_match: Header[str | None] = None
):
    """Record the candidate's next admission step (``If-Match`` required)."""
    candidate = _candidate(request, candidate_id)
    introducers = [
        admission_actions.IntroducerInput(
            member=get_visible_or_404(Member.objects.all(), request.user, pk=item.member_id),
            worked_together_since=item.worked_together_since,
        )
        for item in body.introducers[:10]
    ]
    fields = {
        "kind": body.kind,
        "on": body.on,
        "introducers": introducers,
        "youth_union_recommendation": body.youth_union_recommendation,
        "votes_for": body.votes_for,
        "votes_against": body.votes_against,
    }
    refuse_if_any(admission_actions.check_record_step(by=request.user, candidate=candidate, **fields))
    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=candidate.pk)
        )
        refuse_if_stale(candidate, if_match)
        admission_actions.record_step(
            by=request.user, candidate=candidate, document_ref=body.document_ref, notes=body.notes, **fields
        )
    return _candidate_out(response, candidate)

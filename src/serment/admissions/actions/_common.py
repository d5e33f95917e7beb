"""Helpers and validators shared by the admissions actions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from serment.core.errors import Refusal
from serment.organisations.models import Kind, Organisation

from ..models import (
    STEP_ORDER,
    Candidate,
    CandidateStatus,
    StepKind,
)

CANDIDATE_FIELDS = (
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "religion",
    "home_town",
    "citizen_id",
    "phone",
    "education_level",
)


def steps_for(cell: Organisation) -> tuple[str, ...]:
    """The steps a candidate of ``cell`` goes through. A grassroots cell is itself the
    grassroots organisation, so there is no separate grassroots committee resolution."""
    if cell.kind == Kind.GRASSROOTS_CELL:
        return tuple(k for k in STEP_ORDER if k != StepKind.GRASSROOTS_RESOLUTION)
    return STEP_ORDER


def _lock(candidate: Candidate) -> Candidate:
    return (
        Candidate.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=candidate.pk)
    )


def _years_months(months: int) -> str:
    years, rest = divmod(months, 12)
    if not rest:
        return _("%(y)d years") % {"y": years}
    return ngettext("%(y)d years %(m)d month", "%(y)d years %(m)d months", rest) % {"y": years, "m": rest}


def _limit(months: int) -> str:
    """A limit as the rules state it: "18" (years), or years and months."""
    return str(months // 12) if months % 12 == 0 else _years_months(months)


CHARTER_4 = "Điều lệ Đảng, Điều 4"
CHARTER_5 = "Điều lệ Đảng, Điều 5"
HD_01 = "Hướng dẫn 01-HD/TW (2021)"


def in_progress_refusals(candidate: Candidate) -> list[Refusal]:
    if candidate.status != CandidateStatus.IN_PROGRESS:
        return [
            Refusal(
                code="candidate_not_in_progress",
                message=gettext_lazy("%(name)s is no longer a candidate (%(status)s)."),
                params={"name": candidate.full_name, "status": CandidateStatus(candidate.status).label},
            )
        ]
    return []

"""The bars on cadre decisions: discipline (Quy định 69/80-QĐ/TW) and rating results.

``bar_refusals`` answers "may this person be moved, appointed, nominated, planned or
awarded on this day?" with ``Refusal``s naming the decision, its form, its date and
the first day the person becomes eligible. Every check of this app calls it; so do
reports listing barred people (``barred``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from serment.core.dates import show_date
from serment.core.errors import Refusal
from serment.members.models import Member, PostHolding
from serment.members.rules import add_months
from serment.organisations.models import Organisation

from .discipline import DisciplineFact, in_force, member_disciplines
from .rating_results import NOT_COMPLETED, member_rating_results
from .rules import discipline_bars_on, post_rank, rating_bars_on

FORM_LABELS = {
    "reprimand": _("reprimand (khiển trách)"),
    "warning": _("warning (cảnh cáo)"),
    "dismissal": _("dismissal from post (cách chức)"),
    "expulsion": _("expulsion (khai trừ)"),
    "dissolution": _("dissolution (giải tán)"),
}
WHAT_LABELS = {
    "rotation": _("rotation"),
    "transfer": _("transfer"),
    "appointment": _("appointment"),
    "reappointment": _("reappointment"),
    "nomination": _("nomination for election"),
    "election": _("election"),
    "planning": _("planning"),
    "award": _("award"),
}


def _d(day: dt.date | None) -> str:
    return show_date(day)


def _decision_params(member: Member, fact: DisciplineFact, kind: str) -> dict:
    return {
        "name": member.full_name,
        "form": str(FORM_LABELS.get(fact.form, fact.form)),
        "ref": fact.document_ref or "—",
        "body": fact.deciding_body or "—",
        "date": _d(fact.decided_on),
        "what": str(WHAT_LABELS.get(kind, kind)),
    }


def is_higher_post(member_id: int, organisation: Organisation | None, post: str, on: dt.date) -> bool:
    """Is (organisation, post) above every post the person holds on ``on``?"""
    if organisation is None or not post:
        return True
    held = (
        PostHolding.objects.filter(member_id=member_id, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .values_list("organisation__depth", "post")
    )
    target = post_rank(organisation.depth, post)
    return all(target > post_rank(depth, p) for depth, p in held)


def bar_refusals(
    *,
    member: Member,
    kind: str,
    on: dt.date,
    organisation: Organisation | None = None,
    post: str = "",
    disciplines: list[DisciplineFact] | None = None,
    ratings: dict[int, str] | None = None,
    higher: bool | None = None,
) -> list[Refusal]:
    """Why ``member`` may not get ``kind`` (a movement kind, "planning" or "award") on ``on``.

    ``disciplines``/``ratings``/``higher`` may be passed in by bulk callers that read
    them for many people at once; otherwise they are read here.
    """
    refusals: list[Refusal] = []
    d_rules = discipline_bars_on(on)
    if disciplines is None:
        disciplines = member_disciplines([member.pk], as_of=on).get(member.pk, [])
    for fact in disciplines:
        if kind in d_rules.blocked_while_in_force and in_force(fact, on):
            params = _decision_params(member, fact, kind)
            params["eligible"] = _d(fact.lapses_on) if fact.lapses_on else str(_("never (expulsion)"))
            refusals.append(
                Refusal(
                    code="discipline_in_force",
                    message=_(
                        "%(name)s is under a %(form)s (decision %(ref)s of %(body)s, %(date)s) "
                        "still in force: no %(what)s while it is. First eligible day: %(eligible)s."
                    ),
                    params=params,
                    source=d_rules.source,
                    field="member",
                )
            )
        months = d_rules.higher_post_months.get(fact.form)
        if kind in d_rules.blocked_to_higher_post and months:
            first = add_months(fact.announced_on, months)
            if fact.announced_on <= on < first:
                if higher is None:
                    higher = is_higher_post(member.pk, organisation, post, on)
                if higher:
                    params = _decision_params(member, fact, kind)
                    params.update(months=months, eligible=_d(first))
                    refusals.append(
                        Refusal(
                            code="discipline_bar",
                            message=_(
                                "%(name)s received a %(form)s (decision %(ref)s of %(body)s, %(date)s): "
                                "no %(what)s to a higher post for %(months)s months. "
                                "First eligible day: %(eligible)s."
                            ),
                            params=params,
                            source=d_rules.source,
                            field="member",
                        )
                    )
    r_rules = rating_bars_on(on)
    if kind in r_rules.blocked_when_not_completed:
        if ratings is None:
            ratings = member_rating_results([member.pk], as_of=on).get(member.pk, {})
        if ratings:
            latest = max(ratings)
            if ratings[latest] == NOT_COMPLETED:
                refusals.append(
                    Refusal(
                        code="not_completed_latest_year",
                        message=_(
                            "%(name)s was rated not completed for %(year)s, the latest year rated: "
                            "no %(what)s until a later year is rated otherwise."
                        ),
                        params={
                            "name": member.full_name,
                            "year": latest,
                            "what": str(WHAT_LABELS.get(kind, kind)),
                        },
                        source=r_rules.source,
                        field="member",
                    )
                )
    return refusals


def not_completed_years_running(levels: dict[int, str]) -> int:
    """How many years up to the latest rated one were all "not completed"."""
    run = 0
    year = max(levels) if levels else None
    while year is not None and levels.get(year) == NOT_COMPLETED:
        run += 1
        year -= 1
    return run


@dataclass(frozen=True)
class Barred:
    member: Member
    refusals: list[Refusal]
    flagged_for_removal: bool


def barred(members: Iterable[Member], *, on: dt.date, kind: str = "appointment") -> list[Barred]:
    """Of ``members``, those barred from ``kind`` on ``on`` (or flagged for removal),
    reading disciplines and ratings in two queries."""
    members = list(members)
    ids = [m.pk for m in members]
    facts = member_disciplines(ids, as_of=on)
    results = member_rating_results(ids, as_of=on)
    need = rating_bars_on(on).consecutive_years_for_removal
    out = []
    for m in members:
        refusals = bar_refusals(
            member=m,
            kind=kind,
            on=on,
            disciplines=facts.get(m.pk, []),
            ratings=results.get(m.pk, {}),
            higher=True,
        )
        flagged = not_completed_years_running(results.get(m.pk, {})) >= need
        if refusals or flagged:
            out.append(Barred(m, refusals, flagged))
    return out

"""Movement decisions: one decision ends the old holding and opens the new one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor, user_of
from serment.core.errors import Refusal, Refused, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import require, require_actor
from serment.members.models import ManagementLevel, Member, PostHolding
from serment.organisations.models import Organisation

from ..bars import bar_refusals
from ..models import (
    ENDS_HOLDING,
    NEEDS_FROM_HOLDING,
    OPENS_HOLDING,
    Grounds,
    Movement,
    MovementKind,
)
from ._common import _d, _member_refusals, _seat_refusals, default_management_level
from .posts import _close_holding, _open_holding

# --- Movement decisions -----------------------------------------------------------------


def check_record_movement(
    *,
    member: Member,
    kind: str,
    decided_on: dt.date,
    effective_on: dt.date | None = None,
    document_ref: str = "",
    deciding_body: str = "",
    deciding_level: str = "",
    organisation: Organisation | None = None,
    post: str = "",
    from_holding: PostHolding | None = None,
) -> list[Refusal]:
    """Whether a movement decision may be recorded: its fields, the posts it ends and
    opens, and the bars (discipline in force, the months after a discipline, the
    "not completed" rating), on the decision's date."""
    effective_on = effective_on or decided_on
    refusals = _member_refusals(member)
    if kind not in MovementKind.values:
        return refusals + [
            Refusal(code="invalid_kind", message=gettext_lazy("Choose the kind of decision."), field="kind")
        ]
    if not (document_ref or "").strip():
        refusals.append(
            Refusal(
                code="document_required",
                message=gettext_lazy("Give the decision number."),
                field="document_ref",
            )
        )
    if not (deciding_body or "").strip():
        refusals.append(
            Refusal(
                code="body_required", message=gettext_lazy("Say which body decided."), field="deciding_body"
            )
        )
    if deciding_level not in ManagementLevel.values:
        refusals.append(
            Refusal(
                code="level_required",
                message=gettext_lazy("Say at which level the decision was made."),
                field="deciding_level",
            )
        )
    if effective_on < decided_on:
        refusals.append(
            Refusal(
                code="effective_before_decision",
                message=gettext_lazy("A decision takes effect on or after its date."),
                field="effective_on",
            )
        )
    if kind in NEEDS_FROM_HOLDING and from_holding is None:
        refusals.append(
            Refusal(
                code="holding_required",
                message=gettext_lazy("Say which post the decision is about."),
                field="from_holding",
            )
        )
    if from_holding is not None:
        if from_holding.member_id != member.pk:
            refusals.append(
                Refusal(
                    code="holding_of_someone_else",
                    message=gettext_lazy("This post is held by someone else."),
                    field="from_holding",
                )
            )
        elif from_holding.ends_on is not None or from_holding.starts_on > effective_on:
            refusals.append(
                Refusal(
                    code="holding_not_open",
                    message=gettext_lazy("%(name)s does not hold this post on %(date)s."),
                    params={"name": member.full_name, "date": _d(effective_on)},
                    field="from_holding",
                )
            )
        if kind == MovementKind.REAPPOINTMENT and (
            organisation is not None
            and (from_holding.organisation_id != organisation.pk or from_holding.post != post)
        ):
            refusals.append(
                Refusal(
                    code="reappointment_same_post",
                    message=gettext_lazy("A reappointment is to the same post."),
                    field="post",
                )
            )
    if kind in OPENS_HOLDING or kind == MovementKind.NOMINATION:
        if organisation is None:
            refusals.append(
                Refusal(
                    code="organisation_required",
                    message=gettext_lazy("Choose the organisation."),
                    field="organisation",
                )
            )
        else:
            seat = _seat_refusals(
                member=member, organisation=organisation, post=post, except_holding=from_holding
            )
            if kind == MovementKind.NOMINATION:
                seat = [r for r in seat if r.code == "invalid_post"]
            refusals += seat
    if refusals:
        return refusals
    return bar_refusals(member=member, kind=kind, on=decided_on, organisation=organisation, post=post)


@transaction.atomic
def record_movement(
    *,
    by: Actor,
    member: Member,
    kind: str,
    decided_on: dt.date,
    document_ref: str,
    deciding_body: str,
    deciding_level: str,
    organisation: Organisation | None = None,
    post: str = "",
    title: str = "",
    management_level: str = "",
    from_holding: PostHolding | None = None,
    effective_on: dt.date | None = None,
    grounds: str = Grounds.WORK,
    reason: str = "",
    promise: str = "",
) -> Movement:
    """Record a decision on a person's post: rotation, transfer, appointment,
    reappointment, nomination for election, election result, dismissal, removal,
    relief, or a proposal for removal. The old holding is closed and the new one
    opened in the same transaction; a promise made on appointment or as a candidate
    goes to the oath app."""
    require_actor(by)
    effective_on = effective_on or decided_on
    for org in {o for o in (organisation, from_holding.organisation if from_holding else None) if o}:
        require(by, Perm.CADRES, org.path)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if from_holding is not None:
        from_holding = (
            PostHolding.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=from_holding.pk)
        )
        if organisation is None:
            organisation, post = from_holding.organisation, post or from_holding.post
    refuse_if_any(
        check_record_movement(
            member=member,
            kind=kind,
            decided_on=decided_on,
            effective_on=effective_on,
            document_ref=document_ref,
            deciding_body=deciding_body,
            deciding_level=deciding_level,
            organisation=organisation,
            post=post,
            from_holding=from_holding,
        )
    )
    if organisation is None:  # a movement names its organisation (by default, the post left's)
        raise Refused(
            [
                Refusal(
                    code="organisation_required",
                    message=gettext_lazy("Choose the organisation."),
                    field="organisation",
                )
            ]
        )
    if from_holding is not None and kind in ENDS_HOLDING:
        _close_holding(from_holding, effective_on, kind, reason)
    to_holding = None
    if kind in OPENS_HOLDING:
        to_holding = _open_holding(
            member=member,
            organisation=organisation,
            post=post,
            on=effective_on,
            title=title,
            reason=document_ref,
            management_level=management_level,
            began_how=kind,
        )
    movement = Movement.objects.create(
        member=member,
        kind=kind,
        organisation=organisation,
        post=post,
        title=title,
        management_level=_level_of(management_level, to_holding, from_holding, organisation, post),
        deciding_level=deciding_level,
        deciding_body=deciding_body.strip(),
        document_ref=document_ref.strip(),
        decided_on=decided_on,
        effective_on=effective_on,
        grounds=grounds,
        reason=reason,
        from_holding=from_holding,
        to_holding=to_holding,
        recorded_by=user_of(by),
    )
    audit.record(
        by=by,
        action=f"cadres.{kind}",
        target=member,
        summary=_("%(kind)s: %(post)s of %(org)s (%(ref)s)")
        % {
            "kind": movement.get_kind_display(),
            "post": movement.get_post_display(),
            "org": organisation.name,
            "ref": movement.document_ref,
        },
        changes={
            "movement": movement.pk,
            "decided_on": decided_on,
            "effective_on": effective_on,
            "deciding_body": movement.deciding_body,
            "post_left": from_holding.pk if from_holding else None,
            "post_taken": to_holding.pk if to_holding else None,
            "grounds": grounds,
        },
    )
    if promise.strip():
        from serment.oath.actions import add_promise

        occasion = "election" if kind in (MovementKind.NOMINATION, MovementKind.ELECTION) else "appointment"
        to_whom = "voters" if occasion == "election" else "collective"
        add_promise(
            by=by, member=member, made_on=effective_on, occasion=occasion, to_whom=to_whom, text=promise
        )
    return movement


def _level_of(given: str, to_holding, from_holding, organisation: Organisation, post: str) -> str:
    if given:
        return given
    for holding in (to_holding, from_holding):
        if holding is not None and holding.management_level:
            return holding.management_level
    return default_management_level(organisation, post)

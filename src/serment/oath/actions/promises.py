"""The oath itself and the member's promises (one at a time, or imported)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serment.core import audit
from serment.core.actors import Actor, is_actor, user_of
from serment.core.errors import DomainError, Refusal, refusals_of, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals
from serment.members.models import Member, State

from ..models import (
    Audience,
    Oath,
    Occasion,
    Promise,
    PromiseState,
    PromiseUpdate,
)
from ._common import _is_member_themself


def check_record_oath(*, by: Actor, member: Member, taken_on: dt.date) -> list[Refusal]:
    """May the oath of ``member`` be recorded as taken on ``taken_on``? Once, at admission or later."""
    refused = permission_refusals(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if refused:
        return refused

    def validate() -> None:
        if Oath.objects.filter(member=member).exists():
            raise DomainError(
                _("The oath of %(name)s is already recorded.") % {"name": member.full_name},
                code="oath_already_recorded",
            )
        if taken_on < member.admitted_on:
            raise DomainError(
                _("The oath is taken at the admission ceremony, not before admission."),
                field="taken_on",
                code="oath_before_admission",
            )

    return refusals_of(validate)


@transaction.atomic
def record_oath(*, by: Actor, member: Member, taken_on: dt.date, place: str = "") -> Oath:
    """Record the oath taken at the admission ceremony."""
    refuse_if_any(check_record_oath(by=by, member=member, taken_on=taken_on))
    oath = Oath.objects.create(member=member, taken_on=taken_on, place=(place or "").strip())
    audit.record(
        by=by,
        action="oath.record",
        target=member,
        summary=_("Oath taken on %(d)s") % {"d": taken_on},
        changes={"taken_on": taken_on, "place": oath.place},
    )
    return oath


def promise_refusals(
    *,
    member: Member,
    made_on: dt.date,
    occasion: str,
    to_whom: str,
    text: str,
    due_on: dt.date | None = None,
    state: str = PromiseState.IN_PROGRESS,
) -> list[Refusal]:
    """The rules a new promise obeys, whoever enters it (a form or the importer)."""
    refusals: list[Refusal] = []
    if member.state == State.LEFT:
        return [
            Refusal(
                code="member_left",
                message=gettext_lazy("%(name)s is no longer on the register."),
                params={"name": member.full_name},
            )
        ]
    required_choices = (
        (
            occasion,
            Occasion,
            "occasion_required",
            gettext_lazy("Say on which occasion the promise was made."),
            "occasion",
        ),
        (to_whom, Audience, "to_whom_required", gettext_lazy("Say to whom the promise was made."), "to_whom"),
        (
            state,
            PromiseState,
            "promise_progress_required",
            gettext_lazy("Say how far the promise is kept."),
            "state",
        ),
    )
    refusals += [
        Refusal(code=code, message=message, field=field)
        for value, choices, code, message, field in required_choices
        if value not in choices.values
    ]
    if not (text or "").strip():
        refusals.append(
            Refusal(code="promise_text_required", message=gettext_lazy("Write the promise."), field="text")
        )
    if made_on < member.admitted_on:
        refusals.append(
            Refusal(
                code="promise_before_admission",
                message=gettext_lazy("A member's promise is made after admission."),
                field="made_on",
            )
        )
    if due_on is not None and due_on < made_on:
        refusals.append(
            Refusal(
                code="due_before_promise",
                message=gettext_lazy("The due date is before the promise was made."),
                field="due_on",
            )
        )
    return refusals


def _self_or_refusals(by: Actor, member: Member, perm: str) -> list[Refusal]:
    """The member acts on their own record; anyone else needs ``perm`` on the cell."""
    if _is_member_themself(by, member):
        return []
    return permission_refusals(by, perm, member.organisation.path)


def check_add_promise(
    *,
    by: Actor,
    member: Member,
    made_on: dt.date,
    occasion: str,
    to_whom: str,
    text: str,
    due_on: dt.date | None = None,
) -> list[Refusal]:
    """May ``by`` record this promise of ``member``? The member themself, or staff managing
    the cell; the promise obeys ``promise_refusals``."""
    refused = _self_or_refusals(by, member, Perm.MANAGE_MEMBERS)
    if refused:
        return refused
    return promise_refusals(
        member=member, made_on=made_on, occasion=occasion, to_whom=to_whom, text=text, due_on=due_on
    )


@transaction.atomic
def add_promise(
    *,
    by: Actor,
    member: Member,
    made_on: dt.date,
    occasion: str,
    to_whom: str,
    text: str,
    due_on: dt.date | None = None,
) -> Promise:
    """Record a promise, by the member themself or by staff of the cell (the secretary)."""
    refuse_if_any(
        check_add_promise(
            by=by,
            member=member,
            made_on=made_on,
            occasion=occasion,
            to_whom=to_whom,
            text=text,
            due_on=due_on,
        )
    )
    text = text.strip()
    promise = Promise.objects.create(
        member=member, made_on=made_on, occasion=occasion, to_whom=to_whom, text=text, due_on=due_on
    )
    audit.record(
        by=by,
        action="oath.add_promise",
        target=member,
        summary=text[:200],
        changes={"promise": promise.pk, "made_on": made_on, "occasion": occasion, "to_whom": to_whom},
    )
    return promise


@dataclass(frozen=True)
class NewPromise:
    member: Member
    made_on: dt.date
    occasion: str
    to_whom: str
    text: str
    due_on: dt.date | None = None
    state: str = PromiseState.IN_PROGRESS


def check_import_promise(*, by: Actor, promise: NewPromise) -> list[Refusal]:
    """May this one promise be imported? IMPORT on the member's cell, and the rules of
    ``promise_refusals`` (the importer's row report asks this for each row)."""
    refused = permission_refusals(by, Perm.IMPORT, promise.member.organisation.path)
    if refused:
        return refused
    return promise_refusals(
        member=promise.member,
        made_on=promise.made_on,
        occasion=promise.occasion,
        to_whom=promise.to_whom,
        text=promise.text,
        due_on=promise.due_on,
        state=promise.state,
    )


def check_import_promises(*, by: Actor, promises: Sequence[NewPromise]) -> list[Refusal]:
    """May all of ``promises`` be imported? Every refusal of every promise."""
    if not is_actor(by):
        return permission_refusals(by, Perm.IMPORT, None)
    refusals: list[Refusal] = []
    for p in promises:
        refusals += check_import_promise(by=by, promise=p)
    return refusals


@transaction.atomic
def import_promises(*, by: Actor, promises: Sequence[NewPromise]) -> list[Promise]:
    """Record many promises at once (the promise importer's action), all or nothing.

    Needs IMPORT on each member's cell; every promise obeys ``promise_refusals``.
    """
    refuse_if_any(check_import_promises(by=by, promises=promises))
    made = Promise.objects.bulk_create(
        [
            Promise(
                member=p.member,
                made_on=p.made_on,
                occasion=p.occasion,
                to_whom=p.to_whom,
                text=p.text.strip(),
                due_on=p.due_on,
                state=p.state,
            )
            for p in promises
        ],
        batch_size=1000,
    )
    audit.record_many(
        by=by,
        action="oath.import_promise",
        targets=made,
        summary=_("Imported promise"),
        changes_for=lambda x: {
            "member": x.member_id,
            "made_on": x.made_on,
            "occasion": x.occasion,
            "to_whom": x.to_whom,
            "state": x.state,
        },
    )
    return made


def check_update_promise(
    *, by: Actor, promise: Promise, on: dt.date | None, state: str, evidence: str
) -> list[Refusal]:
    """May this update of how far ``promise`` is kept be recorded? The member themself or
    staff managing the cell; a state, evidence, and a date between the promise and today."""
    refused = _self_or_refusals(by, promise.member, Perm.MANAGE_MEMBERS)
    if refused:
        return refused
    refusals: list[Refusal] = []
    if state not in PromiseState.values:
        refusals.append(
            Refusal(
                code="promise_state_required",
                message=gettext_lazy("Choose the state of the promise."),
                field="state",
            )
        )
    if not (evidence or "").strip():
        refusals.append(
            Refusal(
                code="evidence_required",
                message=gettext_lazy("Give the evidence for this update."),
                field="evidence",
            )
        )
    if on is not None and on < promise.made_on:
        refusals.append(
            Refusal(
                code="update_before_promise",
                message=gettext_lazy("The update is dated before the promise was made."),
                field="on",
            )
        )
    if on is not None and on > timezone.localdate():
        refusals.append(
            Refusal(
                code="update_in_future",
                message=gettext_lazy("The update cannot be dated in the future."),
                field="on",
            )
        )
    return refusals


@transaction.atomic
def update_promise(*, by: Actor, promise: Promise, on: dt.date, state: str, evidence: str) -> PromiseUpdate:
    """Record how far a promise is kept, with dated evidence."""
    member = promise.member
    refuse_if_any(check_update_promise(by=by, promise=promise, on=on, state=state, evidence=evidence))
    evidence = evidence.strip()
    update = PromiseUpdate.objects.create(
        promise=promise, on=on, state=state, evidence=evidence, by=user_of(by)
    )
    old = promise.state
    latest = PromiseUpdate.objects.filter(promise=promise).order_by("-on", "-pk").first()
    assert latest is not None  # the update just created
    promise.state = latest.state
    promise.save(update_fields=["state"])
    audit.record(
        by=by,
        action="oath.update_promise",
        target=member,
        summary=evidence[:200],
        changes={"promise": promise.pk, "state": [old, promise.state], "on": on},
    )
    return update


# --- campaigns ---------------------------------------------------------------------

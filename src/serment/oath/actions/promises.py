"""The oath itself and the member's promises (one at a time, or imported)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor, user_of
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.members.models import Member, State

from ..models import (
    Audience,
    Oath,
    Occasion,
    Promise,
    PromiseState,
    PromiseUpdate,
)
from ._common import _require_self_or


@transaction.atomic
def record_oath(*, by: Actor, member: Member, taken_on: dt.date, place: str = "") -> Oath:
    """Record the oath taken at the admission ceremony."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
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
    oath = Oath.objects.create(member=member, taken_on=taken_on, place=(place or "").strip())
    audit.record(
        by=by,
        action="oath.record",
        target=member,
        summary=_("Oath taken on %(d)s") % {"d": taken_on},
        changes={"taken_on": taken_on, "place": oath.place},
    )
    return oath


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
    _require_self_or(by, member, Perm.MANAGE_MEMBERS)
    text = (text or "").strip()
    check_promise(
        member=member, made_on=made_on, occasion=occasion, to_whom=to_whom, text=text, due_on=due_on
    )
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


def check_promise(
    *,
    member: Member,
    made_on: dt.date,
    occasion: str,
    to_whom: str,
    text: str,
    due_on: dt.date | None = None,
    state: str = PromiseState.IN_PROGRESS,
) -> None:
    """The rules a new promise obeys, whoever enters it (a form or the importer)."""
    if member.state == State.LEFT:
        raise DomainError(
            _("%(name)s is no longer on the register.") % {"name": member.full_name}, code="member_left"
        )
    if occasion not in Occasion.values:
        raise DomainError(
            _("Say on which occasion the promise was made."), field="occasion", code="occasion_required"
        )
    if to_whom not in Audience.values:
        raise DomainError(_("Say to whom the promise was made."), field="to_whom", code="to_whom_required")
    if state not in PromiseState.values:
        raise DomainError(
            _("Say how far the promise is kept."), field="state", code="promise_progress_required"
        )
    if not (text or "").strip():
        raise DomainError(_("Write the promise."), field="text", code="promise_text_required")
    if made_on < member.admitted_on:
        raise DomainError(
            _("A member's promise is made after admission."), field="made_on", code="promise_before_admission"
        )
    if due_on is not None and due_on < made_on:
        raise DomainError(
            _("The due date is before the promise was made."), field="due_on", code="due_before_promise"
        )


@dataclass(frozen=True)
class NewPromise:
    member: Member
    made_on: dt.date
    occasion: str
    to_whom: str
    text: str
    due_on: dt.date | None = None
    state: str = PromiseState.IN_PROGRESS


@transaction.atomic
def import_promises(*, by: Actor, promises: Sequence[NewPromise]) -> list[Promise]:
    """Record many promises at once (the promise importer's action), all or nothing.

    Needs IMPORT on each member's cell; every promise obeys ``check_promise``.
    """
    for p in promises:
        require(by, Perm.IMPORT, p.member.organisation.path)
        check_promise(
            member=p.member,
            made_on=p.made_on,
            occasion=p.occasion,
            to_whom=p.to_whom,
            text=p.text,
            due_on=p.due_on,
            state=p.state,
        )
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


@transaction.atomic
def update_promise(*, by: Actor, promise: Promise, on: dt.date, state: str, evidence: str) -> PromiseUpdate:
    """Record how far a promise is kept, with dated evidence."""
    member = promise.member
    _require_self_or(by, member, Perm.MANAGE_MEMBERS)
    if state not in PromiseState.values:
        raise DomainError(_("Choose the state of the promise."), field="state", code="promise_state_required")
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(_("Give the evidence for this update."), field="evidence", code="evidence_required")
    if on < promise.made_on:
        raise DomainError(
            _("The update is dated before the promise was made."), field="on", code="update_before_promise"
        )
    if on > timezone.localdate():
        raise DomainError(_("The update cannot be dated in the future."), field="on", code="update_in_future")
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

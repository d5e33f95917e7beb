"""Many members at once: the register import, validated then inserted in bulk."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.bulk import insert_rows, reserve_ids
from serment.core.dates import show_date
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import SYSTEM, scope_for
from serment.organisations.models import Organisation

from ..models import (
    ActivityPeriod,
    Member,
    Membership,
    MembershipKind,
    State,
)
from ..names import name_keys
from ._common import (
    _STATES,
    DETAIL_FIELDS,
    _require_date_after,
    clean_member_details,
    validate_admission_dates,
    validate_cell,
    validate_exemption,
    validate_leaving,
    validate_temporary_transfer,
)

# --- Many at once (the member import) ---------------------------------------------------

# Values are looked up in chunks so a long list stays under every database's limit
# on query parameters.
_CHUNK = 900
# How a validator's field names read in a register row.
_RECORD_FIELDS = {"reason": "state_reason", "until": "state_until", "on": "state_since"}


@dataclass
class MemberRecord:
    """A member as the register holds them today (the import): identity, admission,
    cell, and the current activity state with its dates.

    ``state_since`` is when the exemption or temporary transfer began, or the day
    the member left; ``state_until`` the planned end; ``state_reason`` an
    ``ExemptionReason``, ``work``/``training`` or a ``LeftReason``.
    """

    cell: Organisation
    full_name: str
    date_of_birth: dt.date
    sex: str
    admitted_on: dt.date
    official_on: dt.date | None = None
    joined_cell_on: dt.date | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)  # the other DETAIL_FIELDS
    state: str = State.ACTIVE
    state_since: dt.date | None = None
    state_until: dt.date | None = None
    state_reason: str = ""
    destination: str = ""
    document_ref: str = ""


def _as_record_error(exc: DomainError) -> DomainError:
    exc.field = _RECORD_FIELDS.get(exc.field or "", exc.field)
    return exc


def validate_member_record(record: MemberRecord, *, today: dt.date | None = None) -> dict[str, Any]:
    """The rules of registration and of the lifecycle actions, applied to one record
    of the register; returns the cleaned personal details."""
    today = today or timezone.localdate()
    data = clean_member_details({"full_name": record.full_name, "sex": record.sex, **record.details})
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    for name in ("date_of_birth", "admitted_on", "official_on", "joined_cell_on", "state_since"):
        day = getattr(record, name)
        if day is not None and day > today:
            raise DomainError(_("This date is in the future."), field=name)
    validate_admission_dates(
        date_of_birth=record.date_of_birth,
        admitted_on=record.admitted_on,
        official_on=record.official_on,
        joined_cell_on=record.joined_cell_on,
    )
    if record.state == State.ACTIVE:
        return data
    if record.state not in _STATES:
        raise DomainError(_("Unknown activity state: %(s)s.") % {"s": record.state}, field="state")
    on = record.state_since
    if on is None:
        raise DomainError(_("Give the date this state began."), field="state_since")
    try:
        if record.state == State.EXEMPT:
            _require_date_after(on, record.admitted_on, "on", _("The date is before the admission."))
            validate_exemption(
                full_name=data["full_name"],
                sex=record.sex,
                date_of_birth=record.date_of_birth,
                on=on,
                reason=record.state_reason,
                until=record.state_until,
                document_ref=record.document_ref,
            )
        elif record.state == State.TRANSFERRED_OUT:
            _require_date_after(on, record.admitted_on, "on", _("The date is before the admission."))
            if record.state_reason not in ("", "work", "training"):
                raise DomainError(_("A temporary transfer is for work or training."), field="reason")
            if record.state_until is None:
                raise DomainError(_("Give the planned end of the temporary transfer."), field="until")
            validate_temporary_transfer(
                on=on,
                until=record.state_until,
                destination=record.destination,
                for_training=record.state_reason == "training",
            )
        else:
            validate_leaving(
                on=on,
                reason=record.state_reason,
                admitted_on=record.admitted_on,
                official_on=record.official_on,
                document_ref=record.document_ref,
            )
            joined = record.joined_cell_on or record.admitted_on
            _require_date_after(
                on,
                joined,
                "on",
                _("The date is before the member joined the current cell (%(date)s).")
                % {"date": show_date(joined)},
            )
    except DomainError as exc:
        raise _as_record_error(exc) from None
    return data


def _existing_values(name: str, values: set[str]) -> set[str]:
    if len(values) > 5 * _CHUNK:  # a whole register: one scan beats many IN lists
        taken = Member.objects.exclude(**{f"{name}__isnull": True}).values_list(name, flat=True)
        return values.intersection(taken.iterator(chunk_size=10_000))
    ordered = sorted(values)
    found: set[str] = set()
    for i in range(0, len(ordered), _CHUNK):
        found.update(
            Member.objects.filter(**{f"{name}__in": ordered[i : i + _CHUNK]}).values_list(name, flat=True)
        )
    return found


def _visible_values(by: Actor, name: str, values: set[str]) -> set[str]:
    ordered = sorted(values)
    found: set[str] = set()
    for i in range(0, len(ordered), _CHUNK):
        found.update(
            Member.objects.visible_to(by)
            .filter(**{f"{name}__in": ordered[i : i + _CHUNK]})
            .values_list(name, flat=True)
        )
    return found


def _check_records(
    by: Actor, records: Sequence[MemberRecord], lines: Sequence[int]
) -> tuple[list[tuple[int, DomainError]], list[dict[str, Any] | None]]:
    errors: list[tuple[int, DomainError]] = []
    cleaned: list[dict[str, Any] | None] = [None] * len(records)
    today = timezone.localdate()
    for i, record in enumerate(records):
        try:
            cleaned[i] = validate_member_record(record, today=today)
        except DomainError as exc:
            errors.append((i, exc))
    scope = None if by is SYSTEM else scope_for(by)
    cell_errors: dict[int, DomainError | None] = {}
    for i, record in enumerate(records):
        cell = record.cell
        if cell.pk not in cell_errors:
            cell_errors[cell.pk] = None
            try:
                validate_cell(cell, field="cell_code")
                if scope is not None and not (
                    scope.has(Perm.MANAGE_MEMBERS, cell.path) and scope.has(Perm.IMPORT, cell.path)
                ):
                    raise DomainError(
                        _("Your role does not allow importing members into %(org)s.") % {"org": cell.name},
                        field="cell_code",
                    )
            except DomainError as exc:
                cell_errors[cell.pk] = exc
        cell_error = cell_errors[cell.pk]
        if cell_error is not None:
            errors.append((i, cell_error))
    for name, label in (("card_number", _("Party card number")), ("citizen_id", _("citizen ID"))):
        where: dict[str, list[int]] = {}
        for i, record in enumerate(records):
            value = (
                (cleaned[i] or {}).get(name) if cleaned[i] else str(record.details.get(name) or "").strip()
            )
            if value:
                where.setdefault(value, []).append(i)
        for value, indices in where.items():
            for i in indices[1:] if len(indices) > 1 else ():
                errors.append((i, _duplicate(label, value, lines[indices[0]], name)))
            if len(indices) > 1:
                errors.append((indices[0], _duplicate(label, value, lines[indices[1]], name)))
        taken = _existing_values(name, set(where))
        # who holds a value outside the importer's scope is not theirs to learn
        seen = taken if scope is None else _visible_values(by, name, taken)
        for value in taken:
            for i in where[value]:
                if value in seen:
                    error = DomainError(
                        _("The %(label)s %(value)s belongs to another member.")
                        % {"label": label, "value": value},
                        field=name,
                        code="identity_taken",
                    )
                else:
                    error = DomainError(
                        _(
                            "The %(label)s %(value)s is already registered elsewhere; ask the committee above "
                            "you to check it."
                        )
                        % {"label": label, "value": value},
                        field=name,
                        code="identity_taken_elsewhere",
                    )
                errors.append((i, error))
    errors.sort(key=lambda e: e[0])
    return errors, cleaned


_MEMBER_COLUMNS = tuple(f.attname for f in Member._meta.concrete_fields)


def _insert_members(members: list[Member]) -> None:
    """Insert new members, giving each its primary key (a 42,000-member register in
    seconds: see ``core.bulk``)."""
    ids = reserve_ids(Member, len(members))
    if ids is None:
        Member.objects.bulk_create(members, batch_size=1000)
        return
    now = timezone.now()
    for member, pk in zip(members, ids, strict=True):
        member.pk = pk
        member.created_at = member.updated_at = now
        member._state.adding = False
        member._state.db = Member.objects.db
    insert_rows(Member, _MEMBER_COLUMNS, ([getattr(m, a) for a in _MEMBER_COLUMNS] for m in members))


def _duplicate(label: str, value: str, other_line: int, name: str) -> DomainError:
    return DomainError(
        _("The %(label)s %(value)s is also on line %(other)s.")
        % {"label": label, "value": value, "other": other_line},
        field=name,
    )


def check_member_records(
    *, by: Actor, records: Sequence[MemberRecord], lines: Sequence[int] | None = None
) -> list[tuple[int, DomainError]]:
    """Every reason ``register_members_bulk`` would refuse ``records``, as
    ``(index in records, error)``; ``lines`` are the row numbers messages refer to."""
    lines = lines if lines is not None else range(1, len(records) + 1)
    return _check_records(by, records, lines)[0]


@transaction.atomic
def register_members_bulk(*, by: Actor, rows: Sequence[MemberRecord]) -> list[Member]:
    """Bring a register onto Serment: members who already belong to the Party, each in
    their cell and current state, with the dated periods that state implies.

    The rules of ``register_member`` and of the lifecycle actions apply to every row
    (``validate_member_record``); the actor must manage and import into each cell.
    All or nothing: the first refusal raises.
    """
    errors, cleaned = _check_records(by, rows, range(1, len(rows) + 1))
    if errors:
        index, error = errors[0]
        raise DomainError(
            _("Row %(n)d (%(name)s): %(error)s")
            % {"n": index + 1, "name": rows[index].full_name, "error": error},
            field=error.field,
        )
    members = []
    for record, data in zip(rows, cleaned, strict=True):
        assert data is not None  # every row was valid
        left = record.state == State.LEFT
        members.append(
            Member(
                organisation=record.cell,
                date_of_birth=record.date_of_birth,
                admitted_on=record.admitted_on,
                official_on=record.official_on,
                state=record.state,
                left_on=record.state_since if left else None,
                left_reason=record.state_reason if left else "",
                **data,
                **name_keys(data["full_name"]),
            )
        )
    _insert_members(members)
    memberships, periods = [], []
    for member, record in zip(members, rows, strict=True):
        memberships.append(
            (
                member.pk,
                record.cell.pk,
                record.joined_cell_on or record.admitted_on,
                record.state_since if record.state == State.LEFT else None,
                MembershipKind.REGISTERED.value,
                "",
                "",
            )
        )
        if record.state in (State.EXEMPT, State.TRANSFERRED_OUT):
            reason = record.state_reason or ("work" if record.state == State.TRANSFERRED_OUT else "")
            periods.append(
                (
                    member.pk,
                    record.state,
                    record.state_since,
                    record.state_until,
                    None,
                    reason,
                    "",
                    record.destination.strip(),
                    record.document_ref.strip(),
                )
            )
    insert_rows(
        Membership,
        ("member_id", "organisation_id", "starts_on", "ends_on", "kind", "reason", "document_ref"),
        memberships,
    )
    insert_rows(
        ActivityPeriod,
        (
            "member_id",
            "state",
            "starts_on",
            "planned_end",
            "ends_on",
            "reason",
            "details",
            "destination",
            "document_ref",
        ),
        periods,
    )
    record_of = {id(m): r for m, r in zip(members, rows, strict=True)}

    def changes(member: Member) -> dict[str, Any]:
        r = record_of[id(member)]
        out = {
            "full_name": member.full_name,
            "date_of_birth": member.date_of_birth,
            "sex": member.sex,
            "card_number": member.card_number,
            "citizen_id": member.citizen_id,
            "admitted_on": member.admitted_on,
            "official_on": member.official_on,
            "organisation": r.cell.code,
            "joined_cell_on": r.joined_cell_on or r.admitted_on,
            "state": member.state,
        }
        if r.state != State.ACTIVE:
            out.update(
                state_since=r.state_since,
                state_until=r.state_until,
                state_reason=r.state_reason,
                destination=r.destination,
                document_ref=r.document_ref,
            )
        return out

    audit.record_many(
        by=by,
        action="member.register",
        targets=members,
        summary=_("Registered by import"),
        changes_for=changes,
    )
    return members

"""Lifecycle of a member (DOMAIN §2). Each function is one atomic, audited change;
the web forms, the importer and the CLI call these and nothing else writes members."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import Actor
from serment.core.bulk import insert_rows, reserve_ids
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import SYSTEM, require, scope_for
from serment.organisations.models import Organisation

from .models import (
    ActivityPeriod,
    ExemptionReason,
    HoldingChange,
    LeftReason,
    Member,
    Membership,
    MembershipKind,
    PostHolding,
    Sex,
    State,
)
from .rules import add_months, age_on, rules_on

DETAIL_FIELDS = (
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "religion",
    "home_town",
    "citizen_id",
    "card_number",
    "phone",
    "email",
    "education_level",
    "theory_level",
)
RECORD_FIELDS = (*DETAIL_FIELDS, "admitted_on", "official_on", "organisation", "state")
# The choices as sets, looked up once (``Choices.values`` is rebuilt on every access).
_SEXES = frozenset(Sex.values)
_STATES = frozenset(State.values)
_EXEMPTION_REASONS = frozenset(ExemptionReason.values)
_LEFT_REASONS = frozenset(LeftReason.values)
_MAX_LENGTHS = {name: Member._meta.get_field(name).max_length for name in DETAIL_FIELDS}


def _lock(member: Member) -> Member:
    """Re-read the member inside the transaction so two clerks cannot race."""
    return Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)


def _require_current(member: Member) -> None:
    if member.state == State.LEFT:
        raise DomainError(_("%(name)s is no longer on the register.") % {"name": member.full_name})


def _require_active(member: Member) -> None:
    _require_current(member)
    if member.state != State.ACTIVE:
        raise DomainError(
            _("%(name)s is currently %(state)s; end that first.")
            % {"name": member.full_name, "state": State(member.state).label}
        )


def _require_date_after(day: dt.date, floor: dt.date | None, field: str, message: str) -> None:
    if floor is not None and day < floor:
        raise DomainError(message, field=field)


def validate_cell(cell: Organisation | None, *, field: str = "organisation") -> Organisation:
    if cell is None:
        raise DomainError(_("A cell is required."), field=field)
    if not cell.holds_members:
        raise DomainError(
            _("%(org)s is not a cell: members belong to cells and grassroots cells.") % {"org": cell.name},
            field=field,
        )
    if cell.dissolved_on is not None:
        raise DomainError(_("%(org)s has been dissolved.") % {"org": cell.name}, field=field)
    return cell


def validate_identity(
    *, card_number: str | None, citizen_id: str | None, exclude_pk: int | None = None
) -> None:
    """Unique card number and citizen ID, with a message naming the holder's field."""
    for field, value, label in (
        ("card_number", card_number, _("Party card number")),
        ("citizen_id", citizen_id, _("citizen ID")),
    ):
        if value:
            qs = Member.objects.filter(**{field: value})
            if exclude_pk:
                qs = qs.exclude(pk=exclude_pk)
            if qs.exists():
                raise DomainError(
                    _("The %(label)s %(value)s belongs to another member.")
                    % {"label": label, "value": value},
                    field=field,
                )


def clean_member_details(fields: dict[str, Any]) -> dict[str, Any]:
    """Trimmed personal details; empty card number and citizen ID become None.
    Refuses a missing name, an unknown sex, an invalid e-mail and values too long."""
    out = dict(fields)
    for k in ("card_number", "citizen_id"):
        if k in out:
            out[k] = (out[k] or "").strip() or None
    for k in (
        "full_name",
        "ethnicity",
        "religion",
        "home_town",
        "phone",
        "email",
        "education_level",
        "theory_level",
    ):
        if k in out and out[k] is not None:
            out[k] = str(out[k]).strip()
    if "full_name" in out and not out["full_name"]:
        raise DomainError(_("A full name is required."), field="full_name")
    if "sex" in out and out["sex"] not in _SEXES:
        raise DomainError(_("Sex must be one of: %s.") % ", ".join(Sex.values), field="sex")
    for k, v in out.items():
        limit = _MAX_LENGTHS.get(k)
        if limit and isinstance(v, str) and len(v) > limit:
            raise DomainError(
                _("At most %(n)d characters (this has %(len)d).") % {"n": limit, "len": len(v)}, field=k
            )
    if out.get("email"):
        try:
            validate_email(out["email"])
        except ValidationError as exc:
            raise DomainError(_("Enter a valid e-mail address."), field="email") from exc
    return out


# --- Rules as pure functions: the actions below and the importer share them. ---------


def validate_admission_dates(
    *,
    date_of_birth: dt.date,
    admitted_on: dt.date,
    official_on: dt.date | None,
    joined_cell_on: dt.date | None,
) -> None:
    """Admitted after birth, official after admission, in a cell only once admitted."""
    if admitted_on <= date_of_birth:
        raise DomainError(_("The admission date must be after the date of birth."), field="admitted_on")
    if official_on is not None and official_on < admitted_on:
        raise DomainError(_("A member becomes official after being admitted."), field="official_on")
    if joined_cell_on is not None and joined_cell_on < admitted_on:
        raise DomainError(_("A member cannot join a cell before being admitted."), field="joined_cell_on")


def validate_temporary_transfer(*, on: dt.date, until: dt.date, destination: str, for_training: bool) -> None:
    """3 months to under a year; up to 2 years for training (``rules``)."""
    if not (destination or "").strip():
        raise DomainError(_("Say where the member goes."), field="destination")
    r = rules_on(on)
    shortest = add_months(on, r.temp_transfer_min_months)
    if for_training:
        longest_ok = until <= add_months(on, r.temp_transfer_training_max_months)
        limit_msg = _("A temporary transfer for training lasts at most %(n)d months.") % {
            "n": r.temp_transfer_training_max_months
        }
    else:
        longest_ok = until < add_months(on, r.temp_transfer_max_months)
        limit_msg = _("A temporary transfer lasts under %(n)d months; use an official transfer.") % {
            "n": r.temp_transfer_max_months
        }
    if until < shortest:
        raise DomainError(
            _("A temporary transfer lasts at least %(n)d months.") % {"n": r.temp_transfer_min_months},
            field="until",
        )
    if not longest_ok:
        raise DomainError(limit_msg, field="until")


def validate_exemption(
    *,
    full_name: str,
    sex: str,
    date_of_birth: dt.date,
    on: dt.date,
    reason: str,
    until: dt.date | None,
    document_ref: str,
) -> None:
    """Age: men over 60, women over 55. Illness: 3 months or more. Any other reason
    needs a written request (document reference) and a duration."""
    r = rules_on(on)
    if reason not in _EXEMPTION_REASONS:
        raise DomainError(_("Choose a reason for the exemption."), field="reason")
    if until is not None and until <= on:
        raise DomainError(_("The end of the exemption must be after its start."), field="until")
    if reason == ExemptionReason.AGE:
        limit = r.exemption_age_men if sex == Sex.MALE else r.exemption_age_women
        age = age_on(date_of_birth, on)
        if age <= limit:
            raise DomainError(
                _("Exemption for age needs an age over %(limit)d; %(name)s is %(age)d.")
                % {"limit": limit, "name": full_name, "age": age},
                field="reason",
            )
    elif reason == ExemptionReason.ILLNESS:
        if until is not None and until < add_months(on, r.exemption_illness_min_months):
            raise DomainError(
                _("Exemption for illness is for an illness of %(n)d months or more.")
                % {"n": r.exemption_illness_min_months},
                field="until",
            )
    else:
        if not (document_ref or "").strip():
            raise DomainError(_("Give the reference of the written request."), field="document_ref")
        if until is None:
            raise DomainError(_("An exemption on request needs a duration."), field="until")


def validate_leaving(
    *,
    on: dt.date,
    reason: str,
    admitted_on: dt.date,
    official_on: dt.date | None,
    document_ref: str,
) -> None:
    """Why and when a member leaves the register; expulsion and striking off need
    the decision's reference, refusal of recognition a probationary member."""
    if reason not in _LEFT_REASONS:
        raise DomainError(_("Choose why the member leaves."), field="reason")
    if reason == LeftReason.NOT_RECOGNISED and official_on is not None:
        raise DomainError(_("Only a probationary member can be refused recognition."), field="reason")
    if reason in (LeftReason.EXPELLED, LeftReason.STRUCK_OFF) and not (document_ref or "").strip():
        raise DomainError(_("Give the reference of the decision."), field="document_ref")
    _require_date_after(on, admitted_on, "on", _("The date is before the admission."))


@transaction.atomic
def register_member(
    *,
    by: Actor,
    organisation: Organisation,
    full_name: str,
    date_of_birth: dt.date,
    sex: str,
    admitted_on: dt.date,
    official_on: dt.date | None = None,
    joined_cell_on: dt.date | None = None,
    how: str = MembershipKind.REGISTERED,
    **details: Any,
) -> Member:
    """Put a member on the register in ``organisation`` (a cell).

    Used for members who already belong to the Party (import, transfer in from
    another province); a new admission goes through the admission pipeline, which
    calls this with ``how=ADMISSION``.
    """
    validate_cell(organisation)
    require(by, Perm.MANAGE_MEMBERS, organisation.path)
    data = clean_member_details({"full_name": full_name, "sex": sex, **details})
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    validate_admission_dates(
        date_of_birth=date_of_birth,
        admitted_on=admitted_on,
        official_on=official_on,
        joined_cell_on=joined_cell_on,
    )
    joined = joined_cell_on or admitted_on
    validate_identity(card_number=data.get("card_number"), citizen_id=data.get("citizen_id"))
    member = Member.objects.create(
        organisation=organisation,
        date_of_birth=date_of_birth,
        admitted_on=admitted_on,
        official_on=official_on,
        **data,
    )
    Membership.objects.create(member=member, organisation=organisation, starts_on=joined, kind=how)
    audit.record(
        by=by,
        action="member.register",
        target=member,
        summary=_("Registered in %(org)s") % {"org": organisation.name},
        changes=audit.snapshot(member, RECORD_FIELDS),
    )
    return member


@transaction.atomic
def update_member_details(*, by: Actor, member: Member, **fields: Any) -> Member:
    """Correct personal details (name, identity, contact, education…)."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    member = _lock(member)
    data = clean_member_details(fields)
    validate_identity(
        card_number=data.get("card_number", member.card_number),
        citizen_id=data.get("citizen_id", member.citizen_id),
        exclude_pk=member.pk,
    )
    before = audit.snapshot(member, DETAIL_FIELDS)
    for k, v in data.items():
        setattr(member, k, v)
    if member.admitted_on <= member.date_of_birth:
        raise DomainError(_("The date of birth must be before the admission date."), field="date_of_birth")
    member.save()
    changes = audit.diff(before, audit.snapshot(member, DETAIL_FIELDS))
    if changes:
        audit.record(
            by=by, action="member.update", target=member, changes=changes, summary=_("Details corrected")
        )
    return member


@transaction.atomic
def recognise_as_official(*, by: Actor, member: Member, on: dt.date, document_ref: str = "") -> Member:
    """The cell's vote recognises a probationary member as official (after 12 months)."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    member = _lock(member)
    _require_current(member)
    if member.official_on is not None:
        raise DomainError(_("%(name)s is already an official member.") % {"name": member.full_name})
    end_of_probation = add_months(member.admitted_on, rules_on(on).probation_months)
    if on < end_of_probation:
        raise DomainError(
            _("Probation lasts until %(date)s; recognition cannot be dated earlier.")
            % {"date": end_of_probation.isoformat()},
            field="on",
        )
    member.official_on = on
    member.save(update_fields=["official_on", "updated_at"])
    audit.record(
        by=by,
        action="member.recognise",
        target=member,
        summary=_("Recognised as official"),
        changes={"official_on": [None, on], "document_ref": document_ref},
    )
    return member


def _end_membership(member: Member, on: dt.date) -> Membership:
    current = Membership.objects.select_for_update().get(member=member, ends_on__isnull=True)
    if on < current.starts_on:
        raise DomainError(
            _("The date is before the member joined the current cell (%(date)s).")
            % {"date": current.starts_on.isoformat()},
            field="on",
        )
    current.ends_on = on
    current.save(update_fields=["ends_on"])
    return current


@transaction.atomic
def transfer_member(
    *,
    by: Actor,
    member: Member,
    to: Organisation,
    on: dt.date,
    internal: bool = False,
    reason: str = "",
    document_ref: str = "",
) -> Member:
    """Move a member's Party activities to another cell (official transfer).

    ``internal``: a transfer between cells of the same grassroots committee.
    Both the source and the destination must be in the actor's scope; a transfer
    to another committee outside it is done by a user whose scope covers both.
    """
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    validate_cell(to, field="to")
    require(by, Perm.MANAGE_MEMBERS, to.path)
    member = _lock(member)
    _require_current(member)
    if member.state == State.TRANSFERRED_OUT:
        raise DomainError(_("End the temporary transfer before an official transfer."))
    if to.pk == member.organisation_id:
        raise DomainError(_("The member is already in %(org)s.") % {"org": to.name}, field="to")
    source = member.organisation
    if internal:
        src_root, dst_root = source.grassroots(), to.grassroots()
        if src_root is None or dst_root is None or src_root.pk != dst_root.pk or source.kind != "cell":
            raise DomainError(_("An internal transfer stays within one grassroots committee."), field="to")
    _end_membership(member, on)
    Membership.objects.create(
        member=member,
        organisation=to,
        starts_on=on,
        kind=MembershipKind.INTERNAL_TRANSFER if internal else MembershipKind.OFFICIAL_TRANSFER,
        reason=reason,
        document_ref=document_ref,
    )
    member.organisation = to
    member.save(update_fields=["organisation", "updated_at"])
    audit.record(
        by=by,
        action="member.transfer",
        target=member,
        summary=_("Transferred from %(src)s to %(dst)s") % {"src": source.name, "dst": to.name},
        changes={
            "organisation": [source.name, to.name],
            "on": on,
            "internal": internal,
            "reason": reason,
            "document_ref": document_ref,
        },
    )
    return member


@transaction.atomic
def transfer_temporarily(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    until: dt.date,
    destination: str,
    for_training: bool = False,
    reason: str = "",
    document_ref: str = "",
) -> ActivityPeriod:
    """Temporary transfer of Party activities out (3 months to under a year;
    training up to 2 years). The member stays on the home cell's register."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    member = _lock(member)
    _require_active(member)
    validate_temporary_transfer(on=on, until=until, destination=destination, for_training=for_training)
    period = ActivityPeriod.objects.create(
        member=member,
        state=State.TRANSFERRED_OUT,
        starts_on=on,
        planned_end=until,
        reason="training" if for_training else "work",
        details=reason,
        destination=destination.strip(),
        document_ref=document_ref,
    )
    member.state = State.TRANSFERRED_OUT
    member.save(update_fields=["state", "updated_at"])
    audit.record(
        by=by,
        action="member.transfer_temporarily",
        target=member,
        summary=_("Temporarily transferred to %(dst)s until %(date)s") % {"dst": destination, "date": until},
        changes={
            "state": [State.ACTIVE, State.TRANSFERRED_OUT],
            "on": on,
            "until": until,
            "destination": destination,
            "for_training": for_training,
        },
    )
    return period


@transaction.atomic
def exempt_member(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    reason: str,
    until: dt.date | None = None,
    details: str = "",
    document_ref: str = "",
) -> ActivityPeriod:
    """Exempt a member from work and Party activities (decided by the cell).

    Age: men over 60, women over 55. Illness: 3 months or more. Any other reason
    needs a written request (document reference) and a duration.
    """
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    member = _lock(member)
    _require_active(member)
    validate_exemption(
        full_name=member.full_name,
        sex=member.sex,
        date_of_birth=member.date_of_birth,
        on=on,
        reason=reason,
        until=until,
        document_ref=document_ref,
    )
    period = ActivityPeriod.objects.create(
        member=member,
        state=State.EXEMPT,
        starts_on=on,
        planned_end=until,
        reason=reason,
        details=details,
        document_ref=document_ref,
    )
    member.state = State.EXEMPT
    member.save(update_fields=["state", "updated_at"])
    audit.record(
        by=by,
        action="member.exempt",
        target=member,
        summary=_("Exempt from activities: %(reason)s") % {"reason": ExemptionReason(reason).label},
        changes={"state": [State.ACTIVE, State.EXEMPT], "on": on, "until": until, "reason": reason},
    )
    return period


@transaction.atomic
def resume_activity(*, by: Actor, member: Member, on: dt.date) -> Member:
    """End an exemption or return from a temporary transfer."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    member = _lock(member)
    _require_current(member)
    period = ActivityPeriod.objects.select_for_update().filter(member=member, ends_on__isnull=True).first()
    if period is None or member.state == State.ACTIVE:
        raise DomainError(_("%(name)s is already active.") % {"name": member.full_name})
    _require_date_after(on, period.starts_on, "on", _("The return is dated before the period began."))
    period.ends_on = on
    period.save(update_fields=["ends_on"])
    old = member.state
    member.state = State.ACTIVE
    member.save(update_fields=["state", "updated_at"])
    audit.record(
        by=by,
        action="member.resume",
        target=member,
        summary=_("Back to ordinary activity"),
        changes={"state": [old, State.ACTIVE], "on": on},
    )
    return member


@transaction.atomic
def remove_from_register(
    *,
    by: Actor,
    member: Member,
    on: dt.date,
    reason: str,
    details: str = "",
    document_ref: str = "",
) -> Member:
    """The member leaves the register: struck off, expelled, deceased, resigned,
    transferred out of the province, or not recognised as official."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    member = _lock(member)
    _require_current(member)
    validate_leaving(
        on=on,
        reason=reason,
        admitted_on=member.admitted_on,
        official_on=member.official_on,
        document_ref=document_ref,
    )
    _end_membership(member, on)
    open_period = ActivityPeriod.objects.filter(member=member, ends_on__isnull=True).first()
    if open_period is not None:
        open_period.ends_on = max(on, open_period.starts_on)
        open_period.save(update_fields=["ends_on"])
    PostHolding.objects.filter(member=member, ends_on__isnull=True).update(
        ends_on=on, ended_how=HoldingChange.LEFT_REGISTER
    )
    old = member.state
    member.state, member.left_on, member.left_reason = State.LEFT, on, reason
    member.save(update_fields=["state", "left_on", "left_reason", "updated_at"])
    audit.record(
        by=by,
        action="member.leave",
        target=member,
        summary=LeftReason(reason).label,
        changes={
            "state": [old, State.LEFT],
            "on": on,
            "reason": reason,
            "details": details,
            "document_ref": document_ref,
        },
    )
    return member


def strike_off(
    *, by: Actor, member: Member, on: dt.date, details: str = "", document_ref: str = ""
) -> Member:
    """Xóa tên: e.g. three months in a year missing meetings or dues without reason."""
    return remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.STRUCK_OFF, details=details, document_ref=document_ref
    )


def expel(*, by: Actor, member: Member, on: dt.date, document_ref: str, details: str = "") -> Member:
    """Khai trừ, by a disciplinary decision."""
    return remove_from_register(
        by=by, member=member, on=on, reason=LeftReason.EXPELLED, details=details, document_ref=document_ref
    )


def record_death(*, by: Actor, member: Member, on: dt.date, details: str = "") -> Member:
    return remove_from_register(by=by, member=member, on=on, reason=LeftReason.DECEASED, details=details)


def transfer_out_of_province(
    *, by: Actor, member: Member, on: dt.date, destination: str, document_ref: str = ""
) -> Member:
    if not (destination or "").strip():
        raise DomainError(_("Say where the member goes."), field="destination")
    return remove_from_register(
        by=by,
        member=member,
        on=on,
        reason=LeftReason.TRANSFERRED_AWAY,
        details=destination,
        document_ref=document_ref,
    )


def assign_post(**kwargs: Any) -> PostHolding:
    """Posts are cadre work: ``serment.cadres.actions.assign_post`` records the post
    after the seat rules and the discipline and rating bars (kept here for callers)."""
    from serment.cadres.actions import assign_post as _assign_post

    return _assign_post(**kwargs)


def end_post(**kwargs: Any) -> PostHolding:
    """See ``serment.cadres.actions.end_post``."""
    from serment.cadres.actions import end_post as _end_post

    return _end_post(**kwargs)


@transaction.atomic
def link_account(*, by: Actor, member: Member, user) -> Member:
    """Let ``user`` sign in as this member (to see their own record)."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise DomainError(_("This account is already linked to another member."), field="user")
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit.record(by=by, action="member.link_account", target=member, summary=user.username)
    return member


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
                % {"date": joined.isoformat()},
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
        if cell_errors[cell.pk] is not None:
            errors.append((i, cell_errors[cell.pk]))
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
        for value in _existing_values(name, set(where)):
            for i in where[value]:
                errors.append(
                    (
                        i,
                        DomainError(
                            _("The %(label)s %(value)s belongs to another member.")
                            % {"label": label, "value": value},
                            field=name,
                        ),
                    )
                )
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

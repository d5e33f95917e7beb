"""Lifecycle of a member (DOMAIN §2). Each function is one atomic, audited change;
the web forms, the importer and the CLI call these and nothing else writes members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require
from serment.organisations.models import Organisation

from .models import (
    ActivityPeriod,
    ExemptionReason,
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
    "full_name", "date_of_birth", "sex", "ethnicity", "religion", "home_town", "citizen_id",
    "card_number", "phone", "email", "education_level", "theory_level",
)
RECORD_FIELDS = (*DETAIL_FIELDS, "admitted_on", "official_on", "organisation", "state")


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
                    _("The %(label)s %(value)s belongs to another member.") % {"label": label, "value": value},
                    field=field,
                )


def _clean_details(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for k in ("card_number", "citizen_id"):
        if k in out:
            out[k] = (out[k] or "").strip() or None
    for k in ("full_name", "ethnicity", "religion", "home_town", "phone", "email",
              "education_level", "theory_level"):
        if k in out and out[k] is not None:
            out[k] = str(out[k]).strip()
    if "full_name" in out and not out["full_name"]:
        raise DomainError(_("A full name is required."), field="full_name")
    if "sex" in out and out["sex"] not in Sex.values:
        raise DomainError(_("Sex must be one of: %s.") % ", ".join(Sex.values), field="sex")
    return out


@transaction.atomic
def register_member(
    *,
    by: Any,
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
    data = _clean_details({"full_name": full_name, "sex": sex, **details})
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    if admitted_on <= date_of_birth:
        raise DomainError(_("The admission date must be after the date of birth."), field="admitted_on")
    if official_on is not None and official_on < admitted_on:
        raise DomainError(_("A member becomes official after being admitted."), field="official_on")
    joined = joined_cell_on or admitted_on
    if joined < admitted_on:
        raise DomainError(_("A member cannot join a cell before being admitted."), field="joined_cell_on")
    validate_identity(card_number=data.get("card_number"), citizen_id=data.get("citizen_id"))
    member = Member.objects.create(
        organisation=organisation, date_of_birth=date_of_birth, admitted_on=admitted_on,
        official_on=official_on, **data,
    )
    Membership.objects.create(member=member, organisation=organisation, starts_on=joined, kind=how)
    audit.record(
        by=by, action="member.register", target=member,
        summary=_("Registered in %(org)s") % {"org": organisation.name},
        changes=audit.snapshot(member, RECORD_FIELDS),
    )
    return member


@transaction.atomic
def update_member_details(*, by: Any, member: Member, **fields: Any) -> Member:
    """Correct personal details (name, identity, contact, education…)."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    member = _lock(member)
    data = _clean_details(fields)
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
        audit.record(by=by, action="member.update", target=member, changes=changes,
                     summary=_("Details corrected"))
    return member


@transaction.atomic
def recognise_as_official(*, by: Any, member: Member, on: dt.date, document_ref: str = "") -> Member:
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
    audit.record(by=by, action="member.recognise", target=member, summary=_("Recognised as official"),
                 changes={"official_on": [None, on], "document_ref": document_ref})
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
    by: Any,
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
            raise DomainError(
                _("An internal transfer stays within one grassroots committee."), field="to"
            )
    _end_membership(member, on)
    Membership.objects.create(
        member=member, organisation=to, starts_on=on,
        kind=MembershipKind.INTERNAL_TRANSFER if internal else MembershipKind.OFFICIAL_TRANSFER,
        reason=reason, document_ref=document_ref,
    )
    member.organisation = to
    member.save(update_fields=["organisation", "updated_at"])
    audit.record(
        by=by, action="member.transfer", target=member,
        summary=_("Transferred from %(src)s to %(dst)s") % {"src": source.name, "dst": to.name},
        changes={"organisation": [source.name, to.name], "on": on, "internal": internal,
                 "reason": reason, "document_ref": document_ref},
    )
    return member


@transaction.atomic
def transfer_temporarily(
    *,
    by: Any,
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
    if not (destination or "").strip():
        raise DomainError(_("Say where the member goes."), field="destination")
    r = rules_on(on)
    shortest = add_months(on, r.temp_transfer_min_months)
    if for_training:
        longest_ok = until <= add_months(on, r.temp_transfer_training_max_months)
        limit_msg = _("A temporary transfer for training lasts at most %(n)d months.") % {
            "n": r.temp_transfer_training_max_months}
    else:
        longest_ok = until < add_months(on, r.temp_transfer_max_months)
        limit_msg = _("A temporary transfer lasts under %(n)d months; use an official transfer.") % {
            "n": r.temp_transfer_max_months}
    if until < shortest:
        raise DomainError(
            _("A temporary transfer lasts at least %(n)d months.") % {"n": r.temp_transfer_min_months},
            field="until",
        )
    if not longest_ok:
        raise DomainError(limit_msg, field="until")
    period = ActivityPeriod.objects.create(
        member=member, state=State.TRANSFERRED_OUT, starts_on=on, planned_end=until,
        reason="training" if for_training else "work", details=reason, destination=destination.strip(),
        document_ref=document_ref,
    )
    member.state = State.TRANSFERRED_OUT
    member.save(update_fields=["state", "updated_at"])
    audit.record(
        by=by, action="member.transfer_temporarily", target=member,
        summary=_("Temporarily transferred to %(dst)s until %(date)s") % {"dst": destination, "date": until},
        changes={"state": [State.ACTIVE, State.TRANSFERRED_OUT], "on": on, "until": until,
                 "destination": destination, "for_training": for_training},
    )
    return period


@transaction.atomic
def exempt_member(
    *,
    by: Any,
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
    r = rules_on(on)
    if reason not in ExemptionReason.values:
        raise DomainError(_("Choose a reason for the exemption."), field="reason")
    if until is not None and until <= on:
        raise DomainError(_("The end of the exemption must be after its start."), field="until")
    if reason == ExemptionReason.AGE:
        limit = r.exemption_age_men if member.sex == Sex.MALE else r.exemption_age_women
        age = age_on(member.date_of_birth, on)
        if age <= limit:
            raise DomainError(
                _("Exemption for age needs an age over %(limit)d; %(name)s is %(age)d.")
                % {"limit": limit, "name": member.full_name, "age": age},
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
        if not document_ref.strip():
            raise DomainError(_("Give the reference of the written request."), field="document_ref")
        if until is None:
            raise DomainError(_("An exemption on request needs a duration."), field="until")
    period = ActivityPeriod.objects.create(
        member=member, state=State.EXEMPT, starts_on=on, planned_end=until, reason=reason,
        details=details, document_ref=document_ref,
    )
    member.state = State.EXEMPT
    member.save(update_fields=["state", "updated_at"])
    audit.record(
        by=by, action="member.exempt", target=member,
        summary=_("Exempt from activities: %(reason)s") % {"reason": ExemptionReason(reason).label},
        changes={"state": [State.ACTIVE, State.EXEMPT], "on": on, "until": until, "reason": reason},
    )
    return period


@transaction.atomic
def resume_activity(*, by: Any, member: Member, on: dt.date) -> Member:
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
    audit.record(by=by, action="member.resume", target=member, summary=_("Back to ordinary activity"),
                 changes={"state": [old, State.ACTIVE], "on": on})
    return member


@transaction.atomic
def remove_from_register(
    *,
    by: Any,
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
    if reason not in LeftReason.values:
        raise DomainError(_("Choose why the member leaves."), field="reason")
    if reason == LeftReason.NOT_RECOGNISED and member.official_on is not None:
        raise DomainError(_("Only a probationary member can be refused recognition."), field="reason")
    if reason in (LeftReason.EXPELLED, LeftReason.STRUCK_OFF) and not document_ref.strip():
        raise DomainError(_("Give the reference of the decision."), field="document_ref")
    _require_date_after(on, member.admitted_on, "on", _("The date is before the admission."))
    _end_membership(member, on)
    open_period = ActivityPeriod.objects.filter(member=member, ends_on__isnull=True).first()
    if open_period is not None:
        open_period.ends_on = max(on, open_period.starts_on)
        open_period.save(update_fields=["ends_on"])
    PostHolding.objects.filter(member=member, ends_on__isnull=True).update(ends_on=on)
    old = member.state
    member.state, member.left_on, member.left_reason = State.LEFT, on, reason
    member.save(update_fields=["state", "left_on", "left_reason", "updated_at"])
    audit.record(
        by=by, action="member.leave", target=member,
        summary=LeftReason(reason).label,
        changes={"state": [old, State.LEFT], "on": on, "reason": reason, "details": details,
                 "document_ref": document_ref},
    )
    return member


def strike_off(*, by: Any, member: Member, on: dt.date, details: str = "", document_ref: str = "") -> Member:
    """Xóa tên: e.g. three months in a year missing meetings or dues without reason."""
    return remove_from_register(by=by, member=member, on=on, reason=LeftReason.STRUCK_OFF,
                                details=details, document_ref=document_ref)


def expel(*, by: Any, member: Member, on: dt.date, document_ref: str, details: str = "") -> Member:
    """Khai trừ, by a disciplinary decision."""
    return remove_from_register(by=by, member=member, on=on, reason=LeftReason.EXPELLED,
                                details=details, document_ref=document_ref)


def record_death(*, by: Any, member: Member, on: dt.date, details: str = "") -> Member:
    return remove_from_register(by=by, member=member, on=on, reason=LeftReason.DECEASED, details=details)


def transfer_out_of_province(
    *, by: Any, member: Member, on: dt.date, destination: str, document_ref: str = ""
) -> Member:
    if not (destination or "").strip():
        raise DomainError(_("Say where the member goes."), field="destination")
    return remove_from_register(by=by, member=member, on=on, reason=LeftReason.TRANSFERRED_AWAY,
                                details=destination, document_ref=document_ref)


@transaction.atomic
def assign_post(
    *, by: Any, member: Member, organisation: Organisation, post: str, on: dt.date,
    title: str = "", reason: str = "",
) -> PostHolding:
    """Record that a member holds a post in an organisation from ``on``."""
    require(by, Perm.MANAGE_MEMBERS, organisation.path)
    member = _lock(member)
    _require_current(member)
    holding = PostHolding(member=member, organisation=organisation, post=post, title=title,
                          starts_on=on, reason=reason)
    holding.full_clean()
    holding.save()
    audit.record(by=by, action="member.assign_post", target=member,
                 summary=_("%(post)s of %(org)s") % {"post": holding.get_post_display(), "org": organisation.name},
                 changes={"post": post, "organisation": organisation.code, "on": on})
    return holding


@transaction.atomic
def end_post(*, by: Any, holding: PostHolding, on: dt.date, reason: str = "") -> PostHolding:
    require(by, Perm.MANAGE_MEMBERS, holding.organisation.path)
    if holding.ends_on is not None:
        raise DomainError(_("This post has already ended."))
    _require_date_after(on, holding.starts_on, "on", _("A post cannot end before it starts."))
    holding.ends_on, holding.reason = on, reason or holding.reason
    holding.save(update_fields=["ends_on", "reason"])
    audit.record(by=by, action="member.end_post", target=holding.member,
                 summary=_("%(post)s of %(org)s ended") % {"post": holding.get_post_display(),
                                                            "org": holding.organisation.name},
                 changes={"post": holding.post, "on": on})
    return holding


@transaction.atomic
def link_account(*, by: Any, member: Member, user) -> Member:
    """Let ``user`` sign in as this member (to see their own record)."""
    require(by, Perm.MANAGE_MEMBERS, member.organisation.path)
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise DomainError(_("This account is already linked to another member."), field="user")
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit.record(by=by, action="member.link_account", target=member, summary=user.username)
    return member

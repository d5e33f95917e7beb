"""Helpers and validators shared by the members actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from serment.core.dates import show_date
from serment.core.errors import DomainError, Refusal, refusals_of
from serment.organisations.models import Organisation

from ..models import (
    ExemptionReason,
    LeftReason,
    Member,
    Membership,
    Sex,
    State,
)
from ..rules import add_months, age_on, rules_on

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
_MAX_LENGTHS = {name: getattr(Member._meta.get_field(name), "max_length", None) for name in DETAIL_FIELDS}


def _lock(member: Member) -> Member:
    """Re-read the member inside the transaction so two clerks cannot race."""
    return Member.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)


def _require_current(member: Member) -> None:
    if member.state == State.LEFT:
        raise DomainError(
            _("%(name)s is no longer on the register.") % {"name": member.full_name}, code="member_left"
        )


def current_refusals(member: Member) -> list[Refusal]:
    """``member_left`` when the member is no longer on the register."""
    return refusals_of(lambda: _require_current(member))


def _require_active(member: Member) -> None:
    _require_current(member)
    if member.state != State.ACTIVE:
        raise DomainError(
            _("%(name)s is currently %(state)s; end that first.")
            % {"name": member.full_name, "state": State(member.state).label},
            code="member_not_active",
        )


def _require_date_after(day: dt.date, floor: dt.date | None, field: str, message: str) -> None:
    if floor is not None and day < floor:
        raise DomainError(message, field=field, code="date_too_early")


def validate_cell(cell: Organisation | None, *, field: str = "organisation") -> Organisation:
    if cell is None:
        raise DomainError(_("A cell is required."), field=field, code="cell_required")
    if not cell.holds_members:
        raise DomainError(
            _("%(org)s is not a cell: members belong to cells and grassroots cells.") % {"org": cell.name},
            field=field,
            code="not_a_cell",
        )
    if cell.dissolved_on is not None:
        raise DomainError(
            _("%(org)s has been dissolved.") % {"org": cell.name}, field=field, code="organisation_dissolved"
        )
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
                    code="identity_taken",
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
        raise DomainError(_("A full name is required."), field="full_name", code="name_required")
    if "sex" in out and out["sex"] not in _SEXES:
        raise DomainError(
            _("Sex must be one of: %s.") % ", ".join(Sex.values), field="sex", code="invalid_sex"
        )
    for k, v in out.items():
        limit = _MAX_LENGTHS.get(k)
        if limit and isinstance(v, str) and len(v) > limit:
            raise DomainError(
                _("At most %(n)d characters (this has %(len)d).") % {"n": limit, "len": len(v)},
                field=k,
                code="too_long",
            )
    if out.get("email"):
        try:
            validate_email(out["email"])
        except ValidationError as exc:
            raise DomainError(
                _("Enter a valid e-mail address."), field="email", code="invalid_email"
            ) from exc
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
        raise DomainError(
            _("The admission date must be after the date of birth."),
            field="admitted_on",
            code="admitted_before_birth",
        )
    if official_on is not None and official_on < admitted_on:
        raise DomainError(
            _("A member becomes official after being admitted."),
            field="official_on",
            code="official_before_admission",
        )
    if joined_cell_on is not None and joined_cell_on < admitted_on:
        raise DomainError(
            _("A member cannot join a cell before being admitted."),
            field="joined_cell_on",
            code="cell_before_admission",
        )


def validate_temporary_transfer(*, on: dt.date, until: dt.date, destination: str, for_training: bool) -> None:
    """3 months to under a year; up to 2 years for training (``rules``)."""
    if not (destination or "").strip():
        raise DomainError(_("Say where the member goes."), field="destination", code="destination_required")
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
            code="temporary_transfer_too_short",
        )
    if not longest_ok:
        raise DomainError(limit_msg, field="until", code="temporary_transfer_too_long")


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
        raise DomainError(
            _("Choose a reason for the exemption."), field="reason", code="exemption_reason_required"
        )
    if until is not None and until <= on:
        raise DomainError(
            _("The end of the exemption must be after its start."),
            field="until",
            code="exemption_ends_before_start",
        )
    if reason == ExemptionReason.AGE:
        limit = r.exemption_age_men if sex == Sex.MALE else r.exemption_age_women
        age = age_on(date_of_birth, on)
        if age <= limit:
            raise DomainError(
                _("Exemption for age needs an age over %(limit)d; %(name)s is %(age)d.")
                % {"limit": limit, "name": full_name, "age": age},
                field="reason",
                code="exemption_age",
            )
    elif reason == ExemptionReason.ILLNESS:
        if until is not None and until < add_months(on, r.exemption_illness_min_months):
            raise DomainError(
                _("Exemption for illness is for an illness of %(n)d months or more.")
                % {"n": r.exemption_illness_min_months},
                field="until",
                code="exemption_illness_too_short",
            )
    else:
        if not (document_ref or "").strip():
            raise DomainError(
                _("Give the reference of the written request."),
                field="document_ref",
                code="request_ref_required",
            )
        if until is None:
            raise DomainError(
                _("An exemption on request needs a duration."),
                field="until",
                code="request_duration_required",
            )


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
        raise DomainError(_("Choose why the member leaves."), field="reason", code="leaving_reason_required")
    if reason == LeftReason.NOT_RECOGNISED and official_on is not None:
        raise DomainError(
            _("Only a probationary member can be refused recognition."),
            field="reason",
            code="not_probationary",
        )
    if reason in (LeftReason.EXPELLED, LeftReason.STRUCK_OFF) and not (document_ref or "").strip():
        raise DomainError(
            _("Give the reference of the decision."), field="document_ref", code="decision_ref_required"
        )
    _require_date_after(on, admitted_on, "on", _("The date is before the admission."))


def _end_membership(member: Member, on: dt.date) -> Membership:
    current = Membership.objects.select_for_update().get(member=member, ends_on__isnull=True)
    if on < current.starts_on:
        raise DomainError(
            _("The date is before the member joined the current cell (%(date)s).")
            % {"date": show_date(current.starts_on)},
            field="on",
            code="before_current_cell",
        )
    current.ends_on = on
    current.save(update_fields=["ends_on"])
    return current

"""State changes of the organisation tree. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.actors import SYSTEM, Actor
from serment.core.bulk import insert_rows, reserve_ids
from serment.core.errors import DomainError, Refusal, refusals_of, refuse_if_any
from serment.core.roles import Perm
from serment.core.scoping import permission_refusals, scope_for

from .models import ALLOWED_PARENTS, Kind, Organisation

EDITABLE_FIELDS = ("code", "name", "founded_on", "dissolved_on")


def validate_placement(*, kind: str, parent: Organisation | None) -> None:
    """DOMAIN §1: the tree is province → district-level → grassroots → (sub-committee) → cell."""
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise DomainError(
            _("Unknown kind of organisation: %(kind)s.") % {"kind": kind}, field="kind", code="unknown_kind"
        )
    if parent is None:
        if allowed:
            raise DomainError(
                _("This kind of organisation needs a parent."), field="parent", code="parent_required"
            )
        return
    if parent.kind not in allowed:
        raise DomainError(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": Kind(kind).label, "parent": Kind(parent.kind).label},
            field="parent",
            code="placement_not_allowed",
        )
    if parent.dissolved_on is not None:
        raise DomainError(
            _("The parent organisation has been dissolved."), field="parent", code="parent_dissolved"
        )


def path_for(org: Organisation, parent: Organisation | None) -> tuple[str, int]:
    base = parent.path if parent else ""
    return f"{base}{org.pk}/", (parent.depth + 1 if parent else 0)


def check_create_organisation(
    *, by: Actor, code: str, name: str, kind: str, parent: Organisation | None
) -> list[Refusal]:
    """May ``by`` create this organisation under ``parent``?"""
    if parent is not None:
        refused = permission_refusals(by, Perm.MANAGE_ORGANISATIONS, parent.path)
        if refused:
            return refused

    def validate() -> None:
        if not (code or "").strip():
            raise DomainError(_("A code is required."), field="code", code="code_required")
        if not (name or "").strip():
            raise DomainError(_("A name is required."), field="name", code="name_required")
        if parent is None and by is not SYSTEM and not getattr(by, "is_superuser", False):
            raise DomainError(
                _("Only a superuser can create a provincial committee."), code="province_by_superuser"
            )
        validate_placement(kind=kind, parent=parent)
        if Organisation.objects.filter(code=code.strip()).exists():
            raise DomainError(
                _("The code %(code)s is already used.") % {"code": code.strip()},
                field="code",
                code="code_taken",
            )

    return refusals_of(validate)


@transaction.atomic
def create_organisation(
    *,
    by: Actor,
    code: str,
    name: str,
    kind: str,
    parent: Organisation | None,
    founded_on: dt.date | None = None,
) -> Organisation:
    """Create an organisation under ``parent`` (the province has none)."""
    refuse_if_any(check_create_organisation(by=by, code=code, name=name, kind=kind, parent=parent))
    code, name = code.strip(), name.strip()
    org = Organisation(code=code, name=name, kind=kind, parent=parent, founded_on=founded_on)
    org.path = "?"  # the path needs the id: set right after the insert
    org.save()
    org.path, org.depth = path_for(org, parent)
    org.save(update_fields=["path", "depth"])
    audit.record(
        by=by,
        action="organisation.create",
        target=org,
        summary=_("Created %(name)s") % {"name": name},
        changes=audit.snapshot(org, ("code", "name", "kind", "parent", "founded_on")),
    )
    return org


def check_update_organisation(
    *, by: Actor, organisation: Organisation, fields: dict[str, Any]
) -> list[Refusal]:
    """May ``by`` change these fields of ``organisation``?"""
    refused = permission_refusals(by, Perm.MANAGE_ORGANISATIONS, organisation.path)
    if refused:
        return refused

    def validate() -> None:
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise DomainError(
                _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)),
                code="field_not_editable",
            )
        after = {k: fields.get(k, getattr(organisation, k)) for k in EDITABLE_FIELDS}
        if Organisation.objects.filter(code=after["code"]).exclude(pk=organisation.pk).exists():
            raise DomainError(
                _("The code %(code)s is already used.") % {"code": after["code"]},
                field="code",
                code="code_taken",
            )
        dissolved_on, founded_on = after.get("dissolved_on"), after.get("founded_on")
        if dissolved_on and founded_on and dissolved_on < founded_on:
            raise DomainError(
                _("The dissolution date is before the foundation date."),
                field="dissolved_on",
                code="dissolved_before_founded",
            )
        if (
            dissolved_on
            and organisation.holds_members
            and organisation.members.exclude(state="left").exists()
        ):
            raise DomainError(
                _("Transfer the members out before dissolving the cell."),
                field="dissolved_on",
                code="cell_has_members",
            )

    return refusals_of(validate)


@transaction.atomic
def update_organisation(*, by: Actor, organisation: Organisation, **fields: Any) -> Organisation:
    """Change code, name or dates (not the place in the tree: see ``move_organisation``)."""
    refuse_if_any(check_update_organisation(by=by, organisation=organisation, fields=fields))
    before = audit.snapshot(organisation, EDITABLE_FIELDS)
    for k, v in fields.items():
        setattr(organisation, k, v)
    organisation.save()
    changes = audit.diff(before, audit.snapshot(organisation, EDITABLE_FIELDS))
    if changes:
        audit.record(
            by=by,
            action="organisation.update",
            target=organisation,
            changes=changes,
            summary=_("Updated %(name)s") % {"name": organisation.name},
        )
    return organisation


def check_move_organisation(
    *, by: Actor, organisation: Organisation, new_parent: Organisation
) -> list[Refusal]:
    """May ``organisation`` (and its subtree) move under ``new_parent``? Both places must be
    in the actor's scope."""
    refused = permission_refusals(by, Perm.MANAGE_ORGANISATIONS, organisation.path) or permission_refusals(
        by, Perm.MANAGE_ORGANISATIONS, new_parent.path
    )
    if refused:
        return refused

    def validate() -> None:
        if new_parent.is_within(organisation):
            raise DomainError(
                _("An organisation cannot be moved under itself."), field="parent", code="moved_under_itself"
            )
        validate_placement(kind=organisation.kind, parent=new_parent)

    return refusals_of(validate)


@transaction.atomic
def move_organisation(*, by: Actor, organisation: Organisation, new_parent: Organisation) -> Organisation:
    """Re-attach an organisation (and its subtree) under another parent."""
    refuse_if_any(check_move_organisation(by=by, organisation=organisation, new_parent=new_parent))
    if new_parent.is_within(organisation):
        raise DomainError(
            _("An organisation cannot be moved under itself."), field="parent", code="moved_under_itself"
        )
    validate_placement(kind=organisation.kind, parent=new_parent)
    old_path, old_parent = organisation.path, organisation.parent
    new_path, new_depth = path_for(organisation, new_parent)
    delta = new_depth - organisation.depth
    subtree = list(Organisation.objects.filter(path__subtree=old_path))
    for o in subtree:
        o.path = new_path + o.path[len(old_path) :]
        o.depth += delta
        if o.pk == organisation.pk:
            o.parent = new_parent
    Organisation.objects.bulk_update(subtree, ["path", "depth", "parent"], batch_size=1000)
    organisation.refresh_from_db()
    audit.record(
        by=by,
        action="organisation.move",
        target=organisation,
        changes={"parent": [str(old_parent), str(new_parent)]},
        summary=_("Moved under %(parent)s") % {"parent": new_parent.name},
    )
    return organisation


# --- Many at once (the organisation import) -------------------------------------------

# Codes are looked up in chunks so a long list stays under every database's limit
# on query parameters.
_CHUNK = 900


@dataclass(frozen=True)
class NewOrganisation:
    """One organisation to create in bulk; ``parent_code`` names an organisation
    of the same batch or one already in the tree ("" for the province)."""

    code: str
    name: str
    kind: str
    parent_code: str = ""
    founded_on: dt.date | None = None


@dataclass
class _Plan:
    errors: list[tuple[int, DomainError]]
    existing_parents: dict[str, Organisation]
    depth_in_batch: list[int]  # 0 for a row whose parent is in the tree already


def _is_system(by: Actor) -> bool:
    return by is SYSTEM


def _existing_by_code(codes: set[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    ordered = sorted(codes)
    for i in range(0, len(ordered), _CHUNK):
        for org in Organisation.objects.filter(code__in=ordered[i : i + _CHUNK]):
            found[org.code] = org
    return found


def _plan_organisations(*, by: Actor, rows: Sequence[NewOrganisation], lines: Sequence[int]) -> _Plan:
    """Check a batch the way ``create_organisation`` checks one organisation, plus what
    only a batch can get wrong (a code twice, a parent loop). Errors are per row."""
    errors: list[tuple[int, DomainError]] = []
    first_line: dict[str, int] = {}
    in_batch: dict[str, int] = {}
    for i, row in enumerate(rows):
        if not row.code:
            errors.append((i, DomainError(_("A code is required."), field="code")))
        elif row.code in in_batch:
            errors.append(
                (
                    i,
                    DomainError(
                        _("The code %(code)s is also on line %(other)s.")
                        % {"code": row.code, "other": first_line[row.code]},
                        field="code",
                    ),
                )
            )
        else:
            in_batch[row.code] = i
            first_line[row.code] = lines[i]
        if not row.name:
            errors.append((i, DomainError(_("A name is required."), field="name")))
    existing = _existing_by_code(
        {r.code for r in rows if r.code} | {r.parent_code for r in rows if r.parent_code}
    )
    for code, i in in_batch.items():
        if code in existing:
            errors.append(
                (i, DomainError(_("The code %(code)s is already used.") % {"code": code}, field="code"))
            )
    scope = None if _is_system(by) else scope_for(by)
    depth = [0] * len(rows)
    for i, row in enumerate(rows):
        try:
            depth[i] = _check_one(row, i, rows, in_batch, existing, by, scope)
        except DomainError as exc:
            errors.append((i, exc))
    errors.sort(key=lambda e: e[0])
    return _Plan(errors=errors, existing_parents=existing, depth_in_batch=depth)


def _check_one(row, i, rows, in_batch, existing, by, scope) -> int:
    """Placement and permission of one row; returns its depth inside the batch."""
    if not row.parent_code:
        validate_placement(kind=row.kind, parent=None)
        if not _is_system(by) and not getattr(by, "is_superuser", False):
            raise DomainError(
                _("Only a superuser can create a provincial committee."),
                field="parent_code",
                code="province_by_superuser",
            )
        return 0
    if row.parent_code in in_batch:
        # walk up inside the batch to the row hanging from the existing tree
        seen = {i}
        depth, j = 1, in_batch[row.parent_code]
        while rows[j].parent_code in in_batch:
            if j in seen:
                raise DomainError(
                    _("The parents in the file form a loop."), field="parent_code", code="parents_loop"
                )
            seen.add(j)
            depth, j = depth + 1, in_batch[rows[j].parent_code]
        parent_row = rows[in_batch[row.parent_code]]
        if parent_row.kind in Kind.values:  # else the parent's row carries the error
            validate_placement(kind=row.kind, parent=Organisation(kind=parent_row.kind))
        return depth
    parent = existing.get(row.parent_code)
    if parent is None or (scope is not None and not scope.has(Perm.VIEW, parent.path)):
        raise DomainError(
            _("No organisation has the code %(code)s.") % {"code": row.parent_code},
            field="parent_code",
            code="unknown_code",
        )
    validate_placement(kind=row.kind, parent=parent)
    if scope is not None and not scope.has(Perm.MANAGE_ORGANISATIONS, parent.path):
        raise DomainError(
            _("Your role does not allow creating organisations under %(org)s.") % {"org": parent.name},
            field="parent_code",
            code="not_permitted_under",
        )
    return 0


def check_new_organisations(
    *, by: Actor, rows: Sequence[NewOrganisation], lines: Sequence[int] | None = None
) -> list[tuple[int, DomainError]]:
    """Every reason ``create_organisations_bulk`` would refuse ``rows``, as
    ``(index in rows, error)``; ``lines`` are the row numbers messages refer to."""
    lines = lines if lines is not None else range(1, len(rows) + 1)
    return _plan_organisations(by=by, rows=rows, lines=lines).errors


_COLUMNS = ("id", "code", "name", "kind", "parent_id", "path", "depth", "founded_on", "dissolved_on")


def _insert_with_paths(orgs: list[Organisation]) -> None:
    """Insert organisations whose parents exist. The path holds the row's own id, so
    ids are reserved first and each row goes in once, path included."""
    ids = reserve_ids(Organisation, len(orgs))
    if ids is None:
        for org in orgs:
            org.path = "?"
        Organisation.objects.bulk_create(orgs, batch_size=500)
        for org in orgs:
            org.path, org.depth = path_for(org, org.parent)
        Organisation.objects.bulk_update(orgs, ["path", "depth"], batch_size=500)
        return
    for org, pk in zip(orgs, ids, strict=True):
        org.pk = pk
        org.path, org.depth = path_for(org, org.parent)
        org._state.adding = False
        org._state.db = Organisation.objects.db
    insert_rows(Organisation, _COLUMNS, ([getattr(o, a) for a in _COLUMNS] for o in orgs))


@transaction.atomic
def create_organisations_bulk(*, by: Actor, rows: Sequence[NewOrganisation]) -> list[Organisation]:
    """Create many organisations at once (the import), parents before children.

    The same rules as ``create_organisation``: placement in the tree, unique codes,
    the actor managing each parent. All or nothing: the first refusal raises.
    """
    plan = _plan_organisations(by=by, rows=rows, lines=range(1, len(rows) + 1))
    if plan.errors:
        index, error = plan.errors[0]
        raise DomainError(
            _("Row %(n)d (%(code)s): %(error)s") % {"n": index + 1, "code": rows[index].code, "error": error},
            field=error.field,
        )
    by_code: dict[str, Organisation] = dict(plan.existing_parents)
    created: list[Organisation] = []
    for level in range(max(plan.depth_in_batch, default=-1) + 1):
        batch = [r for r, d in zip(rows, plan.depth_in_batch, strict=True) if d == level]
        orgs = [
            Organisation(
                code=r.code,
                name=r.name,
                kind=r.kind,
                parent=by_code.get(r.parent_code) if r.parent_code else None,
                founded_on=r.founded_on,
            )
            for r in batch
        ]
        _insert_with_paths(orgs)
        by_code.update((o.code, o) for o in orgs)
        created.extend(orgs)
    audit.record_many(
        by=by,
        action="organisation.create",
        targets=created,
        summary=_("Created by import"),
        changes_for=lambda o: {
            "code": o.code,
            "name": o.name,
            "kind": o.kind,
            "parent": o.parent_id,
            "founded_on": o.founded_on,
        },
    )
    return created

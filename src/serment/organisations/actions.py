"""State changes of the organisation tree. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from serment.core import audit
from serment.core.errors import DomainError
from serment.core.roles import Perm
from serment.core.scoping import require

from .models import ALLOWED_PARENTS, Kind, Organisation

EDITABLE_FIELDS = ("code", "name", "founded_on", "dissolved_on")


def validate_placement(*, kind: str, parent: Organisation | None) -> None:
    """DOMAIN §1: the tree is province → district-level → grassroots → (sub-committee) → cell."""
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise DomainError(_("Unknown kind of organisation: %(kind)s.") % {"kind": kind}, field="kind")
    if parent is None:
        if allowed:
            raise DomainError(_("This kind of organisation needs a parent."), field="parent")
        return
    if parent.kind not in allowed:
        raise DomainError(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": Kind(kind).label, "parent": Kind(parent.kind).label},
            field="parent",
        )
    if parent.dissolved_on is not None:
        raise DomainError(_("The parent organisation has been dissolved."), field="parent")


def path_for(org: Organisation, parent: Organisation | None) -> tuple[str, int]:
    base = parent.path if parent else ""
    return f"{base}{org.pk}/", (parent.depth + 1 if parent else 0)


@transaction.atomic
def create_organisation(
    *,
    by: Any,
    code: str,
    name: str,
    kind: str,
    parent: Organisation | None,
    founded_on: dt.date | None = None,
) -> Organisation:
    """Create an organisation under ``parent`` (the province has none)."""
    code = (code or "").strip()
    name = (name or "").strip()
    if not code:
        raise DomainError(_("A code is required."), field="code")
    if not name:
        raise DomainError(_("A name is required."), field="name")
    if parent is not None:
        require(by, Perm.MANAGE_ORGANISATIONS, parent.path)
    elif by is not None and not getattr(by, "is_superuser", False):
        raise DomainError(_("Only a superuser can create a provincial committee."))
    validate_placement(kind=kind, parent=parent)
    if Organisation.objects.filter(code=code).exists():
        raise DomainError(_("The code %(code)s is already used.") % {"code": code}, field="code")
    org = Organisation(code=code, name=name, kind=kind, parent=parent, founded_on=founded_on)
    org.path = "?"  # the path needs the id: set right after the insert
    org.save()
    org.path, org.depth = path_for(org, parent)
    org.save(update_fields=["path", "depth"])
    audit.record(
        by=by, action="organisation.create", target=org,
        summary=_("Created %(name)s") % {"name": name},
        changes=audit.snapshot(org, ("code", "name", "kind", "parent", "founded_on")),
    )
    return org


@transaction.atomic
def update_organisation(*, by: Any, organisation: Organisation, **fields: Any) -> Organisation:
    """Change code, name or dates (not the place in the tree: see ``move_organisation``)."""
    require(by, Perm.MANAGE_ORGANISATIONS, organisation.path)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    before = audit.snapshot(organisation, EDITABLE_FIELDS)
    for k, v in fields.items():
        setattr(organisation, k, v)
    if Organisation.objects.filter(code=organisation.code).exclude(pk=organisation.pk).exists():
        raise DomainError(_("The code %(code)s is already used.") % {"code": organisation.code}, field="code")
    if organisation.dissolved_on and organisation.founded_on and organisation.dissolved_on < organisation.founded_on:
        raise DomainError(_("The dissolution date is before the foundation date."), field="dissolved_on")
    if organisation.dissolved_on and organisation.holds_members and organisation.members.exclude(state="left").exists():
        raise DomainError(_("Transfer the members out before dissolving the cell."), field="dissolved_on")
    organisation.save()
    changes = audit.diff(before, audit.snapshot(organisation, EDITABLE_FIELDS))
    if changes:
        audit.record(by=by, action="organisation.update", target=organisation, changes=changes,
                     summary=_("Updated %(name)s") % {"name": organisation.name})
    return organisation


@transaction.atomic
def move_organisation(*, by: Any, organisation: Organisation, new_parent: Organisation) -> Organisation:
    """Re-attach an organisation (and its subtree) under another parent."""
    require(by, Perm.MANAGE_ORGANISATIONS, organisation.path)
    require(by, Perm.MANAGE_ORGANISATIONS, new_parent.path)
    if new_parent.is_within(organisation):
        raise DomainError(_("An organisation cannot be moved under itself."), field="parent")
    validate_placement(kind=organisation.kind, parent=new_parent)
    old_path, old_parent = organisation.path, organisation.parent
    new_path, new_depth = path_for(organisation, new_parent)
    delta = new_depth - organisation.depth
    subtree = list(Organisation.objects.filter(path__startswith=old_path))
    for o in subtree:
        o.path = new_path + o.path[len(old_path):]
        o.depth += delta
        if o.pk == organisation.pk:
            o.parent = new_parent
    Organisation.objects.bulk_update(subtree, ["path", "depth", "parent"], batch_size=1000)
    organisation.refresh_from_db()
    audit.record(
        by=by, action="organisation.move", target=organisation,
        changes={"parent": [str(old_parent), str(new_parent)]},
        summary=_("Moved under %(parent)s") % {"parent": new_parent.name},
    )
    return organisation

"""The audit history. Every action that changes personal records, organisations,
roles, ratings or discipline calls ``record`` inside its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from serment.core.actors import Actor, user_of

from .models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The current values of ``fields`` (FKs by id), for a later ``diff``."""
    out = {}
    for name in fields:
        f = instance._meta.get_field(name)
        attr = f.attname if f.is_relation else name
        out[name] = _plain(getattr(instance, attr))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    *,
    by: Actor,
    action: str,
    target: models.Model,
    summary: Any = "",  # text, or a lazy translation
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry about ``target``."""
    return AuditEntry.objects.create(
        actor=user_of(by),
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=target.pk,
        summary=str(summary)[:500],
        changes={
            k: [_plain(v) for v in pair] if isinstance(pair, (list, tuple)) else _plain(pair)
            for k, pair in (changes or {}).items()
        },
    )


def record_many(
    *,
    by: Actor,
    action: str,
    targets: Iterable[models.Model],
    summary: str = "",
    changes_for=None,
) -> int:
    """Bulk variant for importers: one entry per target, one INSERT batch."""
    entries = []
    ct_cache: dict[type, ContentType] = {}
    actor = user_of(by)
    for t in targets:
        ct = ct_cache.get(type(t))
        if ct is None:
            ct = ct_cache[type(t)] = ContentType.objects.get_for_model(t)
        changes = changes_for(t) if changes_for else {}
        entries.append(
            AuditEntry(
                actor=actor,
                action=action,
                target_type=ct,
                target_id=t.pk,
                summary=str(summary)[:500],
                changes={k: _plain(v) for k, v in changes.items()},
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def history_of(target: models.Model):
    """Audit entries about ``target``, newest first. Callers must have checked that
    the viewer may see ``target`` (they fetched it through ``visible_to``)."""
    ct = ContentType.objects.get_for_model(target, for_concrete_model=True)
    return AuditEntry.objects.filter(target_type=ct, target_id=target.pk).select_related("actor")

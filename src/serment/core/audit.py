"""The audit history. Every action that changes personal records, organisations,
roles, ratings or discipline calls ``record`` inside its transaction.

The history is append-only (``AuditEntry`` refuses to be changed or deleted; on
PostgreSQL a trigger refuses it too) and hash-chained: each entry's ``chain_hash`` is
the SHA-256 of the previous entry's hash and this entry's content, so ``verify`` (the
``serment audit verify`` command) finds any entry edited or removed behind the
application's back. Writers take one lock for the chain's tail (SQLite's IMMEDIATE
transactions already serialise writers; PostgreSQL takes an advisory lock), so two
transactions never chain onto the same entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from serment.core.actors import Actor
from serment.core.errors import Refusal

from .db import refresh_statistics_after_bulk
from .models import AuditEntry

# Any constant: the key of the PostgreSQL advisory lock guarding the chain's tail.
_CHAIN_LOCK_KEY = 7_031_913_013


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


def _as_stored(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes as the database gives them back (JSON round trip), so the hash
    computed before the INSERT is the hash recomputed from the stored row."""
    return json.loads(json.dumps(changes, cls=DjangoJSONEncoder))


def _actor_name(by: Actor) -> str:
    """The user name, kept in the entry; empty for ``SYSTEM`` (shown as "system")."""
    return str(by.username)[:150] if getattr(by, "pk", None) else ""


def entry_digest(entry: AuditEntry, previous: str) -> str:
    """SHA-256 over the previous entry's hash and this entry's content."""
    content = [
        previous,
        entry.at.astimezone(dt.UTC).isoformat(),
        entry.actor_name,
        entry.action,
        entry.target_type_id,
        entry.target_id,
        entry.summary,
        entry.changes,
    ]
    text = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _chain_tail() -> str:
    """The last entry's hash, after taking the chain lock for this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    return AuditEntry.objects.order_by("-pk").values_list("chain_hash", flat=True).first() or ""


def record(
    *,
    by: Actor,
    action: str,
    target: models.Model,
    summary: Any = "",  # text, or a lazy translation
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry about ``target``."""
    entry = AuditEntry(
        at=timezone.now(),
        actor=by if getattr(by, "pk", None) else None,
        actor_name=_actor_name(by),
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=target.pk,
        summary=str(summary)[:500],
        changes=_as_stored(
            {
                k: [_plain(v) for v in pair] if isinstance(pair, (list, tuple)) else _plain(pair)
                for k, pair in (changes or {}).items()
            }
        ),
    )
    with transaction.atomic():
        entry.chain_hash = entry_digest(entry, _chain_tail())
        entry.save(force_insert=True)
    return entry


def record_many(
    *,
    by: Actor,
    action: str,
    targets: Iterable[models.Model],
    summary: str = "",
    changes_for=None,
) -> int:
    """Bulk variant for importers: one entry per target, one INSERT batch; the chain is
    computed in memory from one read of its tail."""
    entries = []
    ct_cache: dict[type, ContentType] = {}
    actor = by if getattr(by, "pk", None) else None
    name = _actor_name(by)
    now = timezone.now()
    summary = str(summary)[:500]
    for t in targets:
        ct = ct_cache.get(type(t))
        if ct is None:
            ct = ct_cache[type(t)] = ContentType.objects.get_for_model(t)
        changes = changes_for(t) if changes_for else {}
        entries.append(
            AuditEntry(
                at=now,
                actor=actor,
                actor_name=name,
                action=action,
                target_type=ct,
                target_id=t.pk,
                summary=summary,
                changes=_as_stored({k: _plain(v) for k, v in changes.items()}),
            )
        )
    if not entries:
        return 0
    with transaction.atomic():
        previous = _chain_tail()
        for entry in entries:
            entry.chain_hash = previous = entry_digest(entry, previous)
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
    refresh_statistics_after_bulk(AuditEntry, len(entries))
    return len(entries)


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose hash does not follow from the entries before it."""

    entry_id: int
    expected: str
    found: str


def verify(*, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in insertion order: (entries checked, first break or None)."""
    previous = ""
    checked = 0
    entries: Iterator[AuditEntry] = AuditEntry.objects.order_by("pk").iterator(chunk_size=batch_size)
    for entry in entries:
        expected = entry_digest(entry, previous)
        if entry.chain_hash != expected:
            return checked, ChainBreak(entry_id=entry.pk, expected=expected, found=entry.chain_hash)
        previous = entry.chain_hash
        checked += 1
    return checked, None


def version_of(target: models.Model) -> int:
    """The record's version: the id of the last audit entry about it (0 when none).
    Every change is audited, so a change always moves the version."""
    return history_of(target).order_by("-pk").values_list("pk", flat=True).first() or 0


def check_not_stale(*, target: models.Model, version: int | None) -> list[Refusal]:
    """A form opened at ``version`` is stale when the record changed since: the refusal
    says who changed what, so the user can look again before saving."""
    if version is None:
        return []
    newer = list(history_of(target).filter(pk__gt=version).order_by("pk"))
    if not newer:
        return []
    changes = "; ".join(
        f"{e.actor_name or 'system'} ({e.at.astimezone(timezone.get_current_timezone()):%H:%M}): "
        + (", ".join(f"{k}: {_said(v)}" for k, v in e.changes.items()) or e.summary or e.action)
        for e in newer
    )
    return [
        Refusal(
            code="stale_form",
            message=gettext_lazy(
                "This record changed while you were editing it — %(changes)s. "
                "The form now shows what you typed: check it against the change and save again."
            ),
            params={"changes": changes},
        )
    ]


def _said(value: Any) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0] or '—'} → {value[1] or '—'}"
    return str(value)


# A model that moved to another app keeps its rows' ids, but its older audit entries name
# the old object type: the log is append-only and hash-chained, so they are never
# rewritten; the old type is resolved when the history is read. ``{new label: old labels}``
# ("app_label.model", lower case), registered by the app that now owns the model.
TARGET_ALIASES: dict[str, set[str]] = {}


def register_target_alias(old_label: str, new_label: str) -> None:
    """Read audit entries written for ``old_label`` as entries about ``new_label``
    (the same row ids), e.g. ``ratings.discipline`` → ``inspection.disciplinedecision``."""
    TARGET_ALIASES.setdefault(new_label.lower(), set()).add(old_label.lower())


def target_types_of(model: type[models.Model] | models.Model) -> list[int]:
    """The content type ids audit entries about ``model``'s rows carry: its own and those
    of the labels it was registered under before a move (``register_target_alias``)."""
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    ids = [ct.pk]
    for label in sorted(TARGET_ALIASES.get(f"{ct.app_label}.{ct.model}", ())):
        app_label, _dot, name = label.partition(".")
        old = ContentType.objects.filter(app_label=app_label, model=name).values_list("pk", flat=True).first()
        if old is not None:
            ids.append(old)
    return ids


def history_of(target: models.Model):
    """Audit entries about ``target``, newest first (with those written under an older
    object type of its model, ``TARGET_ALIASES``). Callers must have checked that the
    viewer may see ``target`` (they fetched it through ``visible_to``)."""
    types = target_types_of(target)
    return AuditEntry.objects.filter(target_type_id__in=types, target_id=target.pk).select_related("actor")

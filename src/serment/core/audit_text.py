"""The audit history read as sentences, in the reader's language.

An entry stores an action key (``member.exempt``) and its changes (``{field: [old,
new]}`` or ``{field: value}``); the writer's ``summary`` is in the writer's language,
so it is shown only for actions this module does not know. Each change is rendered with
the field's translated name and a readable value: a choice's label, a date in the
reader's format, yes/no, the name of a referenced organisation or member.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .dates import show_date, show_datetime

# What happened, by action key: a sentence in the reader's language.
SENTENCES: dict[str, Any] = {
    "member.register": gettext_lazy("Put on the register"),
    "member.update": gettext_lazy("Personal details corrected"),
    "member.recognise": gettext_lazy("Recognised as an official member"),
    "member.transfer": gettext_lazy("Transferred to another cell"),
    "member.transfer_temporarily": gettext_lazy("Transferred out temporarily"),
    "member.exempt": gettext_lazy("Exempted from work and activities"),
    "member.resume": gettext_lazy("Back to normal activity"),
    "member.leave": gettext_lazy("Left the register"),
    "member.assign_post": gettext_lazy("Took up a post"),
    "member.end_post": gettext_lazy("Left a post"),
    "member.link_account": gettext_lazy("Sign-in account linked"),
    "member.assign_helper": gettext_lazy("Probation helper assigned"),
    "organisation.create": gettext_lazy("Organisation created"),
    "organisation.update": gettext_lazy("Organisation's details corrected"),
    "organisation.move": gettext_lazy("Organisation moved in the tree"),
    "role.grant": gettext_lazy("Role granted"),
    "role.revoke": gettext_lazy("Role ended"),
    "user.create": gettext_lazy("Account created"),
    "oath.record": gettext_lazy("Oath recorded"),
    "oath.add_promise": gettext_lazy("Promise recorded"),
    "oath.import_promise": gettext_lazy("Promise imported"),
    "oath.update_promise": gettext_lazy("Promise followed up"),
    "oath.launch_campaign": gettext_lazy("Campaign launched"),
    "oath.save_self_assessment": gettext_lazy("Self-review saved as a draft"),
    "oath.submit_self_assessment": gettext_lazy("Self-review submitted"),
    "oath.schedule_meeting": gettext_lazy("Meeting scheduled"),
    "oath.reschedule_meeting": gettext_lazy("Meeting moved to another date"),
    "oath.record_meeting_details": gettext_lazy("Details for the minutes recorded"),
    "oath.record_attendance": gettext_lazy("Attendance recorded"),
    "oath.record_everyone_present": gettext_lazy("Everyone not yet recorded marked present"),
    "oath.record_presentation": gettext_lazy("Presentation recorded"),
    "oath.record_suggestions": gettext_lazy("The collective's suggestions changed"),
    "oath.close_meeting": gettext_lazy("Meeting closed"),
    "oath.correct_meeting": gettext_lazy("Closed meeting corrected"),
    "oath.paper_meeting": gettext_lazy("Meeting entered from paper records"),
    "oath.remind": gettext_lazy("Reminder sent"),
    "ratings.open_round": gettext_lazy("Rating round opened"),
    "ratings.self_assess": gettext_lazy("Self-assessment and proposed level"),
    "ratings.review": gettext_lazy("Reviewed by the collective"),
    "ratings.review_many": gettext_lazy("Reviewed by the collective"),
    "ratings.decide": gettext_lazy("Level decided"),
    "ratings.decide_round": gettext_lazy("Round decided"),
    "ratings.correct": gettext_lazy("Decided level corrected"),
    "ratings.import": gettext_lazy("Rating imported"),
    "ratings.set_target": gettext_lazy("Target set"),
    "candidate.register": gettext_lazy("Candidate registered"),
    "candidate.step": gettext_lazy("Admission step recorded"),
    "candidate.admit": gettext_lazy("Admitted to the Party"),
    "candidate.withdraw": gettext_lazy("Application withdrawn"),
    "admissions.set_target": gettext_lazy("Admission target set"),
    "admissions.peer_figures": gettext_lazy("Peer figures recorded"),
}

# Keys stored in changes that are not fields of the target model.
FIELD_LABELS: dict[str, Any] = {
    "member": gettext_lazy("member"),
    "cell": gettext_lazy("cell"),
    "campaign": pgettext_lazy("audit field", "campaign"),
    "present": gettext_lazy("present"),
    "absence_reason": gettext_lazy("reason for absence"),
    "on": gettext_lazy("date"),
    "until": gettext_lazy("until"),
    "reason": gettext_lazy("reason"),
    "held_on": gettext_lazy("date"),
    "promise": pgettext_lazy("audit field", "promise"),
    "occasion": pgettext_lazy("audit field", "occasion"),
    "to": gettext_lazy("new cell"),
    "from": gettext_lazy("previous cell"),
    "level": gettext_lazy("level"),
    "role": gettext_lazy("role"),
    "organisation": gettext_lazy("organisation"),
    "status": gettext_lazy("status"),
    "state": gettext_lazy("activity state"),
    "internal": gettext_lazy("internal transfer"),
    "destination": gettext_lazy("destination"),
    "document_ref": gettext_lazy("document reference"),
    "suggestions": gettext_lazy("the collective's suggestions"),
}
# Keys whose value is the id of a record of another app: (app label, model).
REFERENCES = {
    "member": ("members", "Member"),
    "organisation": ("organisations", "Organisation"),
    "to": ("organisations", "Organisation"),
    "from": ("organisations", "Organisation"),
    "campaign": ("oath", "Campaign"),
    "promise": ("oath", "Promise"),
}
# Keys stored on an entry about one record that are fields of another model (their
# labels and choices come from there): an entry about a member records a promise's occasion.
OTHER_FIELDS = {
    "occasion": ("oath", "Promise"),
    "to_whom": ("oath", "Promise"),
    "made_on": ("oath", "Promise"),
    "due_on": ("oath", "Promise"),
    "taken_on": ("oath", "Oath"),
    "absence_reason": ("oath", "Attendance"),
    "report_type": ("oath", "Presentation"),
}


@dataclass(frozen=True)
class Change:
    label: str
    text: str


@dataclass(frozen=True)
class ReadableEntry:
    at: dt.datetime
    at_text: str
    actor: str
    sentence: str
    changes: list[Change]


def _own_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        for f in model._meta.concrete_fields:
            if getattr(f, "attname", None) == name:
                return f
    return None


def _field(model, name: str):
    field = _own_field(model, name)
    if field is None and name in OTHER_FIELDS and apps.is_installed(f"serment.{OTHER_FIELDS[name][0]}"):
        field = _own_field(apps.get_model(*OTHER_FIELDS[name]), name)
    return field


def _label(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None) and not field.auto_created:
        return capfirst(str(field.verbose_name))
    if name in FIELD_LABELS:
        return capfirst(str(FIELD_LABELS[name]))
    return capfirst(name.replace("_", " "))


def _reference_model(name: str, field):
    if field is not None and field.is_relation and field.related_model is not None:
        return field.related_model
    if name in REFERENCES and apps.is_installed(f"serment.{REFERENCES[name][0]}"):
        return apps.get_model(*REFERENCES[name])
    return None


class _References:
    """Names of referenced records, fetched in one query per model for a whole history."""

    def __init__(self):
        self.wanted: dict[Any, set[int]] = {}
        self.found: dict[Any, dict[int, Any]] = {}

    def want(self, model, name: str, value: Any) -> None:
        target = _reference_model(name, _field(model, name))
        values = value if isinstance(value, list) else [value]
        for v in values:
            if target is not None and isinstance(v, int) and not isinstance(v, bool):
                self.wanted.setdefault(target, set()).add(v)

    def fetch(self) -> None:
        for target, ids in self.wanted.items():
            self.found[target] = target._default_manager.in_bulk(ids)

    def name(self, name: str, value: Any, field, model) -> str | None:
        target = _reference_model(name, field)
        if target is None or not isinstance(value, int) or isinstance(value, bool):
            return None
        obj = self.found.get(target, {}).get(value)
        return str(obj) if obj is not None else None


def _value(model, name: str, value: Any, refs: _References) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    field = _field(model, name)
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    referenced = refs.name(name, value, field, model)
    if referenced is not None:
        return referenced
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            if len(value) == 10:
                return show_date(dt.date.fromisoformat(value))
            return show_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, list):
        return ", ".join(_value(model, name, v, refs) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _model_of(entry):
    return (
        ContentType.objects.get_for_id(entry.target_type_id).model_class() if entry.target_type_id else None
    )


def readable_history(entries) -> list[ReadableEntry]:
    """Audit entries as sentences and changes, in the active language; the names of
    referenced organisations and members are fetched once for the whole list."""
    entries = list(entries)
    refs = _References()
    for entry in entries:
        model = _model_of(entry)
        for name, value in (entry.changes or {}).items():
            refs.want(model, name, value)
    refs.fetch()
    return [_readable(entry, refs) for entry in entries]


def _readable(entry, refs: _References) -> ReadableEntry:
    model = _model_of(entry)
    known = SENTENCES.get(entry.action)
    sentence = str(known) if known is not None else (entry.summary or entry.action)
    changes = []
    for name, value in (entry.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = (_value(model, name, v, refs) for v in value)
            text = f"{old} → {new}"
        else:
            text = _value(model, name, value, refs)
        changes.append(Change(label=_label(model, name), text=text))
    actor = entry.actor_name or _("system")
    return ReadableEntry(
        at=entry.at, at_text=show_datetime(entry.at), actor=actor, sentence=sentence, changes=changes
    )

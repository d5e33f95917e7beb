"""What every page's form shares: date inputs a phone understands, and the one way a
form hands its data to an action and turns a refusal into a field error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, NotPermitted
from .params import MAX_DATE, MIN_DATE


class DateInput(forms.DateInput):
    """A native date picker; ISO values, which is what ``<input type=date>`` speaks."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date within ``core.params.MIN_DATE``–``MAX_DATE`` (1900–2100): year 1 and year
    9999 are typing slips, and date arithmetic on them fails."""

    widget = DateInput

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("min", MIN_DATE.isoformat())
        self.widget.attrs.setdefault("max", MAX_DATE.isoformat())

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not (MIN_DATE <= value <= MAX_DATE):
            raise ValidationError(
                _("Enter a date between %(min)s and %(max)s."),
                code="date_out_of_range",
                params={"min": MIN_DATE.year, "max": MAX_DATE.year},
            )


class StaleCheckMixin:
    """For edit forms: a hidden ``version`` (``core.audit.version_of`` the record when the
    form was opened); a form submitted after someone else changed the record is refused
    with what they changed (``core.audit.check_not_stale``), instead of silently undoing
    it. A POST without ``version`` (a script) is not checked."""

    def track_version(self, target) -> None:
        from . import audit

        self._versioned = target
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, initial=audit.version_of(target)
        )

    def clean(self):
        from . import audit

        data = super().clean()
        target = getattr(self, "_versioned", None)
        if target is not None:
            refusals = audit.check_not_stale(target=target, version=data.get("version"))
            if refusals:
                # Re-submitting this form (after a look) is a decision taken knowingly.
                self.data = self.data.copy()
                self.data["version"] = str(audit.version_of(target))
                raise ValidationError([ValidationError(r.text, code=r.code) for r in refusals])
        data.pop("version", None)
        return data


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put the action's message on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _add_validation_error(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def submit(form: forms.Form, perform: Callable[[dict[str, Any]], Any]) -> bool:
    """Validate ``form``, then call ``perform(form.cleaned_data)``, which calls one action.

    True when the action succeeded. A refusal (``DomainError``) becomes an error on the
    field it names, or a non-field error; nothing was written, since actions are atomic.
    ``NotPermitted`` is not a form error: it propagates and becomes a 403 page.
    """
    if not form.is_valid():
        return False
    try:
        perform(form.cleaned_data)
    except NotPermitted:
        raise
    except DomainError as error:
        add_domain_error(form, error)
        return False
    except ValidationError as error:  # a model's full_clean() inside an action
        _add_validation_error(form, error)
        return False
    return True


def with_blank(choices) -> list[tuple[str, Any]]:
    """Choices that start with an empty "choose…" option, for consequential choices:
    saving without choosing must be an error, never a silent Excellent or Administrator."""
    from django.utils.translation import pgettext_lazy

    return [("", pgettext_lazy("empty choice", "— choose —")), *choices]

"""Display helpers for templates (no logic beyond display)."""

from django import template

register = template.Library()


def _show(value) -> str:
    return "—" if value in (None, "") else str(value)


@register.filter
def audit_changes(changes) -> list[tuple[str, str]]:
    """An audit entry's ``changes`` as (field, text) rows: ``old → new`` for a pair."""
    rows = []
    for name, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            rows.append((name, f"{_show(value[0])} → {_show(value[1])}"))
        else:
            rows.append((name, _show(value)))
    return rows


@register.filter
def day(value) -> str:
    """``{{ member.admitted_on|day }}``: the one date format of the reader's language."""
    from serment.core.dates import show_date

    return show_date(value)


@register.filter
def moment(value) -> str:
    """``{{ entry.at|moment }}``: date and time, local time zone, reader's format."""
    from serment.core.dates import show_datetime

    return show_datetime(value)


@register.filter
def readable_history(entries):
    """``{% for e in audit|readable_history %}``: sentences in the reader's language."""
    from serment.core.audit_text import readable_history as render

    return render(entries)

"""Form widgets rendered in Python where Django's template-per-option rendering costs
too much: the organisation picker of a province admin has about 500 options, and
Django's ``Select`` renders one template per option (about 1 ms each on a quiet
machine), which made the picker the largest part of the member list and the
dashboard (issue 14: docs/performance.md)."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class PlainSelect(forms.Select):
    """A ``Select`` whose HTML is the same as Django's (name, id, attributes, one
    ``<option>`` per choice, ``selected`` on the chosen one), built without templates."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "\n",
                '<option value="{}"{}>{}</option>',
                ((str(o["value"]), flatatt(o["attrs"]), o["label"]) for o in options),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html
            )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("\n".join(parts)),  # noqa: S308  (each part built by format_html)
        )

"""A searchable organisation picker: no list cut at 500, no 2,600-item drop-down.

The form field validates against the full scoped queryset (one indexed lookup); the
widget shows a search box and the first matches in tree order, and htmx asks
``organisations:pick`` for more as the user types. The endpoint rebuilds the choices
from the *viewer's* scope and the picker's parameters (permission, kinds, subtree,
excluded organisation), never from anything the browser could widen.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import COMMITTEE_KINDS, MEMBER_HOLDING_KINDS, Organisation

PAGE = 20
KINDS = {"cells": MEMBER_HOLDING_KINDS, "committees": COMMITTEE_KINDS, "all": None}


def _natural(code: str) -> tuple:
    """``BT.9`` before ``BT.10``: digits compare as numbers."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", code or ""))


def tree_sorted(organisations) -> list[Organisation]:
    """Organisations in tree order: each under its parent, siblings by code (naturally),
    whatever the ids in their paths (ordering by path put BT.09–BT.18 before BT.01)."""
    organisations = list(organisations)
    ids = {int(i) for o in organisations for i in o.path.strip("/").split("/") if i}
    codes = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "code"))
    for o in organisations:
        codes.setdefault(o.pk, o.code)

    def key(o: Organisation) -> tuple:
        return tuple(_natural(codes.get(int(i), "")) for i in o.path.strip("/").split("/") if i)

    return sorted(organisations, key=key)


def choices_for(
    viewer: Any, *, perm: str, kinds: str = "all", within: int | None = None, exclude: int | None = None
):
    """The open organisations the viewer may choose for ``perm``, optionally inside the
    subtree of ``within`` and without ``exclude``."""
    qs = Organisation.objects.permitted(viewer, perm).active()
    if KINDS.get(kinds):
        qs = qs.filter(kind__in=KINDS[kinds])
    if within is not None:
        root = Organisation.objects.filter(pk=within).only("path").first()
        qs = qs.filter(path__subtree=root.path) if root else qs.none()
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs


def search(qs, q: str) -> tuple[list[Organisation], int]:
    """The first matches of ``q`` (code prefix or words of the name), in tree order, and how many match."""
    q = " ".join((q or "").split())
    if q:
        by_name = qs
        for word in q.split():
            by_name = by_name.filter(name__icontains=word)
        qs = qs.filter(pk__in=by_name.values("pk")) | qs.filter(code__istartswith=q)
    total = qs.count()
    first = qs.order_by("depth", "code")[: PAGE * 5] if total > PAGE else qs
    return tree_sorted(first)[:PAGE], total


class OrganisationPicker(forms.Widget):
    """A search box and radio buttons for the first matches; more arrive with htmx."""

    template_name = "organisations/_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.params: dict[str, Any] = {}
        self.queryset = Organisation.objects.none()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        results, total = search(self.queryset, "")
        selected = None
        if value not in (None, ""):
            selected = self.queryset.filter(pk=value).first()
        url = reverse("organisations:pick") + "?" + urlencode({**self.params, "field": name})
        context["picker"] = {
            "url": url,
            "results": results,
            "total": total,
            "selected": selected,
            "more": max(total - len(results), 0),
        }
        return context


class OrganisationPickerField(forms.ModelChoiceField):
    """``OrganisationPickerField(viewer=…, perm=…, kinds="cells", within=org, exclude=org)``."""

    widget = OrganisationPicker
    default_error_messages = {"invalid_choice": _("Choose an organisation from the list.")}

    def __init__(self, *, viewer: Any, perm: str, kinds: str = "all", within=None, exclude=None, **kwargs):
        params = {
            "perm": perm,
            "kinds": kinds,
            "within": getattr(within, "pk", within) or "",
            "exclude": getattr(exclude, "pk", exclude) or "",
        }
        qs = choices_for(
            viewer, perm=perm, kinds=kinds, within=params["within"] or None, exclude=params["exclude"] or None
        )
        super().__init__(queryset=qs, **kwargs)
        self.widget.params = params
        self.widget.queryset = qs


def render_results(request, *, field: str, results, total: int) -> str:
    return render_to_string(
        "organisations/_picker_results.html",
        {"field": field, "results": results, "total": total, "more": max(total - len(results), 0)},
        request=request,
    )

"""Navigation helpers for every page: the organisation breadcrumb, numbered
pagination and sortable column headers."""

from __future__ import annotations

from django import template
from django.http import QueryDict

from serment.core.roles import Perm
from serment.core.scoping import scope_for

register = template.Library()


# Where an organisation-scoped page keeps its organisation, in order of preference.
PAGE_ORGANISATION = (
    "org",
    "organisation",
    "cell",
    "meeting.cell",
    "campaign.organisation",
    "round.organisation",
)


def _page_organisation(context):
    for dotted in PAGE_ORGANISATION:
        value = context
        for part in dotted.split("."):
            value = (
                value.get(part)
                if hasattr(value, "get") and not hasattr(value, "_meta")
                else getattr(value, part, None)
            )
            if value is None:
                break
        if value is not None and hasattr(value, "ancestor_ids"):
            return value
    return None


@register.inclusion_tag("home/_breadcrumb.html", takes_context=True)
def org_breadcrumb(context, org=None):
    """The organisation tree from the root down to ``org`` (default: the page's ``org``
    or ``organisation``); ancestors outside the viewer's scope are named, not linked."""
    org = org or _page_organisation(context)
    if org is None or not hasattr(org, "ancestor_ids") or not getattr(org, "path", ""):
        return {"crumbs": []}
    request = context.get("request")
    user = getattr(request, "user", None)
    scope = scope_for(user) if user is not None and user.is_authenticated else None
    from serment.organisations.models import Organisation

    chain = list(Organisation.objects.filter(pk__in=org.ancestor_ids()).only("pk", "name", "path", "depth"))
    chain.sort(key=lambda o: o.depth)
    crumbs = [
        {
            "name": o.name,
            "pk": o.pk,
            "linked": scope is not None and scope.has(Perm.VIEW, o.path),
            "last": o.pk == org.pk,
        }
        for o in chain
    ]
    return {"crumbs": crumbs}


@register.simple_tag
def page_window(page, around: int = 2) -> list[int | None]:
    """Page numbers to show: the first, the last and ``around`` each side of the
    current one; ``None`` marks a gap (…)."""
    n, current = page.paginator.num_pages, page.number
    shown = sorted({1, n, *range(max(1, current - around), min(n, current + around) + 1)})
    out: list[int | None] = []
    for p in shown:
        if out and p - (out[-1] or 0) > 1:
            out.append(None)
        out.append(p)
    return out


@register.simple_tag(takes_context=True)
def with_query(context, **params) -> str:
    """The current query string with ``params`` replaced (a page number, a sort key)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    for k, v in params.items():
        if v in (None, ""):
            query.pop(k, None)
        else:
            query[k] = v
    return "?" + query.urlencode() if query else "?"


@register.inclusion_tag("home/_sort_header.html", takes_context=True)
def sort_header(context, key: str, label, current: str = ""):
    """A column header that sorts the list by ``key`` (again: the other way)."""
    current = current or context["request"].GET.get("sort", "")
    ascending = current == key
    descending = current == f"-{key}"
    return {
        "label": label,
        "next": f"-{key}" if ascending else key,
        "state": "ascending" if ascending else "descending" if descending else "none",
        "request": context["request"],
    }

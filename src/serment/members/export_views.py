"""Downloads of what the user may export: the member list (with its filters) and
the organisation tree, as CSV or XLSX in the import's columns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from serment.core import exports, params
from serment.core.roles import Perm
from serment.core.scoping import scope_for
from serment.organisations import exporters as organisation_exporters
from serment.organisations.models import Organisation

from . import exporters


def _download(request, fmt: str, name: str, header, rows, organisation: Organisation | None):
    target = organisation if organisation is not None else request.user
    return exports.download(by=request.user, fmt=fmt, header=header, rows=rows, name=name, target=target)


def _organisation(request) -> Organisation | None:
    return params.org_param(request)


def _format(request) -> str:
    fmt = request.GET.get("format", "csv")
    return fmt if fmt in ("csv", "xlsx") else "csv"


@login_required
def member_export(request):
    """The members of the list page's current filters that the user may export."""
    if not scope_for(request.user).has(Perm.EXPORT):
        raise PermissionDenied
    organisation = _organisation(request)
    rows = exporters.member_rows(
        viewer=request.user,
        q=request.GET.get("q", ""),
        organisation=organisation,
        standing=request.GET.get("standing", ""),
        state=request.GET.get("state", ""),
    )
    return _download(request, _format(request), "members", exporters.header(), rows, organisation)


@login_required
def organisation_export(request):
    """The organisations the user may export (``?org=`` for one subtree)."""
    if not scope_for(request.user).has(Perm.EXPORT):
        raise PermissionDenied
    organisation = _organisation(request)
    rows = organisation_exporters.organisation_rows(viewer=request.user, organisation=organisation)
    return _download(
        request, _format(request), "organisations", organisation_exporters.HEADER, rows, organisation
    )

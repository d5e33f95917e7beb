"""Downloads of what the user may export: the member list (with its filters) and
the organisation tree, as CSV or XLSX in the import's columns.

CSV streams from the request; an XLSX of more than ``SERMENT_EXPORT_JOB_ROWS`` members is
built by a background job (the page leads to it; its owner downloads the file there).
Both read from the read replica when there is one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from serment.core import exports, params
from serment.core.db import read_rows_from_replica, replica_reads
from serment.core.roles import Perm
from serment.core.scoping import scope_for
from serment.organisations import exporters as organisation_exporters
from serment.organisations.models import Organisation

from . import exporters
from .queries import search_members


def _download(request, fmt: str, name: str, header, rows, organisation: Organisation | None):
    target = organisation if organisation is not None else request.user
    with replica_reads():
        return exports.download(
            by=request.user,
            fmt=fmt,
            header=header,
            rows=read_rows_from_replica(rows),
            name=name,
            target=target,
        )


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
    filters = {
        "q": request.GET.get("q", ""),
        "organisation": organisation,
        "standing": request.GET.get("standing", ""),
        "state": request.GET.get("state", ""),
    }
    fmt = _format(request)
    if fmt == "xlsx":
        from serment.jobs.offers import export_in_background

        with replica_reads():
            count = search_members(viewer=request.user, perm=Perm.EXPORT, **filters).count()
        in_background = export_in_background(
            request, rows=count, name="members", title=_("Member export (XLSX, %(n)s members)") % {"n": count}
        )
        if in_background is not None:
            return in_background
    rows = exporters.member_rows(
        viewer=request.user,
        language=get_language(),  # rows may be written after the view returns (streamed)
        **filters,
    )
    return _download(request, fmt, "members", exporters.header(), rows, organisation)


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

"""The one import page, for every kind in the registry (``core.imports``).

Upload a file and see the dry run (the real actions, rolled back: what would be
created, or every error of every row in the file's own column names, downloadable
as a file); then confirm to run it for real and follow the link to what was
imported. Both run as background jobs (``serment.jobs``): the page follows the job's
progress and shows its result; the file waits in a private directory meanwhile. The page shows the format (from the kind's column declarations) and
offers a template per kind. The same rules everywhere: the page answers 404 for an
unknown kind or a target outside the user's scope, 403 when the user's role allows
the kind nowhere.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .errors import Refused
from .imports import (
    ImportKind,
    errors_csv,
    get_kind,
    kinds,
    max_import_bytes,
    may_import,
    template_csv,
)

SHOWN_ERRORS = 500
TARGET_PARAMS = {"campaign": "campaign", "organisation": "org"}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


def _kind_or_404(name: str) -> ImportKind:
    try:
        return get_kind(name)
    except LookupError:
        raise Http404(_("Not found.")) from None


def _allowed_kind(request, name: str) -> ImportKind:
    kind = _kind_or_404(name)
    if not may_import(request.user, kind):
        raise PermissionDenied
    return kind


def _target(request, kind: ImportKind) -> tuple[Any, str]:
    """What the file is imported into (``?campaign=``/``?org=``), through the scope:
    a value outside it is a 404."""
    if kind.target is None:
        return None, ""
    key = request.POST.get(TARGET_PARAMS[kind.target]) or request.GET.get(TARGET_PARAMS[kind.target]) or ""
    if not key:
        return None, ""
    found = kind.find_target(request.user, key) if kind.find_target else None
    if found is None:
        raise Http404(_("Not found."))
    return found, key


def kind_url(kind: ImportKind, target_key: str = "") -> str:
    url = reverse("imports:kind", args=[kind.name])
    if target_key and kind.target:
        url += "?" + urlencode({TARGET_PARAMS[kind.target]: target_key})
    return url


@login_required
def index(request):
    """Every kind the user may import, with its format and template."""
    offered = [k for k in kinds() if may_import(request.user, k)]
    if not offered:
        raise PermissionDenied
    return render(request, "core/import_index.html", {"kinds": offered, "title": _("Import")})


@login_required
def import_page(request, kind: str):
    """Upload: the file is checked in a background job (a dry run through the real
    rules); the page follows the job and, when it has passed, offers to confirm, which
    imports it for real in another job."""
    from serment.jobs import actions as job_actions
    from serment.jobs import queries as job_queries

    import_kind = _allowed_kind(request, kind)
    target, target_key = _target(request, import_kind)
    target_param = TARGET_PARAMS.get(import_kind.target or "", "")
    context: dict[str, Any] = {
        "kind": import_kind,
        "title": import_kind.label,
        "shown_errors": SHOWN_ERRORS,
        "target": target,
        "target_key": target_key,
        "target_param": target_param,
        "needs_target": import_kind.target_required and target is None,
        "max_mb": max_import_bytes() // (1024 * 1024),
        "vietnamese": (get_language() or "").startswith("vi"),
    }
    form = UploadForm()
    job = None
    try:
        if request.method == "POST" and not context["needs_target"]:
            if "confirm" in request.POST:
                checked = _checked_job(request, kind, target_key)
                if checked is None:
                    context["expired"] = True
                else:
                    job = job_actions.confirm_import(by=request.user, checked=checked, kind=import_kind)
            else:
                form = UploadForm(request.POST, request.FILES)
                if form.is_valid():
                    upload = form.cleaned_data["file"]
                    # one byte past the limit is enough for the reader to refuse an oversized file
                    data = upload.read(max_import_bytes() + 1)
                    job = job_actions.start_import(
                        by=request.user,
                        kind=import_kind,
                        filename=upload.name,
                        data=data,
                        dry_run=True,
                        target_key=target_key,
                        target_param=target_param,
                    )
    except Refused as exc:
        if exc.code in ("not_checked", "already_confirmed"):
            context["expired"] = True
        else:
            context["refused"] = exc.message
    context["form"] = form
    if job is not None:
        context.update(job=job, filename=job.params["filename"])
        report = job_queries.import_report(job)
        if report is not None:
            context["report"] = report
            shown = report.shown_errors()
            context["errors"] = shown[:SHOWN_ERRORS]
            if shown:
                context["errors_url"] = reverse("jobs:errors", args=[job.pk])
            if report.ok and report.dry_run:
                context["token"] = str(job.pk)
            if report.written:
                context["result_url"] = report.result_url
    return render(request, "core/import.html", context)


def _checked_job(request, kind: str, target_key: str):
    """The user's own finished dry run named by ``confirm``, for this kind and target."""
    from serment.jobs import queries as job_queries

    token = request.POST.get("confirm", "")
    if not token.isascii() or not token.isdigit():
        return None
    job = job_queries.jobs_of(request.user).filter(pk=int(token), kind="import", name=kind).first()
    if job is None or job.params.get("target_key", "") != target_key:
        return None
    return job


@login_required
def template(request, kind: str):
    """An empty file with the kind's headers (Vietnamese with ``?headers=vi``, or in a
    Vietnamese session) and one example row."""
    import_kind = _allowed_kind(request, kind)
    headers = request.GET.get("headers") or ("vi" if (get_language() or "").startswith("vi") else "en")
    vietnamese = headers == "vi"
    response = HttpResponse(
        template_csv(import_kind, vietnamese=vietnamese), content_type="text/csv; charset=utf-8"
    )
    suffix = "-vi" if vietnamese else ""
    response["Content-Disposition"] = f'attachment; filename="serment-{import_kind.name}{suffix}.csv"'
    return response


@login_required
def errors(request, kind: str):
    """The errors of the user's last checked file of this kind, as a CSV file."""
    from serment.jobs import queries as job_queries

    _allowed_kind(request, kind)
    job = job_queries.jobs_of(request.user).filter(kind="import", name=kind, status="done").first()
    report = job_queries.import_report(job) if job is not None else None
    if report is None or report.ok:
        raise Http404(_("Not found."))
    response = HttpResponse(errors_csv(report.shown_errors()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="serment-{kind}-errors.csv"'
    return response


@login_required
def legacy(request, kind: str, **target: Any):
    """Old import addresses (``/members/import/``, a campaign's ``import/``…) lead to
    the one import page, keeping what the file is imported into."""
    import_kind = _kind_or_404(kind)
    key = ""
    if import_kind.target == "campaign":
        key = str(target.get("pk") or "")
    elif import_kind.target == "organisation":
        key = request.GET.get("org", "")
    if key and import_kind.find_target and import_kind.find_target(request.user, key) is None:
        raise Http404(_("Not found."))  # outside the viewer's scope: 404, not a redirect
    return redirect(kind_url(import_kind, key))

"""The one import page, for every kind in the registry (``core.imports``).

Upload a file and see the dry run (the real actions, rolled back: what would be
created, or every error of every row in the file's own column names, downloadable
as a file); then confirm to run it for real and follow the link to what was
imported. The page shows the format (from the kind's column declarations) and
offers a template per kind. The same rules everywhere: the page answers 404 for an
unknown kind or a target outside the user's scope, 403 when the user's role allows
the kind nowhere.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .imports import (
    ImportKind,
    errors_csv,
    get_kind,
    kinds,
    max_import_bytes,
    may_import,
    run_kind,
    template_csv,
)

SHOWN_ERRORS = 500
_SESSION_KEY = "serment_import"
_ERRORS_KEY = "serment_import_errors"
TARGET_PARAMS = {"campaign": "campaign", "organisation": "org"}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


def _stash_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stash(request, kind: str, target_key: str, filename: str, data: bytes) -> str:
    """Keep the checked file until the user confirms (one pending file per session)."""
    _drop(request)
    token = secrets.token_urlsafe(24)
    (_stash_dir() / token).write_bytes(data)
    request.session[_SESSION_KEY] = {"token": token, "kind": kind, "target": target_key, "filename": filename}
    return token


def _drop(request) -> None:
    pending = request.session.pop(_SESSION_KEY, None)
    if pending:
        (_stash_dir() / pending["token"]).unlink(missing_ok=True)


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
    """Dry run on upload; the real run only after the user confirms the checked file."""
    import_kind = _allowed_kind(request, kind)
    target, target_key = _target(request, import_kind)
    context: dict[str, Any] = {
        "kind": import_kind,
        "title": import_kind.label,
        "shown_errors": SHOWN_ERRORS,
        "target": target,
        "target_key": target_key,
        "target_param": TARGET_PARAMS.get(import_kind.target or "", ""),
        "needs_target": import_kind.target_required and target is None,
        "max_mb": max_import_bytes() // (1024 * 1024),
        "vietnamese": (get_language() or "").startswith("vi"),
    }
    form = UploadForm()
    if request.method == "POST" and not context["needs_target"]:
        if "confirm" in request.POST:
            pending = request.session.get(_SESSION_KEY)
            if (
                not pending
                or pending["token"] != request.POST["confirm"]
                or pending["kind"] != kind
                or pending["target"] != target_key
            ):
                context["expired"] = True
            else:
                path = _stash_dir() / pending["token"]
                data = path.read_bytes() if path.exists() else b""
                report = run_kind(
                    kind,
                    by=request.user,
                    data=data,
                    filename=pending["filename"],
                    dry_run=False,
                    target=target,
                )
                _drop(request)
                context.update(report=report, filename=pending["filename"])
        else:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                # one byte past the limit is enough for the reader to refuse an oversized file
                data = upload.read(max_import_bytes() + 1)
                report = run_kind(
                    kind, by=request.user, data=data, filename=upload.name, dry_run=True, target=target
                )
                context.update(report=report, filename=upload.name)
                if report.ok:
                    context["token"] = _stash(request, kind, target_key, upload.name, data)
    context["form"] = form
    report = context.get("report")
    if report is not None:
        shown = report.shown_errors()
        context["errors"] = shown[:SHOWN_ERRORS]
        if shown:
            request.session[_ERRORS_KEY] = {"kind": kind, "filename": context["filename"], "errors": shown}
            context["errors_url"] = reverse("imports:errors", args=[kind])
        if report.written:
            context["result_url"] = report.result_url or (
                import_kind.result_url(target) if import_kind.result_url else ""
            )
    return render(request, "core/import.html", context)


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
    """The errors of the last file checked in this session, as a CSV file."""
    _allowed_kind(request, kind)
    stored = request.session.get(_ERRORS_KEY)
    if not stored or stored["kind"] != kind:
        raise Http404(_("Not found."))
    response = HttpResponse(errors_csv(stored["errors"]), content_type="text/csv; charset=utf-8")
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

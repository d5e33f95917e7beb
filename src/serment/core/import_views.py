"""The import page: upload a file, see the dry run (what would be created, every
refused row), then confirm to run it for real. One page serves both kinds; the
organisation and member URLs name the kind."""

from __future__ import annotations

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from serment.members.importers import import_members
from serment.organisations.importers import import_organisations

from .roles import Perm
from .scoping import scope_for

IMPORTERS = {"members": import_members, "organisations": import_organisations}
TITLES = {"members": _("Import members"), "organisations": _("Import organisations")}
SHOWN_ERRORS = 500
_SESSION_KEY = "serment_import"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


def _stash_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stash(request, kind: str, filename: str, data: bytes) -> str:
    """Keep the checked file until the user confirms (one pending file per session)."""
    _drop(request)
    token = secrets.token_urlsafe(24)
    (_stash_dir() / token).write_bytes(data)
    request.session[_SESSION_KEY] = {"token": token, "kind": kind, "filename": filename}
    return token


def _drop(request) -> None:
    pending = request.session.pop(_SESSION_KEY, None)
    if pending:
        (_stash_dir() / pending["token"]).unlink(missing_ok=True)


@login_required
def import_file(request, kind: str):
    """Dry run on upload; the real run only after the user confirms the checked file."""
    if not scope_for(request.user).has(Perm.IMPORT):
        raise PermissionDenied
    importer = IMPORTERS[kind]
    context = {"kind": kind, "title": TITLES[kind], "shown_errors": SHOWN_ERRORS}
    form = UploadForm()
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(_SESSION_KEY)
        if not pending or pending["token"] != request.POST["confirm"] or pending["kind"] != kind:
            context["expired"] = True
        else:
            path = _stash_dir() / pending["token"]
            data = path.read_bytes() if path.exists() else b""
            report = importer(by=request.user, data=data, filename=pending["filename"], dry_run=False)
            _drop(request)
            context.update(report=report, filename=pending["filename"])
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            # one byte past the limit is enough for the importer to refuse an oversized file
            data = upload.read(settings.SERMENT_MAX_IMPORT_BYTES + 1)
            report = importer(by=request.user, data=data, filename=upload.name, dry_run=True)
            context.update(report=report, filename=upload.name)
            if report.ok:
                context["token"] = _stash(request, kind, upload.name, data)
    context["form"] = form
    if "report" in context:
        context["errors"] = context["report"].errors[:SHOWN_ERRORS]
    return render(request, "core/import.html", context)

"""数据导入 (HR, assessment centre): upload → error report or preview → confirm.

The uploaded file is kept under var/uploads/ between the preview and the confirmation, named by a
random token that is remembered in the uploader's session: the confirmation imports exactly the
file that was previewed, only for the user who uploaded it, and the file is removed afterwards.
Validation and writing are interchange.services.import_file's (dry_run for the preview).

A big file (JINJIE_IMPORT_JOB_BYTES, 2 MB; or, once previewed, JINJIE_IMPORT_JOB_ROWS rows) is a
background job instead: its preview and then its import run in `jinjie worker`, and the user
follows them on the job's page (which carries the confirmation for a preview that passed).
"""

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from jinjie.interchange.kinds import KINDS
from jinjie.interchange.services import import_file
from jinjie.org import authority

from ..access import requires
from ..forms import ImportForm
from .common import go
from .jobs import start

SESSION_KEY = "jinjie_imports"
STALE_AFTER = 24 * 3600  # an upload never confirmed is removed after a day
MAX_ERRORS_SHOWN = 1000
ALLOWED_SUFFIXES = (".csv", ".xlsx")


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


IMPORT_RIGHTS = tuple(authority.import_action(name) for name in KINDS)


def _kinds_for(user) -> list[tuple[str, str]]:
    return [(name, gettext(k.label)) for name, k in KINDS.items() if authority.allows(user, authority.import_action(name))]


def _sweep(directory: Path) -> None:
    cutoff = time.time() - STALE_AFTER
    for f in directory.glob("*.upload"):
        try:
            if f.stat().st_mtime < cutoff:
                f.unlink()
        except OSError:
            pass


def _store(upload) -> tuple[str, Path]:
    directory = upload_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    path = directory / f"{token}.upload"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token, path


def _columns(kind: str) -> list[dict]:
    return [{"key": c.key, "label": gettext(c.label), "required": c.required} for c in KINDS[kind].columns]


@requires(*IMPORT_RIGHTS)
@require_http_methods(["GET", "POST"])
def imports(request):
    kinds = _kinds_for(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    context = {"form": form, "kinds": [(name, label, _columns(name)) for name, label in kinds]}
    if request.method == "POST" and form.is_valid():
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        token, path = _store(upload)
        if path.stat().st_size >= settings.JINJIE_IMPORT_JOB_BYTES:
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {"kind": kind, "filename": upload.name, "user": request.user.pk, "job": True}
            request.session[SESSION_KEY] = pending
            return start(
                request,
                kind="import_file",
                args={"kind": kind, "path": str(path), "filename": upload.name, "dry_run": True},
                dedupe_key=f"import_preview:{token}",
                back=reverse("web:imports"),
            )
        result = import_file(kind=kind, path_or_fileobj=path, filename=upload.name, dry_run=True, actor=request.user)
        context["result"] = result
        context["errors_shown"] = result.errors[:MAX_ERRORS_SHOWN]
        if result.ok:
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {"kind": kind, "filename": upload.name, "user": request.user.pk,
                              "job": result.rows >= settings.JINJIE_IMPORT_JOB_ROWS}
            request.session[SESSION_KEY] = pending
            context["token"] = token
        else:
            path.unlink(missing_ok=True)
    return render(request, "web/imports.html", context)


@requires(*IMPORT_RIGHTS)
@require_POST
def import_confirm(request):
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    back = reverse("web:imports")
    path = upload_dir() / f"{token}.upload"
    if (
        entry is None
        or entry.get("user") != request.user.pk
        or entry.get("kind") not in dict(_kinds_for(request.user))
        or not path.is_file()
    ):
        messages.error(request, gettext("该导入已确认、已取消或已过期，请重新上传文件。"))
        return go(request, back)
    if request.POST.get("action") == "cancel":
        path.unlink(missing_ok=True)
        messages.info(request, gettext("已取消导入 %(filename)s，未写入任何数据。") % {"filename": entry["filename"]})
        return go(request, back)
    if entry.get("job"):
        # The job's preview must have passed (the confirmation is on its page only then); the
        # import runs in the worker, which removes the file afterwards.
        return start(
            request,
            kind="import_file",
            args={"kind": entry["kind"], "path": str(path), "filename": entry["filename"]},
            dedupe_key=f"import:{token}",
            back=back,
        )
    try:
        result = import_file(kind=entry["kind"], path_or_fileobj=path, filename=entry["filename"], actor=request.user)
    finally:
        path.unlink(missing_ok=True)
    if result.ok:
        messages.success(request, result.summary())
        return go(request, back)
    kinds = _kinds_for(request.user)
    return render(
        request,
        "web/imports.html",
        {
            "form": ImportForm(kinds=kinds),
            "kinds": [(name, label, _columns(name)) for name, label in kinds],
            "result": result,
            "errors_shown": result.errors[:MAX_ERRORS_SHOWN],
        },
    )

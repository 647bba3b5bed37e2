"""Importing a dataset from the site: the file checked first (a dry run, what would be imported or
every problem with its line and column), then imported once confirmed. What `ceasefire import`
and POST /api/v1/reports/import do, through the same `imports.upload`; who may is the command's
refusal (`commands.import_refusal`), asked here only to offer the page or not.

Between the check and the confirmation the file waits in the data folder, named by a random
token kept in the session: the browser does not send it twice, and the rows confirmed are the
rows checked."""

import secrets
import shutil
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceasefire.errors import CommandError
from ceasefire.incidents import commands, imports
from ceasefire.mechanism.accounts import actor_for

from .. import forms
from .base import forbidden, offered

SESSION_KEY = "import"


def _waiting():
    folder = settings.DATA_DIR / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep() -> None:
    """Remove the files checked in sessions that have since expired: nobody will confirm them."""
    expired = time.time() - settings.SESSION_COOKIE_AGE
    for kept in _waiting().iterdir():
        if kept.stat().st_mtime < expired:
            kept.unlink(missing_ok=True)


@receiver(user_logged_out)
def _forget_on_sign_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        _forget(request)


def _forget(request) -> None:
    """Drop the file checked and waiting for its confirmation, if any."""
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        (_waiting() / pending["token"]).unlink(missing_ok=True)


def _attempt(form, call):
    """`call()`, or None after putting each refusal next to the field it names (every problem of
    the file under the file); -> (result, status, the file's problems)."""
    try:
        return call(), 200, []
    except CommandError as e:
        problems = [str(m) for f, m in e.errors if f == "file"]
        for field, message in e.errors:
            form.add_error(field, message)
        return None, e.status, problems


@login_required
def reports_import(request):
    actor = actor_for(request.user)
    if not offered(commands.import_refusal(actor))["allowed"]:
        return forbidden(request)
    form, status, problems, checked = forms.import_form(request.POST or None), 200, [], None
    if request.method == "POST" and request.POST.get("token"):
        pending = request.session.get(SESSION_KEY) or {}
        kept = _waiting() / pending["token"] if pending.get("token") == request.POST["token"] else None
        # gone as well when the data folder was cleaned, or a double click's first request took it
        if kept is None or not kept.exists():
            form.add_error(None, _("Check the file again: the file checked is no longer waiting."))
            status = 409
        else:
            with open(kept, "rb") as binary:
                run, status, problems = _attempt(
                    form,
                    lambda: imports.upload(
                        actor, pending["format"], pending["name"], binary, pending["size"], pending["mapping"],
                        skip_bad=pending["skip_bad"],
                    ),
                )  # fmt: skip
            _forget(request)
            if run is not None:
                messages.success(request, _done(run, pending["name"]))
                return redirect("reports")
    elif request.method == "POST":
        _forget(request)
        upload = request.FILES.get("file")
        data = form.data()
        if upload is None:
            form.add_error("file", _("choose a file to import"))
            status = 422
        else:
            checked, status, problems = _attempt(
                form,
                lambda: imports.upload(
                    actor, data["format"], upload.name, upload.file, upload.size, data["mapping"], dry_run=True,
                    skip_bad=data["skip_bad"] == "yes",
                ),
            )  # fmt: skip
        if checked is not None:
            _sweep()
            token = secrets.token_hex(16)
            upload.file.seek(0)
            with open(_waiting() / token, "wb") as kept:
                shutil.copyfileobj(upload.file, kept)
            request.session[SESSION_KEY] = {
                "token": token,
                "name": upload.name,
                "format": data["format"],
                "mapping": data["mapping"],
                "size": upload.size,
                "skip_bad": data["skip_bad"] == "yes",
            }
            checked.token, checked.name = token, upload.name
    context = {
        "section": "reports",
        "form": form,
        "title": _("Import a dataset"),
        "back": "/reports/",
        "problems": problems[1:],  # the first is said next to the field
        "checked": checked,
    }
    return render(request, "web/reports/import.html", context, status=status)


def _done(run, name: str) -> str:
    said = ngettext("%(n)s report imported from %(file)s", "%(n)s reports imported from %(file)s", run.imported) % {
        "n": run.imported,
        "file": name,
    }
    if run.already:
        said += "; " + _("%(n)s rows were imported before") % {"n": run.already}
    if run.problems:
        said += "; " + _("%(n)s rows refused") % {"n": len(run.problems)}
    return said + "."

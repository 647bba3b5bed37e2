"""What needs me: the person's list and their party's (needs/collect.py, the commands' own
refusals), and how they hear of it by mail (needs/notify.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ceasefire.mechanism.accounts import actor_for
from ceasefire.needs.collect import cached
from ceasefire.needs.models import Preference
from ceasefire.needs.notify import preference


def needs_for(request):
    """The signed-in person's needs, computed once per request (the page, the navigation's count)."""
    if not hasattr(request, "_ceasefire_needs"):
        request._ceasefire_needs = cached(actor_for(getattr(request, "user", None)))
    return request._ceasefire_needs


@login_required
def needs(request):
    pref = preference(request.user)
    errors, values = {}, {"email": request.user.email, "language": pref.language, "digest": pref.digest}
    status = 200
    if request.method == "POST":
        values = {
            "email": (request.POST.get("email") or "").strip(),
            "language": request.POST.get("language") or "",
            "digest": request.POST.get("digest") == "on",
        }
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                errors["email"] = _("must be an email address, like name@example.org")
        if len(values["email"]) > 254:
            errors["email"] = _("must be an email address, like name@example.org")
        if values["language"] not in dict(settings.LANGUAGES):
            errors["language"] = _("must be Arabic or English")
        if not errors:
            request.user.email = values["email"]
            request.user.save(update_fields=["email"])
            Preference.objects.update_or_create(
                user=request.user, defaults={"language": values["language"], "digest": values["digest"]}
            )
            messages.success(request, _("Saved: how you hear of what needs you."))
            return redirect("needs")
        status = 422
    context = {
        "section": "needs",
        "needs": needs_for(request),
        "values": values,
        "errors": errors,
        "languages": settings.LANGUAGES,
    }
    return render(request, "web/needs.html", context, status=status)

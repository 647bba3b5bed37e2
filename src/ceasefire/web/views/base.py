"""What every view shares: the actor, calling a command, and turning its refusal into a page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.days import today as today  # the committee's today, one rule (ceasefire/days.py)
from ceasefire.errors import CommandError
from ceasefire.mechanism.accounts import actor_for
from ceasefire.record import log

from ..access import can_for
from ..forces_forms import verification_form


def forbidden(request, message=None, status=403):
    """A page that says why the user cannot do this: their role (403) or the state of things (409)."""
    return render(
        request,
        "web/forbidden.html",
        {
            "heading": _("Not allowed") if status == 403 else _("Not possible now"),
            "message": message or _("Your role on the committee does not allow this."),
        },
        status=status,
    )


def attempt(request, form, call):
    """Run `call(actor, data)` on the form's input.

    Returns (result, None) on success, or (None, status) after putting the command's message on
    the form: next to the field it names, else at the top of the form.
    """
    actor = actor_for(request.user)
    if actor is None:
        form.add_error(None, _("Your login has no role on the committee; ask the secretariat for one."))
        return None, 403
    try:
        if not form.confirmed():
            with log.rehearsal():  # every fault at once: the command's own too, nothing kept
                call(actor, form.data())
            return None, 422
        return call(actor, form.data()), None
    except CommandError as e:
        for field, message in e.errors:
            form.add_error(field, message)
        return None, e.status


def offered(refusal) -> dict:
    """form_page's `allowed` and `unavailable` from the command's refusal (None: it may be done): a
    403 is not offered at all, any other refusal is said on a 409 page."""
    return {
        "allowed": refusal is None or refusal.status != 403,
        "unavailable": str(refusal) if refusal is not None and refusal.status != 403 else "",
    }


def form_page(
    request,
    *,
    form_factory,
    call,
    allowed: bool,
    title: str,
    back,
    success,
    done: str,
    intro: str = "",
    unavailable: str = "",
    section: str = "",
    template: str = "web/form_page.html",
    extra: dict | None = None,
):
    """A page holding one form: GET shows it to whoever may use it; POST hands the input to the command.

    `success(result)` is where to go afterwards, `done` the message to show there. A refused input
    re-renders the form, with what the user typed, under the status the command's error carries.
    `unavailable` says why the form is not offered in the present state of things (a 409 page).
    """
    status = 200
    if request.method == "POST":
        form = form_factory(request.POST)
        result, status = attempt(request, form, call)
        if status is None:
            messages.success(request, done)
            return redirect(success(result))
    elif not allowed:
        return forbidden(request)
    elif unavailable:
        return forbidden(request, unavailable, status=409)
    else:
        form = form_factory(None)
    context = {"form": form, "title": title, "back": back, "intro": intro, "section": section, **(extra or {})}
    return render(request, template, context, status=status)


def claim_card(actor, claim, parties, commands) -> dict:
    """A status claim settled by consensus (a route's, a missing person's) as its card shows it:
    each party's position, what it waits for, whether `actor` may give its party's position now.
    `commands`: the claim's app's commands module (waiting_for, position_refusal)."""
    positions = {p.party_id: p for p in claim.positions.all()}
    return {
        "claim": claim,
        "rows": [{"party": p, "position": positions.get(p.code)} for p in parties],
        "waiting": commands.waiting_for(claim),
        "may_position": commands.position_refusal(actor, claim) is None,
    }


def verification_page(request, subject, *, refusal, call, title: str, intro: str, back: str, section: str):
    """The page that asks the chain to verify `subject` (a departure, an exchange, a clearance):
    `refusal(actor, subject)` says who may, `call(actor, subject_id, data)` files the report. Who
    may not ask at all is refused (403); a subject being verified already is explained (409)."""
    refused = refusal(can_for(request).actor, subject)
    return form_page(
        request,
        form_factory=verification_form,
        call=lambda actor, data: call(actor, subject.id, data),
        **offered(refused),
        title=title,
        intro=intro,
        back=back,
        success=lambda r: reverse("report", args=[r.reference]),
        done=_("The verification has been asked for."),
        section=section,
    )

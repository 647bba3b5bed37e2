"""Detainee exchanges: the list, an exchange with its numbers side by side and its verification,
and the forms. Thin views: the commands decide, ceasefire.audience says who reads what."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.exchanges import commands, verification
from ceasefire.exchanges.models import Exchange
from ceasefire.mechanism.models import Party
from ceasefire.mechanism.permissions import facilitates

from .. import routes_forms as forms
from ..access import can_for
from .base import form_page, verification_page

SECTION = "track"


def _numbers(x: Exchange, parties):
    names = {p.code: p.text("name") for p in parties}
    return [
        {
            "numbers": n,
            "sides": [(names.get(code, code), count) for code, count in n.released.items()],
            "claimant": names.get(n.claimed_by_id) if n.claimed_by_id else _("The mission"),
        }
        for n in x.numbers.all()
    ]


@login_required
def exchanges(request):
    actor = can_for(request).actor
    reads = audience.reads(actor, "exchange")
    parties = list(Party.objects.order_by("order"))
    rows = []
    for x in Exchange.objects.all() if reads else []:
        rows.append({"exchange": x, "numbers": _numbers(x, parties), "verification": verification.of(x, actor)})
    context = {
        "section": SECTION,
        "rows": rows,
        "reads": reads,
        "may_record": commands.claim_refusal(actor) is None,
    }
    return render(request, "web/exchanges/list.html", context)


@login_required
def exchange(request, pk):
    x = get_object_or_404(Exchange, pk=pk)
    actor = can_for(request).actor
    if not audience.reads(actor, "exchange"):
        raise Http404
    parties = list(Party.objects.order_by("order"))
    context = {
        "section": SECTION,
        "exchange": x,
        "numbers": _numbers(x, parties),
        "verification": verification.of(x, actor),
        "people": list(x.people.select_related("released_by")) if audience.reads(actor, "exchange_person") else None,
        "may_claim": commands.claim_refusal(actor) is None,
        "may_verify": commands.verification_refusal(actor, x) is None,
        "may_person": facilitates(actor),
    }
    return render(request, "web/exchanges/exchange.html", context)


@login_required
def exchange_new(request):
    return form_page(
        request,
        form_factory=forms.exchange_form,
        call=commands.record_exchange,
        allowed=commands.claim_refusal(can_for(request).actor) is None,
        title=_("Record a detainee exchange"),
        intro=_("The numbers are claimed afterwards, each with its source, side by side."),
        back=reverse("exchanges"),
        success=lambda x: reverse("exchange", args=[x.id]),
        done=_("The exchange has been recorded."),
        section=SECTION,
    )


@login_required
def numbers_new(request, pk):
    x = get_object_or_404(Exchange, pk=pk)
    return form_page(
        request,
        form_factory=forms.numbers_form,
        call=lambda actor, data: commands.claim_numbers(actor, x.id, forms.numbers_data(data)),
        allowed=commands.claim_refusal(can_for(request).actor) is None,
        title=_("The numbers of exchange %(ref)s") % {"ref": x.reference},
        intro=_("A claim stands beside its rivals; nothing merges them into one number."),
        back=reverse("exchange", args=[x.id]),
        success=lambda n: reverse("exchange", args=[x.id]),
        done=_("The claim has been recorded."),
        section=SECTION,
    )


@login_required
def person_new(request, pk):
    x = get_object_or_404(Exchange, pk=pk)
    return form_page(
        request,
        form_factory=forms.person_form,
        call=lambda actor, data: commands.record_person(actor, x.id, forms.person_data(data)),
        allowed=facilitates(can_for(request).actor),
        title=_("A person exchanged in %(ref)s") % {"ref": x.reference},
        intro=_("The identity is kept in the vault, read by the facilitator only; the record holds a commitment."),
        back=reverse("exchange", args=[x.id]),
        success=lambda p: reverse("exchange", args=[x.id]),
        done=_("The person has been recorded."),
        section=SECTION,
    )


@login_required
def exchange_verify(request, pk):
    x = get_object_or_404(Exchange, pk=pk)
    return verification_page(
        request,
        x,
        refusal=commands.verification_refusal,
        call=commands.request_verification,
        title=_("Ask for the verification of exchange %(ref)s") % {"ref": x.reference},
        intro=_("A report is filed whose subject is this exchange. It goes through the same chain as any report."),
        back=reverse("exchange", args=[x.id]),
        section=SECTION,
    )

"""Missing-person cases: the list with counts by the committee's status, a case with its status
claims side by side, and the forms. Thin views: the commands decide, missing.queries (through
ceasefire.audience) says who reads what. No page shows who the person is: that stays in the vault."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.mechanism.models import Party
from ceasefire.missing import commands, queries
from ceasefire.missing.models import Case, StatusClaim

from .. import missing_forms as forms
from ..access import can_for
from ..forms import about_missing_status, position_form
from .base import claim_card, forbidden, form_page, offered

SECTION = "track"


@login_required
def cases(request):
    actor = can_for(request).actor
    rows = queries.cases(actor)
    for c in rows:
        c.current = queries.current(actor, c)
    context = {
        "section": SECTION,
        "cases": rows,
        "counts": queries.counts(actor, rows),
        "reads": queries.reads_agreed(actor),
        "reads_cases": queries.reads_cases(actor),
        "may_open": commands.claim_refusal(actor) is None,
    }
    return render(request, "web/missing/list.html", context)


@login_required
def case(request, pk):
    found = get_object_or_404(Case, pk=pk)
    actor = can_for(request).actor
    if not queries.readable(actor, found):
        raise Http404
    parties = list(Party.objects.order_by("order"))
    claims = queries.claims(actor, found)
    context = {
        "section": SECTION,
        "case": found,
        "details": queries.reads_cases(actor),
        "current": queries.current(actor, found),
        "history": [c for c in claims if c.agreed],
        "pending": [claim_card(actor, c, parties, commands) for c in claims if not c.agreed]
        if audience.reads(actor, "missing_status")
        else None,
        "may_claim": commands.claim_refusal(actor) is None,
    }
    return render(request, "web/missing/case.html", context)


@login_required
def case_new(request):
    return form_page(
        request,
        form_factory=forms.case_form,
        call=commands.open_case,
        allowed=commands.claim_refusal(can_for(request).actor) is None,
        title=_("Open a missing-person case"),
        intro=_(
            "Who the person is goes to the vault, read by the facilitator only: once recorded, not even you "
            "read it back here. The record holds a commitment to it."
        ),
        back=reverse("missing"),
        success=lambda c: reverse("missing_case", args=[c.id]),
        done=_("The case has been opened."),
        section=SECTION,
    )


@login_required
def status_new(request, pk):
    found = get_object_or_404(Case, pk=pk)
    return form_page(
        request,
        form_factory=forms.status_form,
        call=lambda actor, data: commands.claim_status(actor, found.id, data),
        **offered(commands.claim_refusal(can_for(request).actor)),
        title=_("The status of case %(ref)s") % {"ref": found.reference},
        intro=_(
            "If you speak for your party, your claim is also its approval. It becomes the committee's when every "
            "party approves it; until then it stands beside any other claim."
        ),
        back=reverse("missing_case", args=[found.id]),
        success=lambda c: reverse("missing_case", args=[found.id]) + f"#claim-{c.id}",
        done=_("The status has been claimed."),
        section=SECTION,
    )


@login_required
def status_position(request, pk):
    claim = get_object_or_404(StatusClaim.objects.select_related("case"), pk=pk)
    actor = can_for(request).actor
    if not audience.reads(actor, "missing_status"):
        return forbidden(request)
    return form_page(
        request,
        form_factory=lambda data: position_form(data, about=about_missing_status(claim)),
        call=lambda actor, data: commands.take_position(actor, claim.id, data),
        **offered(commands.position_refusal(actor, claim)),
        title=_("Your party's position on the status of case %(ref)s") % {"ref": claim.case.reference},
        intro=f"{claim.get_status_display()} · {claim.as_of:%Y-%m-%d} · {claim.text('note')}",
        back=reverse("missing_case", args=[claim.case_id]),
        success=lambda c: reverse("missing_case", args=[claim.case_id]) + f"#claim-{claim.id}",
        done=_("Your party's position has been recorded."),
        section=SECTION,
    )

"""Roads, crossings and air routes, their statuses and incidents; the borders with the neighbours
and the exports for their liaison committees. Thin views: the commands decide, ceasefire.audience
and routes.queries say who reads what."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.errors import CommandError
from ceasefire.mechanism.models import Party
from ceasefire.mechanism.permissions import facilitates
from ceasefire.places.gazetteer import gazetteer
from ceasefire.routes import commands, queries, share
from ceasefire.routes.models import Route, Shared, StatusClaim

from .. import routes_forms as forms
from ..access import can_for
from .base import claim_card, forbidden, form_page, offered

SECTION = "track"


@login_required
def routes(request):
    actor = can_for(request).actor
    rows = list(Route.objects.all())
    for r in rows:
        r.current = queries.current(actor, r)
        r.pending = queries.pending(actor, r)
    context = {
        "section": SECTION,
        "routes": rows,
        "reads_status": audience.reads(actor, "route_status", "agreed"),
        "reads_claims": audience.reads(actor, "route_status"),
        "may_record": facilitates(actor),
    }
    return render(request, "web/routes/list.html", context)


@login_required
def route(request, pk):
    r = get_object_or_404(Route, pk=pk)
    actor = can_for(request).actor
    parties = list(Party.objects.order_by("order"))
    claims = queries.claims(actor, r)
    found = gazetteer().by_id
    context = {
        "section": SECTION,
        "route": r,
        "places": [found[p] for p in r.places if p in found],
        "current": queries.current(actor, r),
        "history": [c for c in claims if c.agreed] if claims is not None else None,
        "pending": [claim_card(actor, c, parties, commands) for c in claims if not c.agreed]
        if audience.reads(actor, "route_status")
        else None,
        "incidents": queries.incidents(actor, r),
        "may_claim": commands.claim_refusal(actor) is None,
    }
    return render(request, "web/routes/route.html", context)


@login_required
def route_new(request):
    actor = can_for(request).actor
    return form_page(
        request,
        form_factory=forms.route_form,
        call=commands.record_route,
        allowed=facilitates(actor),
        title=_("Record a road, a crossing or an air route"),
        intro=_(
            "From its source. Its status is put forward afterwards, and becomes the committee's when every party approves it."
        ),
        back=reverse("routes"),
        success=lambda r: reverse("route", args=[r.id]),
        done=_("The route has been recorded."),
        section=SECTION,
    )


@login_required
def status_new(request, pk):
    r = get_object_or_404(Route, pk=pk)
    actor = can_for(request).actor
    refusal = commands.claim_refusal(actor)
    return form_page(
        request,
        form_factory=lambda data: forms.status_form(data, facilitator=facilitates(actor)),
        call=lambda actor, data: commands.claim_status(actor, r.id, forms.status_data(data)),
        **offered(refusal),
        title=_("The status of %(route)s") % {"route": r.text("name")},
        intro=_(
            "Your party's claim is also its approval. It becomes the committee's when every party approves it; "
            "until then it stands beside any other claim."
        ),
        back=reverse("route", args=[r.id]),
        success=lambda c: reverse("route", args=[r.id]) + f"#claim-{c.id}",
        done=_("The status has been put forward."),
        section=SECTION,
    )


@login_required
def status_position(request, pk):
    claim = get_object_or_404(StatusClaim, pk=pk)
    actor = can_for(request).actor
    if not audience.reads(actor, "route_status"):
        return forbidden(request)
    refusal = commands.position_refusal(actor, claim)
    return form_page(
        request,
        form_factory=forms.position_form,
        call=lambda actor, data: commands.take_position(actor, claim.id, data),
        **offered(refusal),
        title=_("Your party's position on the status of %(route)s") % {"route": claim.route.text("name")},
        intro=f"{claim.get_status_display()} · {claim.since:%Y-%m-%d} · {claim.text('conditions')}",
        back=reverse("route", args=[claim.route_id]),
        success=lambda c: reverse("route", args=[claim.route_id]) + f"#claim-{claim.id}",
        done=_("Your party's position has been recorded."),
        section=SECTION,
    )


@login_required
def borders(request):
    actor = can_for(request).actor
    context = {
        "section": SECTION,
        "borders": queries.borders(actor),
        "layers": queries.border_layers(actor),
        "exports": list(Shared.objects.all()) if audience.reads(actor, "data_shared") else None,
        "may_share": share.share_refusal(actor) is None,
        "reads_status": audience.reads(actor, "route_status", "agreed"),
        "border_km": settings.BORDER_KM,
    }
    return render(request, "web/routes/borders.html", context)


@login_required
def border_export(request):
    """The facilitator's form; a valid POST answers the file itself, once recorded."""
    actor = can_for(request).actor
    if share.share_refusal(actor) is not None:
        return forbidden(request)
    form = forms.share_form(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        try:
            blob, shared = share.share(actor, form.data())
        except CommandError as e:
            form.add_error(e.field, e.message)
            status = e.status
        else:
            kind = "application/json" if shared.format == "json" else "text/csv; charset=utf-8"
            response = HttpResponse(blob, content_type=kind)
            response["Content-Disposition"] = (
                f'attachment; filename="liaison-{shared.recipient}-{shared.checkpoint}.{shared.format}"'
            )
            response["X-Ceasefire-SHA256"] = shared.sha256
            return response
    context = {
        "form": form,
        "title": _("Export for a neighbour's liaison committee"),
        "intro": _(
            "Only what the committee agreed and shares with observers: the crossings with that neighbour and "
            "their statuses, the reports near them shared with observers, and the departures whose verification "
            "concluded. The record names the file's hash, the recipient and the checkpoint."
        ),
        "back": reverse("borders"),
        "section": SECTION,
    }
    return render(request, "web/form_page.html", context, status=status)

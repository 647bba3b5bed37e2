"""Mine action: contaminated areas, the clearance reports on them side by side, and their
verification through the chain. Thin views: the commands decide, ceasefire.audience says who reads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.mechanism.models import Party
from ceasefire.mines import commands, verification
from ceasefire.mines.models import Area, Clearance

from .. import routes_forms as forms
from ..access import can_for
from .base import form_page, verification_page

SECTION = "track"


def _clearances(actor, area: Area) -> list[dict]:
    names = {p.code: p.text("name") for p in Party.objects.all()}
    return [
        {
            "clearance": c,
            "claimant": names.get(c.claimed_by_id) if c.claimed_by_id else _("The mission"),
            "verification": verification.of(c, actor),
            "may_verify": commands.verification_refusal(actor, c) is None,
        }
        for c in area.clearances.all()
    ]


@login_required
def areas(request):
    actor = can_for(request).actor
    reads = audience.reads(actor, "mine_area")
    rows = [{"area": a, "clearances": _clearances(actor, a)} for a in (Area.objects.all() if reads else [])]
    context = {"section": SECTION, "rows": rows, "reads": reads, "may_record": commands.claim_refusal(actor) is None}
    return render(request, "web/mines/list.html", context)


@login_required
def area(request, pk):
    a = get_object_or_404(Area, pk=pk)
    actor = can_for(request).actor
    if not audience.reads(actor, "mine_area"):
        raise Http404
    context = {
        "section": SECTION,
        "area": a,
        "clearances": _clearances(actor, a),
        "may_claim": commands.claim_refusal(actor) is None,
    }
    return render(request, "web/mines/area.html", context)


@login_required
def area_new(request):
    return form_page(
        request,
        form_factory=forms.area_form,
        call=commands.record_area,
        allowed=commands.claim_refusal(can_for(request).actor) is None,
        title=_("Record a contaminated area"),
        back=reverse("mine_areas"),
        success=lambda a: reverse("mine_area", args=[a.id]),
        done=_("The area has been recorded."),
        section=SECTION,
    )


@login_required
def clearance_new(request, pk):
    a = get_object_or_404(Area, pk=pk)
    return form_page(
        request,
        form_factory=forms.clearance_form,
        call=lambda actor, data: commands.report_clearance(actor, a.id, data),
        allowed=commands.claim_refusal(can_for(request).actor) is None,
        title=_("Report the clearance of %(area)s") % {"area": a.text("name")},
        intro=_("A claim stands beside its rivals until a joint team verifies it."),
        back=reverse("mine_area", args=[a.id]),
        success=lambda c: reverse("mine_area", args=[a.id]),
        done=_("The clearance has been reported."),
        section=SECTION,
    )


@login_required
def clearance_verify(request, pk):
    c = get_object_or_404(Clearance, pk=pk)
    return verification_page(
        request,
        c,
        refusal=commands.verification_refusal,
        call=commands.request_verification,
        title=_("Ask for the verification of clearance %(ref)s") % {"ref": c.reference},
        intro=_("A report is filed whose subject is this clearance. It goes through the same chain as any report."),
        back=reverse("mine_area", args=[c.area_id]),
        section=SECTION,
    )

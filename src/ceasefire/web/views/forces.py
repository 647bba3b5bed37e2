"""Foreign forces, the withdrawal plan and its stages, departures and their verification, and the
withdrawal's progress. Thin views: the commands decide, ceasefire.audience says who reads what."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.forces import commands, queries, verification
from ceasefire.forces.models import Departure, Group, Imbalance, Plan, Stage
from ceasefire.mechanism.models import Party

from .. import forces_forms as forms
from ..access import can_for
from ..forms import about_imbalance, position_form
from .base import forbidden, form_page, offered, verification_page

SECTION = "forces"


def _readable(request, projection: str, model, pk):
    """The row if the reader may read it; else a 404, as if it did not exist."""
    found = get_object_or_404(model, pk=pk)
    from django.http import Http404

    if not audience.reads(can_for(request).actor, projection):
        raise Http404
    return found


def _departures(actor, departures):
    found = verification.by_departure(departures, actor)
    for d in departures:
        d.verification = found[d.id]
    return departures


@login_required
def register(request):
    actor = can_for(request).actor
    groups = list(audience.rows(actor, "force_group", Group.objects.all()))
    context = {
        "section": SECTION,
        "groups": groups,
        "reads": audience.reads(actor, "force_group"),
        "may_claim": commands.claim_refusal(actor) is None,
    }
    return render(request, "web/forces/register.html", context)


@login_required
def group(request, pk):
    g = _readable(request, "force_group", Group, pk)
    actor = can_for(request).actor
    presence = list(g.presence.select_related("claimed_by")) if audience.reads(actor, "presence") else None
    context = {
        "section": SECTION,
        "group": g,
        "presence": presence,
        "departures": _departures(actor, list(g.departures.all())),
        "may_claim": commands.claim_refusal(actor) is None,
    }
    return render(request, "web/forces/group.html", context)


@login_required
def group_new(request):
    refusal = commands.claim_refusal(can_for(request).actor)
    return form_page(
        request,
        form_factory=forms.group_form,
        call=commands.register_group,
        allowed=refusal is None,
        title=_("Register a force or group"),
        intro=_("A claim with its source: the kind, the affiliation and the sponsor are what the source says."),
        back=reverse("forces"),
        success=lambda g: reverse("force_group", args=[g.id]),
        done=_("The group has been registered."),
        section=SECTION,
    )


@login_required
def presence_new(request, pk):
    g = get_object_or_404(Group, pk=pk)
    refusal = commands.claim_refusal(can_for(request).actor)
    return form_page(
        request,
        form_factory=forms.presence_form,
        call=forms.with_informant(commands.claim_presence, g.id),
        allowed=refusal is None,
        title=_("Claim the presence of %(group)s") % {"group": g.text("name")},
        intro=_("A claim stands beside its rivals; nothing merges them into one number."),
        back=reverse("force_group", args=[g.id]),
        success=lambda p: reverse("force_group", args=[g.id]) + "#presence",
        done=_("The claim has been recorded."),
        section=SECTION,
    )


@login_required
def departure_new(request, pk):
    g = get_object_or_404(Group, pk=pk)
    refusal = commands.claim_refusal(can_for(request).actor)
    return form_page(
        request,
        form_factory=forms.departure_form,
        call=forms.with_informant(commands.claim_departure, g.id),
        allowed=refusal is None,
        title=_("Record a departure of %(group)s") % {"group": g.text("name")},
        intro=_("A departure as claimed. It stays a claim until a joint team verifies it."),
        back=reverse("force_group", args=[g.id]),
        success=lambda d: reverse("departure", args=[d.id]),
        done=_("The departure has been recorded."),
        section=SECTION,
    )


@login_required
def departure(request, pk):
    d = _readable(request, "departure", Departure, pk)
    actor = can_for(request).actor
    _departures(actor, [d])
    context = {
        "section": SECTION,
        "departure": d,
        "names": audience.reads(actor, "departure", "accounts"),
        "may_verify": commands.verification_refusal(actor, d) is None,
    }
    return render(request, "web/forces/departure.html", context)


@login_required
def departure_verify(request, pk):
    d = get_object_or_404(Departure, pk=pk)
    return verification_page(
        request,
        d,
        refusal=commands.verification_refusal,
        call=commands.request_verification,
        title=_("Ask for the verification of departure %(ref)s") % {"ref": d.reference},
        intro=_(
            "A report is filed whose subject is this departure. It goes through the same chain as any report: "
            "triage, a joint team with every party, its findings with the number it counted, sign-off by every "
            "side or dissent, and the committee."
        ),
        back=reverse("departure", args=[d.id]),
        section=SECTION,
    )


# ---------------------------------------------------------------- the withdrawal plan


def _stage_card(actor, stage, parties):
    sides = {s.party_id: s for s in stage.sides.all()}
    return {
        "stage": stage,
        "status": queries.stage_status(actor, stage),
        "sides": [{"party": p, "side": sides.get(p.code)} for p in parties]
        if audience.reads(actor, "stage", "sides")
        else None,
        "waiting": commands.waiting_for(stage) if audience.reads(actor, "stage", "sides") else [],
        "imbalances": [
            {
                "imbalance": i,
                "waiting": commands.imbalance_waiting_for(i),
                "positions": list(i.positions.select_related("party")),
                "may_position": commands.imbalance_position_refusal(actor, i) is None,
            }
            for i in stage.imbalances.all()
        ]
        if audience.reads(actor, "imbalance")
        else None,
        "may_side": commands.side_refusal(actor, stage) is None,
        "may_imbalance": commands.imbalance_refusal(actor, stage) is None,
    }


@login_required
def withdrawal(request):
    actor = can_for(request).actor
    parties = list(Party.objects.order_by("order"))
    plans = [
        {"plan": p, "stages": [_stage_card(actor, s, parties) for s in p.stages.all()]} for p in Plan.objects.all()
    ]
    return render(request, "web/forces/withdrawal.html", {"section": SECTION, "plans": plans})


@login_required
def stage_side(request, pk):
    stage = get_object_or_404(Stage, pk=pk)
    refusal = commands.side_refusal(can_for(request).actor, stage)
    return form_page(
        request,
        form_factory=forms.side_form,
        call=lambda actor, data: commands.report_side(actor, stage.id, data),
        **offered(refusal),
        title=_("Stage %(n)d: %(title)s") % {"n": stage.order, "title": stage.text("title")},
        intro=_(
            "Your party's word on its own side. The stage is complete only when every side is complete, or when "
            "the committee records the imbalance by consensus."
        ),
        back=reverse("withdrawal"),
        success=lambda s: reverse("withdrawal") + f"#stage-{s.id}",
        done=_("Your party's word has been recorded."),
        section=SECTION,
    )


@login_required
def stage_imbalance(request, pk):
    stage = get_object_or_404(Stage, pk=pk)
    refusal = commands.imbalance_refusal(can_for(request).actor, stage)
    return form_page(
        request,
        form_factory=forms.imbalance_form,
        call=lambda actor, data: commands.propose_imbalance(actor, stage.id, data),
        **offered(refusal),
        title=_("Record an imbalance at stage %(n)d") % {"n": stage.order},
        intro=_("It is recorded only when every party approves it."),
        back=reverse("withdrawal"),
        success=lambda i: reverse("withdrawal") + f"#stage-{stage.id}",
        done=_("The proposal is before the parties."),
        section=SECTION,
    )


@login_required
def imbalance_position(request, pk):
    imbalance = get_object_or_404(Imbalance, pk=pk)
    refusal = commands.imbalance_position_refusal(can_for(request).actor, imbalance)
    return form_page(
        request,
        form_factory=lambda data: position_form(data, about=about_imbalance(imbalance)),
        call=lambda actor, data: commands.take_imbalance_position(actor, imbalance.id, data),
        **offered(refusal),
        title=_("Your party's position on recording the imbalance"),
        intro=imbalance.text("text"),
        back=reverse("withdrawal"),
        success=lambda i: reverse("withdrawal") + f"#stage-{imbalance.stage_id}",
        done=_("Your party's position has been recorded."),
        section=SECTION,
    )


# ---------------------------------------------------------------- progress


def _bars(tally, scale: int) -> dict:
    """Widths (0 to 100) of the claimed and verified bars, against the largest number shown. The
    claimed bar is the largest claimant's claim: rival claims are never summed."""
    return {
        "claimed": round(100 * tally.most_claimed / scale, 2) if scale else 0,
        "verified": round(100 * tally.verified / scale, 2) if scale else 0,
    }


def _row(tally, scale: int, names: dict, **more) -> dict:
    return {**more, "tally": tally, "claims": queries.claims_named(tally, names), "bars": _bars(tally, scale)}


@login_required
def progress(request):
    actor = can_for(request).actor
    result = queries.progress(actor)
    if result is None:
        return forbidden(request, _("Departures are read by the parties and the observers."))
    names = queries.claimant_names()
    scale = max([result["overall"].most_claimed, result["overall"].verified, 0])
    groups = [_row(t, scale, names, name=result["names"].get(g, ""), id=g) for g, t in result["groups"].items()]
    # with no departure at all, no row of zeros for today: the table says none is recorded
    over_time = [_row(t, scale, names, label=date_format(day, "j F Y")) for day, t in result["over_time"]]
    if not result["overall"].departures:
        over_time = []
    context = {
        "section": SECTION,
        "overall": _row(result["overall"], scale, names),
        "groups": groups,
        "over_time": over_time,
        "on": result["on"],
    }
    return render(request, "web/forces/progress.html", context)

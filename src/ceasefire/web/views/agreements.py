"""Agreements, their provisions, the rival readings of them, and how far each is implemented."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from ceasefire import audience
from ceasefire.agreements import commands, queries
from ceasefire.agreements.models import Agreement, Assessment, Kind, Provision, theme_label
from ceasefire.mechanism.models import Mechanism, Party
from ceasefire.publications import commands as publications
from ceasefire.publications.models import Publication

from .. import forms
from ..access import can_for
from .base import attempt, forbidden, form_page, offered


@login_required
def agreements(request):
    items = Agreement.objects.annotate(n_provisions=Count("provisions")).order_by("-signed_on", "id")
    return render(
        request,
        "web/agreements/list.html",
        {"section": "agreements", "agreements": items, "mechanism": Mechanism.current()},
    )


def sees(actor) -> dict:
    """What of implementation the reader may read (ceasefire.audience), for the templates."""
    return {
        "agreed": audience.reads(actor, "agreed_status"),
        "assessments": audience.reads(actor, "assessment"),
    }


@login_required
def agreement(request, pk):
    a = get_object_or_404(Agreement, pk=pk)
    actor = can_for(request).actor
    day = queries.today()
    provisions = list(
        queries.with_implementation(a.provisions.all(), actor).prefetch_related("interpretations").order_by("order")
    )
    for p in provisions:
        p.agreement = a  # due_on reads the signature date: no query per provision
        p.impl = queries.implementation(p, actor, day)
        p.readings = list(p.interpretations.all())
    seen = sees(actor)
    context = {
        "section": "agreements",
        "agreement": a,
        "principles": [p for p in provisions if p.kind == Kind.PRINCIPLE],
        "items": [p for p in provisions if p.kind != Kind.PRINCIPLE],
        "sees": seen,
        "rollup": queries.rollup(a, day) if seen["agreed"] and provisions else None,
    }
    return render(request, "web/agreements/detail.html", context)


def provision_url(provision, anchor=""):
    return reverse("provision", args=[provision.id]) + (f"#{anchor}" if anchor else "")


def assessment_context(assessment, parties, can, form=None, saved=False):
    """What an assessment's card shows: every party's position and what it waits for. Its readers
    are the parties' people (ceasefire.audience), who read who said what."""
    positions = {p.party_id: p for p in assessment.positions.all()}
    outcome = assessment.outcome()
    names = {p.code: p.text("name") for p in parties}
    mine = None
    if commands.position_refusal(can.actor, assessment) is None:
        mine = form or forms.position_form(id_prefix=f"a{assessment.id}-", about=forms.about_assessment(assessment))
        current = positions.get(can.actor.party)
        if form is None and current is not None:
            mine.initial = {"position": current.position}
    return {
        "assessment": assessment,
        "rows": [{"party": p, "position": positions.get(p.code), "suspended": p.suspended} for p in parties],
        "waits": commands.waiting_for(assessment),
        "objected": [names[c] for c in outcome.objected_by],
        "abstained": [names[c] for c in outcome.abstained_by],
        "position_form": mine,
        "saved": saved,
    }


@login_required
def provision(request, pk):
    can = can_for(request)
    actor = can.actor
    p = get_object_or_404(
        queries.with_implementation(Provision.objects.filter(pk=pk), actor).prefetch_related("interpretations")
    )
    impl = queries.implementation(p, actor, queries.today())
    parties = list(Party.objects.order_by("order"))
    p.impl = impl
    p.readings = list(p.interpretations.all())
    context = {
        "section": "agreements",
        "p": p,
        "agreement": p.agreement,
        "impl": impl,
        "cards": [assessment_context(a, parties, can) for a in impl.pending],
        "sees": sees(actor),
        "may_assess": commands.assessment_refusal(actor) is None,
        "standalone": True,
    }
    if impl.current is not None:
        context["published"] = publications.published(Publication.AGREED_STATUS, impl.current.id)
        context["may_publish"] = (
            publications.publication_refusal(actor, Publication.AGREED_STATUS, impl.current) is None
        )
    return render(request, "web/agreements/provision.html", context)


@login_required
def agreement_implementation(request, pk):
    a = get_object_or_404(Agreement, pk=pk)
    actor = can_for(request).actor
    if not audience.reads(actor, "agreed_status"):
        return forbidden(
            request, _("The committee's implementation statuses are read by the parties and the observers.")
        )
    rollup = queries.rollup(a, queries.today())
    context = {
        "section": "agreements",
        "agreement": a,
        "rollup": rollup,
        "themes": [
            {"label": theme_label(theme) if theme else _("No theme"), "share": shares[-1]}
            for theme, shares in rollup.themes
        ],
        "over_time": [
            {"label": date_format(d, "j F Y"), "share": s} for d, s in zip(rollup.days, rollup.overall, strict=True)
        ],
    }
    return render(request, "web/agreements/implementation.html", context)


@login_required
def assessment_new(request, pk):
    p = get_object_or_404(Provision.objects.select_related("agreement"), pk=pk)
    can = can_for(request)
    refusal = commands.assessment_refusal(can.actor)
    if can.speak:
        intro = _(
            "Your party's assessment: it is put forward in your party's name, with its approval. It becomes the "
            "committee's when every party approves it; until then it stands beside the others."
        )
    else:
        intro = _("It becomes the committee's when every party approves it. Until then it stands beside the others.")
    return form_page(
        request,
        form_factory=forms.assessment_form,
        call=lambda actor, data: commands.propose_assessment(actor, p.id, forms.assessment_data(data)),
        **offered(refusal),
        title=_("Assess provision %(n)s") % {"n": p.number},
        intro=intro,
        back=provision_url(p),
        success=lambda a: provision_url(p, f"assessment-{a.id}"),
        done=_("The assessment has been put forward."),
        section="agreements",
        extra={"provision": p},
    )


@login_required
def condition_new(request, pk):
    p = get_object_or_404(Provision.objects.select_related("agreement"), pk=pk)
    current = p.conditions.order_by("-id").first()
    return form_page(
        request,
        form_factory=lambda data: forms.condition_form(data, current),
        call=lambda actor, data: commands.record_condition(actor, p.id, data),
        allowed=can_for(request).facilitate,
        title=_("The condition of provision %(n)s's deadline") % {"n": p.number},
        intro=_(
            "Record the event the deadline depends on and whether it has happened, with its source. "
            "Recorded again when it changes; the earlier recordings stay."
        ),
        back=provision_url(p),
        success=lambda c: provision_url(p, "deadline"),
        done=_("The condition has been recorded."),
        section="agreements",
        extra={"provision": p},
    )


@login_required
def assessment_position(request, pk):
    """A party's position on an assessment. With htmx, the assessment's card is swapped in place."""
    assessment = get_object_or_404(Assessment.objects.select_related("provision__agreement", "party"), pk=pk)
    can = can_for(request)
    if not audience.reads(can.actor, "assessment"):
        return forbidden(request)
    parties = list(Party.objects.order_by("order"))
    p = assessment.provision
    if request.method != "POST":
        if not can.speak:
            return forbidden(request)
        context = assessment_context(assessment, parties, can)
        return render(request, "web/agreements/position.html", {**context, "p": p, "section": "agreements"})
    form = forms.position_form(request.POST, id_prefix=f"a{assessment.id}-", about=forms.about_assessment(assessment))
    result, status = attempt(request, form, lambda actor, data: commands.take_position(actor, assessment.id, data))
    if status is None:
        assessment = Assessment.objects.select_related("party").get(id=assessment.id)
        if request.htmx and not assessment.agreed:
            context = assessment_context(assessment, parties, can, saved=True)
            return render(request, "web/agreements/_assessment.html", {**context, "p": p})
        messages.success(request, _("Your party's position has been recorded."))
        if assessment.agreed:
            messages.success(request, _("Every party has approved it: it is the committee's status now."))
        if request.htmx:  # agreed, it leaves the assessments side by side: the whole page changes
            return HttpResponseClientRefresh()
        return redirect(
            provision_url(p, f"assessment-{assessment.id}" if not assessment.agreed else "committee-status")
        )
    context = assessment_context(assessment, parties, can, form=form)
    if context["position_form"] is None:  # not this user's to give, or no longer open: say why
        context["card_errors"] = [message for _id, _label, message in form.error_list()]
    template = "web/agreements/_assessment.html" if request.htmx else "web/agreements/position.html"
    return render(request, template, {**context, "p": p, "section": "agreements"}, status=status)


@login_required
def agreement_new(request):
    return form_page(
        request,
        form_factory=forms.agreement_form,
        call=commands.record_agreement,
        allowed=can_for(request).facilitate,
        title=_("Record an agreement"),
        intro=_("Record its text as signed; add its provisions one by one afterwards."),
        back=reverse("agreements"),
        success=lambda a: reverse("agreement", args=[a.id]),
        done=_("The agreement has been recorded."),
        section="agreements",
    )


@login_required
def provision_new(request, pk):
    a = get_object_or_404(Agreement, pk=pk)
    return form_page(
        request,
        form_factory=forms.provision_form,
        call=lambda actor, data: commands.add_provision(actor, a.id, data),
        allowed=can_for(request).facilitate,
        title=_("Add a provision to %(title)s") % {"title": a.text("title")},
        back=reverse("agreement", args=[a.id]),
        success=lambda p: reverse("agreement", args=[a.id]) + f"#provision-{p.id}",
        done=_("The provision has been added."),
        section="agreements",
        extra={"agreement": a},
    )


@login_required
def interpretation_new(request, pk):
    provision = get_object_or_404(Provision.objects.select_related("agreement"), pk=pk)
    can = can_for(request)
    a = provision.agreement
    intro = "" if can.facilitate else _("Your party's reading: it is recorded in your party's name.")
    return form_page(
        request,
        form_factory=lambda data: forms.interpretation_form(data, facilitator=can.facilitate),
        call=lambda actor, data: commands.add_interpretation(actor, provision.id, data),
        allowed=can.interpret,
        title=_("Add a reading of provision %(n)s") % {"n": provision.number},
        intro=intro,
        back=reverse("agreement", args=[a.id]) + f"#provision-{provision.id}",
        success=lambda i: reverse("agreement", args=[a.id]) + f"#provision-{provision.id}",
        done=_("The reading has been recorded."),
        section="agreements",
        extra={"provision": provision},
    )

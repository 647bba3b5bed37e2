"""Agreements, their provisions and the rival readings of them."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.agreements import commands
from ceasefire.agreements.models import Agreement, Kind, Provision
from ceasefire.mechanism.models import Mechanism

from .. import forms
from ..access import can_for
from .base import form_page, today
from .overview import NEAR_DAYS


@login_required
def agreements(request):
    items = Agreement.objects.annotate(n_provisions=Count("provisions")).order_by("-signed_on", "id")
    return render(
        request,
        "web/agreements/list.html",
        {"section": "agreements", "agreements": items, "mechanism": Mechanism.current()},
    )


@login_required
def agreement(request, pk):
    a = get_object_or_404(Agreement, pk=pk)
    day = today()
    provisions = list(a.provisions.prefetch_related("interpretations").order_by("order"))
    for p in provisions:
        p.agreement = a  # due_on reads the signature date: no query per provision
        p.due = p.due_on
        p.passed = bool(p.due and p.due < day)
        p.near = bool(p.due and not p.passed and p.due <= day + dt.timedelta(days=NEAR_DAYS))
        p.readings = list(p.interpretations.all())
    context = {
        "section": "agreements",
        "agreement": a,
        "principles": [p for p in provisions if p.kind == Kind.PRINCIPLE],
        "items": [p for p in provisions if p.kind != Kind.PRINCIPLE],
        "near_days": NEAR_DAYS,
    }
    return render(request, "web/agreements/detail.html", context)


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

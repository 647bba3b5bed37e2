"""Counts with their coverage, and the coverage records: pages over incidents/stats.py and
incidents/coverage.py, which the API asks too. Nothing is counted or decided here."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.errors import Invalid
from ceasefire.incidents import coverage, queries, stats
from ceasefire.mechanism.accounts import actor_for
from ceasefire.mechanism.models import Party
from ceasefire.mechanism.permissions import facilitates

from .. import forms
from .base import form_page

# The bar chart's width in the SVG's own units: a bar's length is its share of the largest count.
BAR = 100


def _list_url(params: dict | None) -> str:
    if params is None:
        return ""
    return reverse("reports") + ("?" + urlencode(params) if params else "")


@login_required
def stats_page(request):
    actor = actor_for(request.user)
    asked = any(request.GET.get(k) for k in forms.STATS_FIELDS)
    form = forms.stats_form(request.GET if asked else None)
    counts, status = None, 200
    try:
        unit = stats.parse_unit(request.GET.get("unit"))
        by = stats.parse_by(request.GET.getlist("by") if asked else ["month"], unit)
        counts = stats.count(actor, queries.Filters.parse(request.GET), by, unit)
    except Invalid as e:
        for field, message in e.errors:
            form.add_error(field, message)
        status = 400
    rows = []
    if counts is not None:
        largest = counts.largest or 1
        for r in counts.rows:
            rows.append(
                {
                    "cells": [(stats.DIMENSIONS[name], r.labels[name]) for name in counts.by],
                    "count": r.count,
                    "url": _list_url(stats.list_filters(counts, r)),
                    "bar": max(1, round(BAR * r.count / largest)) if r.count else 0,
                    "coverage": coverage.sentences(r.coverage) if r.coverage else None,
                }
            )
    context = {
        "section": "reports",
        "form": form,
        "asked": asked,
        "counts": counts,
        "headings": [stats.DIMENSIONS[name] for name in counts.by] if counts else [],
        "rows": rows,
        "total_url": _list_url(stats.list_filters(counts)) if counts else "",
        "coverage": coverage.sentences(counts.coverage) if counts else [],
        "shared_only": not audience.everything(actor),
        "bar_width": BAR,
    }
    return render(request, "web/reports/stats.html", context, status=status)


# ---------------------------------------------------------------- coverage


@login_required
def coverage_list(request):
    actor = actor_for(request.user)
    records = list(coverage.visible(actor)[:500])
    reads_source = audience.reads(actor, "coverage", "source")
    for c in records:
        c.source = c.text("source") if reads_source else ""
        c.by = audience.account(actor, c.recorded_by)
    context = {
        "section": "reports",
        "records": records,
        "may_record": coverage.may_record(actor),
        "may_share": facilitates(actor),
        "shared_only": not audience.everything(actor),
    }
    return render(request, "web/reports/coverage.html", context)


@login_required
def coverage_new(request):
    actor = actor_for(request.user)
    claimed_by = coverage.recorder(actor)
    party = Party.objects.filter(code=claimed_by).first() if claimed_by else None
    return form_page(
        request,
        form_factory=lambda data: forms.coverage_form(data, party.text("name") if party else ""),
        call=coverage.record_coverage,
        allowed=claimed_by is not None,
        title=_("Record coverage"),
        intro=(
            _("Your record is the claim of %(party)s, and is shown as such.") % {"party": party.text("name")}
            if party
            else _("Where and when monitors or a joint team could reach an area, or could not.")
        ),
        back=reverse("coverage"),
        success=lambda c: reverse("coverage") + f"#coverage-{c.id}",
        done=_("The coverage has been recorded."),
        section="reports",
    )


@login_required
def coverage_visibility(request, pk):
    actor = actor_for(request.user)
    c = get_object_or_404(coverage.visible(actor), pk=pk)
    return form_page(
        request,
        form_factory=lambda data: forms.coverage_visibility_form(data, c.visibility),
        call=lambda a, data: coverage.share_coverage(a, c.id, data),
        allowed=facilitates(actor),
        title=_("Share a coverage record"),
        intro=_("Observers and the public read the coverage beside the counts once it is shared with them."),
        back=reverse("coverage"),
        success=lambda done: reverse("coverage") + f"#coverage-{done.id}",
        done=_("Who reads it has been changed."),
        section="reports",
    )

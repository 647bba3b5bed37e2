"""Situation reports: the list of periods, a period's report (each number linking to what it counts),
its PDF, and issuing it. Pages over ceasefire.sitrep; nothing is counted or decided here."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceasefire import audience
from ceasefire.errors import CommandError, Invalid
from ceasefire.incidents import queries, stats
from ceasefire.mechanism.accounts import actor_for
from ceasefire.mechanism.permissions import facilitates
from ceasefire.record.log import AUDIENCES
from ceasefire.sitrep import build as builder
from ceasefire.sitrep import store
from ceasefire.sitrep.commands import LANGUAGES, issue
from ceasefire.sitrep.figures import parse_period
from ceasefire.sitrep.models import Issued


def _audience(request, actor) -> str:
    """The reader's own audience, or a narrower one asked for (`?audience=public`): a version for
    a wider audience than the reader's is never built."""
    own = audience.audience(actor)
    asked = request.GET.get("audience") or request.POST.get("audience") or own
    if asked not in AUDIENCES:
        raise Invalid(_("must be one of: %(choices)s") % {"choices": ", ".join(AUDIENCES)}, "audience")
    return asked if AUDIENCES.index(asked) >= AUDIENCES.index(own) else own


def _issued(actor):
    return [i for i in Issued.objects.all()[:200] if audience.within(i.audience, actor)]


@login_required
def sitrep_list(request):
    actor = actor_for(request.user)
    months = stats.count(actor, queries.Filters(), ("month",))
    periods = [(r.values["month"], r.count) for r in reversed(months.rows) if r.values["month"]]
    issued = _issued(actor)
    for i in issued:
        i.by = audience.account(actor, i.issued_by)
        i.kept = store.path_of(i.sha256) is not None
    context = {"section": "reports", "periods": periods, "issued": issued}
    return render(request, "sitrep/list.html", context)


def _period_or_404(period: str):
    try:
        return parse_period(period)
    except Invalid:
        raise Http404(_("No such period.")) from None


@login_required
def sitrep_page(request, period):
    actor = actor_for(request.user)
    p = _period_or_404(period)
    try:
        reader = _audience(request, actor)
    except Invalid as e:
        return HttpResponse(f"{e.field}: {e.message}", status=400, content_type="text/plain; charset=utf-8")
    s = builder.live(reader, p)
    context = {
        **builder.context(s, links=True),
        "section": "reports",
        "own": audience.audience(actor),
        "narrower": [a for a in AUDIENCES if AUDIENCES.index(a) > AUDIENCES.index(audience.audience(actor))],
        "languages": LANGUAGES,
        "may_issue": facilitates(actor),
        "issued": [i for i in _issued(actor) if i.period == p.name],
    }
    return render(request, "sitrep/page.html", context)


def _build(request, actor, period):
    p = _period_or_404(period)
    reader = _audience(request, actor)
    language = request.GET.get("lang") or request.POST.get("lang") or get_language()[:2]
    if language not in LANGUAGES:
        raise Invalid(_("must be one of: %(choices)s") % {"choices": ", ".join(LANGUAGES)}, "lang")
    return builder.build(reader, p, language)


def _unavailable(e) -> HttpResponse:
    return HttpResponse(
        _("The PDF cannot be made on this server: %(reason)s") % {"reason": e},
        status=503,
        content_type="text/plain; charset=utf-8",
    )


@login_required
def sitrep_pdf(request, period):
    actor = actor_for(request.user)
    try:
        built = _build(request, actor, period)
    except Invalid as e:
        return HttpResponse(f"{e.field}: {e.message}", status=400, content_type="text/plain; charset=utf-8")
    except builder.Unavailable as e:
        return _unavailable(e)
    name = f"sitrep-{built.sitrep.period.name}-{built.sitrep.audience}-{built.language}.pdf"
    return FileResponse(io.BytesIO(built.pdf), content_type="application/pdf", as_attachment=True, filename=name)


@login_required
@require_POST
def sitrep_issue(request, period):
    actor = actor_for(request.user)
    back = reverse("sitrep", args=[period])
    if not facilitates(actor):
        messages.error(request, _("Only the facilitator (the secretariat) may do this."))
        return redirect(back)
    try:
        built = _build(request, actor, period)
        size, root = built.sitrep.checkpoint
        issued = issue(
            actor,
            {
                "period": built.sitrep.period.name,
                "language": built.language,
                "audience": built.sitrep.audience,
                "size": size,
                "root": root,
                "sha256": built.sha256,
            },
        )
    except (Invalid, CommandError) as e:
        messages.error(request, str(e.message) if hasattr(e, "message") else str(e))
        return redirect(back)
    except builder.Unavailable as e:
        return _unavailable(e)
    store.keep(built.pdf)
    messages.success(request, _("The report is issued: record entry %(seq)d holds its hash.") % {"seq": issued.id})
    return redirect(back)


@login_required
def sitrep_issued(request, sha256):
    actor = actor_for(request.user)
    found = [i for i in Issued.objects.filter(sha256=sha256) if audience.within(i.audience, actor)]
    path = store.path_of(sha256) if found else None
    if path is None:
        raise Http404(_("No such issued report here."))
    i = found[0]
    return FileResponse(
        path.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"sitrep-{i.period}-{i.audience}-{i.language}-issued.pdf",
    )

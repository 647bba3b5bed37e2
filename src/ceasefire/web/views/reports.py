"""Violation reports, the incidents they describe, and the joint verification chain: the list, the
filing form, a report's page with only the steps its reader may take now, a page for each step,
evidence with its chain of custody, and the facilitator's identity vault.

Nothing here decides. What a reader sees comes from incidents.queries (the API asks the same), who
may do what from incidents.permissions and chain.py, and every write is a command.
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceasefire import audience
from ceasefire.agreements.models import Provision
from ceasefire.errors import CommandError, Forbidden, Invalid
from ceasefire.incidents import chain, commands, duplicates, evidence, exchange, permissions, queries, subjects
from ceasefire.incidents.models import (
    Evidence,
    IdentityCommitment,
    Incident,
    Recommendation,
    Report,
    Status,
)
from ceasefire.mechanism.accounts import actor_for, party_of
from ceasefire.mechanism.models import Account, Party, Role, in_language
from ceasefire.places import gazetteer
from ceasefire.zones import checks as zone_checks
from ceasefire.zones import queries as zone_queries

from .. import forms
from ..templatetags.web import joined
from .base import attempt, forbidden, form_page
from .meetings import meeting_url

PER_PAGE = 25
MAX_FINDING_BLOCKS = commands.MAX_FINDINGS
MAX_RECOMMENDATION_BLOCKS = 10
# Files a browser shows by itself; the others are only downloaded.
SHOWN_INLINE = ("image/", "audio/", "video/", "text/plain")


class ReportRef:
    """`R-2026-0042`: a report's human reference in its URL."""

    regex = r"R-\d{4}-\d{4,}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value.reference if isinstance(value, Report) else value


class IncidentRef(ReportRef):
    regex = r"I-\d{4}-\d{4,}"

    def to_url(self, value):
        return value.reference if isinstance(value, Incident) else value


def _year_number(ref: str) -> tuple[int, int]:
    try:
        _kind, year, number = ref.split("-")
        return int(year), int(number)
    except ValueError:
        raise Http404 from None


def _actor(request):
    return actor_for(request.user)


def report_or_404(request, ref: str) -> Report:
    """The report, if this reader may read it: a hidden report is not found, as in the API."""
    year, number = _year_number(ref)
    r = (
        queries.visible(_actor(request))
        .select_related("category", "incident", "alleged_party", "affected_party", "controlled_by", "source_party")
        .filter(year=year, number=number)
        .first()
    )
    if r is None or r.reference != ref:
        raise Http404
    return r


def report_url(r: Report, anchor: str = "") -> str:
    return reverse("report", args=[r.reference]) + (f"#{anchor}" if anchor else "")


# ---------------------------------------------------------------- who may take which step now

# A page's step -> the command's step, whose refusal function (commands.REFUSALS) says whether
# and why not: the page restates no rule of its own.
COMMAND_STEP = {
    "triage": "triage",
    "task": "task",
    "investigate": "investigate",
    "confirm": "confirm_investigation",
    "draft_findings": "draft_findings",
    "sign": "sign",
    "propose": "propose_settlement",
    "settle": "settle",
    "disagreement": "record_disagreement",
    "visibility": "set_visibility",
    "evidence": "add_evidence",
}


def refusal(actor, r: Report, step: str):
    """Why the command would refuse the step now (its error), or None."""
    return commands.REFUSALS[COMMAND_STEP[step]](actor, r)


def may(actor, r: Report, step: str) -> bool:
    """Whether the step is the actor's to take on this report at all, now or once the report is ready."""
    if step == "identities":
        return permissions.may_see_identities(actor)
    return not isinstance(refusal(actor, r, step), Forbidden)


def why_not(actor, r: Report, step: str) -> str:
    """Why the step is not open now, in the command's words; "" when it is."""
    found = refusal(actor, r, step)
    return "" if found is None else str(found.message)


def open_now(actor, r: Report, step: str) -> bool:
    return may(actor, r, step) and not why_not(actor, r, step)


def step_links(actor, r: Report) -> list[dict]:
    """The chain's steps this reader may take on the report now, in the order of the chain."""
    labels = {
        "triage": (_("Triage the report"), _("Admissible, a duplicate, or outside the mandate.")),
        "task": (_("Task a joint team"), _("At least one member of every party.")),
        "investigate": (
            (
                _("Write a new investigation report"),
                _("It replaces the one not yet confirmed by every party on the team."),
            )
            if _has_investigation(r)
            else (_("Report the investigation"), _("Site visit, access, methods, evidence, limitations."))
        ),
        "confirm": (
            _("Confirm the investigation report"),
            _("It is the team's once a member of every party on the team has confirmed it."),
        ),
        "draft_findings": (
            (_("Draft new findings"), _("A new draft replaces the last and opens the sign-off again."))
            if r.status != chain.INVESTIGATED
            else (_("Draft the findings"), _("One finding per allegation, with recommendations."))
        ),
        "sign": (_("Sign the findings, or dissent"), _("Each party's member on the team and the facilitator sign.")),
        "propose": (
            _("Propose a settlement"),
            _("A decision for the committee, at the meeting that has it on its agenda."),
        ),
        "settle": (_("Settle by the committee's decision"), _("The committee has adopted its decision.")),
        "disagreement": (
            _("Record the disagreement"),
            _("The committee's proposal failed; close the report with the disagreement on record."),
        ),
    }
    urls = {
        "triage": "report_triage",
        "task": "report_task",
        "investigate": "report_investigation",
        "confirm": "report_confirm",
        "draft_findings": "report_findings",
        "sign": "report_sign",
        "propose": "report_propose",
        "settle": "report_settle",
        "disagreement": "report_disagreement",
    }
    out = []
    for step in labels:
        if open_now(actor, r, step):
            label, hint = labels[step]
            out.append({"step": step, "label": label, "hint": hint, "url": reverse(urls[step], args=[r.reference])})
    return out


# ---------------------------------------------------------------- times


def span(delta: dt.timedelta) -> str:
    """A time spent in a stage, in words: days, or hours under two days."""
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return _("less than an hour")
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def timeline(r: Report, targets: dict, now: dt.datetime) -> list[dict]:
    """Each stage the report went through: how long, against its target."""
    out = []
    stages = list(r.stages.all())
    for s in stages:
        waiting = s.stage in chain.STAGES
        end = s.left_at or now
        spent = end - s.entered_at
        days = targets.get(s.stage) if waiting else None
        out.append(
            {
                "stage": s,
                "label": s.get_stage_display(),
                "current": s.left_at is None,
                "spent": span(spent) if waiting else "",
                "target": days,
                "over": bool(days) and spent > dt.timedelta(days=days),
                "due": chain.due(s.entered_at, days) if days and s.left_at is None else None,
            }
        )
    return out


def overdue_of(r: Report, targets: dict, now: dt.datetime):
    """(due, overdue) of the report's current stage; (None, False) once the chain closed it."""
    days = targets.get(r.status)
    if not days or r.status not in chain.STAGES:
        return None, False
    return chain.due(r.stage_since, days), chain.overdue(r.status, r.stage_since, days, now)


# ---------------------------------------------------------------- the list


def _querystring(params, **changes) -> str:
    data = {k: v for k, v in params.lists() if k != "page"} if hasattr(params, "lists") else dict(params)
    data.update({k: [str(v)] for k, v in changes.items()})
    return urlencode([(k, v) for k, values in data.items() for v in values if v not in ("", None)])


@login_required
def reports(request):
    actor = _actor(request)
    filtering = any(request.GET.get(k) for k in forms.REPORT_FILTERS)
    form = forms.report_filter_form(request.GET if filtering else None)
    everything = queries.visible(actor)
    qs = everything.select_related("category", "alleged_party")
    status = 200
    try:
        f = queries.Filters.parse(request.GET)
        zone_queries.zone_filter(actor, f.zone)
        qs = queries.search(qs, f)
    except Invalid as e:
        for field, message in e.errors:
            form.add_error(field, message)
        qs, status = qs.none(), 400
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    targets, now = queries.targets(), timezone.now()
    for r in page.object_list:
        r.due, r.overdue = overdue_of(r, targets, now)
    context = {
        "section": "reports",
        "page": page,
        "form": form,
        "filtering": filtering,
        "total": everything.count(),
        "shared_only": not audience.everything(actor),
        "may_file": permissions.may_file(actor),
        "awaiting_triage": (
            everything.filter(status=chain.RECEIVED).count() if commands.selection_refusal(actor) is None else None
        ),
        "may_import": commands.import_refusal(actor) is None,
        "query": _querystring(request.GET),
        "downloads": [(label, _querystring(request.GET, format=fmt)) for fmt, label in DOWNLOADS],
    }
    return render(request, "web/reports/list.html", context, status=status)


# What the list page offers to download: (format, label); the files are incidents/exchange.py's.
DOWNLOADS = (
    ("acled", "ACLED CSV"),
    ("ucdp", "UCDP GED CSV"),
    ("hxl", "HXL CSV"),
    ("geojson", "GeoJSON"),
    ("xlsx", "XLSX"),
)


@login_required
def reports_export(request):
    """The list's reports, with its filters, as a file (the list page's "download these")."""
    actor = _actor(request)
    try:
        fmt = exchange.parse_format(request.GET.get("format") or "acled")
        filters = queries.Filters.parse(request.GET)
        zone_queries.zone_filter(actor, filters.zone)
    except Invalid as e:
        context = {
            "section": "reports",
            "field": e.field,
            "message": e.message,
            "query": _querystring(request.GET, format=""),
        }
        return render(request, "web/reports/export_error.html", context, status=400)
    return exchange.response(actor, filters, fmt)


# ---------------------------------------------------------------- filing


@login_required
def report_new(request):
    actor = _actor(request)
    role = actor.role if actor else ""
    return form_page(
        request,
        form_factory=lambda data: forms.report_form(data, role),
        call=commands.file_report,
        allowed=permissions.may_file(actor),
        title=_("File a report"),
        intro=_(
            "A report is a claim from its source, never a fact: who did it, where and how many were hurt "
            "stay allegations until a joint finding settles them."
        ),
        back=reverse("reports"),
        success=lambda r: report_url(r),
        done=_("The report has been filed. You can add evidence files below."),
        section="reports",
        template="web/reports/new.html",
        extra={"role": role, "delegate": role in (Role.HEAD, Role.MEMBER)},
    )


# ---------------------------------------------------------------- one report


def _provision_labels(ids) -> dict:
    return {p.id: p for p in Provision.objects.filter(id__in=set(ids)).select_related("agreement")}


def _signoff_rows(r: Report, parties) -> tuple[list[dict], object]:
    given = {s.side: s for s in r.signoffs.all()}
    rows = [{"side": p.code, "name": p.text("name"), "signoff": given.get(p.code)} for p in parties]
    rows.append({"side": chain.FACILITATOR, "name": _("The facilitator"), "signoff": given.get(chain.FACILITATOR)})
    outcome = chain.signoffs([p.code for p in parties], {s: o.agrees for s, o in given.items()})
    return rows, outcome


@login_required
def report(request, ref):
    r = report_or_404(request, ref)
    actor = _actor(request)
    names = audience.report_reads(actor, r, "accounts")  # observers read a shared report without names
    visible = queries.visible(actor)
    targets, now = queries.targets(), timezone.now()
    parties = list(Party.objects.order_by("order"))
    findings = list(r.findings.select_related("attributed_to").prefetch_related("recommendations__addressee_party"))
    provisions = _provision_labels([pid for f in findings for pid in f.provisions] + list(r.category.provisions))
    for f in findings:
        f.breached = [provisions[pid] for pid in f.provisions if pid in provisions]
        for rec in f.recommendations.all():
            rec.may_update = commands.recommendation_refusal(actor, rec) is None
    signoffs, outcome = _signoff_rows(r, parties)
    due, overdue = overdue_of(r, targets, now)
    handles_evidence = permissions.may_handle_evidence(actor)
    evidence_items = []
    if handles_evidence:
        evidence_items = list(r.evidence.prefetch_related("accesses"))
    decision = r.decision
    context = {
        "section": "reports",
        "report": r,
        "subject": subjects.of_report(r),
        "names": names,
        "steps": step_links(actor, r),
        "timeline": timeline(r, targets, now),
        "due": due,
        "overdue": overdue,
        "casualties": list(r.casualties.all()),
        "category_provisions": [provisions[pid] for pid in r.category.provisions if pid in provisions],
        "team": list(r.team.select_related("party")),
        "investigation": getattr(r, "investigation", None) if _has_investigation(r) else None,
        "unconfirmed": _unconfirmed(r, parties),
        "findings": findings,
        "show_attribution": audience.finding_reads(actor, r, "attribution"),
        "hide_recommendations": not audience.finding_reads(actor, r, "recommendations"),
        "sees_source": audience.report_reads(actor, r, "source"),
        "sees_casualty_source": audience.report_reads(actor, r, "casualty_source"),
        "signoffs": signoffs,
        "outcome": outcome,
        "show_signoffs": (bool(findings) or r.status in (chain.FINDINGS, chain.DISPUTED))
        and audience.report_reads(actor, r, "signoffs"),
        "decision": decision,
        "decision_adopted": decision.adopted if decision and audience.reads(actor, "decision", "adopted") else None,
        "duplicates": list(visible.filter(duplicate_of=r)),
        "duplicate_of": visible.filter(id=r.duplicate_of_id).first() if r.duplicate_of_id else None,
        "related": visible.filter(id=r.related_report_id).first() if r.related_report_id else None,
        "obstructions": list(visible.filter(related_report=r)),
        "handles_evidence": handles_evidence,
        "evidence_items": evidence_items,
        "evidence_form": forms.evidence_form(id_prefix="ev-") if open_now(actor, r, "evidence") else None,
        "identities": r.identities.count() if audience.report_reads(actor, r, "identities") else 0,
        "sees_identities": permissions.may_see_identities(actor),
        "may_set_visibility": may(actor, r, "visibility"),
        "shown_inline": SHOWN_INLINE,
        # from the coordinates each time, by the gazetteer: not part of the claim
        "where": gazetteer.where(r.latitude, r.longitude),
        # the committee's zones it lies in, by the versions binding at its time (None: not the reader's)
        "zones": zone_queries.checks_for(actor, r),
        "zones_checkable": zone_checks.checkable(r),
    }
    return render(request, "web/reports/detail.html", context)


def _unconfirmed(r: Report, parties) -> list[str]:
    """The names of the parties on the team yet to confirm its investigation report."""
    if r.status != chain.TASKED or not _has_investigation(r):
        return []
    waiting = chain.unconfirmed(
        r.team.values_list("party_id", flat=True), r.investigation.confirmations.values_list("party_id", flat=True)
    )
    return [p.text("name") for p in parties if p.code in waiting]


def _has_investigation(r: Report) -> bool:
    try:
        r.investigation
    except Report.investigation.RelatedObjectDoesNotExist:
        return False
    return True


# ---------------------------------------------------------------- the steps


def _step_page(request, ref, step, *, form_factory, call, title, done, intro="", anchor="", extra=None, success=None):
    r = report_or_404(request, ref)
    actor = _actor(request)
    allowed = may(actor, r, step)
    return form_page(
        request,
        form_factory=lambda data: form_factory(data, r),
        call=lambda actor, data: call(actor, r.id, data),
        allowed=allowed,
        unavailable=why_not(actor, r, step) if allowed else "",
        title=title,
        intro=intro,
        back=report_url(r),
        success=success or (lambda result: report_url(r, anchor)),
        done=done,
        section="reports",
        template="web/reports/step.html",
        extra={"report": r, **(extra(r) if callable(extra) else extra or {})},
    )


@login_required
def report_triage(request, ref):
    def call(actor, report_id, data):
        original = (data.get("duplicate_of") or "").strip()
        match = queries.REFERENCE.match(original)
        if match:  # people know a report by its reference; the command takes its id
            found = Report.objects.filter(year=int(match.group(1)), number=int(match.group(2))).first()
            if found is None:
                raise Invalid(_("no report has this reference"), "duplicate_of")
            data = {**data, "duplicate_of": found.id}
        elif original:
            raise Invalid(_("must be a report's reference, e.g. R-2026-0042"), "duplicate_of")
        return commands.triage(actor, report_id, data)

    return _step_page(
        request,
        ref,
        "triage",
        form_factory=lambda data, r: forms.triage_form(data),
        call=call,
        title=_("Triage the report"),
        intro=_(
            "Admissible reports go to a preliminary inquiry. A duplicate is linked to the earlier report, never deleted."
        ),
        done=_("The triage has been recorded."),
        anchor="timeline",
    )


# ---------------------------------------------------------------- triage at volume

# Candidates shown beside each report awaiting triage: a queue of hundreds stays a page a phone loads.
SHOWN_CANDIDATES = 3


def why(c: duplicates.Candidate) -> list[str]:
    """Why a report may tell of the same event, in words: what the facilitator weighs."""
    out = []
    if c.district:
        district = gazetteer.gazetteer().districts.get(c.district)
        out.append(_("both in %(district)s") % {"district": district.name() if district else c.district})
    elif c.km is not None:
        out.append(_("%(km)s km apart") % {"km": f"{c.km:.1f}"})
    else:
        out.append(_("place not compared: no coordinates"))
    hours = round(c.hours)
    if c.hours == 0:
        out.append(_("their times may coincide"))
    elif hours == 0:
        out.append(_("less than an hour apart"))
    else:
        out.append(ngettext("%(n)d hour apart", "%(n)d hours apart", hours) % {"n": hours})
    out.append(_("words %(percent)d%% alike") % {"percent": round(c.similarity * 100)})
    out.append(_("received earlier") if c.earlier else _("received later"))
    return out


def _originals(queue) -> list[tuple[int, str]]:
    """Every report the page shows, by reference: any may be the original of those selected."""
    shown = {}
    for pending, found in queue:
        for r in (pending, *(c.report for c in found[:SHOWN_CANDIDATES])):
            shown[r.id] = r
    ordered = sorted(shown.values(), key=lambda r: (r.year, r.number))
    return [(r.id, f"{r.reference} · {in_language(r, 'title')}") for r in ordered]


@login_required
def reports_triage(request):
    """The reports awaiting triage, each with the reports that may tell of the same event and
    why; the facilitator ticks several and triages them in one action. Nothing is merged unasked."""
    actor = _actor(request)
    refused = commands.selection_refusal(actor)
    if refused is not None:
        return forbidden(request, str(refused))
    queue = duplicates.awaiting_triage(actor)

    def form_for(data):
        return forms.triage_selection_form(data, [r.id for r, _found in queue], _originals(queue))

    status = 200
    if request.method == "POST":
        form = form_for(request.POST)
        triaged, status = attempt(request, form, commands.triage_selection)
        if status is None:
            n = len(triaged)
            messages.success(request, ngettext("%(n)d report triaged.", "%(n)d reports triaged.", n) % {"n": n})
            return redirect("reports_triage")
    else:
        form = form_for(None)
    ticked = set(form.value(form.by_name["reports"]))
    stages = {str(value): str(label) for value, label in Status.choices}
    # Reports triaged as duplicates are no candidates (their original stands for them): say how many each has.
    repeated = dict(
        queries.visible(actor)
        .filter(duplicate_of__in=[r.id for r, _found in queue])
        .values_list("duplicate_of")
        .annotate(n=Count("id"))
    )
    context = {
        "section": "reports",
        "form": form,
        "queue": [
            {
                "report": r,
                "ticked": str(r.id) in ticked,
                "candidates": [(c, " · ".join(why(c)), stages[c.report.status]) for c in found[:SHOWN_CANDIDATES]],
                "duplicates": repeated.get(r.id, 0),
            }
            for r, found in queue
        ],
        "back": reverse("reports"),
    }
    return render(request, "web/reports/triage.html", context, status=status)


def _team_choices():
    parties = {p.code: p.text("name") for p in Party.objects.all()}
    order = {p.code: p.order for p in Party.objects.all()}
    accounts = Account.objects.filter(role__in=permissions.TEAM_ROLES).select_related("user")
    # A monitor is listed with the mission's monitors, whatever party it comes from: it counts for none.
    accounts = sorted(accounts, key=lambda a: (order.get(party_of(a), 999), a.user.username))
    return [
        (
            a.user.username,
            f"{a.user.username} ({a.get_role_display()})",
            parties.get(party_of(a)) or _("The mission's monitors"),
        )
        for a in accounts
    ]


@login_required
def report_task(request, ref):
    names = [p.text("name") for p in Party.objects.order_by("order")]
    return _step_page(
        request,
        ref,
        "task",
        form_factory=lambda data, r: forms.team_form(data, _team_choices()),
        call=commands.task_team,
        title=_("Task a joint team"),
        intro=_(
            "A joint team has at least one member of every party: %(parties)s. Monitors of the mission may join it."
        )
        % {"parties": joined(names)},
        done=_("The joint team has been tasked."),
        anchor="team",
    )


@login_required
def report_investigation(request, ref):
    return _step_page(
        request,
        ref,
        "investigate",
        form_factory=lambda data, r: forms.investigation_form(data),
        call=commands.report_investigation,
        title=_("Report the investigation"),
        intro=_(
            "You confirm it for your party by writing it; it is the team's once a member of every party on the team "
            "has confirmed it. If access was denied, in whole or in part, the denial is then filed as an obstruction "
            "report of its own, linked to this one."
        ),
        done=_("The investigation report has been recorded."),
        anchor="investigation",
    )


@login_required
def report_confirm(request, ref):
    return _step_page(
        request,
        ref,
        "confirm",
        form_factory=lambda data, r: forms.confirmation_form(
            data, r.investigation.id if _has_investigation(r) else None
        ),
        call=commands.confirm_investigation,
        title=_("Confirm the investigation report"),
        intro=_(
            "You confirm, for your party, the investigation report shown on the report's page as the team's. It is "
            "the team's once a member of every party on the team has confirmed it."
        ),
        done=_("Your confirmation has been recorded."),
        anchor="investigation",
        extra=lambda r: {"investigation": r.investigation if _has_investigation(r) else None},
    )


def _provision_choices():
    out = []
    for p in Provision.objects.select_related("agreement").order_by("agreement_id", "order", "id"):
        text = p.text("text")
        short = text if len(text) <= 90 else text[:88] + "…"
        out.append((str(p.id), _("Provision %(n)s") % {"n": p.number} + f": {short}", p.agreement.text("title")))
    return out


def _shape(request, r: Report) -> list[int]:
    """How many finding blocks, and recommendation blocks in each, the form shows."""
    if request.method == "POST":
        try:
            shape = [int(n) for n in request.POST.get("shape", "1").split(",")]
        except ValueError:
            shape = [1]
        shape = [min(max(n, 0), MAX_RECOMMENDATION_BLOCKS) for n in shape][:MAX_FINDING_BLOCKS] or [1]
        add = request.POST.get("add", "")
        if add == "finding" and len(shape) < MAX_FINDING_BLOCKS:
            shape.append(1)
        elif add.startswith("rec-") and add[4:].isdigit() and int(add[4:]) < len(shape):
            i = int(add[4:])
            shape[i] = min(shape[i] + 1, MAX_RECOMMENDATION_BLOCKS)
        return shape
    drafted = list(r.findings.prefetch_related("recommendations"))
    return [max(f.recommendations.count(), 1) for f in drafted] or [1]


def _findings_initial(r: Report) -> dict:
    """A new draft starts from the last one; a first draft from the category's provisions."""
    initial = {}
    drafted = list(r.findings.prefetch_related("recommendations"))
    if not drafted:
        return {"f0-provisions": [str(pid) for pid in r.category.provisions]}
    for i, f in enumerate(drafted):
        p = f"f{i}-"
        initial.update(
            {
                p + "allegation": f.allegation_ar or f.allegation_en,
                p + "result": f.result,
                p + "attributed_to": f.attributed_to_id or "",
                p + "attributed_unit": f.attributed_unit,
                p + "provisions": [str(pid) for pid in f.provisions],
                p + "reasoning": f.reasoning_ar or f.reasoning_en,
                p + "count": "" if f.count is None else f.count,
            }
        )
        for j, rec in enumerate(f.recommendations.order_by("id")):
            rp = f"{p}r{j}-"
            initial.update(
                {
                    rp + "addressee_party": rec.addressee_party_id or "",
                    rp + "addressee": rec.addressee_ar or rec.addressee_en,
                    rp + "text": rec.text_ar or rec.text_en,
                    rp + "due_on": rec.due_on.isoformat() if rec.due_on else "",
                }
            )
    return initial


@login_required
def report_findings(request, ref):
    """The findings: repeated blocks, more added by a button that sends the form back (no script needed)."""
    r = report_or_404(request, ref)
    actor = _actor(request)
    if not may(actor, r, "draft_findings"):
        return forbidden(request)
    shape = _shape(request, r)
    provisions = _provision_choices()
    status = 200
    if request.method == "POST":
        form = forms.findings_form(request.POST, shape, provisions=provisions, counted=bool(r.subject_kind))
        if not request.POST.get("add"):
            result, status = attempt(request, form, lambda actor, data: commands.draft_findings(actor, r.id, data))
            if status is None:
                messages.success(request, _("The findings have been drafted. Each side may now sign them or dissent."))
                return redirect(report_url(r, "findings"))
        else:  # a block was added: the new block's first box takes the keyboard
            add = request.POST["add"]
            if add == "finding":
                form.focus = f"f-f{len(shape) - 1}-allegation"
            elif add.startswith("rec-") and add[4:].isdigit() and int(add[4:]) < len(shape):
                i = int(add[4:])
                form.focus = f"f-f{i}-r{shape[i] - 1}-addressee-party"
    else:
        reason = why_not(actor, r, "draft_findings")
        if reason:
            return forbidden(request, reason, status=409)
        form = forms.findings_form(
            None, shape, initial=_findings_initial(r), provisions=provisions, counted=bool(r.subject_kind)
        )
    context = {
        "section": "reports",
        "report": r,
        "form": form,
        "shape": ",".join(str(n) for n in shape),
        "title": _("Draft the findings"),
        "back": report_url(r),
        "max_findings": MAX_FINDING_BLOCKS,
        "more_findings": len(shape) < MAX_FINDING_BLOCKS,
        "redraft": r.findings.exists(),
    }
    return render(request, "web/reports/findings.html", context, status=status)


@login_required
def report_sign(request, ref):
    r = report_or_404(request, ref)
    findings = list(r.findings.select_related("attributed_to").prefetch_related("recommendations__addressee_party"))
    provisions = _provision_labels([pid for f in findings for pid in f.provisions])
    for f in findings:
        f.breached = [provisions[pid] for pid in f.provisions if pid in provisions]
    s = permissions.side(_actor(request), r)
    party = Party.objects.filter(code=s).first() if s else None
    return _step_page(
        request,
        ref,
        "sign",
        form_factory=lambda data, r: forms.signoff_form(data, draft=r.draft, report=r.reference),
        call=commands.sign_findings,
        title=_("Sign the findings, or dissent"),
        intro=(
            _("You sign for %(party)s.") % {"party": party.text("name")} if party else _("You sign as the facilitator.")
        )
        + " "
        + _("If any side dissents, the findings are disputed and go to the committee's next meeting."),
        done=_("Your sign-off has been recorded."),
        anchor="signoffs",
        extra={"findings": findings},
    )


@login_required
def report_propose(request, ref):
    r = report_or_404(request, ref)
    meeting = r.agenda_item.meeting if r.agenda_item_id else None
    return _step_page(
        request,
        ref,
        "propose",
        form_factory=lambda data, r: forms.settlement_form(data),
        call=commands.propose_settlement,
        title=_("Propose a settlement"),
        intro=(
            _(
                "The proposal goes before the committee at %(meeting)s, where the disputed findings are on the agenda. "
                "It is adopted only when every party approves it. Its text begins by upholding the findings as "
                "drafted; to set them aside, put a new draft of the findings to the sign-off instead."
            )
            % {"meeting": meeting.reference}
            if meeting
            else ""
        ),
        done=_("The proposal is before the committee."),
        success=lambda result: meeting_url(result.decision.meeting, f"decision-{result.decision.number}"),
    )


@login_required
def report_settle(request, ref):
    return _step_page(
        request,
        ref,
        "settle",
        form_factory=lambda data, r: forms.closing_form(data, submit=_("Conclude the report")),
        call=commands.settle,
        title=_("Settle by the committee's decision"),
        intro=_("The committee has adopted its decision; the report is concluded on it."),
        done=_("The report is concluded."),
        anchor="committee",
        extra=lambda r: {"decision": r.decision},
    )


@login_required
def report_disagreement(request, ref):
    return _step_page(
        request,
        ref,
        "disagreement",
        form_factory=lambda data, r: forms.closing_form(data, required=True, submit=_("Record the disagreement")),
        call=commands.record_disagreement,
        title=_("Record the disagreement"),
        intro=_(
            "The report is closed with the parties' disagreement on record. Nothing is lost: the findings, the "
            "sign-offs and the proposal stay."
        ),
        done=_("The disagreement has been recorded."),
        anchor="committee",
        extra=lambda r: {"decision": r.decision},
    )


@login_required
def report_visibility(request, ref):
    return _step_page(
        request,
        ref,
        "visibility",
        form_factory=lambda data, r: forms.visibility_form(data, r.visibility),
        call=commands.set_visibility,
        title=_("Who may read this report"),
        intro=_(
            "Observers read what the committee shares with them, never names of people; the public reads what it "
            "publishes."
        ),
        done=_("Who may read the report has been changed."),
    )


@login_required
def recommendation_status(request, pk):
    actor = _actor(request)
    rec = get_object_or_404(Recommendation.objects.select_related("report", "finding"), pk=pk)
    if not queries.visible(actor).filter(id=rec.report_id).exists():
        raise Http404
    found = commands.recommendation_refusal(actor, rec)
    return form_page(
        request,
        form_factory=lambda data: forms.recommendation_status_form(data, rec),
        call=lambda actor, data: commands.set_recommendation_status(actor, rec.id, data),
        allowed=not isinstance(found, Forbidden),
        unavailable=str(found.message) if found is not None else "",
        title=_("Update a recommendation"),
        back=report_url(rec.report, f"recommendation-{rec.id}"),
        success=lambda result: report_url(rec.report, f"recommendation-{rec.id}"),
        done=_("The recommendation has been updated."),
        section="reports",
        template="web/reports/step.html",
        extra={"report": rec.report, "recommendation": rec},
    )


# ---------------------------------------------------------------- evidence


@login_required
def report_evidence(request, ref):
    """Add a file: its SHA-256 goes into the record with the upload."""
    r = report_or_404(request, ref)
    actor = _actor(request)
    if not may(actor, r, "evidence"):
        return forbidden(request)
    status = 200
    if request.method == "POST":
        form = forms.evidence_form(request.POST, id_prefix="ev-")
        upload = request.FILES.get("file")
        if upload is None:
            form.add_error("file", _("choose a file to add"))
            status = 422
        else:
            result, status = attempt(
                request,
                form,
                lambda actor, data: commands.add_evidence(
                    actor, r.id, upload.chunks(), upload.name, upload.content_type or "", data
                ),
            )
            if status is None:
                messages.success(request, _("The file has been added; its fingerprint is in the record."))
                return redirect(report_url(r, f"evidence-{result.id}"))
    else:
        reason = why_not(actor, r, "evidence")
        if reason:
            return forbidden(request, reason, status=409)
        form = forms.evidence_form(id_prefix="ev-")
    context = {
        "section": "reports",
        "report": r,
        "form": form,
        "title": _("Add evidence"),
        "back": report_url(r, "evidence"),
        "multipart": True,
        "intro": _("What a file is, is read from its content, not its name. Every view and download is recorded."),
    }
    return render(request, "web/reports/step.html", context, status=status)


def _evidence_or_404(request, pk) -> Evidence:
    e = get_object_or_404(Evidence.objects.select_related("report"), pk=pk)
    if not queries.visible(_actor(request)).filter(id=e.report_id).exists():
        raise Http404
    return e


@login_required
def evidence_item(request, pk):
    """A file's page: what the record holds of it, who viewed or downloaded it. Opening or
    downloading it is a POST: each one is recorded before the file is served, and a page
    elsewhere cannot add to the chain of custody by linking to it."""
    e = _evidence_or_404(request, pk)
    actor = _actor(request)
    if not permissions.may_handle_evidence(actor):
        return forbidden(request)
    if request.method == "POST":
        action = "download" if request.POST.get("action") == "download" else "view"
        if action == "view" and not e.media_type.startswith(SHOWN_INLINE):
            action = "download"
        try:
            stored = evidence.opened(e.sha256)  # checked against its SHA-256 before anything is served
        except CommandError as err:
            return forbidden(request, err.message, status=409)
        try:
            commands.record_evidence_access(actor, e.id, action)
        except CommandError as err:
            stored.close()
            return forbidden(request, err.message, status=err.status)
        response = FileResponse(stored, content_type=e.media_type, as_attachment=action == "download", filename=e.name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
        response["Cache-Control"] = "private, no-store"
        return response
    context = {
        "section": "reports",
        "item": e,
        "report": e.report,
        "accesses": list(e.accesses.all()),
        "inline": e.media_type.startswith(SHOWN_INLINE),
    }
    return render(request, "web/reports/evidence.html", context)


# ---------------------------------------------------------------- the identity vault


@login_required
def report_identities(request, ref):
    """The protected identities behind a report: the facilitator's only."""
    r = report_or_404(request, ref)
    actor = _actor(request)
    if not permissions.may_see_identities(actor):
        return forbidden(request)
    status = 200
    form = forms.identity_form()
    if request.method == "POST":
        form = forms.identity_form(request.POST)
        result, status = attempt(request, form, lambda actor, data: commands.protect_identity(actor, r.id, data))
        if status is None:
            messages.success(request, _("The identity is in the vault; the record holds its commitment only."))
            return redirect(reverse("report_identities", args=[r.reference]))
    vault = {p.commitment: p for p in commands.identities(actor, r)}
    rows = [{"commitment": c, "held": vault.get(c.commitment)} for c in r.identities.all()]
    context = {"section": "reports", "report": r, "rows": rows, "form": form, "title": _("Protected identities")}
    return render(request, "web/reports/identities.html", context, status=status)


def why_erased(actor, c: IdentityCommitment) -> str:
    found = commands.erase_refusal(actor, c)
    return str(found.message) if isinstance(found, CommandError) and not isinstance(found, Forbidden) else ""


@login_required
def identity_erase(request, pk):
    c = get_object_or_404(IdentityCommitment.objects.select_related("report"), pk=pk)
    back = reverse("report_identities", args=[c.report.reference])
    return form_page(
        request,
        form_factory=forms.erase_form,
        call=lambda actor, data: commands.erase_identity(actor, c.id, data),
        allowed=permissions.may_see_identities(_actor(request)),
        unavailable=why_erased(_actor(request), c),
        title=_("Erase a protected identity"),
        intro=_(
            "The identity is destroyed in the vault and cannot be brought back. The record keeps its commitment, and "
            "says when and why it was erased."
        ),
        back=back,
        success=lambda result: back,
        done=_("The identity has been erased."),
        section="reports",
        template="web/reports/step.html",
        extra={"report": c.report},
    )


# ---------------------------------------------------------------- incidents


@login_required
def incidents(request):
    actor = _actor(request)
    visible = queries.visible(actor).select_related("category").order_by("received_at", "id")
    qs = queries.visible_incidents(actor).prefetch_related(Prefetch("reports", queryset=visible, to_attr="shown"))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = queries.as_seen_by(actor, page.object_list)
    context = {"section": "reports", "page": page, "shared_only": not audience.everything(actor)}
    return render(request, "web/reports/incidents.html", context)


@login_required
def incident(request, ref):
    actor = _actor(request)
    year, number = _year_number(ref)
    inc = Incident.objects.filter(year=year, number=number).select_related("merged_into").first()
    if inc is None or inc.reference != ref:
        raise Http404
    visible = queries.visible(actor)
    shown = list(visible.filter(incident=inc).select_related("category", "alleged_party").order_by("received_at", "id"))
    merged = list(inc.merged.all())
    if not permissions.reads_everything(actor) and not shown:
        raise Http404  # an observer learns nothing of an incident it shares no report of
    inc = queries.as_seen_by(actor, [inc])[0]
    targets, now = queries.targets(), timezone.now()
    for r in shown:
        r.due, r.overdue = overdue_of(r, targets, now)
    context = {
        "section": "reports",
        "incident": inc,
        "reports": shown,
        "merged": merged if permissions.reads_everything(actor) else [],
        "related": visible.filter(id=inc.related_report_id).first() if inc.related_report_id else None,
    }
    return render(request, "web/reports/incident.html", context)


# ---------------------------------------------------------------- the dashboard and the meetings


def overdue_reports(actor, limit=10) -> tuple[list[Report], int]:
    """Reports waiting past their stage's target, longest first, as the dashboard lists them."""
    now = timezone.now()
    qs = queries.visible(actor).filter(queries.overdue_q(now)).select_related("category").order_by("stage_since", "id")
    targets = queries.targets()
    items = list(qs[:limit])
    for r in items:
        r.due, r.overdue = overdue_of(r, targets, now)
        r.late = span(now - r.due) if r.due else ""
    return items, qs.count()

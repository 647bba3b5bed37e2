"""The dashboard. The record's own pages are in record.py."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F
from django.shortcuts import render

from ceasefire import audience
from ceasefire.agreements import implementation as rule
from ceasefire.agreements import queries
from ceasefire.agreements.models import Agreement, Provision
from ceasefire.mechanism import parity
from ceasefire.mechanism.accounts import actor_for
from ceasefire.mechanism.models import ActionItem, ActionStatus, Mechanism, Meeting, Member, Role
from ceasefire.mechanism.witnesses import witnesses
from ceasefire.record import checkpoints, log

from .agreements import sees as implementation_sees
from .base import today
from .needs import needs_for
from .reports import overdue_reports

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def delegations(parties, members=None):
    """Per party: its seats, who holds each (or vacant), its head, and whether the delegations balance."""
    if members is None:
        members = Member.objects.filter(tenure_end__isnull=True, party__isnull=False, seat__isnull=False)
    members = list(members)
    out = []
    for party in parties:
        holders = {m.seat: m for m in members if m.party_id == party.code and m.seat}
        seats = [{"number": n, "member": holders.get(n)} for n in range(1, party.seats + 1)]
        filled = sum(1 for s in seats if s["member"])
        head = next((m for m in holders.values() if m.role == Role.HEAD), None)
        out.append({"party": party, "seats": seats, "filled": filled, "vacant": party.seats - filled, "head": head})
    balanced = parity.balanced({d["party"].code: d["filled"] for d in out}) if out else True
    return out, balanced


def open_actions(day, actor):
    items = (
        audience.rows(actor, "action_item", ActionItem.objects.all())
        .filter(status__in=OPEN_STATUSES)
        .select_related("meeting", "owner_party", "decision")
        .order_by(F("deadline").asc(nulls_last=True), "id")
    )
    for item in items:
        item.overdue = item.overdue_on(day)
    return list(items)


# The provisions the dashboard shows, most pressing first.
WATCHED = {rule.OVERDUE: 0, rule.DUE: 1, rule.NOT_DUE: 2, rule.CONDITIONAL: 3}


def provisions_to_watch(day, actor):
    """Provisions past their deadline (overdue, or with no status agreed), due within NEAR_DAYS,
    or whose deadline waits on an event; each with where it stands (the one rule,
    agreements.implementation.standing), as far as the reader may read it."""
    out = []
    for p in queries.with_implementation(Provision.objects.all(), actor).annotate(readings=Count("interpretations")):
        p.impl = queries.implementation(p, actor, day)
        s = p.impl.standing
        if s.state in (rule.OVERDUE, rule.DUE, rule.CONDITIONAL) or (s.state == rule.NOT_DUE and s.near):
            out.append(p)
    return sorted(out, key=lambda p: (WATCHED[p.impl.standing.state], p.due_on or dt.date.max, p.agreement_id, p.order))


def implementation_summaries(day, actor):
    """Per agreement, the share of its provisions at each level today: for readers of the committee's statuses."""
    if not audience.reads(actor, "agreed_status"):
        return []
    agreements = Agreement.objects.annotate(n=Count("provisions")).filter(n__gt=0).order_by("-signed_on", "id")
    return [{"agreement": a, "share": queries.rollup(a, day).today} for a in agreements]


@login_required
def dashboard(request):
    mechanism = Mechanism.current()
    if mechanism is None:
        return render(request, "web/dashboard.html", {"mechanism": None, "section": "dashboard"})
    day = today()
    size = log.size()
    parties = list(mechanism.parties.order_by("order"))
    delegation_list, balanced = delegations(parties)
    next_meeting = Meeting.objects.filter(starts_on__gte=day).order_by("starts_on", "number").first()
    last_meeting = Meeting.objects.filter(starts_on__lt=day).order_by("-starts_on", "-number").first()
    actor = actor_for(request.user)
    overdue, n_overdue = overdue_reports(actor)
    implementation_day = queries.today()  # the day deadlines are measured against, as the API does
    context = {
        "mechanism": mechanism,
        "section": "dashboard",
        "today": day,
        "delegations": delegation_list,
        "balanced": balanced,
        "suspended": [p for p in parties if p.suspended],
        "next_meeting": next_meeting,
        "last_meeting": last_meeting,
        "needs": needs_for(request),
        "actions": open_actions(day, actor),
        "sees_actions": audience.reads(actor, "action_item"),
        "overdue_reports": overdue,
        "n_overdue_reports": n_overdue,
        "provisions": provisions_to_watch(implementation_day, actor),
        "implementation": implementation_summaries(implementation_day, actor),
        "sees": implementation_sees(actor),
        "near_days": rule.NEAR_DAYS,
        "witnesses": witnesses(size),
        "record_size": size,
        "checkpoint": checkpoints.current(),
    }
    return render(request, "web/dashboard.html", context)

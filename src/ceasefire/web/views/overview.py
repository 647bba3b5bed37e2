"""The dashboard. The record's own pages are in record.py."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.shortcuts import render

from ceasefire import audience
from ceasefire.agreements.models import Provision
from ceasefire.mechanism import parity
from ceasefire.mechanism.accounts import actor_for
from ceasefire.mechanism.models import ActionItem, ActionStatus, Mechanism, Meeting, Member, Role
from ceasefire.mechanism.witnesses import witnesses
from ceasefire.record import checkpoints, log

from .base import today
from .reports import overdue_reports

NEAR_DAYS = 30
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


def provisions_due(day):
    """Provisions whose deadline has passed or falls within NEAR_DAYS, soonest first."""
    candidates = (
        Provision.objects.filter(Q(deadline_on__isnull=False) | Q(deadline_months__isnull=False))
        .select_related("agreement")
        .annotate(readings=Count("interpretations"))
    )
    out = []
    for p in candidates:
        due = p.due_on
        if due is None or due > day + dt.timedelta(days=NEAR_DAYS):
            continue
        p.due = due
        p.passed = due < day
        p.days = abs((due - day).days)
        out.append(p)
    return sorted(out, key=lambda p: (p.due, p.agreement_id, p.order))


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
    context = {
        "mechanism": mechanism,
        "section": "dashboard",
        "today": day,
        "delegations": delegation_list,
        "balanced": balanced,
        "suspended": [p for p in parties if p.suspended],
        "next_meeting": next_meeting,
        "last_meeting": last_meeting,
        "actions": open_actions(day, actor),
        "sees_actions": audience.reads(actor, "action_item"),
        "overdue_reports": overdue,
        "n_overdue_reports": n_overdue,
        "provisions": provisions_due(day),
        "near_days": NEAR_DAYS,
        "witnesses": witnesses(size),
        "record_size": size,
        "checkpoint": checkpoints.current(),
    }
    return render(request, "web/dashboard.html", context)

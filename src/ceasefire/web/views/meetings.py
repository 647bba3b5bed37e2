"""Meetings: attendance and quorum, agenda, decisions and positions, action items, minutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.mechanism import commands
from ceasefire.mechanism.accounts import actor_for
from ceasefire.mechanism.models import ActionItem, Decision, Mechanism, Meeting, Member, Party
from ceasefire.publications import commands as publications
from ceasefire.publications.models import Publication

from .. import forms
from ..access import can_for
from .base import attempt, forbidden, form_page, today


class MeetingRef:
    """`M-2020-0003`: a meeting's human reference in its URL."""

    regex = r"M-\d{4}-\d{4,}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value.reference if isinstance(value, Meeting) else value


def meeting_or_404(ref: str) -> Meeting:
    try:
        number = int(ref.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        raise Http404 from None
    meeting = Meeting.objects.filter(number=number).first()
    if meeting is None or meeting.reference != ref:
        raise Http404
    return meeting


def meeting_url(meeting, anchor=""):
    return reverse("meeting", args=[meeting.reference]) + (f"#{anchor}" if anchor else "")


def sees(actor) -> dict:
    """What of a meeting and its decisions the reader may read (ceasefire.audience), for the templates."""
    return {
        "minutes": audience.reads(actor, "meeting", "minutes"),
        "attendance": audience.reads(actor, "meeting", "attendance"),
        "agenda": audience.reads(actor, "agenda_item"),
        "decisions": audience.reads(actor, "decision"),
        "positions": audience.reads(actor, "decision", "positions"),
        "adopted": audience.reads(actor, "decision", "adopted"),
        "actions": audience.reads(actor, "action_item"),
    }


@login_required
def meetings(request):
    actor = actor_for(request.user)
    items = list(Meeting.objects.order_by("-starts_on", "-number").prefetch_related("decisions"))
    for m in items:
        decisions = list(audience.rows(actor, "decision", m.decisions.all()))
        m.n_decisions = len(decisions)
        m.n_adopted = sum(1 for d in decisions if d.adopted)
    context = {
        "section": "meetings",
        "meetings": items,
        "today": today(),
        "mechanism": Mechanism.current(),
        "sees": sees(actor),
    }
    return render(request, "web/meetings/list.html", context)


def _members_at(meeting):
    """Everyone whose tenure overlaps the meeting: whom the attendance list may name."""
    return (
        Member.objects.filter(Q(tenure_start__isnull=True) | Q(tenure_start__lte=meeting.ends_on))
        .filter(Q(tenure_end__isnull=True) | Q(tenure_end__gte=meeting.starts_on))
        .select_related("party")
        .order_by(F("party__order").asc(nulls_last=True), F("seat").asc(nulls_last=True), "tenure_start", "id")
    )


def _attendance(meeting, parties):
    """Per party: each seat with who held it during the meeting and whether they were present."""
    present = set(meeting.attendance.values_list("member_id", flat=True))
    members = list(_members_at(meeting))
    quorum = meeting.quorum()
    out = []
    for party in parties:
        seats = []
        for n in range(1, party.seats + 1):
            holders = [m for m in members if m.party_id == party.code and m.seat == n]
            seats.append({"number": n, "holders": [{"member": m, "present": m.id in present} for m in holders]})
        out.append(
            {
                "party": party,
                "seats": seats,
                "present": quorum.present.get(party.code, 0),
                "short": quorum.short.get(party.code, 0),
            }
        )
    seated_ids = {m.id for m in members if m.party_id and m.seat}
    others = Member.objects.filter(id__in=present - seated_ids).select_related("party")
    return out, quorum, list(others), bool(present)


def decision_context(decision, parties, can, form=None, saved=False):
    """What the decision card shows: every party's position and the outcome in words, as far as
    the reader may read them (observers: that it was recorded, and whether adopted, not who said what)."""
    who_said_what = audience.reads(can.actor, "decision", "positions")
    positions = {p.party_id: p for p in decision.positions.all()} if who_said_what else {}
    outcome = decision.outcome()
    names = {p.code: p.text("name") for p in parties}
    said = (lambda codes: [names[c] for c in codes]) if who_said_what else (lambda codes: [])
    rows = [{"party": p, "position": positions.get(p.code), "suspended": p.suspended} for p in parties]
    mine = None
    if commands.position_refusal(can.actor, decision) is None:
        mine = form or forms.position_form(id_prefix=f"d{decision.id}-", about=forms.about_decision(decision))
        current = positions.get(can.actor.party)
        if form is None and current is not None:
            mine.initial = {"position": current.position}
    return {
        "decision": decision,
        "rows": rows,
        "outcome": outcome,
        # What it waits for names the parties that have not approved: who said what.
        "waits": commands.waiting_for(decision) if who_said_what else [],
        "objected": said(outcome.objected_by),
        "abstained": said(outcome.abstained_by),
        "suspended_names": [names[c] for c in outcome.suspended],
        "position_form": mine,
        "saved": saved,
        "sees": sees(can.actor),
        "published": publications.published(Publication.DECISION, decision.id),
        "may_publish": publications.publication_refusal(can.actor, Publication.DECISION, decision) is None,
    }


@login_required
def meeting(request, ref):
    m = meeting_or_404(ref)
    can = can_for(request)
    parties = list(Party.objects.order_by("order"))
    actor = can.actor
    attendance, quorum, others, recorded = _attendance(m, parties)
    decisions = list(audience.rows(actor, "decision", m.decisions.prefetch_related("positions")))
    day = today()
    actions = list(
        audience.rows(actor, "action_item", m.action_items.select_related("owner_party", "decision")).order_by(
            F("deadline").asc(nulls_last=True), "id"
        )
    )
    for item in actions:
        item.overdue = item.overdue_on(day)
        item.may_update = can.update_action(item)
    context = {
        "section": "meetings",
        "meeting": m,
        "attendance": attendance,
        "attendance_recorded": recorded,
        "attendance_refusal": commands.attendance_refusal(m),
        "quorum": quorum,
        "others_present": others,
        "agenda": audience.agenda(actor, m),
        "decisions": [decision_context(d, parties, can) for d in decisions],
        "actions": actions,
        "sees": sees(actor),
    }
    return render(request, "web/meetings/detail.html", context)


@login_required
def meeting_new(request):
    return form_page(
        request,
        form_factory=forms.meeting_form,
        call=commands.record_meeting,
        allowed=can_for(request).facilitate,
        title=_("Record a meeting"),
        intro=_("The meeting receives the next number; its reference is shown to everyone."),
        back=reverse("meetings"),
        success=meeting_url,
        done=_("The meeting has been recorded."),
        section="meetings",
    )


def _meeting_form_page(request, ref, *, form_factory, call, title, done, anchor, intro="", unavailable=""):
    m = meeting_or_404(ref)
    return form_page(
        request,
        unavailable=unavailable,
        form_factory=lambda data: form_factory(data, m),
        call=lambda actor, data: call(actor, m.id, data),
        allowed=can_for(request).facilitate,
        title=title,
        intro=intro,
        back=meeting_url(m),
        success=lambda result: meeting_url(m, anchor(result) if callable(anchor) else anchor),
        done=done,
        section="meetings",
        extra={"meeting": m},
    )


@login_required
def meeting_attendance(request, ref):
    m = meeting_or_404(ref)
    members = list(_members_at(m))
    refusal = commands.attendance_refusal(m)
    return _meeting_form_page(
        request,
        ref,
        unavailable=str(refusal) if refusal else "",
        form_factory=lambda data, meeting: forms.attendance_form(data, meeting, members),
        call=commands.record_attendance,
        title=_("Attendance at %(ref)s") % {"ref": m.reference},
        intro=_("Tick everyone present. The list replaces any earlier one. Quorum is counted per party."),
        done=_("Attendance has been saved."),
        anchor="attendance",
    )


@login_required
def meeting_agenda(request, ref):
    return _meeting_form_page(
        request,
        ref,
        form_factory=lambda data, meeting: forms.agenda_form(data),
        call=commands.add_agenda_item,
        title=_("Add an agenda item"),
        done=_("The agenda item has been added."),
        anchor="agenda",
    )


@login_required
def meeting_decision(request, ref):
    return _meeting_form_page(
        request,
        ref,
        form_factory=lambda data, meeting: forms.decision_form(data),
        call=lambda actor, meeting_id, data: commands.record_decision(actor, meeting_id, forms.decision_data(data)),
        title=_("Put a decision before the committee"),
        intro=_("It is adopted only when every party approves it at a meeting held with each party's quorum present."),
        done=_("The decision is before the committee."),
        anchor=lambda d: f"decision-{d.number}",
    )


@login_required
def meeting_minutes(request, ref):
    return _meeting_form_page(
        request,
        ref,
        form_factory=lambda data, meeting: forms.minutes_form(data, meeting),
        call=commands.record_minutes,
        title=_("Minutes"),
        done=_("The minutes have been saved."),
        anchor="minutes",
    )


@login_required
def meeting_action(request, ref):
    return _meeting_form_page(
        request,
        ref,
        form_factory=forms.action_form,
        call=commands.add_action_item,
        title=_("Add an action item"),
        done=_("The action item has been added."),
        anchor=lambda item: f"action-{item.id}",
    )


@login_required
def position(request, ref, number):
    """A party's position on a decision. With htmx, the decision card is swapped in place."""
    m = meeting_or_404(ref)
    decision = get_object_or_404(Decision, meeting=m, number=number)
    can = can_for(request)
    parties = list(Party.objects.order_by("order"))
    if request.method != "POST":
        if not can.speak:
            return forbidden(request)
        context = decision_context(decision, parties, can)
        return render(request, "web/meetings/position.html", {**context, "meeting": m, "section": "meetings"})
    form = forms.position_form(request.POST, id_prefix=f"d{decision.id}-", about=forms.about_decision(decision))
    result, status = attempt(request, form, lambda actor, data: commands.take_position(actor, decision.id, data))
    if status is None:
        decision = Decision.objects.get(id=decision.id)
        if request.htmx:
            context = decision_context(decision, parties, can, saved=True)
            return render(request, "web/meetings/_decision.html", {**context, "meeting": m})
        messages.success(request, _("Your party's position has been recorded."))
        return redirect(meeting_url(m, f"decision-{decision.number}"))
    context = decision_context(decision, parties, can, form=form)
    if context["position_form"] is None:  # not this user's to give, or no longer open: say why
        context["card_errors"] = [message for _id, _label, message in form.error_list()]
    if request.htmx:
        return render(request, "web/meetings/_decision.html", {**context, "meeting": m}, status=status)
    return render(
        request, "web/meetings/position.html", {**context, "meeting": m, "section": "meetings"}, status=status
    )


@login_required
def action_status(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("meeting", "owner_party"), pk=pk)
    return form_page(
        request,
        form_factory=lambda data: forms.action_status_form(data, item),
        call=lambda actor, data: commands.set_action_status(actor, item.id, data),
        allowed=can_for(request).update_action(item),
        title=_("Update an action item"),
        back=meeting_url(item.meeting, f"action-{item.id}"),
        success=lambda i: meeting_url(item.meeting, f"action-{i.id}"),
        done=_("The action item has been updated."),
        section="meetings",
        extra={"item": item},
    )

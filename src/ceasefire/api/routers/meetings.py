"""Meetings, their agenda and minutes, decisions and the parties' positions, action items."""

from ninja import Query, Router, Status

from ceasefire import audience
from ceasefire.mechanism import commands
from ceasefire.mechanism.commands import get
from ceasefire.mechanism.models import ActionItem, Decision, Meeting

from ..common import Id, SearchText, matching, readable, reading, writing
from ..schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionStatusIn,
    AgendaItemIn,
    AgendaItemOut,
    AttendanceIn,
    DecisionIn,
    DecisionOut,
    MeetingIn,
    MeetingOut,
    MeetingSummary,
    MinutesIn,
    PositionIn,
    StatusName,
)

router = Router(tags=["meetings"])


@router.get("/meetings", response=reading(list[MeetingSummary]), summary="Meetings, the latest first")
def meetings(request, q: SearchText = None):
    # minutes are not searched: not every reader may read them (ceasefire.audience)
    return matching(
        Meeting.objects.all(),
        q,
        lambda m: (
            m.title_ar,
            m.title_en,
            m.city_ar,
            m.city_en,
            m.country_ar,
            m.country_en,
            m.host_ar,
            m.host_en,
            m.summary_ar,
            m.summary_en,
        ),
    )


@router.post("/meetings", response=writing(MeetingOut, 201), summary="Record a meeting")
def record_meeting(request, payload: MeetingIn):
    return Status(201, commands.record_meeting(request.auth, payload.data()))


@router.get(
    "/meetings/{meeting_id}",
    response=reading(MeetingOut),
    summary="A meeting with its attendance, quorum, agenda, decisions and action items",
)
def meeting(request, meeting_id: Id):
    return get(Meeting, meeting_id, "meeting")


@router.post(
    "/meetings/{meeting_id}/attendance",
    response=writing(MeetingOut),
    summary="Who was present: the whole list, replacing any earlier one",
)
def attendance(request, meeting_id: Id, payload: AttendanceIn):
    return commands.record_attendance(request.auth, meeting_id, payload.data())


@router.post("/meetings/{meeting_id}/agenda", response=writing(AgendaItemOut, 201), summary="Add an agenda item")
def add_agenda_item(request, meeting_id: Id, payload: AgendaItemIn):
    return Status(201, commands.add_agenda_item(request.auth, meeting_id, payload.data()))


@router.post("/meetings/{meeting_id}/minutes", response=writing(MeetingOut), summary="Record the minutes")
def minutes(request, meeting_id: Id, payload: MinutesIn):
    return commands.record_minutes(request.auth, meeting_id, payload.data())


@router.get("/meetings/{meeting_id}/decisions", response=reading(list[DecisionOut]))
def decisions(request, meeting_id: Id, q: SearchText = None):
    decisions = get(Meeting, meeting_id, "meeting").decisions.prefetch_related("positions")
    return matching(audience.rows(request.auth, "decision", decisions), q, lambda d: (d.text_ar, d.text_en))


@router.post(
    "/meetings/{meeting_id}/decisions",
    response=writing(DecisionOut, 201),
    summary="Put a proposal before the committee",
)
def record_decision(request, meeting_id: Id, payload: DecisionIn):
    return Status(201, commands.record_decision(request.auth, meeting_id, payload.data()))


@router.get(
    "/decisions/{decision_id}",
    response=reading(DecisionOut),
    summary="A decision: adopted or not, and every party's position",
)
def decision(request, decision_id: Id):
    return readable(request, "decision", Decision, decision_id, "decision")


@router.post(
    "/decisions/{decision_id}/positions",
    response=writing(DecisionOut),
    summary="The position of the caller's party, given by whoever speaks for it",
)
def take_position(request, decision_id: Id, payload: PositionIn):
    return commands.take_position(request.auth, decision_id, payload.data())


@router.get("/meetings/{meeting_id}/action-items", response=reading(list[ActionItemOut]))
def meeting_action_items(request, meeting_id: Id):
    return list(audience.rows(request.auth, "action_item", get(Meeting, meeting_id, "meeting").action_items.all()))


@router.post("/meetings/{meeting_id}/action-items", response=writing(ActionItemOut, 201), summary="Add an action item")
def add_action_item(request, meeting_id: Id, payload: ActionItemIn):
    return Status(201, commands.add_action_item(request.auth, meeting_id, payload.data()))


@router.get("/action-items", response=reading(list[ActionItemOut]), summary="Action items, by deadline")
def action_items(request, status: Query[StatusName | None] = None):
    qs = audience.rows(request.auth, "action_item", ActionItem.objects.all())
    if status is not None:
        qs = qs.filter(status=status)
    return list(qs)


@router.get("/action-items/{action_item_id}", response=reading(ActionItemOut))
def action_item(request, action_item_id: Id):
    return readable(request, "action_item", ActionItem, action_item_id, "action_item")


@router.post("/action-items/{action_item_id}/status", response=writing(ActionItemOut), summary="Update an action item")
def set_status(request, action_item_id: Id, payload: ActionStatusIn):
    return commands.set_action_status(request.auth, action_item_id, payload.data())

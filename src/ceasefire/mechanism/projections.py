"""How each mechanism event changes the tables. Only the event's own content is read, so that
replay on an empty database arrives at the same state.

Each event type names its widest audience (record.log.AUDIENCES). What the committee announces —
its establishment, its meetings, a suspension — is public; who sits on it and what a meeting
decided, observers too; the minutes, the agenda, each party's position and the action items stay
with the parties. A bundle for a narrower audience still carries the leaf hash of everything.
"""

import datetime as dt

from ceasefire.record import note
from ceasefire.record.log import projects

from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Mechanism,
    Meeting,
    Member,
    Party,
    Position,
    Suspension,
    WitnessKey,
)


def _date(s):
    return dt.date.fromisoformat(s) if s else None


@projects("mechanism.established", audience="public")
def _established(event):
    p = event.payload
    mechanism = Mechanism.objects.create(
        id=event.seq,
        name_ar=p["name_ar"],
        name_en=p["name_en"],
        mandate_ar=p["mandate_ar"],
        mandate_en=p["mandate_en"],
        facilitator_ar=p["facilitator_ar"],
        facilitator_en=p["facilitator_en"],
        established_on=_date(p["established_on"]),
        source=p["source"],
    )
    for order, party in enumerate(p["parties"]):
        Party.objects.create(
            code=party["code"],
            mechanism=mechanism,
            order=order,
            name_ar=party["name_ar"],
            name_en=party["name_en"],
            seats=party["seats"],
            quorum=party["quorum"],
        )


def _member(seq, fields, predecessor=None):
    return Member.objects.create(
        id=seq,
        name_ar=fields["name_ar"],
        name_latin=fields["name_latin"],
        rank_ar=fields["rank_ar"],
        rank_en=fields["rank_en"],
        title_ar=fields["title_ar"],
        title_en=fields["title_en"],
        party_id=fields["party"],
        seat=fields["seat"],
        role=fields["role"],
        tenure_start=_date(fields["tenure_start"]),
        predecessor=predecessor,
        source=fields["source"],
    )


@projects("member.appointed", audience="observers")
def _appointed(event):
    _member(event.seq, event.payload)


@projects("member.replaced", audience="observers")
def _replaced(event):
    p = event.payload
    predecessor = Member.objects.get(id=p["member"])
    predecessor.tenure_end = _date(p["on"])
    predecessor.save(update_fields=["tenure_end"])
    _member(event.seq, p["successor"], predecessor=predecessor)


@projects("member.left", audience="observers")
def _left(event):
    Member.objects.filter(id=event.payload["member"]).update(tenure_end=_date(event.payload["on"]))


@projects("party.suspended", audience="public")
def _suspended(event):
    p = event.payload
    Party.objects.filter(code=p["party"]).update(suspended_since=_date(p["since"]))
    Suspension.objects.create(
        id=event.seq,
        party_id=p["party"],
        since=_date(p["since"]),
        reason_ar=p["reason_ar"],
        reason_en=p["reason_en"],
        source=p["source"],
    )


@projects("party.resumed", audience="public")
def _resumed(event):
    p = event.payload
    Party.objects.filter(code=p["party"]).update(suspended_since=None)
    Suspension.objects.filter(party_id=p["party"], until__isnull=True).update(
        until=_date(p["on"]),
        resumption_note_ar=p["note_ar"],
        resumption_note_en=p["note_en"],
        resumption_source=p["source"],
    )


_MEETING_TEXTS = [
    f"{name}_{lang}" for name in ("title", "city", "country", "host", "received_by", "summary") for lang in ("ar", "en")
]


@projects("meeting.recorded", audience="public")
def _meeting(event):
    p = event.payload
    Meeting.objects.create(
        id=event.seq,
        number=p["number"],
        starts_on=_date(p["starts_on"]),
        ends_on=_date(p["ends_on"]),
        source=p["source"],
        **{f: p[f] for f in _MEETING_TEXTS},
    )


@projects("meeting.minutes", audience="parties")
def _minutes(event):
    p = event.payload
    Meeting.objects.filter(id=p["meeting"]).update(minutes_ar=p["minutes_ar"], minutes_en=p["minutes_en"])


@projects("meeting.attendance", audience="observers")
def _attendance(event):
    p = event.payload
    Attendance.objects.filter(meeting_id=p["meeting"]).delete()
    Attendance.objects.bulk_create(Attendance(meeting_id=p["meeting"], member_id=m) for m in p["present"])


@projects("agenda.item_added", audience="parties")
def _agenda_item(event):
    p = event.payload
    AgendaItem.objects.create(
        id=event.seq, meeting_id=p["meeting"], number=p["number"], title_ar=p["title_ar"], title_en=p["title_en"]
    )


@projects("decision.recorded", audience="observers")
def _decision(event):
    p = event.payload
    Decision.objects.create(
        id=event.seq,
        meeting_id=p["meeting"],
        number=p["number"],
        text_ar=p["text_ar"],
        text_en=p["text_en"],
        source=p["source"],
    )


@projects("decision.position_taken", audience="parties")
def _position(event):
    entry = event.data
    p = entry["payload"]
    Position.objects.update_or_create(
        decision_id=p["decision"],
        party_id=p["party"],
        defaults={
            "position": p["position"],
            "given_by": event.account,
            "given_at": event.time,
            "reason_ar": p["reason_ar"],
            "reason_en": p["reason_en"],
        },
    )
    if entry["v"] < 3:
        _adopt_by_the_rule_of_its_time(event, p["decision"])


def _adopt_by_the_rule_of_its_time(event, decision_id):
    """Before entries of version 3, the record stated no adoption: the projector adopted a decision
    when every party had approved it. That stays the rule for those entries, so that a record
    written then replays as it was projected then."""
    decision = Decision.objects.get(id=decision_id)
    if not decision.adopted and decision.outcome().adopted:
        decision.adopted = True
        decision.adopted_at = event.time
        decision.adopted_through = Decision.POSITIONS
        decision.save(update_fields=["adopted", "adopted_at", "adopted_through"])


# Observers read that a decision was adopted (and on what basis), not who said what: the positions
# stay with the parties. The command that completes a decision appends this; nothing here decides.
@projects("decision.adopted", audience="observers")
def _adopted(event):
    p = event.payload
    Decision.objects.filter(id=p["decision"]).update(
        adopted=True,
        adopted_at=event.time,
        adopted_through=p["through"],
        adopted_source=p["source"],
        adopted_on=_date(p["on"]),
    )


@projects("action.added", audience="parties")
def _action(event):
    p = event.payload
    ActionItem.objects.create(
        id=event.seq,
        meeting_id=p["meeting"],
        decision_id=p["decision"],
        text_ar=p["text_ar"],
        text_en=p["text_en"],
        owner_party_id=p["owner_party"],
        owner_ar=p["owner_ar"],
        owner_en=p["owner_en"],
        deadline=_date(p["deadline"]),
    )


@projects("action.status_set", audience="parties")
def _action_status(event):
    p = event.payload
    ActionItem.objects.filter(id=p["item"]).update(status=p["status"], status_note=p["note"])


@projects("witness.key_registered", audience="public")  # anyone verifying a bundle needs the keys
def _witness_key_registered(event):
    p = event.payload
    key = note.parse_verifier_key(p["vkey"])
    WitnessKey.objects.filter(party_id=p["party"], retired_at__isnull=True).update(retired_at=event.time)
    WitnessKey.objects.create(
        id=event.seq,
        party_id=p["party"],
        name=key.name,
        key_id=key.key_id.hex(),
        vkey=p["vkey"],
        registered_by=event.account,
        registered_at=event.time,
    )

"""How each event of the register, the withdrawal plan and departures changes the tables, from the
event's content alone.

Audiences: the plan and its stages are public (the committee published its action plan); the
groups registered and the departures claimed are read by observers too, with their sources
(informants stay in the vault); presence claims, each party's word on its side of a stage, and
proposals to record an imbalance and the positions on them stay with the parties. That a stage is
complete, and how, is the observers' too, from its own entry (forces.stage_completed), which says
what the committee recorded.
"""

import datetime as dt

from ceasefire.mechanism.parity import APPROVE
from ceasefire.record.log import projects

from .models import Departure, Group, Imbalance, ImbalancePosition, Plan, Presence, Stage, StageSide, StageStatus


def _date(s):
    return dt.date.fromisoformat(s) if s else None


@projects("forces.group_registered", audience="observers")
def _group(event):
    p = dict(event.payload)
    p["claimed_by_id"] = p.pop("claimed_by")
    Group.objects.create(id=event.seq, recorded_by=event.account, recorded_at=event.time, **p)


@projects("forces.presence_claimed", audience="parties")
def _presence(event):
    p = dict(event.payload)
    p["group_id"] = p.pop("group")
    p["claimed_by_id"] = p.pop("claimed_by")
    for k in ("from_on", "until_on", "as_of"):
        p[k] = _date(p[k])
    Presence.objects.create(id=event.seq, recorded_by=event.account, recorded_at=event.time, **p)


@projects("forces.plan_recorded", audience="public")
def _plan(event):
    p = dict(event.payload)
    p["agreed_on"] = _date(p["agreed_on"])
    Plan.objects.create(id=event.seq, **p)


@projects("forces.stage_added", audience="public")
def _stage(event):
    p = dict(event.payload)
    p["plan_id"] = p.pop("plan")
    Stage.objects.create(id=event.seq, **p)


@projects("forces.stage_side_reported", audience="parties")
def _side(event):
    p = event.payload
    StageSide.objects.update_or_create(
        stage_id=p["stage"],
        party_id=p["party"],
        defaults={
            "complete": p["complete"],
            "as_of": _date(p["as_of"]),
            "note_ar": p["note_ar"],
            "note_en": p["note_en"],
            "source": p["source"],
            "given_by": event.account,
            "given_at": event.time,
        },
    )
    # One side's word makes a stage "complete on one side only", never complete: only the
    # committee's entry (forces.stage_completed) does.
    stage = Stage.objects.get(id=p["stage"])
    if not stage.complete:
        stage.status = StageStatus.IN_PROGRESS if stage.sides.filter(complete=True).exists() else StageStatus.PENDING
        stage.save(update_fields=["status"])


@projects("forces.imbalance_proposed", audience="parties")
def _imbalance(event):
    p = event.payload
    Imbalance.objects.create(
        id=event.seq,
        stage_id=p["stage"],
        party_id=p["party"],
        text_ar=p["text_ar"],
        text_en=p["text_en"],
        proposed_by=event.account,
        proposed_at=event.time,
    )
    if p["party"]:  # a party proposes what it approves: the entry is its position too
        ImbalancePosition.objects.create(
            imbalance_id=event.seq, party_id=p["party"], position=APPROVE, given_by=event.account, given_at=event.time
        )


@projects("forces.imbalance_position_taken", audience="parties")
def _imbalance_position(event):
    p = event.payload
    ImbalancePosition.objects.update_or_create(
        imbalance_id=p["imbalance"],
        party_id=p["party"],
        defaults={
            "position": p["position"],
            "reason_ar": p["reason_ar"],
            "reason_en": p["reason_en"],
            "given_by": event.account,
            "given_at": event.time,
        },
    )


@projects("forces.stage_completed", audience="observers")
def _completed(event):
    p = event.payload
    Stage.objects.filter(id=p["stage"]).update(status=p["outcome"], completed_at=event.time)
    if p["imbalance"]:
        Imbalance.objects.filter(id=p["imbalance"]).update(recorded=True)


@projects("forces.departure_claimed", audience="observers")
def _departure(event):
    p = dict(event.payload)
    p["group_id"] = p.pop("group")
    p["claimed_by_id"] = p.pop("claimed_by")
    p["departed_on"] = _date(p["departed_on"])
    Departure.objects.create(id=event.seq, recorded_by=event.account, recorded_at=event.time, **p)

"""A decision's adoption is a fact the record states, in the command that completes it: the
meeting held, every party's approval and each party's own quorum recorded present. Replay applies
what the record says, whatever the rule is by then. Decisions known only from public sources are
adopted according to the source they cite, never through positions."""

import datetime as dt

import pytest
from django.utils.translation import override

from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism import commands, parity
from ceasefire.mechanism.models import Decision, Position
from ceasefire.record import log, replay
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import hold, refused


def meeting_on(day: str, title: str = "Geneva round"):
    return commands.record_meeting(
        FACILITATOR, {"title": title, "starts_on": day, "city": "Geneva", "country": "Switzerland"}
    )


def propose(meeting, **data):
    return commands.record_decision(FACILITATOR, meeting.id, {"text": "Adopt the action plan", **data})


def waits(decision, lang="en"):
    with override(lang):
        return commands.waiting_for(decision)


def approve(actors, decision, *parties):
    for party in parties:
        decision = commands.take_position(actors[f"{party}-head"], decision.id, {"position": "approve"})
    return decision


def test_the_record_states_the_adoption_and_replay_keeps_it_whatever_the_rule_is_by_then(actors, monkeypatch):
    meeting = meeting_on("2021-10-08")
    hold(meeting)
    d = approve(actors, propose(meeting), "west", "east")
    assert d.adopted and d.adopted_through == "positions" and not d.adopted_per_source
    adoption = Event.objects.get(type="decision.adopted")
    assert adoption.payload == {"decision": d.id, "through": "positions", "source": "", "on": None}
    assert (adoption.actor, adoption.account) == ("committee", "committee") and adoption.seq == Event.objects.get(
        type="decision.position_taken", party="east"
    ).seq + 1
    # Observers read that it was adopted; who said what stays with the parties.
    assert log.readable("decision.adopted", "observers") and not log.readable("decision.adopted", "public")
    assert not log.readable("decision.position_taken", "observers")
    adopted_at = d.adopted_at

    # A later rule under which nothing is ever adopted: replaying the record changes no past adoption.
    never = parity.Outcome(
        adopted=False, approved_by=(), objected_by=(), abstained_by=(), waiting_for=("west", "east"), suspended=()
    )
    monkeypatch.setattr(parity, "outcome", lambda *a, **k: never)
    monkeypatch.setattr(parity, "waiting_for", lambda *a, **k: (parity.Waiting(parity.NOT_HELD),), raising=False)
    replay.rebuild()
    d = Decision.objects.get(id=d.id)
    assert (d.adopted, d.adopted_at, d.adopted_through) == (True, adopted_at, "positions")
    monkeypatch.undo()
    assert replay.check(progress=None).ok


def test_approval_without_each_partys_quorum_waits_and_the_attendance_that_completes_it_adopts(actors):
    meeting = meeting_on("2021-10-08")
    d = approve(actors, propose(meeting), "west", "east")
    assert not d.adopted and not Event.objects.filter(type="decision.adopted").exists()
    assert waits(d) == [
        "quorum of the delegation of Western region not recorded",
        "quorum of the delegation of Eastern region not recorded",
    ]
    assert waits(d, "ar") == ["لم يُسجَّل نصاب وفد المنطقة الغربية", "لم يُسجَّل نصاب وفد المنطقة الشرقية"]

    # The western quorum and two of the east's three: still waiting, for the east alone.
    seated = {
        party: [
            commands.appoint_member(
                FACILITATOR, {"name_latin": f"{party} {seat}", "role": "member", "party": party, "seat": seat}
            )
            for seat in (1, 2, 3)
        ]
        for party in ("west", "east")
    }
    monitor = commands.appoint_member(FACILITATOR, {"name_latin": "UN monitor", "role": "monitor"})
    present = [m.id for m in seated["west"] + seated["east"][:2]] + [monitor.id]  # a monitor is no party's quorum
    commands.record_attendance(FACILITATOR, meeting.id, {"present": present})
    d.refresh_from_db()
    assert not d.adopted and waits(d) == ["quorum of the delegation of Eastern region not recorded"]

    # The attendance that completes the quorum adopts it, in the same command; the positions stay.
    commands.record_attendance(FACILITATOR, meeting.id, {"present": present + [seated["east"][2].id]})
    d.refresh_from_db()
    assert d.adopted and d.adopted_through == "positions" and waits(d) == []
    assert (
        Event.objects.filter(type="decision.adopted").get().actor == "committee"
    )  # no party is named as the one that completed it
    assert {p.party_id: p.given_by for p in Position.objects.filter(decision=d)} == {
        "west": "west-head",
        "east": "east-head",
    }
    # Adopted is a fact: a later list may not take back the quorum it was adopted with.
    with pytest.raises(Conflict):
        commands.record_attendance(FACILITATOR, meeting.id, {"present": []})
    d.refresh_from_db()
    assert d.adopted
    assert replay.check(progress=None).ok


def test_positions_wait_for_the_partys_own_and_a_meeting_not_held_adopts_nothing(actors, monkeypatch):
    ahead = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    meeting = meeting_on(ahead, "Sirte round")
    d = propose(meeting)
    assert waits(d) == [
        "the meeting has not taken place yet",
        "position of the delegation of Western region not given",
        "quorum of the delegation of Western region not recorded",
        "position of the delegation of Eastern region not given",
        "quorum of the delegation of Eastern region not recorded",
    ]
    d = commands.take_position(actors["east-head"], d.id, {"position": "object"})
    assert "the delegation of Eastern region has not approved" in waits(d)
    d = approve(actors, d, "west", "east")  # stated ahead of the meeting
    with refused(Conflict, "meeting"):  # nobody sits at a meeting that has not begun
        commands.record_attendance(FACILITATOR, meeting.id, {"present": []})
    assert waits(d)[0] == "the meeting has not taken place yet"

    # The meeting's first day: attendance is recorded, and it completes the decision.
    first_day = dt.datetime.fromisoformat(ahead + "T08:00:00+00:00")
    monkeypatch.setattr(log, "_clock", lambda: first_day)
    hold(meeting)
    d.refresh_from_db()
    assert d.adopted and d.adopted_at == first_day
    assert replay.check(progress=None).ok


def test_a_decision_known_only_from_sources_is_adopted_according_to_them_never_through_positions(actors):
    meeting = commands.record_meeting(
        FACILITATOR,
        {
            "title": "Ghadames",
            "starts_on": "2020-11-02",
            "ends_on": "2020-11-03",
            "city": "Ghadames",
            "country": "Libya",
        },
    )
    source = "Libya Herald, 4 Nov 2020: https://www.libyaherald.com/2020/11/04/"
    d = propose(meeting, source=source, adopted_per_source={"source": source, "on": "2020-11-03"})
    assert d.adopted and d.adopted_per_source and d.adopted_through == "source"
    assert (d.adopted_source, d.adopted_on) == (source, dt.date(2020, 11, 3))
    assert waits(d) == [] and not d.positions.exists()
    assert Event.objects.filter(type="decision.adopted").get().payload == {
        "decision": d.id,
        "through": "source",
        "source": source,
        "on": "2020-11-03",
    }
    with refused(Conflict):  # its adoption is the source's word: no position counts for or against it
        commands.take_position(actors["west-head"], d.id, {"position": "object"})
    # A source that gives no day: the meeting's dates stand.
    assert propose(meeting, adopted_per_source={"source": source}).adopted_on is None
    assert replay.check(progress=None).ok


@pytest.mark.parametrize(
    "value, error, field",
    [
        ({"on": "2020-11-03"}, Invalid, "adopted_per_source.source"),
        ({"source": "x", "on": "2020-11-05"}, Invalid, "adopted_per_source.on"),
        ({"source": "x", "on": "3 Nov"}, Invalid, "adopted_per_source.on"),
        ("Libya Herald", Invalid, "adopted_per_source"),
    ],
)
def test_a_sourced_adoption_names_its_source_and_a_day_of_the_meeting(mechanism, value, error, field):
    meeting = commands.record_meeting(
        FACILITATOR,
        {
            "title": "Ghadames",
            "starts_on": "2020-11-02",
            "ends_on": "2020-11-03",
            "city": "Ghadames",
            "country": "Libya",
        },
    )
    with refused(error, field):
        propose(meeting, adopted_per_source=value)


def test_no_source_reports_what_a_meeting_not_yet_held_adopted_and_only_the_facilitator_records_one(actors):
    ahead = meeting_on((dt.date.today() + dt.timedelta(days=3)).isoformat())
    with refused(Conflict, "adopted_per_source"):
        propose(ahead, adopted_per_source={"source": "a press release"})
    with refused(Forbidden):
        commands.record_decision(actors["west-head"], ahead.id, {"text": "x", "adopted_per_source": {"source": "us"}})


@pytest.mark.parametrize("first, last", [(-2, 0), (0, 0), (-1, 1), (-3, -1)])
def test_a_source_speaks_only_for_a_meeting_that_has_ended(mechanism, first, last):
    day = dt.date.today()
    meeting = commands.record_meeting(
        FACILITATOR,
        {
            "title": "Round",
            "city": "Sirte",
            "country": "Libya",
            "starts_on": (day + dt.timedelta(days=first)).isoformat(),
            "ends_on": (day + dt.timedelta(days=last)).isoformat(),
        },
    )
    if last < 0:  # ended yesterday: its days are past, and a source may report them
        assert propose(
            meeting, adopted_per_source={"source": "a press release", "on": meeting.ends_on.isoformat()}
        ).adopted_per_source
        return
    # While it runs, its decisions are the parties' to take; no source's word stands in for theirs.
    with refused(Conflict, "adopted_per_source"):
        propose(meeting, adopted_per_source={"source": "a press release"})
    with refused(Conflict, "adopted_per_source"):
        propose(meeting, adopted_per_source={"source": "a press release", "on": day.isoformat()})

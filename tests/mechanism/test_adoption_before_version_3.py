"""A record written before its entries stated adoptions (entry version < 3) replays as it was
projected then: the projector adopted a decision once every party approved it. From version 3 on,
the record's own decision.adopted entry is the only thing that adopts."""

import dataclasses

import pytest

from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Decision
from ceasefire.record import log, replay
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import hold


@pytest.fixture
def decision(actors):
    meeting = commands.record_meeting(
        FACILITATOR, {"title": "Geneva round", "starts_on": "2021-10-08", "city": "Geneva", "country": "Switzerland"}
    )
    return commands.record_decision(FACILITATOR, meeting.id, {"text": "Adopt the action plan"})


def positions_as_written_by(version, monkeypatch, actors, decision, *parties):
    """Take the parties' approvals as the code of entry `version` wrote them: no adoption entry."""
    monkeypatch.setattr(log, "SCHEMA_VERSION", version)
    monkeypatch.setattr(commands, "_adopt_if_complete", lambda actor, decision: None)
    for party in parties:
        # Before version 4 an entry named the account in the clear, as a system actor's still does.
        commands.take_position(
            dataclasses.replace(actors[f"{party}-head"], system=True), decision.id, {"position": "approve"}
        )
    monkeypatch.undo()
    return Decision.objects.get(id=decision.id)


def test_a_version_2_record_adopts_by_the_rule_of_its_time_and_replays_the_same(actors, decision, monkeypatch):
    # Then, every party's approval adopted: no meeting held, no quorum, and no adoption entry.
    d = positions_as_written_by(2, monkeypatch, actors, decision, "west")
    assert not d.adopted
    d = positions_as_written_by(2, monkeypatch, actors, decision, "east")
    assert [e.data["v"] for e in Event.objects.filter(type="decision.position_taken")] == [2, 2]
    assert not Event.objects.filter(type="decision.adopted").exists()
    assert (d.adopted, d.adopted_through) == (True, "positions")
    adopted_at = d.adopted_at
    assert adopted_at == Event.objects.filter(type="decision.position_taken").latest("seq").time

    assert replay.check(progress=None).ok
    replay.rebuild()
    d = Decision.objects.get(id=d.id)
    assert (d.adopted, d.adopted_at, d.adopted_through) == (True, adopted_at, "positions")


def test_version_3_positions_alone_never_adopt(actors, decision, monkeypatch):
    hold(decision.meeting)
    d = positions_as_written_by(3, monkeypatch, actors, decision, "west", "east")
    assert [e.data["v"] for e in Event.objects.filter(type="decision.position_taken")] == [3, 3]
    assert not d.adopted
    replay.rebuild()
    assert not Decision.objects.get(id=d.id).adopted
    assert replay.check(progress=None).ok


def test_new_entries_are_version_3_or_later_and_state_their_adoption(actors, decision):
    hold(decision.meeting)
    commands.take_position(actors["west-head"], decision.id, {"position": "approve"})
    commands.take_position(actors["east-head"], decision.id, {"position": "approve"})
    adopted = Event.objects.get(type="decision.adopted")
    assert log.SCHEMA_VERSION == 4 and adopted.data["v"] == 4
    assert Decision.objects.get(id=decision.id).adopted

"""A disputed report whose meeting ends without settling it goes on the next meeting's agenda
when that meeting is recorded, and a new proposal can be put to it there."""

import datetime as dt

from ceasefire.incidents import commands
from ceasefire.mechanism import commands as mechanism
from tests.conftest import FACILITATOR
from tests.helpers import hold

from . import steps


def meeting(day: dt.date, title: str):
    return mechanism.record_meeting(
        FACILITATOR, {"title": title, "starts_on": day.isoformat(), "city": "Sirte", "country": "Libya"}
    )


def test_an_unsettled_dispute_comes_back_at_the_next_meeting(actors, filed, clock):
    first = meeting(clock.now.date(), "This round")  # today: the dispute goes on its agenda
    r = steps.advance(actors, filed, "disputed")
    assert r.agenda_item.meeting_id == first.id
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "Findings upheld"})
    unanswered = r.decision_id

    clock.set(clock.now + dt.timedelta(days=3))  # the round ended; nobody gave a position
    later = meeting(clock.now.date() + dt.timedelta(days=10), "Next round")
    r.refresh_from_db()
    assert r.status == "disputed"
    assert r.agenda_item.meeting_id == later.id
    assert r.reference in r.agenda_item.title_en
    assert first.agenda.filter(title_en__contains=r.reference).count() == 1  # the first agenda keeps its item

    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "Findings upheld, second reading"})
    assert r.decision_id != unanswered and r.decision.meeting_id == later.id
    clock.set(clock.now + dt.timedelta(days=10))  # the next round, each party's quorum present
    hold(later)
    for head in ("west-head", "east-head"):
        mechanism.take_position(actors[head], r.decision_id, {"position": "approve"})
    assert commands.settle(FACILITATOR, r.id, {}).status == "concluded"


def test_a_dispute_on_a_meeting_still_ahead_stays_where_it_is(actors, filed, clock):
    first = meeting(clock.now.date() + dt.timedelta(days=5), "This round")
    r = steps.advance(actors, filed, "disputed")
    meeting(clock.now.date() + dt.timedelta(days=40), "Later round")
    r.refresh_from_db()
    assert r.agenda_item.meeting_id == first.id


def test_a_meeting_recorded_in_advance_takes_the_dispute_once_the_first_ends(actors, filed, clock):
    first = meeting(clock.now.date(), "This round")
    second = meeting(clock.now.date() + dt.timedelta(days=30), "Next round")  # recorded before the dispute
    r = steps.advance(actors, filed, "disputed")
    assert r.agenda_item.meeting_id == first.id
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "Findings upheld"})
    clock.set(clock.now + dt.timedelta(days=3))  # the first round ended; nobody answered
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "Findings upheld, second reading"})
    assert r.agenda_item.meeting_id == second.id and r.decision.meeting_id == second.id

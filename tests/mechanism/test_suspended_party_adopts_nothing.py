"""Nothing that needs a party's approval is adopted while its participation is suspended: not at a
meeting on any of whose days it was out (its delegation did not sit at it, whoever is listed
present), and not while it is out (at the time of adoption). Its return may be what completes it."""

import datetime as dt

import pytest
from django.utils.translation import override

from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Decision
from ceasefire.record import replay
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import hold

GENEVA = {
    "title": "Geneva round",
    "starts_on": "2021-10-08",
    "ends_on": "2021-10-10",
    "city": "Geneva",
    "country": "Switzerland",
}
OUT = "the participation of Eastern region is suspended"


def waits(decision):
    with override("en"):
        return commands.waiting_for(decision)


def approve(actors, decision):
    for party in ("west", "east"):
        decision = commands.take_position(actors[f"{party}-head"], decision.id, {"position": "approve"})
    return decision


@pytest.mark.parametrize(
    "since, until, adopted",
    [
        ("2021-10-01", "2021-10-08", True),  # back on the first day
        ("2021-10-01", "2021-10-09", False),  # out on the first day
        ("2021-10-10", "2021-10-12", False),  # out from the last day
        ("2021-10-11", "2021-10-20", True),  # out from the day after
    ],
)
def test_a_party_out_on_a_day_of_the_meeting_holds_up_what_needs_it(actors, since, until, adopted):
    commands.suspend_participation(actors["east-head"], "east", {"since": since})
    commands.resume_participation(actors["east-head"], "east", {"on": until})
    meeting = commands.record_meeting(FACILITATOR, GENEVA)
    hold(meeting)
    d = approve(actors, commands.record_decision(FACILITATOR, meeting.id, {"text": "Adopt the action plan"}))
    assert d.adopted is adopted
    assert waits(d) == ([] if adopted else [OUT])
    assert replay.check(progress=None).ok


def test_nothing_is_adopted_while_a_party_is_out_and_its_return_completes_it(actors):
    meeting = commands.record_meeting(FACILITATOR, GENEVA)
    d = approve(actors, commands.record_decision(FACILITATOR, meeting.id, {"text": "Adopt the action plan"}))
    # Out since long after the meeting, and still out today: the quorum recorded now adopts nothing.
    commands.suspend_participation(actors["east-head"], "east", {"since": "2022-04-01"})
    hold(meeting)
    d.refresh_from_db()
    assert not d.adopted and waits(d) == [OUT]
    assert not Event.objects.filter(type="decision.adopted").exists()
    # Its return is all the decision waited for: the command that records it adopts it.
    commands.resume_participation(actors["east-head"], "east", {"on": dt.date.today().isoformat()})
    d = Decision.objects.get(id=d.id)
    assert d.adopted and d.adopted_through == "positions" and waits(d) == []
    assert Event.objects.get(type="decision.adopted").seq == Event.objects.get(type="party.resumed").seq + 1
    assert replay.check(progress=None).ok

"""Who may give a party's position on a decision now is one rule (commands.position_refusal): the
command raises it and the decision's card asks it before offering the form."""

import pytest

from ceasefire.errors import Conflict, Forbidden
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Party
from ceasefire.web.access import Can
from ceasefire.web.views.meetings import decision_context
from tests.conftest import FACILITATOR
from tests.helpers import hold, refused


@pytest.fixture
def decision(actors):
    meeting = commands.record_meeting(
        FACILITATOR, {"title": "Geneva round", "starts_on": "2021-10-08", "city": "Geneva", "country": "Switzerland"}
    )
    hold(meeting)
    return commands.record_decision(FACILITATOR, meeting.id, {"text": "Adopt the action plan"})


def offered(actor, decision) -> bool:
    return decision_context(decision, list(Party.objects.all()), Can(actor))["position_form"] is not None


def refused_alike(actor, decision, error):
    """position_refusal names `error`, take_position raises it, and the card offers no form."""
    assert isinstance(commands.position_refusal(actor, decision), error)
    with refused(error):
        commands.take_position(actor, decision.id, {"position": "approve"})
    assert not offered(actor, decision)


def test_the_speaker_of_a_party_taking_part_may_until_it_is_adopted(actors, decision):
    assert commands.position_refusal(actors["west-head"], decision) is None and offered(actors["west-head"], decision)
    for who in ("west-member", "observer", "facilitator"):
        refused_alike(actors[who], decision, Forbidden)
    refused_alike(None, decision, Forbidden)
    commands.suspend_participation(actors["east-head"], "east", {"since": "2022-04-01"})
    refused_alike(actors["east-head"], decision, Conflict)
    commands.resume_participation(actors["east-head"], "east", {"on": "2022-05-01"})
    for party in ("west", "east"):
        decision = commands.take_position(actors[f"{party}-head"], decision.id, {"position": "approve"})
    assert decision.adopted
    refused_alike(actors["west-head"], decision, Conflict)


def test_the_card_asks_the_command(actors, decision, monkeypatch):
    monkeypatch.setattr(commands, "position_refusal", lambda actor, decision: Conflict("not now"))
    assert not offered(actors["west-head"], decision)

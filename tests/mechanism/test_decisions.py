import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Account, Position
from tests.conftest import FACILITATOR
from tests.helpers import hold, refused


@pytest.fixture
def decision(actors):
    """A decision of a meeting held with each party's quorum present (test_adoption.py: without it)."""
    meeting = commands.record_meeting(
        FACILITATOR, {"title": "Geneva", "starts_on": "2021-10-08", "city": "Geneva", "country": "Switzerland"}
    )
    hold(meeting)
    return commands.record_decision(FACILITATOR, meeting.id, {"text": "Adopt the action plan"})


def test_a_decision_is_adopted_when_both_heads_approve(actors, decision):
    assert decision.number == 1 and not decision.adopted
    d = commands.take_position(actors["west-head"], decision.id, {"position": "approve"})
    assert not d.adopted and d.outcome().waiting_for == ("east",)
    d = commands.take_position(actors["east-head"], decision.id, {"position": "approve", "reason": "agreed"})
    assert d.adopted and d.adopted_at is not None
    assert {p.party_id: p.given_by for p in Position.objects.all()} == {"west": "west-head", "east": "east-head"}


def test_an_objection_leaves_it_not_adopted_and_a_party_may_change_its_position_until_adoption(actors, decision):
    commands.take_position(actors["west-head"], decision.id, {"position": "approve"})
    d = commands.take_position(actors["east-head"], decision.id, {"position": "object", "reason": "sequencing"})
    assert not d.adopted and d.outcome().objected_by == ("east",)
    assert Position.objects.get(party="east").reason_en == "sequencing"
    d = commands.take_position(actors["east-head"], decision.id, {"position": "approve"})
    assert d.adopted
    with refused(Conflict):
        commands.take_position(actors["east-head"], decision.id, {"position": "object"})


@pytest.mark.parametrize("who", ["west-member", "east-member", "observer", "facilitator"])
def test_only_whoever_speaks_for_a_party_gives_its_position(actors, decision, who):
    with refused(Forbidden):
        commands.take_position(actors[who], decision.id, {"position": "approve"})


def test_a_party_may_designate_another_speaker(actors, decision):
    Account.objects.filter(user__username="west-member").update(speaks_for_party=True)
    d = commands.take_position(actors["west-member"], decision.id, {"position": "approve"})
    assert d.positions.get().given_by == "west-member"


def test_bad_positions_are_refused(actors, decision):
    with refused(Invalid, "position"):
        commands.take_position(actors["west-head"], decision.id, {"position": "yes"})
    with refused(NotFound, "decision"):
        commands.take_position(actors["west-head"], 424242, {"position": "approve"})


def test_decisions_need_text_and_the_secretariat(actors, decision):
    with refused(Invalid, "text"):
        commands.record_decision(FACILITATOR, decision.meeting_id, {"text": "   "})
    with refused(Forbidden):
        commands.record_decision(actors["west-head"], decision.meeting_id, {"text": "Our own decision"})
    assert commands.record_decision(FACILITATOR, decision.meeting_id, {"text_ar": "قرار"}).number == 2

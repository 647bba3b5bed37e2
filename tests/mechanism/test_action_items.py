import datetime as dt

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.mechanism import commands
from tests.conftest import FACILITATOR
from tests.helpers import refused


@pytest.fixture
def meeting(mechanism):
    return commands.record_meeting(
        FACILITATOR,
        {
            "title": "Ghadames",
            "starts_on": "2020-11-02",
            "ends_on": "2020-11-03",
            "city": "Ghadames",
            "country": "Libya",
        },
    )


def test_an_action_item_has_an_owner_and_a_deadline(meeting):
    item = commands.add_action_item(
        FACILITATOR, meeting.id, {"text": "Exchange detainee lists", "owner_party": "west", "deadline": "2020-12-01"}
    )
    assert item.owner_party_id == "west" and item.deadline == dt.date(2020, 12, 1) and item.status == "open"
    named = commands.add_action_item(
        FACILITATOR, meeting.id, {"text": "Demining plan", "owner": "Security arrangements sub-committee"}
    )
    assert named.owner_en == "Security arrangements sub-committee"


def test_an_action_item_may_follow_from_a_decision_of_its_own_meeting(meeting):
    decision = commands.record_decision(FACILITATOR, meeting.id, {"text": "Open the coastal road"})
    item = commands.add_action_item(
        FACILITATOR, meeting.id, {"text": "Clear mines", "owner_party": "east", "decision": decision.id}
    )
    assert item.decision == decision
    other = commands.record_meeting(
        FACILITATOR, {"title": "Later", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    )
    with refused(Invalid, "decision"):
        commands.add_action_item(FACILITATOR, other.id, {"text": "x", "owner_party": "east", "decision": decision.id})


@pytest.mark.parametrize(
    "data, error, field",
    [
        ({"text": "x"}, Invalid, "owner"),
        ({"owner_party": "west"}, Invalid, "text"),
        ({"text": "x", "owner_party": "south"}, NotFound, "owner_party"),
        ({"text": "x", "owner_party": "west", "deadline": "soon"}, Invalid, "deadline"),
        ({"text": "x", "owner_party": "west", "decision": 777}, NotFound, "decision"),
    ],
)
def test_bad_action_items_are_refused(meeting, data, error, field):
    with refused(error, field):
        commands.add_action_item(FACILITATOR, meeting.id, data)


def test_the_owning_party_or_the_facilitator_updates_the_status(actors, meeting):
    item = commands.add_action_item(FACILITATOR, meeting.id, {"text": "Withdraw heavy weapons", "owner_party": "east"})
    assert commands.set_action_status(actors["east-member"], item.id, {"status": "in_progress"}).status == "in_progress"
    for closing in ("done", "dropped"):  # a party alone cannot close what the committee decided
        with refused(Forbidden, "status"):
            commands.set_action_status(actors["east-head"], item.id, {"status": closing})
    for other in ("west-head", "west-member", "observer"):
        with refused(Forbidden):
            commands.set_action_status(actors[other], item.id, {"status": "done"})
    done = commands.set_action_status(FACILITATOR, item.id, {"status": "done", "note": "verified"})
    assert (done.status, done.status_note) == ("done", "verified")
    with refused(Conflict, "status"):
        commands.set_action_status(FACILITATOR, item.id, {"status": "done", "note": "verified"})
    with refused(Invalid, "status"):
        commands.set_action_status(FACILITATOR, item.id, {"status": "finished"})

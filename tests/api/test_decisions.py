"""The decision flow over the API: the secretariat records, each party's speaker gives its position,
consensus adopts."""

import pytest

from ceasefire.mechanism.models import Account, Meeting, Position
from tests.helpers import hold

from .conftest import assert_error, events

MEETING = {
    "title": "Sirte round",
    "starts_on": "2021-02-04",
    "ends_on": "2021-02-05",
    "city": "Sirte",
    "country": "Libya",
}


def test_the_full_decision_flow(api, accounts):
    facilitator = api("facilitator")
    r = facilitator.post("/meetings", MEETING)
    assert r.status_code == 201, r.content
    meeting_id = r.json()["id"]
    assert isinstance(meeting_id, int)

    r = facilitator.post(f"/meetings/{meeting_id}/decisions", {"text": "Reopen the coastal road"})
    assert r.status_code == 201, r.content
    decision = r.json()
    decision_id = decision["id"]
    assert decision["adopted"] is False and decision["number"] == 1 and decision["meeting"] == meeting_id
    assert decision["text_en"] == "Reopen the coastal road"
    assert [p["party"] for p in decision["positions"]] == ["west", "east"]
    assert all(p["position"] is None and p["given_by"] is None for p in decision["positions"])
    assert decision["waiting_for"] == ["west", "east"]

    r = api("west-head").post(f"/decisions/{decision_id}/positions", {"position": "approve"})
    assert r.status_code == 200, r.content
    assert r.json()["adopted"] is False and r.json()["waiting_for"] == ["east"]

    r = api("east-member").get(f"/decisions/{decision_id}")
    assert r.status_code == 200
    body = r.json()
    assert body["adopted"] is False
    west, east = body["positions"]
    assert west["party"] == "west" and west["position"] == "approve" and west["given_by"] == "west-head"
    assert west["given_at"] is not None
    assert east == {**east, "party": "east", "position": None, "given_by": None, "given_at": None}

    for who in ("west-member", "east-member"):
        before = events()
        assert_error(api(who).post(f"/decisions/{decision_id}/positions", {"position": "approve"}), 403, None)
        assert events() == before
    before = events()
    assert_error(api("observer").post(f"/decisions/{decision_id}/positions", {"position": "approve"}), 403)
    assert events() == before

    r = api("east-head", "en").post(f"/decisions/{decision_id}/positions", {"position": "approve", "reason": "agreed"})
    assert r.status_code == 200, r.content
    # Every party approves, but no delegation is recorded present: it waits for each party's quorum.
    assert r.json()["adopted"] is False and r.json()["adopted_through"] == ""
    assert r.json()["waits"] == [
        "quorum of the delegation of Western region not recorded",
        "quorum of the delegation of Eastern region not recorded",
    ]
    hold(Meeting.objects.get(id=meeting_id))  # the attendance that completes it adopts it

    body = api("west-member").get(f"/decisions/{decision_id}").json()
    assert body["adopted"] is True and body["adopted_at"] is not None
    assert body["adopted_through"] == "positions" and body["waits"] == [] and body["adopted_source"] == ""
    assert body["approved_by"] == ["west", "east"] and body["waiting_for"] == []
    assert [(p["party"], p["position"], p["given_by"]) for p in body["positions"]] == [
        ("west", "approve", "west-head"),
        ("east", "approve", "east-head"),
    ]
    assert body["positions"][1]["reason_en"] == "agreed"

    listed = api("east-member").get(f"/meetings/{meeting_id}/decisions").json()
    assert [(d["id"], d["adopted"]) for d in listed] == [(decision_id, True)]
    assert api("east-member").get(f"/meetings/{meeting_id}").json()["decisions"][0]["adopted"] is True


def test_an_objection_is_kept_and_blocks_adoption(api, committee):
    d = committee.decision.id
    api("west-head").post(f"/decisions/{d}/positions", {"position": "approve"})
    r = api("east-head").post(f"/decisions/{d}/positions", {"position": "object", "reason_ar": "التسلسل"})
    assert r.status_code == 200
    body = r.json()
    assert body["adopted"] is False and body["objected_by"] == ["east"] and body["approved_by"] == ["west"]
    assert body["positions"][1]["reason_ar"] == "التسلسل"


def test_a_party_may_change_its_position_until_adoption_then_not(api, committee):
    d = committee.decision.id
    hold(committee.meeting)
    assert api("east-head").post(f"/decisions/{d}/positions", {"position": "abstain"}).json()["abstained_by"] == [
        "east"
    ]
    assert api("east-head").post(f"/decisions/{d}/positions", {"position": "approve"}).json()["adopted"] is False
    assert api("west-head").post(f"/decisions/{d}/positions", {"position": "approve"}).json()["adopted"] is True
    before = events()
    assert_error(api("west-head").post(f"/decisions/{d}/positions", {"position": "object"}), 409)
    assert events() == before
    assert Position.objects.get(decision_id=d, party_id="west").position == "approve"


def test_a_designated_speaker_may_give_the_party_position(api, committee):
    Account.objects.filter(user__username="west-member").update(speaks_for_party=True)
    r = api("west-member").post(f"/decisions/{committee.decision.id}/positions", {"position": "approve"})
    assert r.status_code == 200
    assert r.json()["positions"][0]["given_by"] == "west-member"


def test_a_suspended_party_cannot_take_a_position(api, committee):
    assert api("east-head").post("/parties/east/suspend", {"since": "2021-03-01"}).status_code == 200
    before = events()
    assert_error(api("east-head").post(f"/decisions/{committee.decision.id}/positions", {"position": "approve"}), 409)
    assert events() == before
    assert api("observer").get(f"/decisions/{committee.decision.id}").json()["suspended"] == ["east"]


@pytest.mark.parametrize("position", ["yes", "APPROVE", "", 1, None, ["approve"]])
def test_a_position_must_be_one_of_the_three(api, committee, position):
    before = events()
    assert_error(
        api("west-head").post(f"/decisions/{committee.decision.id}/positions", {"position": position}), 422, "position"
    )
    assert events() == before


def test_a_historical_decision_is_adopted_according_to_its_source(api, committee):
    facilitator = api("facilitator", "en")
    sourced = {"source": "Libya Herald, 4 Nov 2020", "on": "2020-10-23"}
    r = facilitator.post(
        f"/meetings/{committee.meeting.id}/decisions", {"text": "Open the coastal road", "adopted_per_source": sourced}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["adopted"], body["adopted_through"], body["adopted_source"], body["adopted_on"]) == (
        True,
        "source",
        sourced["source"],
        "2020-10-23",
    )
    assert body["waits"] == [] and all(p["position"] is None for p in body["positions"])
    before = events()
    assert_error(api("west-head").post(f"/decisions/{body['id']}/positions", {"position": "object"}), 409)
    assert_error(
        facilitator.post(
            f"/meetings/{committee.meeting.id}/decisions", {"text": "x", "adopted_per_source": {"on": "2020-10-23"}}
        ),
        422,
        "adopted_per_source.source",
    )
    assert_error(
        facilitator.post(
            f"/meetings/{committee.meeting.id}/decisions",
            {"text": "x", "adopted_per_source": {"source": "x", "on": "2020-11-01"}},
        ),
        422,
        "adopted_per_source.on",
    )
    assert_error(
        facilitator.post(
            f"/meetings/{committee.meeting.id}/decisions",
            {"text": "x", "adopted_per_source": {"source": "x", "by": "y"}},
        ),
        422,
    )
    assert events() == before


def test_observers_read_that_a_decision_was_recorded_not_who_said_what(api, committee):
    d = committee.decision.id
    api("west-head").post(f"/decisions/{d}/positions", {"position": "approve", "reason": "the road matters"})
    api("east-head").post(f"/decisions/{d}/positions", {"position": "object", "reason": "not yet"})
    for body in (
        api("observer").get(f"/decisions/{d}").json(),
        *api("observer").get(f"/meetings/{committee.meeting.id}/decisions").json(),
    ):
        assert body["text_en"] == "Open the coastal road"
        assert body["positions"] is None
        assert (
            body["approved_by"]
            is body["objected_by"]
            is body["abstained_by"]
            is body["waiting_for"]
            is body["waits"]
            is None
        )
        text = str(body)
        assert "west-head" not in text and "east-head" not in text and "the road matters" not in text


def test_a_settlement_proposal_takes_no_sourced_adoption(api, typology, actors):
    from .endpoints import at

    r = at(actors, "disputed")
    facilitator = api("facilitator")
    before = events()
    proposal = {"text_en": "The findings are upheld", "adopted_per_source": {"source": "the facilitator says so"}}
    assert_error(facilitator.post(f"/reports/{r.id}/settlement-proposal", proposal), 422, "adopted_per_source")
    assert events() == before
    # Proposed as the parties' to adopt, it is adopted by nobody's word but theirs.
    r = facilitator.post(f"/reports/{r.id}/settlement-proposal", {"text_en": "The findings are upheld"})
    assert r.status_code == 200, r.content
    assert_error(facilitator.post(f"/reports/{r.json()['id']}/settlement", {}), 409, "decision")

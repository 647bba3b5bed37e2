"""How far a provision is implemented, over the API: assessments put forward, positions on them as
on a decision, the committee's status on the provision, and the roll-up."""

import pytest

from ceasefire.agreements.models import Assessment

from .conftest import assert_error, events

EAST = {
    "status": 1,
    "as_of": "2021-01-23",
    "reasoning": "Some units returned to their camps.",
    "source": "east statement",
}


def implementation(api, who, provision):
    r = api(who, language="en").get(f"/provisions/{provision.id}")
    assert r.status_code == 200, r.content
    return r.json()


def test_assessments_stand_side_by_side_until_every_party_approves_one(api, committee):
    p = committee.provision
    r = api("east-head").post(f"/provisions/{p.id}/assessments", EAST)
    assert r.status_code == 201, r.content
    east = r.json()
    assert (east["status"], east["status_name"], east["party"], east["agreed"]) == (1, "1", "east", False)
    assert [(x["party"], x["position"]) for x in east["positions"]] == [("west", None), ("east", "approve")]
    assert east["waiting_for"] == ["west"] and east["approved_by"] == ["east"]
    west = (
        api("west-head")
        .post(f"/provisions/{p.id}/assessments", {**EAST, "status": 0, "evidence": ["https://example.org/w"]})
        .json()
    )

    seen = implementation(api, "west-member", p)
    assert seen["implementation"]["status"] is None and seen["implementation"]["agreed"] is False
    assert [a["id"] for a in seen["implementation"]["assessments"]] == [west["id"], east["id"]]
    assert seen["standing"] == {"state": "due", "due": "2021-01-23", "days": seen["standing"]["days"], "near": False}

    # positions on an assessment as on a decision: POST /assessments/{id}/positions
    r = api("west-head").post(f"/assessments/{east['id']}/positions", {"position": "approve", "reason": "agreed"})
    assert r.status_code == 200, r.content
    assert r.json()["agreed"] is True and r.json()["waits"] == []

    seen = implementation(api, "observer", p)["implementation"]
    assert {k: seen[k] for k in ("status", "status_name", "as_of", "agreed", "reasoning", "source")} == {
        "status": 1,
        "status_name": "1",
        "as_of": "2021-01-23",
        "agreed": True,
        "reasoning": "Some units returned to their camps.",
        "source": "east statement",
    }
    assert [h["assessment"] for h in seen["history"]] == [east["id"]]
    assert seen["assessments"] is None  # who put what forward stays with the parties
    assert implementation(api, "observer", p)["standing"]["state"] == "overdue"
    # the parties read the one agreed and the one still standing beside it
    mine = implementation(api, "east-member", p)["implementation"]["assessments"]
    assert {(a["id"], a["agreed"]) for a in mine} == {(east["id"], True), (west["id"], False)}


def test_observers_read_no_assessment_nor_position(api, committee):
    a = api("east-head").post(f"/provisions/{committee.provision.id}/assessments", EAST).json()
    assert_error(api("observer").get(f"/assessments/{a['id']}"), 404, "assessment")
    assert api("observer").get(f"/provisions/{committee.provision.id}/assessments").json() == []
    assert api("west-member").get(f"/assessments/{a['id']}").json()["id"] == a["id"]
    assert_error(api(None).get(f"/provisions/{committee.provision.id}"), 401)


@pytest.mark.parametrize("who", ["west-member", "east-member", "observer"])
def test_who_may_not_put_forward_an_assessment(api, committee, who):
    before = events()
    assert_error(api(who).post(f"/provisions/{committee.provision.id}/assessments", EAST), 403)
    assert events() == before


@pytest.mark.parametrize("who", ["west-member", "observer", "facilitator"])
def test_who_may_not_take_a_position(api, committee, who):
    a = api("facilitator").post(f"/provisions/{committee.provision.id}/assessments", EAST).json()
    before = events()
    assert_error(api(who).post(f"/assessments/{a['id']}/positions", {"position": "approve"}), 403)
    assert events() == before


@pytest.mark.parametrize(
    "body, field, status",
    [
        ({**EAST, "status": 7}, "status", 422),
        ({**EAST, "status": "3"}, "status", 422),  # a number on the API
        ({**EAST, "status": "full"}, "status", 422),
        ({k: v for k, v in EAST.items() if k != "as_of"}, "as_of", 422),
        ({**EAST, "as_of": "2021-02-30"}, "as_of", 422),
        ({**EAST, "as_of": "2099-01-01"}, "as_of", 422),
        ({**EAST, "reasoning": ""}, "reasoning", 422),
        ({**EAST, "evidence": ["not a link"]}, "evidence[0]", 422),
        ({**EAST, "evidence": "https://example.org"}, "evidence", 422),
        ({**EAST, "colour": "red"}, "colour", 422),
    ],
)
def test_bad_input_is_refused_naming_the_field_with_nothing_written(api, committee, body, field, status):
    before = events()
    assert_error(api("west-head").post(f"/provisions/{committee.provision.id}/assessments", body), status, field)
    assert events() == before


def test_bad_positions_and_unknown_rows(api, committee):
    a = api("facilitator").post(f"/provisions/{committee.provision.id}/assessments", EAST).json()
    before = events()
    assert_error(api("west-head").post(f"/assessments/{a['id']}/positions", {"position": "maybe"}), 422, "position")
    assert_error(api("west-head").post("/assessments/424242/positions", {"position": "approve"}), 404, "assessment")
    assert_error(api("west-head").post("/provisions/424242/assessments", EAST), 404, "provision")
    assert events() == before
    api("west-head").post(f"/assessments/{a['id']}/positions", {"position": "approve"})
    api("east-head").post(f"/assessments/{a['id']}/positions", {"position": "approve"})
    assert Assessment.objects.get(id=a["id"]).agreed
    before = events()
    assert_error(api("west-head").post(f"/assessments/{a['id']}/positions", {"position": "object"}), 409)
    assert events() == before


def test_a_condition_makes_the_deadline_conditional(api, committee):
    p = committee.provision
    before = events()
    assert_error(api("west-head").post(f"/provisions/{p.id}/condition", {"condition": "Unified government"}), 403)
    assert_error(api("facilitator").post(f"/provisions/{p.id}/condition", {"status": "met"}), 422, "condition")
    assert_error(
        api("facilitator").post(f"/provisions/{p.id}/condition", {"condition": "x", "status": "soon"}), 422, "status"
    )
    assert events() == before
    r = api("facilitator").post(
        f"/provisions/{p.id}/condition", {"condition": "A unified government takes office", "source": "L2"}
    )
    assert r.status_code == 201, r.content
    seen = implementation(api, "observer", p)
    assert (
        seen["condition"]["condition"] == "A unified government takes office"
        and seen["condition"]["status"] == "unknown"
    )
    assert seen["standing"]["state"] == "conditional"


def test_the_rollup_by_theme_and_overall(api, committee):
    p = committee.provision
    a = api("east-head").post(f"/provisions/{p.id}/assessments", {**EAST, "status": 3}).json()
    api("west-head").post(f"/assessments/{a['id']}/positions", {"position": "approve"})
    api("facilitator").post(
        f"/agreements/{committee.agreement.id}/provisions", {"number": "7", "text": "Open roads", "category": "roads"}
    )
    r = api("observer").get(f"/agreements/{committee.agreement.id}/implementation")
    assert r.status_code == 200, r.content
    roll = r.json()
    assert (
        roll["overall"]["total"] == 2
        and roll["overall"]["counts"]["3"] == 1
        and roll["overall"]["counts"]["not_assessed"] == 1
    )
    assert roll["overall"]["percent"]["3"] == 50.0
    assert [(t["theme"], t["share"]["counts"]["3"]) for t in roll["themes"]] == [("", 1), ("roads", 0)]
    over = roll["over_time"]
    assert over[0]["on"] == "2020-12-31" and over[0]["overall"]["counts"]["3"] == 0  # not yet, as of 2020
    assert over[-1]["on"] == roll["on"] and over[-1]["overall"] == roll["overall"]
    assert_error(api(None).get(f"/agreements/{committee.agreement.id}/implementation"), 401)

"""Detainee exchanges over the API: who may record an exchange, claim its numbers, record a person
(the identity into the vault) and ask for its verification, and who may not; rival numbers side by
side; what each reader reads; bad input refused with a 4xx naming the field, nothing written."""

import pytest

from ceasefire.exchanges.models import Identity
from ceasefire.incidents import commands as incidents
from tests.conftest import FACILITATOR
from tests.samples import INVESTIGATION

from .conftest import assert_error, events

EXCHANGE = {
    "happened_on": "2020-12-25",
    "place": "osm:n1193620130",
    "mediators_en": "Elders",
    "source": "https://example.org/exchange",
}


@pytest.fixture
def exchange(api, typology):
    r = api("facilitator").post("/exchanges", EXCHANGE)
    assert r.status_code == 201, r.content
    return r.json()


@pytest.mark.parametrize(
    "who, status",
    [("west-head", 201), ("east-member", 201), ("monitor", 201), ("facilitator", 201), ("observer", 403), (None, 401)],
)
def test_who_may_record_an_exchange_and_claim_its_numbers(api, mechanism, monitor, who, status):
    before = events()
    r = api(who).post("/exchanges", EXCHANGE)
    assert r.status_code == status, r.content
    if status != 201:
        assert events() == before
        return
    assert r.json()["place"]["name_en"] == "Al Shwayrif"
    r = api(who).post(f"/exchanges/{r.json()['id']}/numbers", {"released": {"west": 15, "east": 33}, "source": "s"})
    assert r.status_code == 201 and r.json()["claimed_by"] == {"west-head": "west", "east-member": "east"}.get(who)


def test_rival_numbers_stand_side_by_side_and_observers_read_them(api, exchange):
    api("west-head").post(f"/exchanges/{exchange['id']}/numbers", {"released": {"west": 15, "east": 33}, "source": "a"})
    api("facilitator").post(f"/exchanges/{exchange['id']}/numbers", {"total": 48, "source": "Sputnik"})
    seen = api("observer").get(f"/exchanges/{exchange['id']}").json()
    assert [(n["released"], n["total"]) for n in seen["numbers"]] == [({"west": 15, "east": 33}, None), ({}, 48)]
    assert seen["people"] is None
    assert_error(api(None).get(f"/exchanges/{exchange['id']}"), 401)


@pytest.mark.parametrize("who, status", [("facilitator", 201), ("west-head", 403), ("monitor", 403), ("observer", 403)])
def test_only_the_facilitator_records_a_person_and_the_identity_stays_in_the_vault(api, exchange, monitor, who, status):
    before = events()
    body = {"released_by": "west", "identity": {"name": "px-detainee-name-zq"}}
    r = api(who).post(f"/exchanges/{exchange['id']}/people", body)
    assert r.status_code == status, r.content
    if status != 201:
        assert events() == before and not Identity.objects.exists()
        return
    assert b"px-detainee-name-zq" not in r.content
    [kept] = Identity.objects.all()
    assert kept.identity["name"] == "px-detainee-name-zq" and kept.commitment == r.json()["commitment"]
    assert api("west-member").get(f"/exchanges/{exchange['id']}").json()["people"][0]["released_by"] == "west"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"happened_on": "2999-01-01"}, "happened_on"),
        ({"happened_on": None}, "happened_on"),
        ({"place": "osm:nowhere"}, "place"),
        ({"place": None}, "place"),
        ({"source": ""}, "source"),
    ],
)
def test_bad_exchanges_are_refused_naming_the_field(api, mechanism, change, field):
    before = events()
    r = api("facilitator").post("/exchanges", {**EXCHANGE, **change})
    assert r.status_code in (400, 422), r.content
    assert field in [e["field"] for e in r.json()["detail"]], r.json()
    assert events() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"source": "s"}, "released"),
        ({"released": {"north": 3}, "source": "s"}, "released.north"),
        ({"released": {"west": -1}, "source": "s"}, "released"),
        ({"released": {"west": 1, "east": 2}, "total": 4, "source": "s"}, "total"),
        ({"total": 4}, "source"),
        ({"released_by": "west"}, "released_by"),
    ],
)
def test_bad_numbers_are_refused_naming_the_field(api, exchange, body, field):
    before = events()
    r = api("east-head").post(f"/exchanges/{exchange['id']}/numbers", body)
    assert r.status_code in (400, 422), r.content
    assert field in [e["field"] for e in r.json()["detail"]], r.json()
    assert events() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"released_by": "north", "identity": {"name": "x"}}, "released_by"),
        ({"released_by": "west", "identity": {"contact": "x"}}, "identity.name"),
    ],
)
def test_bad_people_are_refused_naming_the_field(api, exchange, body, field):
    before = events()
    assert_error(api("facilitator").post(f"/exchanges/{exchange['id']}/people", body), 422, field)
    assert events() == before and not Identity.objects.exists()


def test_an_exchange_is_verified_through_the_chain(api, exchange, actors):
    assert_error(api("observer").post(f"/exchanges/{exchange['id']}/verification", {}), 403)
    r = api("west-head").post(f"/exchanges/{exchange['id']}/verification", {})
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert_error(api("east-head").post(f"/exchanges/{exchange['id']}/verification", {}), 409, "exchange")
    incidents.triage(FACILITATOR, rid, {"decision": "admissible"})
    incidents.task_team(FACILITATOR, rid, {"team": ["west-member", "east-member"]})
    rep = incidents.report_investigation(actors["west-member"], rid, INVESTIGATION)
    rep = incidents.confirm_investigation(actors["east-member"], rid, {"investigation": rep.investigation.id})
    rep = incidents.draft_findings(
        actors["west-member"],
        rid,
        {"findings": [{"allegation": "48 exchanged", "result": "no_violation", "count": 48, "reasoning": "counted"}]},
    )
    seen = api("west-member").get(f"/exchanges/{exchange['id']}").json()["verification"]
    assert seen["verified"] is None and seen["status"]  # one side's draft is no verification
    for who in ("west-member", "east-member"):
        rep = incidents.sign_findings(actors[who], rid, {"agrees": True, "draft": rep.draft})
    rep = incidents.sign_findings(actors["facilitator"], rid, {"agrees": True, "draft": rep.draft})
    assert api("west-member").get(f"/exchanges/{exchange['id']}").json()["verification"]["verified"] == 48

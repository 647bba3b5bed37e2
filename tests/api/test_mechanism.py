"""GET /mechanism: the committee, its parties with a seat list each, and who sits outside the seats."""

import pytest
from django.test import Client

from ceasefire.api.tokens import create_token
from ceasefire.mechanism.accounts import create_account
from tests.conftest import PASSWORD

from .conftest import Api, assert_error, events


def test_each_party_lists_every_seat_with_its_member_or_null(api, committee):
    body = api("observer").get("/mechanism").json()
    assert body["name_en"] == "Joint Military Commission (test)"
    assert [p["code"] for p in body["parties"]] == ["west", "east"]
    for party in body["parties"]:
        assert {"code", "name", "name_ar", "name_en", "quorum", "suspended_since", "seats"} <= set(party)
        assert party["seats_count"] == 5 and party["quorum"] == 3 and party["suspended_since"] is None
        seats = party["seats"]
        assert isinstance(seats, list) and [s["number"] for s in seats] == [1, 2, 3, 4, 5]
        assert [s["member"] is not None for s in seats] == [True, True, True, False, False]
        head = seats[0]["member"]
        assert head["id"] == committee.members[f"{party['code']}-head"].id
        assert head["role"] == "head" and head["party"] == party["code"] and head["seat"] == 1 and head["current"]
    assert [m["name_latin"] for m in body["facilitators"]] == ["UN ceasefire monitor"]
    assert [m["name_latin"] for m in body["observers"]] == ["Envoy"]
    assert body["monitors"] == []


def test_names_come_in_the_readers_language_and_both_forms(api, committee):
    english = api("observer", language="en").get("/mechanism").json()
    arabic = api("observer", language="ar").get("/mechanism").json()
    assert english["parties"][0]["name"] == "Western region"
    assert arabic["parties"][0]["name"] == "المنطقة الغربية"
    assert english["name"] == "Joint Military Commission (test)"
    assert arabic["name"] == "اللجنة العسكرية المشتركة (اختبار)"
    for body in (english, arabic):
        assert body["parties"][1]["name_ar"] == "المنطقة الشرقية" and body["parties"][1]["name_en"] == "Eastern region"
    # A member's name: the Arabic form for an Arabic reader, the Latin one otherwise.
    assert arabic["parties"][0]["seats"][0]["member"]["name"] == "رئيس الوفد"
    assert english["parties"][0]["seats"][0]["member"]["name"] == "Western head"
    # Arabic is the default language.
    assert api("observer").get("/mechanism").json()["parties"][0]["name"] == "المنطقة الغربية"


def test_the_answer_is_utf8_json_not_escapes(api, committee):
    r = api("observer", language="ar").get("/mechanism")
    assert "المنطقة الغربية".encode() in r.content


def test_a_replacement_and_a_departure_show_in_the_seats(api, committee):
    f = api("facilitator")
    west_2, west_3 = committee.members["west-2"].id, committee.members["west-3"].id
    successor = f.post(
        f"/members/{west_2}/replace", {"on": "2021-06-01", "successor": {"name_latin": "New officer"}}
    ).json()
    f.post(f"/members/{west_3}/leave", {"on": "2021-06-01"})
    seats = api("east-member").get("/mechanism").json()["parties"][0]["seats"]
    assert seats[1]["member"]["id"] == successor["id"] and seats[1]["member"]["predecessor"] == west_2
    assert seats[2]["member"] is None


@pytest.fixture
def secretariat(db):
    """The facilitator's login before any mechanism exists."""
    return Api(Client(), create_token(create_account("un", PASSWORD, "facilitator")))


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({}, 422, "name"),
        ({"name": "JMC"}, 422, "parties"),
        ({"name": "JMC", "parties": []}, 422, "parties"),
        ({"name": "JMC", "parties": "west,east"}, 422, "parties"),
        ({"name": "JMC", "parties": [{"code": "West", "name": "W", "seats": 5}]}, 422, "parties[0].code"),
        ({"name": "JMC", "parties": [{"code": "west", "name": "W", "seats": "5"}]}, 422, "parties[0].seats"),
        (
            {"name": "JMC", "parties": [{"code": "west", "name": "W", "seats": 5, "quorum": 6}]},
            422,
            "parties[0].quorum",
        ),
        (
            {"name": "JMC", "parties": [{"code": "west", "name": "W", "seats": 5, "colour": "red"}]},
            422,
            "parties[0].colour",
        ),
        (
            {
                "name": "JMC",
                "parties": [{"code": "w", "name": "W", "seats": 5}, {"code": "e", "name": "E", "seats": 4}],
            },
            422,
            "parties",
        ),
        (
            {"name": "JMC", "established_on": "2020-02-30", "parties": [{"code": "w", "name": "W", "seats": 5}]},
            422,
            "established_on",
        ),
        ({"name": "x" * 1_000_000, "parties": [{"code": "w", "name": "W", "seats": 5}]}, 422, "name"),
    ],
)
def test_establishing_with_bad_input_is_refused_naming_the_field(secretariat, body, status, field):
    before = events()  # the secretariat's account, enrolled
    assert_error(secretariat.post("/mechanism", body), status, field)
    assert events() == before


def test_establishing_over_the_api(secretariat):
    r = secretariat.post(
        "/mechanism",
        {
            "name": "اللجنة العسكرية المشتركة 5+5",
            "name_en": "5+5 Joint Military Commission",
            "facilitator_en": "UNSMIL",
            "established_on": "2020-02-03",
            "parties": [
                {"code": "west", "name": "Western region", "seats": 5},
                {"code": "east", "name": "Eastern region", "seats": 5, "quorum": 4},
            ],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name_ar"] == "اللجنة العسكرية المشتركة 5+5" and body["established_on"] == "2020-02-03"
    assert [(p["code"], p["quorum"], len(p["seats"])) for p in body["parties"]] == [("west", 3, 5), ("east", 4, 5)]
    assert all(s["member"] is None for p in body["parties"] for s in p["seats"])


def test_a_mechanism_without_members_has_only_vacant_seats(api, mechanism):
    body = api("observer").get("/mechanism").json()
    assert [[s["member"] for s in p["seats"]] for p in body["parties"]] == [[None] * 5, [None] * 5]
    assert body["facilitators"] == [] and body["observers"] == []

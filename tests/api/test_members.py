"""The roster over the API: appointing, replacing, ending a tenure, and the history that stays."""

from .conftest import assert_error, events


def test_appointing_a_member_answers_the_member(facilitator, committee):
    r = facilitator.post(
        "/members",
        {
            "name_latin": "Col. New",
            "name_ar": "العقيد الجديد",
            "rank": "Colonel",
            "role": "member",
            "party": "east",
            "seat": 4,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["party"] == "east" and body["seat"] == 4 and body["current"] is True and body["rank_en"] == "Colonel"
    assert facilitator.get(f"/members/{body['id']}").json() == body


def test_members_lists_ended_tenures_too(facilitator, api, committee):
    west_2 = committee.members["west-2"].id
    successor = facilitator.post(
        f"/members/{west_2}/replace", {"on": "2021-06-01", "successor": {"name_latin": "Successor", "rank_en": "Major"}}
    )
    assert successor.status_code == 201, successor.content
    successor = successor.json()
    assert successor["party"] == "west" and successor["seat"] == 2 and successor["role"] == "member"
    assert successor["tenure_start"] == "2021-06-01" and successor["predecessor"] == west_2

    everyone = api("observer").get("/members").json()
    by_id = {m["id"]: m for m in everyone}
    assert by_id[west_2]["tenure_end"] == "2021-06-01" and by_id[west_2]["current"] is False
    assert by_id[west_2]["successor"] == successor["id"]
    assert len(everyone) == 9

    current = api("observer").get("/members", {"current": "true"}).json()
    assert west_2 not in [m["id"] for m in current] and len(current) == 8
    past = api("observer").get("/members", {"current": "false"}).json()
    assert [m["id"] for m in past] == [west_2]
    west = api("observer").get("/members", {"party": "west"}).json()
    assert {m["party"] for m in west} == {"west"} and len(west) == 4
    observers = api("observer").get("/members", {"role": "observer"}).json()
    assert [m["name_latin"] for m in observers] == ["Envoy"]


def test_ending_a_tenure_answers_the_member_and_cannot_happen_twice(facilitator, committee):
    west_3 = committee.members["west-3"].id
    r = facilitator.post(f"/members/{west_3}/leave", {"on": "2021-03-01"})
    assert r.status_code == 200 and r.json()["tenure_end"] == "2021-03-01" and r.json()["current"] is False
    before = events()
    assert_error(facilitator.post(f"/members/{west_3}/leave", {"on": "2021-04-01"}), 409, "member")
    assert_error(
        facilitator.post(f"/members/{west_3}/replace", {"on": "2021-04-01", "successor": {"name_latin": "S"}}),
        409,
        "member",
    )
    assert events() == before


def test_unknown_members_are_404(api, committee):
    assert_error(api("observer").get("/members/424242"), 404, "member")
    assert_error(api("observer").get("/members/abc"), 422, "member")
    assert_error(api("observer").get("/members", {"role": "general"}), 422, "role")
    assert_error(api("observer").get("/members", {"current": "perhaps"}), 422, "current")
    assert_error(api("observer").get("/members", {"party": "\x00"}), 422, "party")

"""A party suspends its participation and resumes it, over the API."""

from .conftest import assert_error, events


def test_a_party_suspends_and_resumes_and_the_history_stays(api, committee):
    r = api("east-head").post("/parties/east/suspend", {"since": "2021-03-01", "reason_en": "Walk-out over salaries"})
    assert r.status_code == 200, r.content
    party = r.json()
    assert party["code"] == "east" and party["suspended"] is True and party["suspended_since"] == "2021-03-01"
    assert party["suspensions"][0]["reason_en"] == "Walk-out over salaries" and party["suspensions"][0]["until"] is None
    assert len(party["seats"]) == 5

    mechanism = api("observer").get("/mechanism").json()
    assert [p["suspended_since"] for p in mechanism["parties"]] == [None, "2021-03-01"]

    before = events()
    assert_error(api("east-head").post("/parties/east/suspend", {"since": "2021-03-02"}), 409, "party")
    assert_error(api("facilitator").post("/parties/east/resume", {"on": "2021-02-01"}), 422, "on")
    assert events() == before

    r = api("facilitator").post("/parties/east/resume", {"on": "2021-04-01"})
    assert r.status_code == 200
    assert r.json()["suspended"] is False and r.json()["suspensions"][0]["until"] == "2021-04-01"
    assert_error(api("east-head").post("/parties/east/resume", {"on": "2021-04-02"}), 409, "party")


def test_a_party_speaks_only_for_itself(api, committee):
    before = events()
    assert_error(api("west-head").post("/parties/east/suspend", {"since": "2021-03-01"}), 403, None)
    assert_error(api("east-member").post("/parties/east/suspend", {"since": "2021-03-01"}), 403, None)
    assert events() == before


def test_a_return_carries_its_note_and_source(api, committee):
    api("east-head").post("/parties/east/suspend", {"since": "2022-04-09"})
    r = api("facilitator", "en").post(
        "/parties/east/resume",
        {
            "on": "2023-07-17",
            "note_en": "No later than this date",
            "note_ar": "في موعد لا يتجاوز هذا التاريخ",
            "source": "https://example.org/paris",
        },
    )
    assert r.status_code == 200, r.content
    suspension = r.json()["suspensions"][0]
    assert (
        suspension["until"],
        suspension["resumption_note"],
        suspension["resumption_note_ar"],
        suspension["resumption_source"],
    ) == (
        "2023-07-17",
        "No later than this date",
        "في موعد لا يتجاوز هذا التاريخ",
        "https://example.org/paris",
    )
    api("east-head").post("/parties/east/suspend", {"since": "2024-01-01"})
    assert (
        api("east-head")
        .post("/parties/east/resume", {"on": "2024-02-01", "note": "Back"})
        .json()["suspensions"][0]["resumption_note_en"]
        == "Back"
    )


def test_a_suspension_inside_an_earlier_one_is_refused_naming_its_date(api, committee):
    api("east-head").post("/parties/east/suspend", {"since": "2022-04-09"})
    api("east-head").post("/parties/east/resume", {"on": "2022-06-01"})
    before = events()
    assert_error(api("east-head").post("/parties/east/suspend", {"since": "2022-05-01"}), 409, "since")
    assert events() == before

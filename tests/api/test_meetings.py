"""Meetings over the API: a new one from five fields, attendance and the quorum of each party,
agenda and minutes."""

import pytest

from .conftest import assert_error, events

MINIMAL = {
    "title": "Ghadames round",
    "starts_on": "2020-11-02",
    "ends_on": "2020-11-04",
    "city": "Ghadames",
    "country": "Libya",
}


def test_a_meeting_needs_no_more_than_five_fields_and_answers_its_id(facilitator, api, mechanism):
    before = events()
    r = facilitator.post("/meetings", MINIMAL)
    assert r.status_code == 201, r.content
    meeting = r.json()
    assert isinstance(meeting["id"], int) and meeting["number"] == 1 and meeting["reference"] == "M-2020-0001"
    assert (meeting["title_en"], meeting["city_en"], meeting["country_en"]) == ("Ghadames round", "Ghadames", "Libya")
    assert (meeting["starts_on"], meeting["ends_on"]) == ("2020-11-02", "2020-11-04")
    assert meeting["attendance"] == [] and meeting["decisions"] == [] and meeting["quorum"]["met"] is False
    assert events() == before + 1
    assert api("east-member").get(f"/meetings/{meeting['id']}").json() == meeting
    assert [m["id"] for m in api("west-member").get("/meetings").json()] == [meeting["id"]]


def test_a_title_in_arabic_script_lands_in_arabic(facilitator, mechanism):
    r = facilitator.post("/meetings", {**MINIMAL, "title": "جولة غدامس", "city": "غدامس", "country": "ليبيا"})
    body = r.json()
    assert body["title_ar"] == "جولة غدامس" and body["title_en"] == "" and body["city_ar"] == "غدامس"


def test_one_day_meetings_end_the_day_they_start(facilitator, mechanism):
    body = facilitator.post("/meetings", {k: v for k, v in MINIMAL.items() if k != "ends_on"}).json()
    assert body["ends_on"] == body["starts_on"] == "2020-11-02"


def test_meetings_are_listed_latest_first(facilitator, api, mechanism):
    first = facilitator.post("/meetings", MINIMAL).json()
    second = facilitator.post("/meetings", {**MINIMAL, "starts_on": "2021-02-04", "ends_on": "2021-02-05"}).json()
    assert [m["id"] for m in api("observer").get("/meetings").json()] == [second["id"], first["id"]]


@pytest.mark.parametrize("west, east, met, short", [(3, 3, True, [0, 0]), (3, 2, False, [0, 1]), (0, 3, False, [3, 0])])
def test_quorum_is_reckoned_per_party(facilitator, api, committee, west, east, met, short):
    members = committee.members
    present = [members[k].id for k in ("west-head", "west-2", "west-3")[:west]] + [
        members[k].id for k in ("east-head", "east-2", "east-3")[:east]
    ]
    r = facilitator.post(f"/meetings/{committee.meeting.id}/attendance", {"present": present})
    assert r.status_code == 200, r.content
    quorum = r.json()["quorum"]
    assert quorum["met"] is met
    assert [(p["party"], p["present"], p["short"]) for p in quorum["parties"]] == [
        ("west", west, short[0]),
        ("east", east, short[1]),
    ]
    assert sorted(m["id"] for m in r.json()["attendance"]) == sorted(present)
    assert api("observer").get(f"/meetings/{committee.meeting.id}").json()["quorum"] == quorum


def test_attendance_is_replaced_as_a_whole(facilitator, committee):
    m = committee.meeting.id
    facilitator.post(f"/meetings/{m}/attendance", {"present": [committee.members["west-head"].id]})
    r = facilitator.post(f"/meetings/{m}/attendance", {"present": [committee.members["un"].id]})
    assert [a["name_latin"] for a in r.json()["attendance"]] == ["UN ceasefire monitor"]


def test_agenda_items_are_numbered_and_minutes_kept(facilitator, api, committee):
    m = committee.meeting.id
    first = facilitator.post(f"/meetings/{m}/agenda", {"title": "Foreign forces"})
    assert first.status_code == 201 and first.json()["number"] == 1
    second = facilitator.post(f"/meetings/{m}/agenda", {"title_ar": "فتح الطريق الساحلي"})
    assert second.json()["number"] == 2 and second.json()["title_ar"] == "فتح الطريق الساحلي"
    r = facilitator.post(
        f"/meetings/{m}/minutes", {"minutes_en": "The committee met in Geneva.", "minutes_ar": "اجتمعت اللجنة"}
    )
    assert r.status_code == 200 and r.json()["minutes_en"] == "The committee met in Geneva."
    body = api("east-member", language="ar").get(f"/meetings/{m}").json()
    assert [(a["number"], a["title"]) for a in body["agenda"]] == [(1, "Foreign forces"), (2, "فتح الطريق الساحلي")]
    assert body["minutes"] == "اجتمعت اللجنة"


def test_observers_read_neither_the_agenda_nor_the_minutes(facilitator, api, committee):
    m = committee.meeting.id
    facilitator.post(f"/meetings/{m}/agenda", {"title": "Foreign forces"})
    facilitator.post(f"/meetings/{m}/minutes", {"minutes_en": "The committee met in Geneva."})
    body = api("observer").get(f"/meetings/{m}").json()
    assert body["agenda"] == []
    assert (body["minutes"], body["minutes_ar"], body["minutes_en"]) == (None, None, None)
    assert body["title_en"] == "Fourth round" and [d["id"] for d in body["decisions"]] == [committee.decision.id]


def test_decisions_are_listed_per_meeting(facilitator, api, committee):
    m = committee.meeting.id
    r = facilitator.post(f"/meetings/{m}/decisions", {"text_ar": "تبادل المحتجزين", "source": "communiqué"})
    assert r.status_code == 201 and r.json()["number"] == 2
    listed = api("observer").get(f"/meetings/{m}/decisions").json()
    assert [d["number"] for d in listed] == [1, 2] and listed[1]["source"] == "communiqué"


def test_unknown_meetings_are_404(api, committee):
    observer = api("observer")
    for path in (
        "/meetings/424242",
        "/meetings/424242/decisions",
        "/meetings/424242/action-items",
        "/decisions/424242",
    ):
        assert_error(observer.get(path), 404, path.split("/")[1].rstrip("s"))
    assert_error(observer.get("/meetings/1.5"), 422, "meeting")
    assert_error(observer.get("/decisions/" + "9" * 40), 422, "decision")

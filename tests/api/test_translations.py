"""A text given later in its other language: who may give it, what it may fill, that the original
entry stays as it was, and who reads it. Bad input is refused naming the field, nothing written."""

import pytest

from ceasefire.mechanism.models import Decision
from ceasefire.record.models import Event

from .conftest import assert_error, events

ARABIC = "فتح الطريق الساحلي"


def body(committee, **change):
    return {"subject": "decision", "id": committee.decision.id, "field": "text", "lang": "ar", "text": ARABIC, **change}


def test_a_delegate_translates_a_decision_and_the_original_stays(api, committee):
    before = Decision.objects.values().get(id=committee.decision.id)
    r = api("east-member").post("/translations", body(committee))
    assert r.status_code == 201, r.content
    given = r.json()
    assert {k: given[k] for k in ("subject", "subject_id", "field", "lang", "text", "party")} == {
        "subject": "decision",
        "subject_id": committee.decision.id,
        "field": "text",
        "lang": "ar",
        "text": ARABIC,
        "party": "east",
    }
    assert Decision.objects.values().get(id=committee.decision.id) == before  # the author's text, unchanged
    entry = Event.objects.get(seq=given["id"])
    assert entry.type == "text.translated" and entry.account == "east-member"
    assert Event.objects.get(seq=committee.decision.id).payload["text_ar"] == ""  # its entry as it was

    listed = api("west-head").get("/translations", {"subject": "decision", "id": committee.decision.id}).json()
    assert [t["id"] for t in listed] == [given["id"]]


def test_the_mission_translates_for_no_party(api, committee):
    r = api("facilitator").post("/translations", body(committee))
    assert r.status_code == 201 and r.json()["party"] is None


@pytest.mark.parametrize("who", ["observer", None])
def test_observers_and_the_public_neither_give_nor_read_translations(api, committee, who):
    before = events()
    assert api(who).post("/translations", body(committee)).status_code in (401, 403)
    assert events() == before
    api("west-head").post("/translations", body(committee))
    assert api(who).get("/translations").json() == []


@pytest.mark.parametrize(
    "change, status, field",
    [
        ({"subject": "member"}, 422, "subject"),
        ({"id": 424242}, 404, "id"),
        ({"id": "one"}, 422, "id"),
        ({"field": "source"}, 422, "field"),
        ({"lang": "fr"}, 422, "lang"),
        ({"lang": "en", "text": "Open the coastal road"}, 409, "lang"),  # the author wrote English
        ({"text": ""}, 422, "text"),
        ({"text": "Open the road"}, 422, "text"),  # not Arabic
        ({"text": "\u202eمقلوب"}, 422, "text"),
    ],
)
def test_bad_translations_are_refused_naming_the_field(api, committee, change, status, field):
    before = events()
    assert_error(api("west-head").post("/translations", body(committee, **change)), status, field)
    assert events() == before


def test_one_translation_per_text_and_language(api, committee):
    first = api("west-head").post("/translations", body(committee)).json()
    before = events()
    r = api("east-head", language="en").post("/translations", body(committee, text="افتحوا الطريق الساحلي"))
    assert_error(r, 409, "lang", contains=f"entry #{first['id']}")
    assert events() == before


def test_every_fault_at_once(api, committee):
    r = api("west-head").post("/translations", body(committee, field="source", lang="fr", text=""))
    assert sorted(e["field"] for e in r.json()["detail"]) == ["field", "lang", "text"]


def test_a_text_replaced_needs_a_translation_of_its_own(api, actors, committee):
    from ceasefire.mechanism import commands as mechanism

    meeting = committee.meeting.id
    minutes = {"subject": "meeting", "id": meeting, "field": "minutes", "lang": "ar", "text": "افتُتح الاجتماع"}
    mechanism.record_minutes(actors["facilitator"], meeting, {"minutes_en": "Opened at ten."})
    first = api("west-head").post("/translations", minutes)
    assert first.status_code == 201
    assert api("east-head").post("/translations", minutes).status_code == 409  # once for each text
    mechanism.record_minutes(actors["facilitator"], meeting, {"minutes_en": "Opened at eleven, not ten."})
    again = api("east-head").post("/translations", {**minutes, "text": "افتُتح الاجتماع في الحادية عشرة"})
    assert again.status_code == 201, again.content  # the first translates a text no longer there


@pytest.mark.parametrize("text", ["1234", "!!!", "..."])
def test_a_translation_has_words(api, committee, text):
    before = events()
    assert_error(api("west-head").post("/translations", body(committee, text=text)), 422, "text")
    assert events() == before

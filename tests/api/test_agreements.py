"""The agreement over the API: provisions with their deadlines as dates and their rival readings."""

from .conftest import assert_error, events


def test_recording_an_agreement_and_reading_it_back(facilitator, api, mechanism):
    r = facilitator.post("/agreements", {"title": "Ceasefire agreement", "signed_on": "2020-10-23", "place": "Geneva"})
    assert r.status_code == 201, r.content
    agreement = r.json()
    assert agreement["title_en"] == "Ceasefire agreement" and agreement["signed_on"] == "2020-10-23"
    assert agreement["provisions_count"] == 0
    listed = api("east-member").get("/agreements").json()
    assert [(a["id"], a["title"]) for a in listed] == [(agreement["id"], "Ceasefire agreement")]
    assert "text" not in listed[0]  # the list leaves the full text out
    assert api("observer").get(f"/agreements/{agreement['id']}").json() == agreement


def test_provisions_carry_their_due_date_and_readings(facilitator, api, committee):
    a = committee.agreement.id
    r = facilitator.post(
        f"/agreements/{a}/provisions", {"number": "5", "text": "Exchange prisoners", "deadline_on": "2020-12-01"}
    )
    assert r.status_code == 201, r.content
    dated = r.json()
    assert dated["due_on"] == "2020-12-01" and dated["interpretations"] == []
    r = facilitator.post(f"/agreements/{a}/provisions", {"number": "6", "kind": "principle", "text": "Sovereignty"})
    undated = r.json()
    assert undated["due_on"] is None and undated["kind"] == "principle"

    r = api("east-head").post(
        f"/provisions/{committee.provision.id}/interpretations", {"reading": "Only foreign fighters"}
    )
    assert r.status_code == 201, r.content
    assert r.json()["held_by_en"] == "Eastern region"  # a party's speaker records its own party's reading

    provisions = api("observer", language="en").get(f"/agreements/{a}/provisions").json()
    assert [p["number"] for p in provisions] == ["2", "5", "6"]
    first = provisions[0]
    assert first["deadline_months"] == 3 and first["due_on"] == "2021-01-23"  # three months from 23 October 2020
    assert [i["held_by"] for i in first["interpretations"]] == ["UNSMIL", "Eastern region"]
    assert api("observer", language="en").get(f"/provisions/{committee.provision.id}").json() == first
    assert api("observer").get(f"/agreements/{a}").json()["provisions_count"] == 3


def test_months_need_a_signature_date(facilitator, committee):
    unsigned = facilitator.post("/agreements", {"title": "Unsigned draft"}).json()
    before = events()
    r = facilitator.post(f"/agreements/{unsigned['id']}/provisions", {"number": "1", "text": "T", "deadline_months": 2})
    assert_error(r, 422, "deadline_months")
    assert events() == before


def test_unknown_agreements_and_provisions_are_404(api, committee):
    observer = api("observer")
    assert_error(observer.get("/agreements/424242"), 404, "agreement")
    assert_error(observer.get("/agreements/424242/provisions"), 404, "agreement")
    assert_error(observer.get("/provisions/424242"), 404, "provision")
    assert_error(observer.get("/agreements/x/provisions"), 422, "agreement")
    # An id of another kind is not an agreement.
    assert_error(observer.get(f"/agreements/{committee.meeting.id}"), 404, "agreement")

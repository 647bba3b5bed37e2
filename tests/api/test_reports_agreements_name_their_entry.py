"""A sign-off names the findings draft it signs and a confirmation the investigation report it
confirms, by entry number: without it 422 naming the field, another entry 409 naming it, and
nothing written either way."""

from ceasefire.record.models import Event

from .conftest import assert_error
from .endpoints import FINDINGS, INVESTIGATION, at

CLEARING = {"findings": [{"allegation": "Shelling by the east", "result": "no_violation"}]}


def test_a_sign_off_names_the_current_draft(api, actors, typology):
    r = at(actors, "investigated")
    east, west = api("east-member"), api("west-member")
    read = east.post(f"/reports/{r.id}/findings", CLEARING).json()["draft"]
    assert east.get(f"/reports/{r.id}").json()["draft"] == read
    redrafted = west.post(f"/reports/{r.id}/findings", FINDINGS).json()["draft"]
    assert redrafted > read
    before = Event.objects.count()
    assert_error(east.post(f"/reports/{r.id}/signoffs", {"agrees": True}), 422, "draft")
    assert_error(east.post(f"/reports/{r.id}/signoffs", {"agrees": True, "draft": None}), 422, "draft")
    assert_error(east.post(f"/reports/{r.id}/signoffs", {"agrees": True, "draft": "12"}), 422, "draft")
    assert_error(east.post(f"/reports/{r.id}/signoffs", {"agrees": True, "draft": read}), 409, "draft")
    assert Event.objects.count() == before
    body = east.post(f"/reports/{r.id}/signoffs", {"agrees": True, "draft": redrafted}).json()
    assert [(s["party"], s["agrees"]) for s in body["signoffs"]] == [("east", True)]


def test_a_confirmation_names_the_current_investigation_report(api, actors, typology):
    r = at(actors, "tasked")
    east, west = api("east-member"), api("west-member")
    first = east.post(f"/reports/{r.id}/investigation", INVESTIGATION).json()["investigation"]["entry"]
    second = west.post(f"/reports/{r.id}/investigation", {**INVESTIGATION, "methods": "Imagery"}).json()[
        "investigation"
    ]["entry"]
    before = Event.objects.count()
    assert_error(east.post(f"/reports/{r.id}/investigation/confirmations", {}), 422, "investigation")
    assert_error(
        east.post(f"/reports/{r.id}/investigation/confirmations", {"investigation": first}), 409, "investigation"
    )
    assert_error(
        west.post(f"/reports/{r.id}/investigation/confirmations", {"investigation": second}), 409, "investigation"
    )
    assert_error(api("west-head").post(f"/reports/{r.id}/investigation/confirmations", {"investigation": second}), 403)
    assert Event.objects.count() == before
    body = east.post(f"/reports/{r.id}/investigation/confirmations", {"investigation": second}).json()
    assert body["status"] == "investigated" and body["investigation"]["confirmed_by"] == ["west", "east"]

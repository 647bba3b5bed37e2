"""Mine action over the API: who may record an area, report a clearance and ask for its
verification (and who may not); rival reports side by side; bad input refused with a 4xx naming the
field, nothing written; a clearance verified through the chain."""

import pytest

from ceasefire.incidents import commands as incidents
from tests.conftest import FACILITATOR
from tests.samples import INVESTIGATION

from .conftest import assert_error, events

AREA = {"name_en": "Coastal road, Abu Grein to Sirte", "place": "osm:n1185649367", "source": "UNSMIL"}
CLEARANCE = {"status": "partly", "as_of": "2021-04-01", "extent_en": "120 km; 7.5 t of ERW", "source": "UNSMIL"}


@pytest.fixture
def area(api, typology):
    r = api("facilitator").post("/mine-areas", AREA)
    assert r.status_code == 201, r.content
    return r.json()


@pytest.mark.parametrize(
    "who, status",
    [("west-head", 201), ("east-member", 201), ("monitor", 201), ("facilitator", 201), ("observer", 403), (None, 401)],
)
def test_who_may_record_an_area_and_report_a_clearance(api, mechanism, monitor, who, status):
    before = events()
    r = api(who).post("/mine-areas", AREA)
    assert r.status_code == status, r.content
    if status != 201:
        assert events() == before
        return
    r = api(who).post(f"/mine-areas/{r.json()['id']}/clearances", CLEARANCE)
    assert r.status_code == 201 and r.json()["claimed_by"] == {"west-head": "west", "east-member": "east"}.get(who)


def test_rival_reports_side_by_side_read_by_observers(api, area):
    api("west-head").post(f"/mine-areas/{area['id']}/clearances", {**CLEARANCE, "extent_en": "3 tons"})
    api("facilitator").post(f"/mine-areas/{area['id']}/clearances", CLEARANCE)
    seen = api("observer").get(f"/mine-areas/{area['id']}").json()
    assert sorted(c["extent"] for c in seen["clearances"]) == ["120 km; 7.5 t of ERW", "3 tons"]
    assert_error(api(None).get(f"/mine-areas/{area['id']}"), 401)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"status": "mostly"}, "status"),
        ({"as_of": "2999-01-01"}, "as_of"),
        ({"as_of": None}, "as_of"),
        ({"source": ""}, "source"),
    ],
)
def test_bad_clearances_are_refused_naming_the_field(api, area, change, field):
    before = events()
    r = api("west-head").post(f"/mine-areas/{area['id']}/clearances", {**CLEARANCE, **change})
    assert r.status_code in (400, 422), r.content
    assert field in [e["field"] for e in r.json()["detail"]], r.json()
    assert events() == before


@pytest.mark.parametrize("change, field", [({"name_en": ""}, "name"), ({"place": "osm:nowhere"}, "place")])
def test_bad_areas_are_refused_naming_the_field(api, mechanism, change, field):
    before = events()
    r = api("facilitator").post("/mine-areas", {**AREA, **change})
    assert r.status_code in (400, 422) and field in [e["field"] for e in r.json()["detail"]], r.content
    assert events() == before


def test_a_clearance_is_verified_through_the_chain(api, area, actors):
    c = api("east-head").post(f"/mine-areas/{area['id']}/clearances", CLEARANCE).json()
    assert_error(api("observer").post(f"/clearances/{c['id']}/verification", {}), 403)
    r = api("west-head").post(f"/clearances/{c['id']}/verification", {})
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert_error(api("west-head").post(f"/clearances/{c['id']}/verification", {}), 409, "clearance")
    incidents.triage(FACILITATOR, rid, {"decision": "admissible"})
    incidents.task_team(FACILITATOR, rid, {"team": ["west-member", "east-member"]})
    rep = incidents.report_investigation(actors["west-member"], rid, {**INVESTIGATION, "visited_on": "2021-04-05"})
    rep = incidents.confirm_investigation(actors["east-member"], rid, {"investigation": rep.investigation.id})
    rep = incidents.draft_findings(
        actors["west-member"],
        rid,
        {"findings": [{"allegation": "cleared", "result": "no_violation", "reasoning": "walked the road"}]},
    )
    rep = incidents.sign_findings(actors["west-member"], rid, {"agrees": True, "draft": rep.draft})
    seen = api("west-member").get(f"/mine-areas/{area['id']}").json()["clearances"][0]["verification"]
    assert seen["verified"] is None  # one side's signature concludes nothing
    for who in ("east-member", "facilitator"):
        rep = incidents.sign_findings(actors[who], rid, {"agrees": True, "draft": rep.draft})
    assert api("observer").get(f"/mine-areas/{area['id']}").json()["clearances"][0]["verification"]["verified"] in (
        1,
        None,
    )
    assert api("west-member").get(f"/mine-areas/{area['id']}").json()["clearances"][0]["verification"]["verified"] == 1

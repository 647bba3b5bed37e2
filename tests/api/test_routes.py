"""Roads, crossings and borders over the API: who may record a route, put forward its status, take
a position or make an export for a neighbour (and who may not), what each reader reads, and bad
input refused with a 4xx naming the field, nothing written."""

import hashlib
import json

import pytest

from ceasefire.incidents import commands as incidents
from ceasefire.record.models import Event
from ceasefire.routes.models import Shared
from tests.conftest import FACILITATOR
from tests.routes.steps import COASTAL, CROSSING, OPEN
from tests.samples import REPORT

from .conftest import assert_error, events


@pytest.fixture
def road(api, mechanism):
    r = api("facilitator").post("/routes", COASTAL)
    assert r.status_code == 201, r.content
    return r.json()


@pytest.mark.parametrize(
    "who, status",
    [("facilitator", 201), ("west-head", 403), ("east-member", 403), ("monitor", 403), ("observer", 403), (None, 401)],
)
def test_only_the_facilitator_records_a_route(api, mechanism, monitor, who, status):
    before = events()
    r = api(who).post("/routes", COASTAL)
    assert r.status_code == status, r.content
    assert events() == before + (1 if status == 201 else 0)
    if status == 201:
        body = r.json()
        assert body["geometry"]["type"] == "LineString" and len(body["geometry"]["coordinates"]) == 3
        assert body["status"] is None


@pytest.mark.parametrize(
    "who, status",
    [
        ("facilitator", 201),
        ("west-head", 201),
        ("east-head", 201),
        ("west-member", 403),
        ("monitor", 403),
        ("observer", 403),
        (None, 401),
    ],
)
def test_who_may_put_forward_a_status(api, road, monitor, who, status):
    before = events()
    r = api(who).post(f"/routes/{road['id']}/statuses", OPEN)
    assert r.status_code == status, r.content
    if status != 201:
        assert events() == before
        return
    claim = r.json()
    assert claim["agreed"] is False  # one party, or the facilitator, never makes it the committee's
    assert claim["party"] == {"west-head": "west", "east-head": "east"}.get(who)
    assert claim["waiting_for"]


def test_every_party_approving_makes_it_the_committees_and_rivals_stand_side_by_side(api, road):
    west = api("west-head").post(f"/routes/{road['id']}/statuses", OPEN).json()
    east = (
        api("east-head")
        .post(f"/routes/{road['id']}/statuses", {**OPEN, "status": "closed", "conditions_en": ""})
        .json()
    )
    r = api("west-member").get(f"/routes/{road['id']}")
    assert r.json()["status"] is None
    assert {c["id"] for c in r.json()["statuses"]} == {west["id"], east["id"]}  # side by side
    # the observer reads neither claim, the public no status at all
    assert api("observer").get(f"/routes/{road['id']}").json()["statuses"] == []
    assert api(None).get(f"/routes/{road['id']}").json()["statuses"] is None
    assert_error(api("observer").get(f"/route-statuses/{west['id']}"), 404, "claim")
    # a member does not speak for the party; the head does
    assert_error(api("west-member").post(f"/route-statuses/{east['id']}/positions", {"position": "approve"}), 403)
    r = api("east-head").post(f"/route-statuses/{west['id']}/positions", {"position": "approve"})
    assert r.status_code == 200 and r.json()["agreed"] and r.json()["agreed_through"] == "positions"
    assert Event.objects.filter(type="route.status_agreed").count() == 1
    current = api("observer").get(f"/routes/{road['id']}").json()
    assert current["status"]["status"] == "restricted" and current["status"]["party"] is None
    assert "No military convoys" in current["status"]["conditions"]
    assert [c["id"] for c in current["statuses"]] == [west["id"]]
    assert_error(api("west-head").post(f"/route-statuses/{west['id']}/positions", {"position": "object"}), 409)


def test_a_status_per_source_is_the_facilitators_only_and_for_a_day_passed(api, road):
    sourced = {**OPEN, "agreed_per_source": {"source": "Al Marsad, 30 Jul 2021"}}
    assert_error(api("west-head").post(f"/routes/{road['id']}/statuses", sourced), 403)
    r = api("facilitator").post(f"/routes/{road['id']}/statuses", sourced)
    assert r.status_code == 201 and r.json()["agreed_through"] == "source", r.content
    before = events()
    r = api("facilitator").post(f"/routes/{road['id']}/statuses", {**sourced, "since": "2099-01-01"})
    assert r.status_code == 422 and events() == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "tunnel"}, "kind"),
        ({"name_en": "", "name_ar": ""}, "name"),
        ({"places": ["osm:nowhere"]}, "places[0]"),
        ({"places": ["osm:n5431087789"]}, "places"),
        ({"places": "not a list"}, "places"),
        ({"within_km": 500}, "within_km"),
        ({"layer": "no-such-layer"}, "layer"),
        ({"source": ""}, "source"),
        ({"kind": "crossing", "places": ["site:tumu-crossing"]}, "neighbour"),
        ({"kind": "crossing", "places": ["site:tumu-crossing"], "neighbour": "mali"}, "neighbour"),
        ({"aliases": ["x\u202e"]}, "aliases[0]"),
    ],
)
def test_bad_routes_are_refused_naming_the_field(api, mechanism, change, field):
    before = events()
    r = api("facilitator").post("/routes", {**COASTAL, **change})
    assert r.status_code in (400, 422), r.content
    assert field in [e["field"] for e in r.json()["detail"]], r.json()
    assert events() == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"status": "half-open"}, "status"),
        ({"status": None}, "status"),
        ({"since": "2999-01-01"}, "since"),
        ({"since": "30/07/2021"}, "since"),
        ({"status": "restricted", "conditions_en": ""}, "conditions"),
        ({"source": ""}, "source"),
        ({"agreed_per_source": {"source": ""}}, "agreed_per_source.source"),
    ],
)
def test_bad_statuses_are_refused_naming_the_field(api, road, change, field):
    before = events()
    r = api("facilitator").post(f"/routes/{road['id']}/statuses", {**OPEN, **change})
    assert r.status_code in (400, 422), r.content
    assert field in [e["field"] for e in r.json()["detail"]], r.json()
    assert events() == before


def test_a_bad_position_names_the_field(api, road):
    claim = api("west-head").post(f"/routes/{road['id']}/statuses", OPEN).json()
    before = events()
    assert_error(
        api("east-head").post(f"/route-statuses/{claim['id']}/positions", {"position": "maybe"}), 422, "position"
    )
    assert_error(api("east-head").post("/route-statuses/424242/positions", {"position": "approve"}), 404, "claim")
    assert_error(api("east-head").post("/routes/424242/statuses", OPEN), 404, "route")
    assert events() == before


def test_the_incidents_on_a_route_are_the_reports_near_it_or_naming_it(api, road, typology, actors):
    near = incidents.file_report(actors["west-member"], REPORT)  # Abu Qurayn, on the road
    named = incidents.file_report(
        actors["east-member"],
        {
            **REPORT,
            "latitude": None,
            "longitude": None,
            "geo_precision": None,
            "title": "Checkpoint on the coastal road",
        },
    )
    far = incidents.file_report(actors["west-member"], {**REPORT, "latitude": 27.0, "longitude": 14.4})
    refs = [i["reference"] for i in api("west-member").get(f"/routes/{road['id']}/incidents").json()]
    assert near.reference in refs and named.reference in refs and far.reference not in refs
    assert api("observer").get(f"/routes/{road['id']}/incidents").json() == []  # none shared with observers
    incidents.set_visibility(FACILITATOR, near.id, {"visibility": "observers"})
    refs = [i["reference"] for i in api("observer").get(f"/routes/{road['id']}/incidents").json()]
    assert refs == [near.reference]


@pytest.mark.parametrize(
    "who, status", [("facilitator", 200), ("west-head", 403), ("monitor", 403), ("observer", 403), (None, 401)]
)
def test_only_the_facilitator_makes_an_export_and_it_is_recorded(api, mechanism, monitor, who, status):
    api("facilitator").post("/routes", CROSSING)
    before = events()
    r = api(who).post("/borders/exports", {"recipient": "niger", "format": "json"})
    assert r.status_code == status, r.content
    if status != 200:
        assert events() == before and not Shared.objects.exists()
        return
    body = r.content
    data = json.loads(body)
    assert data["recipient"] == "niger" and [c["name_en"] for c in data["crossings"]] == ["Tummo border post"]
    entry = Event.objects.get(type="routes.data_shared")
    assert entry.payload["sha256"] == hashlib.sha256(body).hexdigest() == r["X-Ceasefire-SHA256"]
    assert entry.payload["recipient"] == "niger" and entry.payload["checkpoint"] == data["checkpoint"]["size"] == before
    assert [s["sha256"] for s in api("observer").get("/borders/exports").json()] == [entry.payload["sha256"]]
    assert_error(api(None).get("/borders/exports"), 401)


@pytest.mark.parametrize(
    "change, field",
    [({"recipient": "egypt"}, "recipient"), ({"recipient": None}, "recipient"), ({"format": "xml"}, "format")],
)
def test_a_bad_export_is_refused_naming_the_field(api, mechanism, change, field):
    before = events()
    assert_error(api("facilitator").post("/borders/exports", {"recipient": "chad", **change}), 422, field)
    assert events() == before


def test_the_borders_list_each_neighbour_with_its_crossings(api, mechanism):
    api("facilitator").post("/routes", CROSSING)
    borders = {b["neighbour"]: b for b in api(None).get("/borders").json()}
    assert list(borders) == ["tunisia", "algeria", "niger", "chad", "sudan", "egypt"]
    assert [c["name_en"] for c in borders["niger"]["crossings"]] == ["Tummo border post"]
    assert [b for b, v in borders.items() if v["liaison"]] == ["niger", "chad", "sudan"]


def test_the_incidents_near_a_land_border_are_the_callers_to_read(api, mechanism, typology, actors):
    incidents.file_report(actors["west-member"], {**REPORT, "latitude": 26.0, "longitude": 24.78})  # 20 km from Egypt
    near = {b["neighbour"]: b["near_border"] for b in api("west-head").get("/borders").json()}
    assert [len(v) for v in near.values()] == [0, 0, 0, 0, 0, 1]
    assert all(b["near_border"] == [] for b in api("observer").get("/borders").json())
    assert all(b["near_border"] == [] for b in api(None).get("/borders").json())

"""The committee's layers: who may put forward a version and give a position, a version binds only
with every party's approval (stated by the record, replayed as it says), a disputed version stands
beside the binding one, and every report is checked against the version binding at its time."""

import datetime as dt

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.incidents import queries as report_queries
from ceasefire.incidents.models import Report
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.record import log, replay
from ceasefire.record.models import Event
from ceasefire.zones import checks, commands, queries
from ceasefire.zones.models import LayerVersion
from tests import once
from tests.conftest import FACILITATOR, PASSWORD
from tests.helpers import refused


def square(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name_en": "Sirte-Jufra", "name_ar": "سرت-الجفرة"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }


# An exercise area, not the committee's: two versions of one box, the second wider to the east.
V1 = square(16.0, 29.0, 17.0, 31.0)
V2 = square(16.0, 29.0, 18.0, 31.0)
AREA = {
    "layer": "sirte-jufra",
    "kind": "demilitarised_area",
    "name_en": "Sirte-Jufra area (exercise)",
    "name_ar": "منطقة سرت-الجفرة (تمرين)",
}


@once.fixture
def monitor(mechanism):
    return actor_for(create_account("monitor-1", PASSWORD, "monitor", ""))


def propose(actor, geojson=V1, **more):
    return commands.propose_version(actor, {**AREA, "geojson": geojson, **more})


def approve(actors, version, *parties):
    for party in parties:
        version = commands.take_position(actors[f"{party}-head"], version.id, {"position": "approve"})
    return version


@pytest.mark.parametrize("who", ["west-member", "east-member", "observer", "monitor"])
def test_members_monitors_and_observers_may_not_put_forward_a_version(actors, monitor, who):
    actor = monitor if who == "monitor" else actors[who]
    assert commands.proposal_refusal(actor) is not None
    with refused(Forbidden):
        propose(actor)


@pytest.mark.parametrize("who", ["west-member", "observer", "monitor", "facilitator"])
def test_only_a_partys_speaker_gives_a_position(actors, monitor, who):
    version = propose(FACILITATOR)
    actor = monitor if who == "monitor" else actors[who]
    assert commands.position_refusal(actor, version) is not None
    with refused(Forbidden):
        commands.take_position(actor, version.id, {"position": "approve"})
    assert not LayerVersion.objects.get(id=version.id).binding


def test_a_partys_version_is_its_approval_and_binds_with_the_others(actors):
    version = propose(actors["west-head"])
    assert not version.binding
    assert [(p.party_id, p.position) for p in version.positions.all()] == [("west", "approve")]
    assert commands.waiting_for(version)  # the east's position
    version = approve(actors, version, "east")
    assert version.binding and version.binding_since is not None
    bound = Event.objects.filter(type="layer.version_bound").get()
    assert bound.actor == log.COMMITTEE.username and bound.payload["geojson"] == version.geojson
    with refused(Conflict):
        commands.take_position(actors["west-head"], version.id, {"position": "object"})
    assert replay.check(progress=None).ok


def test_the_facilitators_version_needs_every_party(actors):
    version = propose(FACILITATOR)
    assert version.party_id is None and not version.positions.exists()
    version = approve(actors, version, "west")
    assert not version.binding
    assert approve(actors, version, "east").binding


def test_a_disputed_version_stands_beside_the_binding_one(actors):
    first = approve(actors, propose(actors["west-head"]), "east")
    rival = propose(actors["east-head"], V2)
    rival = commands.take_position(actors["west-head"], rival.id, {"position": "object", "reason": "too far east"})
    assert rival.disputed and not rival.binding and rival.number == 2
    layer = queries.layer(actors["west-member"], "sirte-jufra")
    assert layer.current.id == first.id
    assert [v.number for v in layer.shown] == [2, 1]
    # observers read the binding version only, never the disputed one nor who said what
    seen = queries.layer(actors["observer"], "sirte-jufra")
    assert [v.number for v in seen.shown] == [1]
    with pytest.raises(NotFound):
        queries.layer(None, "sirte-jufra")


def test_a_suspended_partys_approval_waits_for_its_return(actors):
    version = propose(actors["west-head"])
    version = approve(actors, version, "east")
    assert version.binding
    rival = propose(actors["west-head"], V2)
    mechanism.suspend_participation(actors["east-head"], "east", {"since": "2022-01-01"})
    with refused(Conflict):
        commands.take_position(actors["east-head"], rival.id, {"position": "approve"})
    mechanism.resume_participation(actors["east-head"], "east", {"on": "2022-02-01"})
    assert approve(actors, rival, "east").binding


def file_report(actors, day: str, lat: float, lon: float, precision: int = 1):
    from ceasefire.incidents import commands as incidents
    from ceasefire.incidents.models import Category
    from tests.samples import REPORT

    if not Category.objects.exists():
        incidents.adopt_default_typology(FACILITATOR)
    return incidents.file_report(
        actors["west-member"],
        {**REPORT, "occurred_at": f"{day}T12:00+00:00", "latitude": lat, "longitude": lon, "geo_precision": precision},
    )


@pytest.fixture
def two_versions(actors, monkeypatch):
    """Version 1 binding from 2021-01-01 (the day its proposal names), version 2 from 2022-06-01."""
    v1 = approve(actors, propose(actors["west-head"], V1, effective_from="2021-01-01"), "east")
    v2 = approve(actors, propose(actors["west-head"], V2, effective_from="2022-06-01"), "east")
    return v1, v2


def test_a_report_is_checked_against_the_version_binding_at_its_time(actors, two_versions):
    _v1, v2 = two_versions
    before = file_report(actors, "2022-05-31", 30.0, 17.5)  # east of version 1's edge, inside version 2
    after = file_report(actors, "2022-06-02", 30.0, 17.5)
    earlier = file_report(actors, "2020-12-31", 30.0, 16.5)  # before any version bound
    inside = file_report(actors, "2021-03-01", 30.0, 16.5)
    assert checks.check(before) == []
    [hit] = checks.check(after)
    assert (hit.version.id, hit.km, hit.feature["name_en"]) == (v2.id, None, "Sirte-Jufra")
    assert checks.check(earlier) == []
    assert [h.version.number for h in checks.check(inside)] == [1]
    # the list's filter asks the same
    f = report_queries.Filters.parse({"zone": "sirte-jufra"})
    found = set(report_queries.search(Report.objects.all(), f).values_list("id", flat=True))
    assert found == {after.id, inside.id}


def test_the_edge_of_an_area_is_inside_and_a_district_placing_is_not_checked(actors, two_versions):
    on_edge = file_report(actors, "2021-03-01", 31.0, 16.5)  # on the northern edge
    corner = file_report(actors, "2021-03-01", 29.0, 16.0)
    outside = file_report(actors, "2021-03-01", 31.0001, 16.5)
    district = file_report(actors, "2021-03-01", 30.0, 16.5, precision=3)
    assert [h.version.number for h in checks.check(on_edge)] == [1]
    assert [h.version.number for h in checks.check(corner)] == [1]
    assert checks.check(outside) == []
    assert checks.check(district) == []


def test_a_line_holds_the_reports_within_its_distance(actors):
    road = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name_en": "Coastal road"},
                "geometry": {"type": "LineString", "coordinates": [[15.09, 32.37], [16.59, 31.20]]},
            }
        ],
    }
    version = commands.propose_version(
        actors["west-head"],
        {
            "layer": "coastal-road",
            "kind": "protected_road",
            "name_en": "Coastal road Misrata-Sirte (exercise)",
            "geojson": road,
            "within_km": 2,
            "effective_from": "2021-01-01",
        },
    )
    version = approve(actors, version, "east")
    near = file_report(actors, "2021-03-01", 32.37 + 0.01, 15.09)  # about 1.1 km north of its western end
    far = file_report(actors, "2021-03-01", 32.37 + 0.03, 15.09)  # about 3.3 km
    [hit] = checks.check(near)
    assert hit.version.id == version.id and 1.0 < hit.km < 1.2
    assert checks.check(far) == []


BAD = [
    ("not json", "{", "geojson"),
    ("wrong type", {"type": "Topology"}, "geojson.type"),
    (
        "unclosed ring",
        {"type": "Polygon", "coordinates": [[[16, 29], [17, 29], [17, 31], [16, 31]]]},
        "geojson.coordinates[0]",
    ),
    (
        "self-intersection",
        {"type": "Polygon", "coordinates": [[[16, 29], [17, 31], [17, 29], [16, 31], [16, 29]]]},
        "geojson.coordinates[0]",
    ),
    ("latitude out of range", square(16, 29, 17, 91), "geojson.features[0].geometry.coordinates[0][2][1]"),
    ("longitude out of range", square(16, 29, 181, 31), "geojson.features[0].geometry.coordinates[0][1][0]"),
    ("a line for an area", {"type": "LineString", "coordinates": [[16, 29], [17, 31]]}, "geojson.type"),
    (
        "too few positions",
        {"type": "Polygon", "coordinates": [[[16, 29], [17, 29], [16, 29]]]},
        "geojson.coordinates[0]",
    ),
    ("no features", {"type": "FeatureCollection", "features": []}, "geojson.features"),
    (
        "a position of text",
        {"type": "Polygon", "coordinates": [[["16", 29], [17, 29], [17, 31], [16, 29]]]},
        "geojson.coordinates[0][0]",
    ),
]


@pytest.mark.parametrize("name,document,field", BAD, ids=[b[0] for b in BAD])
def test_bad_geojson_is_refused_naming_the_fault_and_nothing_is_written(actors, name, document, field):
    with refused(Invalid, field) as caught:
        propose(actors["west-head"], document)
    assert str(caught.value.message)
    assert not LayerVersion.objects.exists()


def test_a_version_names_a_day_that_has_come(actors):
    ahead = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    with refused(Invalid, "effective_from"):
        propose(actors["west-head"], effective_from=ahead)
    with refused(Invalid, "kind"):
        propose(actors["west-head"], kind="lagoon")

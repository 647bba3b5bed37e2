"""The committee's layers over the API: a version put forward with a GeoJSON body, positions on it,
GeoJSON out as application/geo+json, bad geometry refused naming its place with nothing written, and
each report's zones and the list's `zone` filter, as far as the reader may read layers."""

import json

from ceasefire.incidents import commands as incidents
from ceasefire.incidents.models import Category
from tests.conftest import FACILITATOR
from tests.samples import REPORT

from .conftest import assert_error, events

RING = [[15.0, 31.0], [16.0, 31.0], [16.0, 32.0], [15.0, 32.0], [15.0, 31.0]]
AREA = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name_en": "Abu Qurayn box"},
            "geometry": {"type": "Polygon", "coordinates": [RING]},
        }
    ],
}
NEW = (
    "/layers/abu-qurayn/versions?kind=buffer_zone&name_en=Abu%20Qurayn%20buffer%20(exercise)&effective_from=2021-01-01"
)


def propose(api, who, body=AREA, url=NEW):
    return api(who).post(url, raw=json.dumps(body), content_type="application/geo+json")


def test_a_version_binds_with_every_party_and_reads_back_as_geojson(api, actors):
    r = propose(api, "west-head")
    assert r.status_code == 201, r.content
    v = r.json()
    assert (v["number"], v["binding"], v["party"]) == (1, False, "west")
    assert [p["party"] for p in v["positions"]] == ["west"] and v["waiting_for"]
    # nobody outside the parties reads a version that does not bind
    assert api("observer").get("/layers").json() == []
    assert api(None).get("/layers/abu-qurayn").status_code == 401  # the public reads no layer: sign in
    r = api("east-head").post("/layers/abu-qurayn/versions/1/positions", {"position": "approve"})
    assert r.status_code == 200, r.content
    # the day named binds from its first moment in the committee's time zone (Tripoli: UTC+2)
    assert r.json()["binding"] is True and r.json()["binding_since"].startswith("2020-12-31T22:00:00")

    r = api("observer").get("/layers/abu-qurayn/versions/1")
    assert r.status_code == 200 and r["Content-Type"] == "application/geo+json"
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["features"][0]["geometry"] == AREA["features"][0]["geometry"]
    assert (fc["layer"], fc["version"], fc["binding"]) == ("abu-qurayn", 1, True)
    seen = api("observer").get("/layers/abu-qurayn").json()
    assert seen["binding_version"] == 1 and seen["versions"][0]["positions"] is None
    assert api(None).get("/layers").status_code == 401

    # the report of the samples lies inside it, on a day it binds; the public is not told
    Category.objects.exists() or incidents.adopt_default_typology(FACILITATOR)
    report = incidents.file_report(actors["west-member"], REPORT)
    [hit] = api("west-member", "en").get(f"/reports/{report.id}").json()["zones"]
    assert (hit["layer"], hit["version"], hit["inside"], hit["feature"]) == ("abu-qurayn", 1, True, "Abu Qurayn box")
    listed = api("west-member").get("/reports", {"zone": "abu-qurayn"}).json()
    assert [i["id"] for i in listed["items"]] == [report.id]
    assert_error(api(None).get("/reports", {"zone": "abu-qurayn"}), 422, "zone")


def test_monitors_and_observers_may_not_put_forward_a_version(api):
    before = events()
    assert_error(propose(api, "observer"), 403)
    assert_error(propose(api, "west-member"), 403)
    assert events() == before


def test_bad_geojson_is_refused_naming_its_place_and_nothing_is_written(api):
    before = events()
    r = api("west-head").post(NEW, raw="{not json", content_type="application/geo+json")
    assert_error(r, 422, "geojson")
    open_ring = {"type": "Polygon", "coordinates": [RING[:-1]]}
    assert_error(propose(api, "west-head", open_ring), 422, "geojson.coordinates[0]")
    far = {"type": "Polygon", "coordinates": [[[15, 31], [16, 31], [16, 95], [15, 31]]]}
    assert_error(propose(api, "west-head", far), 422, "geojson.coordinates[0][2][1]")
    assert events() == before


def test_a_document_that_breaks_the_reader_is_a_422_naming_geojson(api):
    """A GeometryCollection nested 900 deep (beyond Python's recursion) and a number of 5,000 digits
    (beyond its conversion of integers) are faults of the document, not of the server."""
    deep = '{"type": "GeometryCollection", "geometries": [' * 900 + "]}" * 900
    long_number = '{"type": "Polygon", "coordinates": [[[1' + "0" * 5000 + ", 31]]]}"
    before = events()
    for text in (deep, long_number):
        r = api("west-head").post(NEW, raw=text, content_type="application/geo+json")
        assert_error(r, 422, "geojson")
    assert events() == before

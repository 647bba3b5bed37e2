"""The map: GET /map/clusters, GET /map/cluster and GET /reports.geojson, by reader, filter and bad
input; and the grid they count in (places/grid.py)."""

import itertools
import random

import pytest

from ceasefire.incidents import commands as incidents
from ceasefire.incidents import mapping
from ceasefire.incidents.models import MapTally, Report
from ceasefire.places import grid
from ceasefire.places.gazetteer import gazetteer

from .conftest import assert_error, events
from .endpoints import advance, file_report

LIBYA = "9.3,19.5,25.2,33.2"
FULL = ("west-member", "east-head", "facilitator", "monitor")


@pytest.fixture
def spread(actors, typology, monitor):
    """Four reports: one kept with the parties (a raid in Sirte, the place itself), one shared with
    the observers (a drone strike near Tripoli), one published (shelling somewhere in the Jufra
    district), one without coordinates (published too)."""
    f = actors["facilitator"]
    kept = file_report(
        actors,
        title="Kept with the parties",
        category="raid",
        latitude=31.2,
        longitude=16.59,
        geo_precision=1,
        occurred_at="2021-01-05",
    )
    shared = file_report(
        actors,
        "east-member",
        title="Shared with the observers",
        category="air-strike",
        alleged_party="west",
        latitude=32.89,
        longitude=13.19,
        geo_precision=2,
        occurred_at="2021-02-10",
    )
    advance(actors, shared.id, "tasked")
    incidents.set_visibility(f, shared.id, {"visibility": "observers"})
    jufra = gazetteer().districts["LY-JU"]
    published = file_report(
        actors,
        title="Published",
        latitude=jufra.latitude,
        longitude=jufra.longitude,
        geo_precision=3,
        occurred_at="2021-03-01",
    )
    advance(actors, published.id, "concluded")
    incidents.set_visibility(f, published.id, {"visibility": "public"})
    nowhere = file_report(
        actors, title="No coordinates", latitude=None, longitude=None, geo_precision=None, occurred_at="2021-03-02"
    )
    advance(actors, nowhere.id, "concluded")
    incidents.set_visibility(f, nowhere.id, {"visibility": "public"})
    return {"kept": kept.id, "shared": shared.id, "published": published.id, "nowhere": nowhere.id}


def sees(who) -> set[str]:
    if who in FULL:
        return {"kept", "shared", "published"}
    return {"shared", "published"} if who == "observer" else {"published"}


def clusters(api, who, **params):
    r = api(who).get("/map/clusters", {"bbox": LIBYA, "zoom": "5", **params})
    assert r.status_code == 200, r.content
    return r.json()


def cell_of(report_id: int, zoom: int) -> int:
    return Report.objects.get(id=report_id).map_cell >> grid.shift(zoom)


def on_map(spread, body) -> set[str]:
    """The reports of the fixture the answer counts: its cells, counts and middles must be exactly
    those of one set of them."""
    zoom = body["zoom"]
    cells = {c["cell"]: (c["count"], c["lat"], c["lon"]) for c in body["clusters"]}
    assert sum(c[0] for c in cells.values()) == body["count"], body
    names = [n for n in spread if n != "nowhere"]
    at = {n: Report.objects.get(id=spread[n]) for n in names}
    for size in range(len(names) + 1):
        for chosen in itertools.combinations(names, size):
            grouped: dict[int, list] = {}
            for n in chosen:
                grouped.setdefault(cell_of(spread[n], zoom), []).append(at[n])
            wanted = {
                cell: (
                    len(rs),
                    round(sum(r.latitude for r in rs) / len(rs), 5),
                    round(sum(r.longitude for r in rs) / len(rs), 5),
                )
                for cell, rs in grouped.items()
            }
            if wanted == cells:
                return set(chosen)
    raise AssertionError(f"no set of the reports is counted so: {body}")


@pytest.mark.parametrize("who", [None, "observer", *FULL], ids=str)
def test_each_reader_counts_what_it_may_read(api, spread, who):
    for zoom in (3, 5, 8, 12):
        params = {"zoom": str(zoom)}
        if zoom >= 8:  # a box of the coast around each report: a whole country is too many cells
            params["bbox"] = "13,31,17,33" if zoom == 8 else "16.5,31.1,16.7,31.3"
        body = clusters(api, who, **params)
        wanted = sees(who) if zoom < 8 else sees(who) & ({"kept", "shared"} if zoom == 8 else {"kept"})
        assert on_map(spread, body) == wanted, (zoom, body)


def test_a_cluster_says_its_categories_precision_and_middle(api, spread):
    body = clusters(api, "west-member", zoom="8", bbox="13,31,17,33")
    by_cell = {c["cell"]: c for c in body["clusters"]}
    kept = by_cell[cell_of(spread["kept"], 8)]
    assert kept["count"] == 1 and kept["categories"] == {"raid": 1}
    assert (kept["lat"], kept["lon"]) == (31.2, 16.59)
    w, s, e, n = grid.bounds(kept["cell"], 8)
    assert w <= 16.59 <= e and s <= 31.2 <= n


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"category": "raid"}, {"kept"}),
        ({"category": "shelling"}, {"published"}),
        ({"alleged_party": "west"}, {"shared"}),
        ({"status": "concluded"}, {"published"}),
        ({"occurred_from": "2021-02-01"}, {"shared", "published"}),
        ({"occurred_to": "2021-02-10"}, {"kept", "shared"}),
        ({"occurred_from": "2021-02-11", "occurred_to": "2021-02-28"}, set()),
        ({"q": "Shared with"}, {"shared"}),
    ],
)
def test_the_lists_filters(api, spread, params, expected):
    assert on_map(spread, clusters(api, "west-member", **params)) == expected
    # and the list agrees
    listed = {i["id"] for i in api("west-member").get("/reports", {**params, "bbox": LIBYA}).json()["items"]}
    assert listed == {spread[name] for name in expected}


@pytest.mark.parametrize("who", [None, "observer"], ids=str)
def test_a_cluster_of_a_report_kept_with_the_parties_is_empty_outside_them(api, spread, who):
    zoom = 12
    cell = cell_of(spread["kept"], zoom)
    r = api(who).get("/map/cluster", {"zoom": str(zoom), "cell": str(cell)})
    assert r.status_code == 200 and r.json()["count"] == 0 and r.json()["items"] == []
    assert b"Kept with the parties" not in r.content
    r = api(who).get("/reports.geojson", {"zoom": str(zoom), "cell": str(cell)})
    assert r.status_code == 200 and r.json()["features"] == [] and b"Kept with" not in r.content
    r = api("west-member").get("/map/cluster", {"zoom": str(zoom), "cell": str(cell)})
    assert [i["id"] for i in r.json()["items"]] == [spread["kept"]]


def test_a_cluster_lists_its_reports_with_the_filters(api, spread):
    zoom = 3  # one cell holds the whole of Libya's middle
    cells = {cell_of(spread[n], zoom) for n in ("kept", "shared", "published")}
    for cell in cells:
        body = api("facilitator").get("/map/cluster", {"zoom": "3", "cell": str(cell)}).json()
        ids = {i["id"] for i in body["items"]}
        assert ids == {spread[n] for n in ("kept", "shared", "published") if cell_of(spread[n], zoom) == cell}
        assert body["count"] == len(ids)
    cell = cell_of(spread["kept"], zoom)
    body = api("facilitator").get("/map/cluster", {"zoom": "3", "cell": str(cell), "category": "raid"}).json()
    assert [i["id"] for i in body["items"]] == [spread["kept"]]


@pytest.mark.parametrize("who", [None, "observer", "west-member"], ids=str)
def test_geojson_by_reader_and_precision(api, spread, who):
    r = api(who).get("/reports.geojson")
    assert r.status_code == 200 and r["Content-Type"] == "application/geo+json"
    doc = r.json()
    assert doc["type"] == "FeatureCollection"
    features = {f["id"]: f for f in doc["features"]}
    refs = {Report.objects.get(id=rid).reference: name for name, rid in spread.items()}
    assert {refs[k] for k in features} == sees(who) | {"nowhere"}
    assert doc["count"] == len(features)
    for ref, f in features.items():
        name, props = refs[ref], f["properties"]
        assert f["type"] == "Feature" and props["reference"] == ref
        if name == "nowhere":
            assert f["geometry"] is None
        elif name == "published":  # the district, not a point in it
            assert f["geometry"]["type"] in ("Polygon", "MultiPolygon") and props["district"] == "LY-JU"
            assert props["geo_precision"] == 3
        elif name == "shared":  # near Tripoli: the point and the radius it is within
            assert f["geometry"] == {"type": "Point", "coordinates": [13.19, 32.89]} and props["radius_m"] > 0
        else:
            assert f["geometry"] == {"type": "Point", "coordinates": [16.59, 31.2]} and "radius_m" not in props
    if who != "west-member":
        assert b"Kept with the parties" not in r.content


def test_geojson_takes_the_lists_filters(api, spread):
    doc = api("west-member").get("/reports.geojson", {"category": "raid"}).json()
    assert [f["properties"]["title_en"] for f in doc["features"]] == ["Kept with the parties"]
    doc = api("west-member").get("/reports.geojson", {"bbox": "13,32,14,33"}).json()
    assert [f["properties"]["title_en"] for f in doc["features"]] == ["Shared with the observers"]
    doc = api("west-member").get("/reports.geojson", {"limit": "1", "offset": "1"}).json()
    assert doc["count"] == 4 and len(doc["features"]) == 1


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/map/clusters", {"zoom": "5"}, "bbox"),
        ("/map/clusters", {"bbox": "1,2,3", "zoom": "5"}, "bbox"),
        ("/map/clusters", {"bbox": "a,b,c,d", "zoom": "5"}, "bbox"),
        ("/map/clusters", {"bbox": "20,30,10,35", "zoom": "5"}, "bbox"),
        ("/map/clusters", {"bbox": "9,19,200,33", "zoom": "5"}, "bbox"),
        ("/map/clusters", {"bbox": LIBYA, "zoom": "14"}, "bbox"),  # too many cells
        ("/map/clusters", {"bbox": LIBYA}, "zoom"),
        ("/map/clusters", {"bbox": LIBYA, "zoom": "x"}, "zoom"),
        ("/map/clusters", {"bbox": LIBYA, "zoom": "-1"}, "zoom"),
        ("/map/clusters", {"bbox": LIBYA, "zoom": "19"}, "zoom"),
        ("/map/clusters", {"bbox": LIBYA, "zoom": "5.5"}, "zoom"),
        ("/map/clusters", {"bbox": LIBYA, "zoom": "5", "occurred_from": "2021-13-01"}, "occurred_from"),
        ("/map/clusters", {"bbox": LIBYA, "zoom": "5", "status": "nonsense"}, "status"),
        ("/map/clusters", {"bbox": LIBYA, "zoom": "5", "zone": "nowhere"}, "zone"),
        ("/map/cluster", {"zoom": "5", "cell": "-1"}, "cell"),
        ("/map/cluster", {"zoom": "5", "cell": str(1 << 14)}, "cell"),  # past the level's 4^7 cells
        ("/map/cluster", {"zoom": "5", "cell": "x"}, "cell"),
        ("/map/cluster", {"zoom": "99", "cell": "1"}, "zoom"),
        ("/reports.geojson", {"limit": "0"}, "limit"),
        ("/reports.geojson", {"limit": "1001"}, "limit"),
        ("/reports.geojson", {"cell": "3"}, "zoom"),
        ("/reports.geojson", {"zoom": "3"}, "cell"),
    ],
)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_bad_input_is_422_naming_the_field(api, spread, path, params, field, language):
    before = events()
    r = api("observer", language).get(path, params)
    assert_error(r, 422, field)
    assert field in {e["field"] for e in r.json()["detail"]}
    assert events() == before


@pytest.mark.parametrize("who", [None, "observer", "west-member"], ids=str)
def test_the_tallies_count_as_the_reports_do(api, spread, who):
    """Up to zoom 12 with no filter but a category the clusters come from the tallies; any other
    filter (here a time window holding every report) counts the reports themselves: the same."""
    assert list(mapping.TALLIED) == list(range(13))
    for zoom in mapping.TALLIED:
        # boxes of at most 1,024 cells at the zoom; past 9, the coast from Tripoli to Sirte's west
        bbox = "0,15,30,38" if zoom < 6 else "13,31,17,33" if zoom < 10 else "16.4,31,16.8,31.4"
        if zoom >= 11:
            bbox = "16.5,31.1,16.7,31.3"
        for extra in ({}, {"category": "raid"}, {"category": "shelling"}):
            tallied = clusters(api, who, zoom=str(zoom), bbox=bbox, **extra)
            counted = clusters(api, who, zoom=str(zoom), bbox=bbox, occurred_from="2000-01-01", **extra)
            assert tallied == counted, (zoom, extra)
    # the tallies are those of the reports, after the fixture shared and published some of them
    rows = {}
    for r in Report.objects.exclude(map_cell=None):
        for zoom in mapping.TALLIED:
            key = f"{zoom}:{r.map_cell >> grid.shift(zoom)}:{r.visibility}:{r.category_id}"
            count, near, district = rows.get(key, (0, 0, 0))
            rows[key] = (count + 1, near + (r.geo_precision == 2), district + (r.geo_precision == 3))
    assert {k: tuple(v) for k, *v in MapTally.objects.values_list("key", "count", "near", "district")} == rows


@pytest.mark.parametrize("filtered", [False, True], ids=["tallied", "counted"])
def test_a_cluster_says_how_precise_its_places_are(api, spread, filtered):
    """A lone report's cluster says its precision (1 the place, 2 near it, 3 somewhere in its
    district, named), for the page to draw a point, a circle or the district; a cluster of many
    says the coarsest of theirs. The same from the tallies and from the reports."""
    extra = {"occurred_from": "2000-01-01"} if filtered else {}
    lone = {}
    for name, zoom, bbox in (("kept", 8, "13,31,17,33"), ("shared", 8, "13,31,17,33"), ("published", 5, LIBYA)):
        body = clusters(api, "west-member", zoom=str(zoom), bbox=bbox, **extra)
        lone[name] = next(c for c in body["clusters"] if c["cell"] == cell_of(spread[name], zoom))
        assert lone[name]["count"] == 1
    assert lone["kept"]["precision"] == 1 and "district" not in lone["kept"]
    assert lone["shared"]["precision"] == 2 and "district" not in lone["shared"]
    assert lone["published"]["precision"] == 3 and lone["published"]["district"] == "LY-JU"
    (whole,) = clusters(api, "west-member", zoom="0", bbox=LIBYA, **extra)["clusters"]
    assert whole["count"] == 3 and whole["precision"] == 3 and "district" not in whole
    # the public reads the district-level report alone: its one cluster is the district
    (public,) = clusters(api, None, zoom="0", bbox=LIBYA, **extra)["clusters"]
    assert public["count"] == 1 and public["precision"] == 3 and public["district"] == "LY-JU"


def test_every_report_carries_its_cell(spread):
    for r in Report.objects.all():
        assert r.map_cell == grid.cell(r.latitude, r.longitude)
    assert Report.objects.get(id=spread["nowhere"]).map_cell is None


# ---------------------------------------------------------------- the grid


def test_a_cell_at_a_zoom_is_its_tile():
    rng = random.Random(11)
    for _ in range(200):
        lat, lon = rng.uniform(19.5, 33.2), rng.uniform(9.3, 25.2)
        fine = grid.cell(lat, lon)
        for zoom in range(0, 15):
            cell = fine >> grid.shift(zoom)
            assert grid.deinterleave(cell) == grid.tile(lat, lon, grid.level(zoom))
            w, s, e, n = grid.bounds(cell, zoom)
            assert w <= lon <= e and s <= lat <= n


def test_the_ranges_of_a_box_hold_every_cell_in_it():
    rng = random.Random(7)
    for _ in range(50):
        w, s = rng.uniform(9, 24), rng.uniform(19, 32)
        box = (w, s, w + rng.uniform(0.001, 3), s + rng.uniform(0.001, 2))
        ranges = grid.ranges(box)
        assert len(ranges) <= grid.MAX_RANGES
        for _ in range(50):
            fine = grid.cell(rng.uniform(box[1], box[3]), rng.uniform(box[0], box[2]))
            assert any(lo <= fine <= hi for lo, hi in ranges)


def test_an_answer_never_weighs_more_than_its_bound():
    """check_size counts an answer from above: what it lets pass weighs at most MAX_BYTES as the
    API writes it; a box dense with reports of every kind at a zoom too fine is refused."""
    import json

    from ceasefire.errors import Invalid
    from ceasefire.incidents.typology import DEFAULT

    codes = [row[0] for row in DEFAULT]
    rng = random.Random(5)

    def answer(n):
        return [
            {
                "cell": rng.randrange(1 << 32),
                "count": 999_999,
                "lat": -rng.uniform(10, 85),
                "lon": -rng.uniform(100, 180),
                "categories": {code: 99_999 for code in codes},
                "precision": 3,
                "district": "LY-JU",
            }
            for _ in range(n)
        ]

    passed = 0
    for n in (1, 50, 200, 300, 400, 1024):
        items = answer(n)
        body = {"zoom": 14, "bbox": [-180.0, -85.0, 180.0, 85.0], "count": 999_999_999, "clusters": items}
        try:
            mapping.check_size(items)
        except Invalid as e:
            assert e.field == "bbox" and n >= 300
            continue
        passed += 1
        assert len(json.dumps(body, ensure_ascii=False)) <= mapping.MAX_BYTES, n
    assert passed >= 3

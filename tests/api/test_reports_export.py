"""GET /reports/export: each format's shape (parsed back with csv and json), the list's filters,
what each reader gets, the checkpoint it names, streaming, and bad parameters named."""

import base64
import csv
import io
import json

import pytest

from ceasefire.incidents import commands as incidents
from ceasefire.incidents import exchange
from ceasefire.record import log, tree
from tests.conftest import FACILITATOR

from ..incidents.steps import advance
from .conftest import assert_error
from .endpoints import REPORT


@pytest.fixture
def world(actors, typology):
    """`shelling` concluded (its finding attributes it to the east) and published, `tripoli` shared
    with observers (its source described, a casualty figure's source given), `kept` with the parties."""

    def file(who, **changes):
        return incidents.file_report(actors[who], {**REPORT, **changes})

    shelling = advance(actors, file("west-member", source_en="sourcekeptzq"), "concluded")
    incidents.set_visibility(FACILITATOR, shelling.id, {"visibility": "public"})
    tripoli = file(
        "east-member",
        title="Drone over Tripoli",
        category="air-strike",
        alleged_party="west",
        affected_party="east",
        occurred_at="2021-05-10",
        latitude=32.89,
        longitude=13.19,
        place_en="Tripoli",
        place_ar="طرابلس",
        narrative="A drone struck a depot.",
        source_en="a shepherd zq",
        casualties=[
            {"kind": "killed", "group": "civilian", "count": 3, "source": "clinic zq"},
            {"kind": "killed", "group": "military", "count": 1, "source": ""},
        ],
    )
    incidents.set_visibility(FACILITATOR, tripoli.id, {"visibility": "observers"})
    kept = file(
        "west-head",
        title="Kept zq",
        category="raid",
        occurred_at="2021-03-02",
        latitude=None,
        longitude=None,
        geo_precision=None,
        alleged_unit="Brigade 128",
    )
    return {"shelling": shelling, "tripoli": tripoli, "kept": kept}


def download(api, who, fmt="acled", **params):
    r = api(who).get("/reports/export", {"format": fmt, **params})
    assert r.status_code == 200, r.content if not r.streaming else r.status_code
    assert r.streaming  # never built in memory
    content = b"".join(r.streaming_content)
    body = cells(content) if fmt == "xlsx" else content.decode()
    return r, body


def cells(content: bytes) -> str:
    """Every cell of every sheet of a workbook, and its properties, as text (for the checks of what
    a reader gets: the zip archive itself is compressed)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    lines = [f"{book.properties.title} {book.properties.description}"]
    for sheet in book.worksheets:
        for values in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None else str(v) for v in values))
    book.close()
    return "\n".join(lines)


def rows(api, who, fmt="acled", **params) -> list[dict]:
    r, body = download(api, who, fmt, **params)
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"] == f'attachment; filename="ceasefire-reports-{fmt}.csv"'
    found = list(csv.DictReader(io.StringIO(body, newline="")))
    if fmt == "hxl":
        tags, *found = found
        assert all(v.startswith("#") for v in tags.values()), tags
    return found


def test_acled_columns_in_acleds_order_then_ours(api, world):
    r, body = download(api, "west-member")
    header = next(csv.reader(io.StringIO(body)))
    assert header[:31] == exchange.ACLED_COLUMNS and len(exchange.ACLED_COLUMNS) == 31
    assert header[31:] == exchange.EXTRA_COLUMNS
    assert body.endswith("\r\n")


def test_acled_rows_hold_claims_as_claims(api, world):
    by_ref = {row["event_id_cnty"]: row for row in rows(api, "west-member")}
    assert list(by_ref) == [world[k].reference for k in ("kept", "tripoli", "shelling")]  # newest first
    shelling = by_ref[world["shelling"].reference]
    assert shelling["event_date"] == "2021-03-02" and shelling["year"] == "2021"  # 05:40+02:00 is the 2nd in UTC too
    assert (shelling["event_type"], shelling["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )
    assert shelling["disorder_type"] == "Political violence"
    assert (shelling["actor1"], shelling["actor2"]) == ("Eastern region", "Western region")
    assert (shelling["attribution"], shelling["attributed_to"]) == ("binding finding", "Eastern region")
    assert (shelling["latitude"], shelling["longitude"], shelling["geo_precision"]) == ("31.4500", "15.2500", "2")
    assert shelling["time_precision"] == "1" and shelling["location"] == "Abu Qurayn"
    assert shelling["fatalities"] == "0" and shelling["injured"] == "2"
    tripoli = by_ref[world["tripoli"].reference]
    assert (tripoli["actor1"], tripoli["attribution"], tripoli["attributed_to"]) == ("Western region", "alleged", "")
    assert tripoli["fatalities"] == "4" and tripoli["fatalities_claimed_by"] == "clinic zq"
    assert tripoli["source"].endswith("a shepherd zq")  # the parties read how it is described
    kept = by_ref[world["kept"].reference]
    assert (kept["latitude"], kept["longitude"], kept["geo_precision"]) == ("", "", "")
    assert kept["actor1"] == "Eastern region" and kept["assoc_actor_1"] == "Brigade 128"
    assert kept["civilian_targeting"] == "" and kept["status"] == "received"


def test_ucdp_style(api, world):
    found = rows(api, "facilitator", "ucdp")
    assert list(found[0])[:49] == exchange.UCDP_COLUMNS and len(exchange.UCDP_COLUMNS) == 49
    tripoli = next(r for r in found if r["relid"] == world["tripoli"].reference)
    assert (tripoli["side_a"], tripoli["side_b"], tripoli["dyad_name"]) == (
        "Western region",
        "Eastern region",
        "Western region - Eastern region",
    )
    assert (
        tripoli["deaths_civilians"],
        tripoli["deaths_unknown"],
        tripoli["best"],
        tripoli["low"],
        tripoli["high"],
    ) == ("3", "1", "4", "4", "4")
    assert tripoli["geom_wkt"] == "POINT (13.190000 32.890000)"
    assert (tripoli["date_prec"], tripoli["date_start"], tripoli["date_end"]) == ("1", "2021-05-10", "2021-05-10")
    assert tripoli["type_of_violence"] == "1" and tripoli["where_prec"] == "2"
    kept = next(r for r in found if r["relid"] == world["kept"].reference)
    assert (kept["where_prec"], kept["geom_wkt"], kept["latitude"]) == ("", "", "")


def test_ucdp_date_spans():
    import datetime as dt

    day = dt.date(2021, 2, 14)
    assert exchange.date_span(day, 1) == (day, day)
    assert exchange.date_span(day, 2) == (dt.date(2021, 2, 11), dt.date(2021, 2, 17))
    assert exchange.date_span(day, 3) == (dt.date(2021, 2, 1), dt.date(2021, 2, 28))


def test_hxl_second_row_holds_hashtags(api, world):
    r, body = download(api, "west-member", "hxl")
    reader = csv.reader(io.StringIO(body))
    header, tags = next(reader), next(reader)
    assert len(header) == len(tags) == len(exchange.HXL)
    assert tags[:2] == ["#event+id", "#date+occurred"] and "#geo+lat" in tags and "#geo+lon" in tags
    found = rows(api, "west-member", "hxl")
    assert [row["Reference"] for row in found] == [world[k].reference for k in ("kept", "tripoli", "shelling")]
    assert found[2]["Attribution"] == "binding finding" and found[1]["Attribution"] == "alleged"


def test_xlsx_holds_the_hxl_columns_with_typed_cells(api, world, actors):
    import datetime as dt

    from openpyxl import load_workbook

    incidents.file_report(
        actors["west-member"], {**REPORT, "title": '=HYPERLINK("http://x.invalid")', "narrative": "=1+1"}
    )
    r = api("west-member").get("/reports/export", {"format": "xlsx"})
    assert r.status_code == 200 and r.streaming
    assert r["Content-Type"] == exchange.XLSX_TYPE
    assert r["Content-Disposition"] == 'attachment; filename="ceasefire-reports-xlsx.xlsx"'
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert book.sheetnames == ["reports", "checkpoint"]
    header, tags, *found = book["reports"].iter_rows()
    assert [c.value for c in header] == [c for c, _t, _v in exchange.HXL]
    assert [c.value for c in tags] == [t for _c, t, _v in exchange.HXL]
    by_ref = {row[0].value: {h.value: c for h, c in zip(header, row, strict=True)} for row in found}
    tripoli = by_ref[world["tripoli"].reference]
    assert tripoli["Date"].value == dt.datetime(2021, 5, 10) and tripoli["Date"].is_date
    assert (tripoli["Latitude"].value, tripoli["Longitude"].value, tripoli["Killed (claimed)"].value) == (
        32.89,
        13.19,
        4,
    )
    assert tripoli["Alleged party"].value and tripoli["Location"].value == "Tripoli"
    assert by_ref[world["kept"].reference]["Latitude"].value is None
    # text that looks like a formula stays text
    planted = next(row for row in by_ref.values() if str(row["Title"].value).startswith("="))
    assert (planted["Title"].data_type, planted["Notes"].data_type) == ("s", "s")
    assert planted["Notes"].value == "=1+1"


def test_geojson_is_an_rfc_7946_feature_collection(api, world):
    r, body = download(api, "west-member", "geojson")
    assert r["Content-Type"] == "application/geo+json"
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    features = {f["id"]: f for f in data["features"]}
    tripoli = features[world["tripoli"].reference]
    assert tripoli["type"] == "Feature"
    assert tripoli["geometry"] == {"type": "Point", "coordinates": [13.19, 32.89]}  # longitude first
    assert tripoli["properties"]["place_ar"] == "طرابلس" and tripoli["properties"]["attribution"] == "alleged"
    assert features[world["kept"].reference]["geometry"] is None
    assert features[world["shelling"].reference]["properties"]["attributed_to"] == ["east"]
    assert data["checkpoint"]["size"] == log.size()


def test_every_export_names_the_state_of_the_record(api, world):
    bodies = {}
    for fmt in exchange.FORMATS:
        r, bodies[fmt] = download(api, None, fmt)
        size = log.size()
        root = base64.b64encode(bytes(tree.root(size))).decode()
        assert r[exchange.HEADER].startswith(f"size={size} root={root}")
    if "signed=" in r[exchange.HEADER]:
        assert int(r[exchange.HEADER].split("signed=")[1]) <= size
    assert f"checkpoint {r[exchange.HEADER]}" in bodies["xlsx"]  # the workbook's description
    assert f"{size}\t{root}\t" in bodies["xlsx"]  # its sheet "checkpoint"
    assert json.loads(bodies["geojson"])["checkpoint"] | {"signed_checkpoint": None} == {
        "size": size,
        "root": root,
        "signed_checkpoint": None,
    }


@pytest.mark.parametrize("fmt", exchange.FORMATS)
def test_observers_and_the_public_get_only_theirs(api, world, fmt):
    refs = {k: world[k].reference for k in world}
    _, everything = download(api, "east-member", fmt)
    assert all(ref in everything for ref in refs.values())
    assert "sourcekeptzq" in everything or fmt == "hxl" or fmt == "ucdp"  # described in `source` for the parties
    _, observer = download(api, "observer", fmt)
    assert refs["tripoli"] in observer and refs["shelling"] in observer and refs["kept"] not in observer
    _, public = download(api, None, fmt)
    assert refs["shelling"] in public and refs["tripoli"] not in public and refs["kept"] not in public
    for text in (observer, public):
        for secret in ("zq", "west-member", "east-member", "facilitator"):  # planted strings, usernames
            assert secret not in text, (fmt, secret)


def test_filters_are_the_lists(api, world):
    refs = lambda **p: [row["event_id_cnty"] for row in rows(api, "west-member", **p)]  # noqa: E731
    assert refs(category="air-strike") == [world["tripoli"].reference]
    assert refs(alleged_party="east") == [world["kept"].reference, world["shelling"].reference]
    assert refs(status="concluded") == [world["shelling"].reference]
    assert refs(bbox="13,32,14,33") == [world["tripoli"].reference]
    assert refs(occurred_from="2021-05-01") == [world["tripoli"].reference]
    assert refs(q="Brigade 128") == [world["kept"].reference]
    assert refs(category="no-such-code") == []
    # the list's answer and the export's agree
    listed = [item["number"] for item in api("observer").get("/reports", {"alleged_party": "west"}).json()["items"]]
    assert [row["event_id_cnty"] for row in rows(api, "observer", alleged_party="west")] == listed


def test_nothing_to_export_gives_a_header_only(api, world):
    assert rows(api, None, category="air-strike") == []
    _, body = download(api, None, "geojson", category="air-strike")
    assert json.loads(body)["features"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"format": "xls"}, "format"),
        ({"format": ""}, "format"),
        ({"status": "closed"}, "status"),
        ({"occurred_from": "2021-02-30"}, "occurred_from"),
        ({"bbox": "15,31,16"}, "bbox"),
        ({"alleged_party": "EAST"}, "alleged_party"),
    ],
)
def test_a_bad_parameter_is_named(api, world, params, field):
    assert_error(api("west-member").get("/reports/export", params), 422, field)
    assert_error(api(None).get("/reports/export", params), 422, field)


def test_documented_in_openapi(api):
    schema = api(None).get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/export"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["format"]["schema"]["enum"] == ["acled", "ucdp", "hxl", "geojson", "xlsx"]
    assert {"status", "category", "alleged_party", "occurred_from", "occurred_to", "bbox", "q", "overdue"} <= set(
        params
    )
    answer = operation["responses"]["200"]
    assert exchange.HEADER in answer["headers"] and {"text/csv", "application/geo+json"} <= set(answer["content"])

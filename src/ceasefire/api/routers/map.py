"""The map of reports: clusters counted on the server for a box at a zoom, the reports of one
cluster, and the reports as GeoJSON. Each takes the list's filters and answers only what the list
answers its reader (incidents/mapping.py asks incidents/queries.py): the parties' people every
report, observers what the committee shared with them, anyone without login what it published."""

import functools
import json
from typing import Annotated

from django.http import HttpResponse
from ninja import Query, Router

from ceasefire.incidents import mapping, queries
from ceasefire.incidents.models import Report
from ceasefire.places.gazetteer import DATA, gazetteer
from ceasefire.record import log
from ceasefire.zones import queries as zones

from ..auth import PUBLIC, reader
from ..common import Errors, reading
from ..schemas import ReportsOut, ReportStatusName
from .reports import Day, Limit, Offset, PartyCode, filters

router = Router(tags=["map"])

GEOJSON = "application/geo+json"
MAX_FEATURES = 1000

Category = Annotated[str | None, Query(description="a typology code (GET /typology)")]
Text = Annotated[str | None, Query(description="free text, or a report's reference")]
Overdue = Annotated[bool, Query(description="only reports past the target of their stage")]
Zone = Annotated[str | None, Query(description="a binding layer's code: the reports inside it (GET /layers)")]
# Strings, checked by incidents/mapping.py: each bad value answers 422 naming its parameter.
Zoom = Annotated[str, Query(description=f"the map's zoom, {mapping.MIN_ZOOM} to {mapping.MAX_ZOOM}", example="6")]
Cell = Annotated[str, Query(description="a cluster's `cell`, as GET /map/clusters answered it at this zoom")]


def _searched(
    request, status, category, alleged_party, attributed_party, occurred_from, occurred_to, q, overdue, zone, bbox=None
):
    f = filters(status, category, alleged_party, occurred_from, occurred_to, bbox, q, overdue, attributed_party, zone)
    zones.zone_filter(reader(request), f.zone)
    return f, queries.search(queries.visible(reader(request)), f, log._clock())


CLUSTERS_DESCRIPTION = (
    "The reports of the box `bbox=minlon,minlat,maxlon,maxlat` counted in the cells of the map's grid "
    "at `zoom` (web-mercator tiles a quarter of a map tile wide, some 64 pixels on the screen): for each cell "
    "holding reports, its `cell` (an id at this zoom, for GET /map/cluster), the mean of their coordinates "
    "(`lat`, `lon`), their `count`, their count by category code (`categories`) and `precision`, the coarsest "
    "of their places' (1 the place itself, 2 near it, 3 somewhere in its district): a cluster of one report "
    "placed only in its district names it (`district`, its ISO code) and is drawn as that district, never as "
    "a point. A cluster counts every "
    "report of its cell, in the box or not, as GET /map/cluster lists them. A box of more than "
    f"{mapping.MAX_CELLS} cells at the zoom, or whose clusters would weigh more than {mapping.MAX_BYTES // 1024} KB, "
    "answers 422 naming `bbox` (ask at a smaller zoom). The list's filters "
    "(GET /reports) apply, and its reader's audience. Reports without coordinates are on no map."
)


@router.get(
    "/map/clusters",
    auth=PUBLIC,
    response=reading(dict),
    summary="Reports counted in the cells of the map at a zoom",
    description=CLUSTERS_DESCRIPTION,
)
def clusters(
    request,
    bbox: Annotated[str, Query(description="minlon,minlat,maxlon,maxlat", example="9.3,19.5,25.2,33.2")],
    zoom: Zoom,
    status: Query[ReportStatusName | None] = None,
    category: Category = None,
    alleged_party: PartyCode = None,
    attributed_party: PartyCode = None,
    occurred_from: Day = None,
    occurred_to: Day = None,
    q: Text = None,
    overdue: Overdue = False,
    zone: Zone = None,
):
    z = mapping.parse_zoom(zoom)
    f = filters(status, category, alleged_party, occurred_from, occurred_to, bbox, q, overdue, attributed_party, zone)
    zones.zone_filter(reader(request), f.zone)
    mapping.check_box(f.bbox, z)
    items = mapping.check_size(mapping.clusters(reader(request), f, z, log._clock()))
    return {"zoom": z, "bbox": list(f.bbox), "count": sum(c["count"] for c in items), "clusters": items}


@router.get(
    "/map/cluster",
    auth=PUBLIC,
    response=reading(ReportsOut),
    summary="The reports of one cluster of the map",
    description=(
        "The reports in a cell of the map's grid (`cell` and `zoom` as GET /map/clusters answered them), newest "
        "first, with the list's filters and its reader's audience; paginated as GET /reports."
    ),
)
def cluster(
    request,
    zoom: Zoom,
    cell: Cell,
    status: Query[ReportStatusName | None] = None,
    category: Category = None,
    alleged_party: PartyCode = None,
    attributed_party: PartyCode = None,
    occurred_from: Day = None,
    occurred_to: Day = None,
    q: Text = None,
    overdue: Overdue = False,
    zone: Zone = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    z = mapping.parse_zoom(zoom)
    c = mapping.parse_cell(cell, z)
    _f, qs = _searched(
        request, status, category, alleged_party, attributed_party, occurred_from, occurred_to, q, overdue, zone
    )
    qs = mapping.in_cell(qs, c, z)
    keys = list(qs.values_list("id", flat=True)[offset : offset + limit])
    rows = Report.objects.select_related("category").in_bulk(keys)
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": [rows[k] for k in keys]}


@router.get(
    "/reports.geojson",
    auth=PUBLIC,
    response={200: dict, 401: Errors, 403: Errors, 422: Errors},
    summary="Reports as GeoJSON, each drawn as precise as it is (application/geo+json)",
    description=(
        "An RFC 7946 FeatureCollection of the reports of the list (its filters and its reader's audience), newest "
        f"first, at most `limit` (1 to {MAX_FEATURES}) from `offset`; `count` says how many match in all. "
        "`bbox`, or a cluster's `zoom` and `cell`, narrow it to a place on the map. A report's geometry is what "
        "its precision claims: a Point for the place itself (geo_precision 1); the Point it is near with "
        "`radius_m` for precision 2; its district's outline (MultiPolygon or Polygon, `district` its ISO code) "
        "for precision 3, never a point in the district; null without coordinates."
    ),
    openapi_extra={"responses": {200: {"content": {GEOJSON: {"schema": {"type": "object"}}}}}},
)
def reports_geojson(
    request,
    status: Query[ReportStatusName | None] = None,
    category: Category = None,
    alleged_party: PartyCode = None,
    attributed_party: PartyCode = None,
    occurred_from: Day = None,
    occurred_to: Day = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    q: Text = None,
    overdue: Overdue = False,
    zone: Zone = None,
    zoom: Annotated[str | None, Query(description="with `cell`: the reports of one cluster")] = None,
    cell: Annotated[str | None, Query(description="with `zoom`: a cluster's cell (GET /map/clusters)")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_FEATURES, description=f"at most this many (1 to {MAX_FEATURES})")] = 500,
    offset: Offset = 0,
):
    _f, qs = _searched(
        request, status, category, alleged_party, attributed_party, occurred_from, occurred_to, q, overdue, zone, bbox
    )
    if zoom not in (None, "") or cell not in (None, ""):
        z = mapping.parse_zoom(zoom)
        qs = mapping.in_cell(qs, mapping.parse_cell(cell, z), z)
    keys = list(qs.values_list("id", flat=True)[offset : offset + limit])
    rows = Report.objects.select_related("category").in_bulk(keys)
    document = {
        "type": "FeatureCollection",
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "features": [mapping.feature(rows[k]) for k in keys],
    }
    answer = HttpResponse(json.dumps(document, ensure_ascii=False, separators=(",", ":")), content_type=GEOJSON)
    answer["Cache-Control"] = "private, no-store"  # what a reader may read is theirs
    return answer


# The towns the base map names: the others would crowd it.
NAMED_KINDS = ("city", "town", "border_crossing", "airbase", "oil_terminal", "port")


@functools.cache
def _base() -> bytes:
    """The offline base map, read once: Libya's outline, its districts and its main places."""
    with open(DATA / "libya-outline.geojson", encoding="utf-8") as f:
        outline = json.load(f)
    g = gazetteer()
    districts = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": d.code,
                "geometry": d.geometry,
                "properties": {"code": d.code, "name_ar": d.name_ar, "name_en": d.name_en},
            }
            for d in g.districts.values()
        ],
    }
    places = [
        [p.name_ar, p.name_en, p.kind, round(p.latitude, 4), round(p.longitude, 4)]
        for p in g.places
        if p.kind in NAMED_KINDS
    ]
    return json.dumps(
        {"outline": outline, "districts": districts, "places": places}, ensure_ascii=False, separators=(",", ":")
    ).encode()


@router.get(
    "/map/base",
    auth=PUBLIC,
    response=reading(dict),
    summary="The offline base map: Libya's outline, its districts and its main places",
    description=(
        "`outline` and `districts` (GeoJSON FeatureCollections; each district's `code` is its ISO 3166-2 code) and "
        "`places`: [name_ar, name_en, kind, lat, lon] of the cities, towns, crossings, air bases, ports and oil "
        "terminals. Public reference data, the same for every reader (places/data/SOURCES.md): boundaries OCHA "
        "COD-AB Libya via HDX (CC BY-IGO), outline Natural Earth, places © OpenStreetMap contributors (ODbL 1.0) "
        "and GeoNames (CC BY 4.0)."
    ),
)
def map_base(request):
    answer = HttpResponse(_base(), content_type="application/json")
    answer["Cache-Control"] = "public, max-age=86400"
    return answer

"""The map of reports: clusters counted on the server at every zoom, the reports of one cluster,
and reports as GeoJSON drawn as precise as they are.

Every function takes the reports the list would show its reader (queries.visible, then
queries.search with the list's filters): the map restates no rule of who reads what, and a report
hidden from the list is hidden from the map. The grid is places/grid.py's: each report carries its
cell (`map_cell`, written by its projector), and a zoom's clusters are a GROUP BY on it shifted.
"""

from collections import defaultdict

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from ceasefire.errors import Invalid
from ceasefire.places import grid
from ceasefire.places.gazetteer import gazetteer

from .queries import Filters

# At most this many cells in a box (32 × 32: a screen of 2,048 pixels square at 64 pixels a cell):
# what bounds an answer's size. A larger box is asked at a smaller zoom.
MAX_CELLS = 1024
MIN_ZOOM, MAX_ZOOM = 0, 18
# ACLED's precision 2 is "near" the place named: drawn as a circle of this radius around it.
NEAR_RADIUS_M = 10_000


def parse_zoom(value) -> int:
    try:
        zoom = int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        zoom = None
    if zoom is None or not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise Invalid(_("must be a whole number from %(min)s to %(max)s") % {"min": MIN_ZOOM, "max": MAX_ZOOM}, "zoom")
    return zoom


def parse_cell(value, zoom: int) -> int:
    try:
        cell = int(str(value).strip())
    except ValueError:
        cell = -1
    if not grid.valid(cell, zoom):
        raise Invalid(_("is not a cell of the map at this zoom"), "cell")
    return cell


def check_box(box: tuple | None, zoom: int) -> tuple:
    if box is None:
        raise Invalid(_("This field is required."), "bbox")
    if grid.count(box, zoom) > MAX_CELLS:
        raise Invalid(
            _("holds more than %(n)s cells at this zoom: ask a smaller box or a smaller zoom") % {"n": MAX_CELLS},
            "bbox",
        )
    return box


def in_box(qs: QuerySet, box: tuple) -> QuerySet:
    """The reports of the box, by the ranges of cells that hold it (what the map's index reads)
    and by their coordinates (the list's own bbox filter, applied by queries.search)."""
    q = Q()
    for lo, hi in grid.ranges(box):
        q |= Q(map_cell__gte=lo, map_cell__lte=hi)
    return qs.filter(q)


def clusters(qs: QuerySet, f: Filters, zoom: int) -> list[dict]:
    """The clusters of the box `f.bbox` at the zoom, from `qs` already searched with `f`: for each
    cell holding reports, its cell, the mean of their coordinates, their count, and their count by
    category and by geo precision."""
    shift = grid.shift(zoom)
    rows = (
        in_box(qs, f.bbox)
        .order_by()
        .annotate(cell=F("map_cell").bitrightshift(shift))
        .values_list("cell", "category_id", "geo_precision")
        .annotate(n=Count("*"), lat=Avg("latitude"), lon=Avg("longitude"))
    )
    cells: dict[int, dict] = {}
    for cell, category, precision, n, lat, lon in rows:
        c = cells.get(cell)
        if c is None:
            c = cells[cell] = {"cell": cell, "count": 0, "lat": 0.0, "lon": 0.0, "categories": defaultdict(int)}
            c["precision"] = defaultdict(int)
        c["count"] += n
        c["lat"] += lat * n
        c["lon"] += lon * n
        c["categories"][category] += n
        c["precision"][str(precision)] += n
    out = []
    for c in sorted(cells.values(), key=lambda c: c["cell"]):
        c["lat"], c["lon"] = round(c["lat"] / c["count"], 5), round(c["lon"] / c["count"], 5)
        c["categories"] = dict(sorted(c["categories"].items(), key=lambda kv: -kv[1]))
        c["precision"] = dict(sorted(c["precision"].items()))
        out.append(c)
    return out


def in_cell(qs: QuerySet, cell: int, zoom: int) -> QuerySet:
    """The reports of one cluster: its cell is one range of fine cells."""
    shift = grid.shift(zoom)
    return qs.filter(map_cell__gte=cell << shift, map_cell__lte=((cell + 1) << shift) - 1)


def geometry(lat: float | None, lon: float | None, precision: int | None) -> tuple[dict | None, dict]:
    """(geometry, what the precision adds to the properties): a point for a place; for "near" a
    place, the point it is near and the radius it is within; for a district, the district's own
    outline, never a point in it that the report does not claim."""
    if lat is None or lon is None:
        return None, {}
    if precision == 3:
        district = gazetteer().district_at(lat, lon)
        if district is not None:
            return district.geometry, {"district": district.code}
        return None, {}
    point = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    if precision == 2:
        return point, {"radius_m": NEAR_RADIUS_M}
    return point, {}


def feature(r) -> dict:
    shape, extra = geometry(r.latitude, r.longitude, r.geo_precision)
    return {
        "type": "Feature",
        "id": r.reference,
        "geometry": shape,
        "properties": {
            "reference": r.reference,
            "title_ar": r.title_ar,
            "title_en": r.title_en,
            "category": r.category_id,
            "category_ar": r.category.name_ar,
            "category_en": r.category.name_en,
            "status": r.status,
            "occurred_at": r.occurred_at.isoformat(),
            "place_ar": r.place_ar,
            "place_en": r.place_en,
            "alleged_party": r.alleged_party_id,
            "geo_precision": r.geo_precision,
            **extra,
        },
    }

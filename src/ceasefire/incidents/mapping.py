"""The map of reports: clusters counted on the server at every zoom, the reports of one cluster,
and reports as GeoJSON drawn as precise as they are.

Every function takes the reports the list would show its reader (queries.visible, then
queries.search with the list's filters): the map restates no rule of who reads what, and a report
hidden from the list is hidden from the map. The grid is places/grid.py's: each report carries its
cell (`map_cell`, written by its projector), and a zoom's clusters are a GROUP BY on it shifted.
"""

import dataclasses

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from ceasefire.errors import Invalid
from ceasefire.places import grid
from ceasefire.places.gazetteer import gazetteer

from . import queries
from .queries import Filters

# At most this many cells in a box (32 × 32: a screen of 2,048 pixels square at 64 pixels a cell):
# what bounds an answer's size. A larger box is asked at a smaller zoom.
MAX_CELLS = 1024
MIN_ZOOM, MAX_ZOOM = 0, 18
# At most this many bytes an answer (a phone on a poor line): a box whose clusters would weigh more,
# dense with reports of many kinds, is asked at a smaller zoom, as a box of too many cells is.
MAX_BYTES = 200 * 1024
# ACLED's precision 2 is "near" the place named: drawn as a circle of this radius around it.
NEAR_RADIUS_M = 10_000
# The zooms whose clusters are counted from the tallies (MapTally) when only a category filters
# them: up to 12 a view of 1,280 × 800 pixels may hold a whole city's reports, tens of thousands at
# a million (bench/map.py); past it a view holds a few thousand at most, read from the reports.
TALLIED = range(0, 13)
# A report's geo_precision (ACLED's): 1 the place itself, 2 near it, 3 somewhere in its district.
NEAR, DISTRICT = 2, 3


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
        raise Invalid(_("is required"), "bbox")
    if grid.count(box, zoom) > MAX_CELLS:
        raise Invalid(
            _("holds more than %(n)s cells at this zoom: ask a smaller box or a smaller zoom") % {"n": MAX_CELLS},
            "bbox",
        )
    return box


def check_size(items: list[dict]) -> list[dict]:
    """The clusters, if their answer weighs at most MAX_BYTES: counted from above (each cluster's
    cell, count, middle and district at their longest, its categories as written), so that no
    answer passes it."""
    size = 200 + sum(140 + sum(len(code) + len(str(n)) + 6 for code, n in c["categories"].items()) for c in items)
    if size > MAX_BYTES:
        raise Invalid(_("holds too many clusters at this zoom: ask a smaller box or a smaller zoom"), "bbox")
    return items


def coarse_ranges(box: tuple, zoom: int) -> list[tuple[int, int]]:
    """The box's ranges of cells at the zoom, none overlapping: fine ranges that fall in one cell
    of the zoom are one range of it, lest a query a range count that cell twice."""
    shift = grid.shift(zoom)
    out: list[tuple[int, int]] = []
    for lo, hi in grid.ranges(box):
        lo, hi = lo >> shift, hi >> shift
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def in_ranges(qs: QuerySet, box: tuple) -> QuerySet:
    """The reports of the box's ranges of cells (what the index report_map reads): every cell the
    box touches, and some others, which `clusters` drops."""
    q = Q()
    for lo, hi in grid.ranges(box):
        q |= Q(map_cell__gte=lo, map_cell__lte=hi)
    return qs.filter(q)


def tallies_answer(f: Filters) -> bool:
    """Whether the tallies count what the filters ask: the reader's sharing and a category only."""
    return not (
        f.status
        or f.alleged_party
        or f.attributed_party
        or f.occurred_from
        or f.occurred_to
        or f.text
        or f.overdue
        or f.zone
    )


def clusters(reader, f: Filters, zoom: int, now=None) -> list[dict]:
    """The clusters of the box `f.bbox` at the zoom, of the reports the list with the filters `f`
    shows the reader: for each cell the box touches that holds any, its cell, the mean of their
    coordinates, their count, their count by category and the coarsest precision of their places
    (_cluster). A cluster counts every report of its
    cell, inside the box or not: the same cell counts the same in every view, as GET /map/cluster
    lists it.

    At the zooms where a view holds much of the country (TALLIED), with no filter but a category,
    from the tallies (MapTally, the reader's sharing from queries.shared_levels); otherwise a GROUP
    BY of the reports the list's queryset (queries.visible, queries.search) gives."""
    from django.db.models import Sum

    from .models import MapTally

    lvl = grid.level(zoom)
    x0, y0, x1, y1 = grid.span(f.bbox, lvl)
    if zoom in TALLIED and tallies_answer(f):
        qs = MapTally.objects.filter(zoom=zoom)
        shared = queries.shared_levels(reader)
        if shared is not None:
            qs = qs.filter(visibility__in=shared)
        if f.category:
            qs = qs.filter(category=f.category)
        # One query a range of cells: in one query, an OR of ranges beside the zoom, SQLite reads
        # every tally of the zoom (700,000 at zoom 12 for a million reports: bench/map.py).
        found = []
        for lo, hi in coarse_ranges(f.bbox, zoom):
            found += _fetch(
                qs.filter(cell__gte=lo, cell__lte=hi)
                .order_by()
                .values_list("cell", "category")
                .annotate(
                    n=Sum("count"),
                    lat=Sum("latitude_sum"),
                    lon=Sum("longitude_sum"),
                    near=Sum("near"),
                    district=Sum("district"),
                )
            )
    else:
        searched = queries.search(queries.visible(reader), dataclasses.replace(f, bbox=None), now)
        found = _fetch(
            in_ranges(searched, f.bbox)
            .order_by()
            .annotate(cell=F("map_cell").bitrightshift(grid.shift(zoom)))
            .values_list("cell", "category_id")
            .annotate(
                n=Count("*"),
                lat=Sum("latitude"),
                lon=Sum("longitude"),
                # the precision from the index too: COUNT of a column it holds, not of the rows
                near=Count("geo_precision", filter=Q(geo_precision=NEAR)),
                district=Count("geo_precision", filter=Q(geo_precision=DISTRICT)),
            )
        )
    cells: dict[int, dict] = {}
    outside = set()  # cells of the ranges outside the box
    for cell, category, n, lat, lon, near, district in found:
        if not n or cell in outside:
            continue
        c = cells.get(cell)
        if c is None:
            x, y = grid.deinterleave(cell)
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                outside.add(cell)
                continue
            c = cells[cell] = {
                "cell": cell,
                "count": 0,
                "lat": 0.0,
                "lon": 0.0,
                "near": 0,
                "district": 0,
                "categories": {},
            }
        c["count"] += n
        c["lat"] += lat
        c["lon"] += lon
        c["near"] += near or 0
        c["district"] += district or 0
        c["categories"][category] = c["categories"].get(category, 0) + n
    return [_cluster(cells[k]) for k in sorted(cells)]


def _fetch(rows: QuerySet) -> list[tuple]:
    """The rows through the cursor: the ORM's converters cost more than the query for thousands."""
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _cluster(c: dict) -> dict:
    """A cell's counts as the API answers them. `precision` is the coarsest of its reports': the
    page draws a lone report as what it is (a point, a circle around the place it is near, its
    district, named by `district`), never as a point it does not claim."""
    lat, lon = c["lat"] / c["count"], c["lon"] / c["count"]
    near, district = c.pop("near"), c.pop("district")
    precision = DISTRICT if district else NEAR if near else 1
    c["lat"], c["lon"] = round(lat, 5), round(lon, 5)
    c["precision"] = precision
    if precision == DISTRICT and c["count"] == 1:
        where = gazetteer().district_at(lat, lon)
        c["district"] = where.code if where else None
    c["categories"] = dict(sorted(c["categories"].items(), key=lambda kv: (-kv[1], kv[0])))
    return c


def tally(report, sign: int = 1, visibility: str | None = None) -> None:
    """Count the report in (sign 1) or out of (-1) the tallies of its cells, by its sharing or
    `visibility`; the projector calls it as the report is filed and as its sharing changes."""
    from .models import MapTally

    if report.map_cell is None:
        return
    shared = visibility or report.visibility
    near, district = int(report.geo_precision == NEAR), int(report.geo_precision == DISTRICT)
    if sign > 0:
        _count_in(report, shared, near, district)
        return
    for zoom in TALLIED:
        cell = report.map_cell >> grid.shift(zoom)
        key = f"{zoom}:{cell}:{shared}:{report.category_id}"
        MapTally.objects.filter(key=key).update(
            count=F("count") + sign,
            latitude_sum=F("latitude_sum") + sign * report.latitude,
            longitude_sum=F("longitude_sum") + sign * report.longitude,
            near=F("near") + sign * near,
            district=F("district") + sign * district,
        )
        MapTally.objects.filter(key=key, count=0).delete()


def _count_in(report, shared: str, near: int, district: int) -> None:
    """The report counted in its cell at every tallied zoom, in one statement: a report filed is
    what a large import does a million times, and ten reads and writes each through the ORM were
    half of its cost. An upsert both SQLite (3.24 and later) and PostgreSQL take."""
    from django.db import connection

    from .models import MapTally

    q = connection.ops.quote_name
    table = q(MapTally._meta.db_table)
    key, count, lat, lon = q("key"), q("count"), q("latitude_sum"), q("longitude_sum")
    near_, district_ = q("near"), q("district")
    rows, values = [], []
    for zoom in TALLIED:
        cell = report.map_cell >> grid.shift(zoom)
        rows.append("(%s, %s, %s, %s, %s, 1, %s, %s, %s, %s)")
        values += [
            f"{zoom}:{cell}:{shared}:{report.category_id}",
            zoom,
            cell,
            shared,
            report.category_id,
            report.latitude,
            report.longitude,
            near,
            district,
        ]
    with connection.cursor() as c:
        c.execute(
            f"INSERT INTO {table} ({key}, {q('zoom')}, {q('cell')}, {q('visibility')}, {q('category')}, {count}, "
            f"{lat}, {lon}, {near_}, {district_}) VALUES {', '.join(rows)} ON CONFLICT ({key}) DO UPDATE SET "
            f"{count} = {table}.{count} + 1, {lat} = {table}.{lat} + excluded.{lat}, {lon} = {table}.{lon} + excluded.{lon}, "
            f"{near_} = {table}.{near_} + excluded.{near_}, {district_} = {table}.{district_} + excluded.{district_}",
            values,
        )


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

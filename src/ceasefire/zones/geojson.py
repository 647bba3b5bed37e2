"""Reading a layer's GeoJSON (RFC 7946) strictly, as pure functions: no Django here.

What a version of a layer may hold is a FeatureCollection (a lone Feature or geometry is taken as a
collection of one) of the geometry types its kind is drawn with. Everything that RFC 7946 says a
geometry must be is checked, and the first fault found is named by its path in the document
(`features[2].geometry.coordinates[0]`): not JSON, a type that is not GeoJSON, a position that is
not two or three numbers or lies outside longitude -180..180 or latitude -90..90, a ring that is not
closed or has fewer than four positions, a ring that crosses itself, a line of one position.

The document is rewritten to what is kept: each feature's geometry and its names (`name_ar`,
`name_en`, `name`), nothing else, so that what the parties approve is what a check reads.
"""

import json
import math

AREAS, LINES, POINTS = "areas", "lines", "points"
TYPES = {
    AREAS: ("Polygon", "MultiPolygon"),
    LINES: ("LineString", "MultiLineString"),
    POINTS: ("Point", "MultiPoint"),
}
GEOMETRY_TYPES = {t for ts in TYPES.values() for t in ts} | {"GeometryCollection"}
NAMES = ("name_ar", "name_en", "name")
MAX_POSITIONS = 50_000  # a layer is a handful of lines and areas, not a cadastre
MAX_FEATURES = 500
MAX_NESTING = 4  # GeometryCollections within GeometryCollections (RFC 7946 advises against any)
# Whether a ring crosses itself costs up to the square of its edges (a "comb" whose edges all overlap
# in longitude and latitude): these bound the check to well under a second, however the rings are drawn.
MAX_RING_POSITIONS = 500  # a ring of more is refused, naming it
MAX_EDGE_PAIRS = 150_000  # edges compared for crossings, over every ring of the layer


class Invalid(ValueError):
    """What is wrong (`message`, in English: the command translates it) and where (`path`)."""

    def __init__(self, message: str, path: str = "", **values):
        super().__init__(message % values if values else message)
        self.message, self.path, self.values = message, path, values


def loads(text: str | bytes) -> object:
    """The JSON document; Invalid naming the line and column where it stops being JSON."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("is not UTF-8 text") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        # the decoder's own words are English: the place is what the reader needs
        raise Invalid(
            "is not valid JSON from line %(line)d, column %(column)d", line=e.lineno, column=e.colno
        ) from None
    except RecursionError:
        raise Invalid("is nested too deeply to be a layer") from None
    except ValueError:  # an integer of more digits than Python converts (sys.int_info.default_max_str_digits)
        raise Invalid("holds a number too long to be a coordinate") from None


def _no_constant(name):
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


def collection(document: object, family: str, name=None) -> dict:
    """The document as a FeatureCollection of `family`'s geometry types (AREAS, LINES, POINTS),
    checked and rewritten (see the module's docstring); Invalid otherwise. `name(text, path)`, when
    given, is the caller's rule for a text (the names): it returns the text kept or raises."""
    if not isinstance(document, dict):
        raise Invalid("must be a GeoJSON object (a FeatureCollection)")
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise Invalid("must be a list of features", "features")
        prefix = "features"
    elif kind == "Feature":
        features, prefix = [document], None
    elif kind in GEOMETRY_TYPES:
        features, prefix = [{"type": "Feature", "geometry": document, "properties": None}], None
    else:
        raise Invalid("%(type)s is not a GeoJSON type: give a FeatureCollection", "type", type=_shown(kind))
    if not features:
        raise Invalid("holds no feature: a layer draws at least one", prefix or "")
    if len(features) > MAX_FEATURES:
        raise Invalid("holds more than %(n)d features", prefix or "", n=MAX_FEATURES)
    counted = [0, 0]  # positions read, edge pairs compared
    if kind in GEOMETRY_TYPES:  # a lone geometry: its faults are named from its own top
        return {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": _geometry(document, "", family, counted)}],
        }
    out = []
    for i, feature in enumerate(features):
        path = f"{prefix}[{i}]" if prefix else ""
        out.append(_feature(feature, path, family, counted, name))
    return {"type": "FeatureCollection", "features": out}


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path and not part.startswith("[") else f"{path}{part}"


def _shown(value) -> str:
    if isinstance(value, (dict, list)):  # what a type should be never is a structure: not shown whole
        return "{…}" if isinstance(value, dict) else "[…]"
    return json.dumps(value, ensure_ascii=False)[:40]


def _feature(feature, path: str, family: str, counted: list, name=None) -> dict:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise Invalid("must be a Feature", _join(path, "type") if isinstance(feature, dict) else path)
    props = feature.get("properties")
    if props is not None and not isinstance(props, dict):
        raise Invalid("must be an object or null", _join(path, "properties"))
    names = {}
    for key in NAMES:
        value = (props or {}).get(key)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > 200:
            raise Invalid("must be a text of at most 200 characters", _join(path, f"properties.{key}"))
        value = name(value, _join(path, f"properties.{key}")) if name else value.strip()
        if value:
            names[key] = value
    geometry = feature.get("geometry")
    gpath = _join(path, "geometry")
    if not isinstance(geometry, dict):
        raise Invalid("must be a geometry: a feature of a layer draws something", gpath)
    return {"type": "Feature", "properties": names, "geometry": _geometry(geometry, gpath, family, counted)}


def _geometry(g: dict, path: str, family: str, counted: list, depth: int = 0) -> dict:
    kind = g.get("type")
    if kind == "GeometryCollection":
        if depth >= MAX_NESTING:
            raise Invalid("GeometryCollections are nested more than %(n)d deep", _join(path, "type"), n=MAX_NESTING)
        parts = g.get("geometries")
        if not isinstance(parts, list) or not parts:
            raise Invalid("must be a non-empty list of geometries", _join(path, "geometries"))
        return {
            "type": kind,
            "geometries": [
                _geometry(p if isinstance(p, dict) else {}, _join(path, f"geometries[{i}]"), family, counted, depth + 1)
                for i, p in enumerate(parts)
            ],
        }
    if kind not in GEOMETRY_TYPES:
        raise Invalid("%(type)s is not a GeoJSON geometry type", _join(path, "type"), type=_shown(kind))
    if kind not in TYPES[family]:
        raise Invalid(
            "this layer is drawn with %(allowed)s, not %(type)s",
            _join(path, "type"),
            allowed=" or ".join(TYPES[family]),
            type=kind,
        )
    coords = g.get("coordinates")
    cpath = _join(path, "coordinates")
    check = {
        "Point": _position,
        "MultiPoint": _many(_position),
        "LineString": _line,
        "MultiLineString": _many(_line),
        "Polygon": _polygon,
        "MultiPolygon": _many(_polygon),
    }[kind]
    return {"type": kind, "coordinates": check(coords, cpath, counted)}


def _many(check):
    def many(coords, path, counted):
        if not isinstance(coords, list) or not coords:
            raise Invalid("must be a non-empty list", path)
        return [check(c, f"{path}[{i}]", counted) for i, c in enumerate(coords)]

    return many


def _number(x) -> bool:
    if isinstance(x, int) and not isinstance(x, bool):
        return abs(x) <= 1_000  # a larger integer is no coordinate, and may be beyond a float
    return isinstance(x, float) and math.isfinite(x)


def _position(p, path: str, counted: list) -> list:
    if not isinstance(p, list) or len(p) not in (2, 3) or not all(_number(x) for x in p):
        raise Invalid("a position must be [longitude, latitude] (and an optional height), in numbers", path)
    lon, lat = p[0], p[1]
    if not -180 <= lon <= 180:
        raise Invalid("longitude %(value)s is out of range (-180 to 180)", f"{path}[0]", value=lon)
    if not -90 <= lat <= 90:
        raise Invalid(
            "latitude %(value)s is out of range (-90 to 90): are longitude and latitude swapped?",
            f"{path}[1]",
            value=lat,
        )
    counted[0] += 1
    if counted[0] > MAX_POSITIONS:
        raise Invalid("the layer holds more than %(n)d positions", path, n=MAX_POSITIONS)
    return [float(lon), float(lat)]


def _positions(coords, path: str, counted: list) -> list:
    if not isinstance(coords, list):
        raise Invalid("must be a list of positions", path)
    return [_position(p, f"{path}[{i}]", counted) for i, p in enumerate(coords)]


def _line(coords, path: str, counted: list) -> list:
    line = _positions(coords, path, counted)
    if len(line) < 2:
        raise Invalid("a line needs at least two positions", path)
    return line


def _polygon(coords, path: str, counted: list) -> list:
    if not isinstance(coords, list) or not coords:
        raise Invalid("a polygon must be a non-empty list of rings", path)
    rings = []
    for i, ring in enumerate(coords):
        rpath = f"{path}[{i}]"
        ring = _positions(ring, rpath, counted)
        if len(ring) < 4:
            raise Invalid("a ring needs at least four positions (the last repeating the first)", rpath)
        if ring[0] != ring[-1]:
            raise Invalid(
                "the ring is not closed: its last position %(last)s must repeat its first %(first)s",
                rpath,
                first=ring[0],
                last=ring[-1],
            )
        if len(ring) > MAX_RING_POSITIONS:
            raise Invalid(
                "a ring holds at most %(n)d positions: draw a longer border as several areas",
                rpath,
                n=MAX_RING_POSITIONS,
            )
        compared = [MAX_EDGE_PAIRS - counted[1]]
        crossing = self_intersection(ring, compared)
        counted[1] = MAX_EDGE_PAIRS - compared[0]
        if counted[1] > MAX_EDGE_PAIRS:
            raise Invalid(
                "the layer's rings are too intricate to check for crossings: draw it with fewer positions", rpath
            )
        if crossing is not None:
            a, b = crossing
            raise Invalid("the ring crosses itself: its edge %(a)d meets its edge %(b)d", rpath, a=a, b=b)
        rings.append(ring)
    return rings


def self_intersection(ring: list, budget: list | None = None) -> tuple[int, int] | None:
    """The first two edges of a closed ring (numbered from 0: edge i joins positions i and i+1)
    that meet other than where neighbours share a position, or None. A sweep over the edges sorted
    by their westmost longitude: an edge is compared only with the edges whose span of longitudes
    overlaps its own. `budget` ([pairs left]) stops the comparing once spent, leaving it below 0."""
    n = len(ring) - 1  # edges
    west = [min(ring[i][0], ring[i + 1][0]) for i in range(n)]
    east = [max(ring[i][0], ring[i + 1][0]) for i in range(n)]
    south = [min(ring[i][1], ring[i + 1][1]) for i in range(n)]
    north = [max(ring[i][1], ring[i + 1][1]) for i in range(n)]
    edges = sorted(range(n), key=west.__getitem__)
    active: list[int] = []
    for i in edges:
        active = [j for j in active if east[j] >= west[i]]
        if budget is not None:
            budget[0] -= len(active)
            if budget[0] < 0:
                return None
        s, nn = south[i], north[i]
        for j in active:
            if south[j] > nn or north[j] < s:  # apart in latitude: cannot meet
                continue
            if _adjacent(i, j, n):
                if _overlap_back(ring, i, j, n):
                    return min(i, j), max(i, j)
                continue
            if _segments_meet(ring[i], ring[i + 1], ring[j], ring[j + 1]):
                return min(i, j), max(i, j)
        active.append(i)
    return None


def _adjacent(i: int, j: int, n: int) -> bool:
    return abs(i - j) == 1 or {i, j} == {0, n - 1}


def _overlap_back(ring, i: int, j: int, n: int) -> bool:
    """Two neighbouring edges that fold back over each other (a spike): they share more than a point."""
    a, b = (i, j) if (j - i) % n == 1 else (j, i)  # edge b follows edge a around the ring
    p, q, r = ring[a], ring[a + 1], ring[b + 1]
    cross = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    dot = (p[0] - q[0]) * (r[0] - q[0]) + (p[1] - q[1]) * (r[1] - q[1])
    return cross == 0 and dot > 0


def _orient(p, q, r) -> int:
    v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (v > 0) - (v < 0)


def _on(p, q, r) -> bool:
    """r, collinear with p-q, lies within its box."""
    return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])


def _segments_meet(p1, p2, q1, q2) -> bool:
    o1, o2, o3, o4 = _orient(p1, p2, q1), _orient(p1, p2, q2), _orient(q1, q2, p1), _orient(q1, q2, p2)
    if o1 != o2 and o3 != o4:
        return True
    return (
        (o1 == 0 and _on(p1, p2, q1))
        or (o2 == 0 and _on(p1, p2, q2))
        or (o3 == 0 and _on(q1, q2, p1))
        or (o4 == 0 and _on(q1, q2, p2))
    )


# ---------------------------------------------------------------- what a check reads


def geometries(fc: dict):
    """(feature index, feature names, geometry) of every simple geometry in a checked collection."""
    for i, feature in enumerate(fc["features"]):
        stack = [feature["geometry"]]
        while stack:
            g = stack.pop()
            if g["type"] == "GeometryCollection":
                stack.extend(reversed(g["geometries"]))
            else:
                yield i, feature["properties"], g


def bbox(fc: dict) -> tuple[float, float, float, float]:
    """minlon, minlat, maxlon, maxlat of every position."""
    xs, ys = [], []

    def walk(c):
        if c and isinstance(c[0], (int, float)):
            xs.append(c[0])
            ys.append(c[1])
        else:
            for part in c:
                walk(part)

    for _i, _names, g in geometries(fc):
        walk(g["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)

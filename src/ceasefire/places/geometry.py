"""Point in polygon and distance on the sphere, exact enough for districts and small enough to read:
no GIS library for what one loop does. Coordinates are (lon, lat) as GeoJSON writes them."""

import math

EARTH_KM = 6371.0088  # mean radius (IUGG)
# A point this close to an edge (in degrees: about 0.1 mm) is on it: the middle of an edge computed
# in floating point is rarely exactly on the line, and a border must not fall between two districts.
ON_EDGE = 1e-9


def on_segment(x: float, y: float, a: tuple, b: tuple) -> bool:
    """Whether (x, y) lies on the segment a-b (within ON_EDGE of the line, between its ends)."""
    (ax, ay), (bx, by) = a[:2], b[:2]
    if not (
        min(ax, bx) - ON_EDGE <= x <= max(ax, bx) + ON_EDGE and min(ay, by) - ON_EDGE <= y <= max(ay, by) + ON_EDGE
    ):
        return False
    length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    if length == 0:
        return abs(x - ax) <= ON_EDGE and abs(y - ay) <= ON_EDGE
    return abs((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / length <= ON_EDGE


def in_ring(x: float, y: float, ring: list) -> bool | None:
    """Ray casting: True inside, False outside, None on the ring itself (an edge or a vertex), which
    the caller decides. A horizontal ray to the east crosses an edge when the edge straddles y,
    counting an edge's lower end and not its upper one, so a vertex on the ray is counted once."""
    inside = False
    n = len(ring)
    for i in range(n):
        a, b = ring[i - 1], ring[i]
        if on_segment(x, y, a, b):
            return None
        (ax, ay), (bx, by) = a[:2], b[:2]
        if (ay > y) != (by > y):
            cross = ax + (y - ay) * (bx - ax) / (by - ay)
            if x < cross:
                inside = not inside
    return inside


def in_polygon(x: float, y: float, polygon: list) -> bool:
    """A GeoJSON Polygon (its outer ring, then its holes). A point on an edge is inside: a border
    between two districts belongs to both, and the first one asked keeps it."""
    outer = in_ring(x, y, polygon[0])
    if outer is not True:
        return outer is None
    for hole in polygon[1:]:
        if in_ring(x, y, hole) is True:
            return False
    return True


def in_geometry(x: float, y: float, geometry: dict) -> bool:
    if geometry["type"] == "Polygon":
        return in_polygon(x, y, geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return any(in_polygon(x, y, p) for p in geometry["coordinates"])
    raise ValueError(f"not a polygon: {geometry['type']}")


def bbox(geometry: dict) -> tuple[float, float, float, float]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    xs = [p[0] for poly in polygons for p in poly[0]]
    ys = [p[1] for poly in polygons for p in poly[0]]
    return min(xs), min(ys), max(xs), max(ys)


def centroid(ring: list) -> tuple[float, float]:
    """The area centroid of a ring (shoelace), in its own plane: for a district, the middle a map
    would mark."""
    area = cx = cy = 0.0
    for i in range(len(ring)):
        (ax, ay), (bx, by) = ring[i - 1][:2], ring[i][:2]
        cross = ax * by - bx * ay
        area += cross
        cx += (ax + bx) * cross
        cy += (ay + by) * cross
    if area == 0:
        return ring[0][0], ring[0][1]
    return cx / (3 * area), cy / (3 * area)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))

"""The report's trend chart and map, drawn on the server as SVG: no tiles, no script, the same
drawing in the page and in the PDF. The map is the shipped geography (places/data: Libya's outline
and its districts) in a plain equirectangular projection, which at Libya's latitudes distorts little.

Each returns a list of shapes (dicts) that the template writes out; numbers stay in the template,
where each one links to the list it counts.
"""

import functools
import math

from ceasefire.places import gazetteer

from .figures import CELL, LIBYA_BOX

MAP_WIDTH = 600
CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 600, 180, 16  # the chart's bars stand on its baseline at CHART_HEIGHT
SIMPLIFY_PX = 1.2  # a border point nearer than this to the previous one drawn adds nothing visible


def _scale() -> tuple[float, float]:
    minlon, minlat, maxlon, maxlat = LIBYA_BOX
    kx = math.cos(math.radians((minlat + maxlat) / 2))  # a degree of longitude is shorter than one of latitude
    px = MAP_WIDTH / ((maxlon - minlon) * kx)
    return px * kx, px


def map_height() -> int:
    minlon, minlat, maxlon, maxlat = LIBYA_BOX
    return round((maxlat - minlat) * _scale()[1])


def project(lon: float, lat: float) -> tuple[float, float]:
    sx, sy = _scale()
    return (lon - LIBYA_BOX[0]) * sx, (LIBYA_BOX[3] - lat) * sy


def _path(geometry: dict) -> str:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points, last = [], None
            for lon, lat, *_ in ring:
                x, y = project(lon, lat)
                if last is None or abs(x - last[0]) + abs(y - last[1]) >= SIMPLIFY_PX:
                    points.append(f"{x:.1f} {y:.1f}")
                    last = (x, y)
            if len(points) >= 3:
                parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


@functools.cache
def _base() -> tuple[str, tuple[str, ...]]:
    outline = "".join(_path(f["geometry"]) for f in gazetteer.outline()["features"])
    districts = tuple(_path(d.geometry) for d in gazetteer.gazetteer().districts.values())
    return outline, districts


def map_shapes(cells) -> dict:
    """The map of the period's reports: the outline, the districts, and one circle per cell holding
    reports, its area proportional to their number."""
    outline, districts = _base()
    largest = max((line.count for _corner, line in cells), default=1)
    circles = []
    for (minlon, minlat), line in cells:
        x, y = project(minlon + CELL / 2, minlat + CELL / 2)
        r = 3 + 14 * math.sqrt(line.count / largest)
        circles.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "r": f"{r:.1f}", "line": line})
    return {"width": MAP_WIDTH, "height": map_height(), "outline": outline, "districts": districts, "circles": circles}


def trend_shapes(trend) -> dict:
    """Bars of reports per month, oldest first (the template mirrors them in Arabic)."""
    n = max(len(trend), 1)
    largest = max((line.count for _m, line, _c in trend), default=0) or 1
    slot = CHART_WIDTH / n
    bars = []
    for i, (month, line, cover) in enumerate(trend):
        h = (CHART_HEIGHT - CHART_TOP) * line.count / largest
        bars.append(
            {
                "x": f"{i * slot + slot * 0.15:.1f}",
                "w": f"{slot * 0.7:.1f}",
                "y": f"{CHART_HEIGHT - h:.1f}",
                "h": f"{h:.1f}",
                "mid": f"{i * slot + slot / 2:.1f}",
                "top": f"{CHART_HEIGHT - h - 4:.1f}",
                "month": month,
                "short": month[2:],
                "line": line,
                "coverage": cover,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT + 18,
        "base": CHART_HEIGHT,
        "label_y": CHART_HEIGHT + 14,
        "bars": bars,
    }

"""The map's grid: a report's cell at every zoom, computed once from its coordinates.

The cells are web-mercator tiles, as every web map draws them. A report keeps one number, the
tile of FINE_LEVEL holding it with the bits of its x and y interleaved (a Morton code): its tile
at any coarser level is that number shifted right, two bits a level. So one integer column,
written by the report's projector, holds the report's cell at every zoom; counting a zoom's
clusters is a GROUP BY on the column shifted, and the cells of a box are a few ranges of it,
which an index on it reads without touching the rest of the country.

A cluster at map zoom Z is a tile of level Z + SUBDIVIDE: a quarter of a map tile's side, some
64 pixels on the screen, the size at which a cluster's count stays readable.
"""

import math

MAX_ZOOM = 14  # past it the clusters stay those of MAX_ZOOM (a tile of level 16: some 500 m in Libya)
SUBDIVIDE = 2
FINE_LEVEL = MAX_ZOOM + SUBDIVIDE
MAX_LAT = 85.0511287798  # web mercator's square ends here
MAX_RANGES = 16  # a box's cells as at most this many ranges of the column


def tile(lat: float, lon: float, level: int) -> tuple[int, int]:
    """The (x, y) of the level's tile holding the point; y grows southwards, as in the tiles' URLs."""
    n = 1 << level
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def interleave(x: int, y: int) -> int:
    code = 0
    for bit in range(FINE_LEVEL):
        code |= ((x >> bit) & 1) << (2 * bit) | ((y >> bit) & 1) << (2 * bit + 1)
    return code


def deinterleave(code: int) -> tuple[int, int]:
    return _even_bits(code), _even_bits(code >> 1)


def _even_bits(code: int) -> int:
    """The even bits of a code of up to 32 bits packed together, by halves (a map's answer splits
    thousands of codes: a loop over the bits cost more than its query)."""
    v = code & 0x55555555
    v = (v | (v >> 1)) & 0x33333333
    v = (v | (v >> 2)) & 0x0F0F0F0F
    v = (v | (v >> 4)) & 0x00FF00FF
    return (v | (v >> 8)) & 0x0000FFFF


def cell(lat: float | None, lon: float | None) -> int | None:
    """The report's cell at FINE_LEVEL, or None when it has no coordinates (it is on no map)."""
    if lat is None or lon is None:
        return None
    return interleave(*tile(lat, lon, FINE_LEVEL))


def level(zoom: int) -> int:
    """The tile level of a cluster at the map's zoom."""
    return min(zoom, MAX_ZOOM) + SUBDIVIDE


def shift(zoom: int) -> int:
    """How far to shift a fine cell right for its cell at the zoom."""
    return 2 * (FINE_LEVEL - level(zoom))


def lon_of(x: float, lvl: int) -> float:
    return x / (1 << lvl) * 360.0 - 180.0


def lat_of(y: float, lvl: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / (1 << lvl)))))


def bounds(cell_id: int, zoom: int) -> tuple[float, float, float, float]:
    """(minlon, minlat, maxlon, maxlat) of a cluster's cell at the zoom."""
    lvl = level(zoom)
    x, y = deinterleave(cell_id)
    return lon_of(x, lvl), lat_of(y + 1, lvl), lon_of(x + 1, lvl), lat_of(y, lvl)


def valid(cell_id: int, zoom: int) -> bool:
    return 0 <= cell_id < 1 << (2 * level(zoom))


def span(box: tuple[float, float, float, float], lvl: int) -> tuple[int, int, int, int]:
    """The tiles of the level a box touches: x0, y0, x1, y1 (inclusive)."""
    minlon, minlat, maxlon, maxlat = box
    x0, y0 = tile(maxlat, minlon, lvl)
    x1, y1 = tile(minlat, maxlon, lvl)
    return x0, y0, x1, y1


def count(box: tuple[float, float, float, float], zoom: int) -> int:
    """How many cells of the zoom the box touches: what bounds an answer's size."""
    x0, y0, x1, y1 = span(box, level(zoom))
    return (x1 - x0 + 1) * (y1 - y0 + 1)


def ranges(box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
    """Ranges of fine cells (inclusive) that hold every fine cell of the box, and few others: the
    box's tiles at the finest level where they are at most MAX_RANGES, each a run of the column,
    runs that touch merged."""
    for lvl in range(FINE_LEVEL, -1, -1):
        x0, y0, x1, y1 = span(box, lvl)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_RANGES:
            break
    width = 2 * (FINE_LEVEL - lvl)
    starts = sorted(interleave(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1))
    out: list[tuple[int, int]] = []
    for code in starts:
        lo, hi = code << width, ((code + 1) << width) - 1
        if out and out[-1][1] + 1 == lo:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out

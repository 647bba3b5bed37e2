"""Libya's land border with each neighbour, cut from the shipped outline (libya-outline.geojson).

The outline is one ring and says nothing of who lies beyond each edge: it starts at Ras Ajdir on
the Tunisian border, runs east along the sea coast to the Egyptian border west of Sallum, then
along the land border south, west and back north to Ras Ajdir. It is cut at the vertices nearest
the corners below, in the ring's order; what lies between Ras Ajdir and the Egyptian coast is the
sea coast and belongs to no neighbour. The corners are approximate (the outline is Natural Earth's
1:10m, a few km off on the ground), which is enough to ask whether a report lies some tens of
kilometres from a border, never to draw the border itself."""

import functools

from .gazetteer import outline

# Where the sea coast ends at the Egyptian border (lon, lat): the land border starts here.
COAST_END = (25.151, 31.656)
# Each neighbour, with the corner (lon, lat) where its border with Libya ends along the ring.
BORDER_ENDS = [
    ("egypt", (25.0, 22.0)),  # Egypt, Sudan and Libya meet
    ("sudan", (24.0, 19.5)),  # Sudan, Chad and Libya
    ("chad", (15.99, 23.45)),  # Chad, Niger and Libya
    ("niger", (11.99, 23.52)),  # Niger, Algeria and Libya
    ("algeria", (9.52, 30.23)),  # Algeria, Tunisia and Libya, south of Ghadames
    ("tunisia", (11.505, 33.181)),  # the Tunisian border reaches the sea at Ras Ajdir
]


def _vertex(ring: list, corner: tuple, after: int) -> int:
    """The index of the ring's vertex nearest the corner, from `after` on (so Ras Ajdir, the ring's
    first and last vertex, ends the Tunisian border rather than starting it)."""
    x, y = corner
    return min(range(after, len(ring)), key=lambda i: (ring[i][0] - x) ** 2 + (ring[i][1] - y) ** 2)


@functools.cache
def land_borders() -> dict[str, dict]:
    """Neighbour code (routes.models.Neighbour) -> its land border with Libya, a GeoJSON LineString."""
    ring = outline()["features"][0]["geometry"]["coordinates"][0]
    out = {}
    start = _vertex(ring, COAST_END, 0)
    for code, corner in BORDER_ENDS:
        end = _vertex(ring, corner, start + 1)
        out[code] = {"type": "LineString", "coordinates": ring[start : end + 1]}
        start = end
    return out

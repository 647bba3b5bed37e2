"""Libya's 22 districts and 982 places, in Arabic and English with their spelling variants, read
from data/ once per process and indexed by their normalised names (ceasefire.text), so that سرت,
Sirte, Sirt and Surt find one town and a look-up costs a scan of a few thousand short strings.

The precision a choice gives a report's coordinates is ACLED's, as reports keep it: 1 the place
itself, 2 near it, 3 its district (the district's middle stands for it).
"""

import csv
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import get_language

from ceasefire.text import is_arabic, normalise, searchable, whole_word

from . import geometry

DATA = Path(__file__).with_name("data")

# What a town is likely to be looked for before a hamlet of the same name.
# What a name is likely to be looked for as: the town of Sirte before the district of Sirte, the
# district before a hamlet or an airstrip of the same name.
KIND_RANK = {
    "city": 0,
    "town": 1,
    "district": 2,
    "airbase": 3,
    "oil_terminal": 3,
    "oil_field": 3,
    "border_crossing": 3,
    "port": 3,
    "airport": 4,
    "village": 5,
}
SETTLEMENTS = {"city", "town", "village", "district"}
NEAREST_WITHIN_KM = 100  # past this a "nearest place" says nothing useful about where it happened


@dataclass(frozen=True)
class District:
    code: str  # ISO 3166-2:LY
    name_ar: str
    name_en: str
    geometry: dict = field(repr=False, compare=False)
    box: tuple = field(repr=False, compare=False)
    latitude: float = 0.0  # a point inside it that stands for it
    longitude: float = 0.0

    def contains(self, lat: float, lon: float) -> bool:
        minx, miny, maxx, maxy = self.box
        return minx <= lon <= maxx and miny <= lat <= maxy and geometry.in_geometry(lon, lat, self.geometry)

    def name(self) -> str:
        return _in_language(self.name_ar, self.name_en)

    def as_dict(self) -> dict:
        return {"code": self.code, "name_ar": self.name_ar, "name_en": self.name_en}


@dataclass(frozen=True)
class Place:
    id: str
    name_ar: str
    name_en: str
    alt_names: tuple[str, ...]
    kind: str
    latitude: float
    longitude: float
    district_code: str

    @property
    def district(self) -> District:
        return gazetteer().districts[self.district_code]

    def name(self) -> str:
        return _in_language(self.name_ar, self.name_en)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "kind": self.kind,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


@dataclass(frozen=True)
class Match:
    """A suggestion for a typed place: a place (precision 1) or a district (precision 3)."""

    id: str
    kind: str  # a place's kind, or "district"
    name_ar: str
    name_en: str
    matched: str  # the name or variant the typed text matched, as written
    latitude: float
    longitude: float
    precision: int
    district: District

    def name(self) -> str:
        return _in_language(self.name_ar, self.name_en)


def _in_language(ar: str, en: str) -> str:
    arabic = (get_language() or "ar").startswith("ar")
    return (ar or en) if arabic else (en or ar)


class Gazetteer:
    def __init__(self, districts: dict[str, District], places: list[Place]):
        self.districts = districts
        self.places = places
        self.by_id = {p.id: p for p in places}
        # Each normalised name or variant with what it names, for matching typed text.
        self.names: list[tuple[str, str, Place | District]] = []
        for d in districts.values():
            for written in (d.name_ar, d.name_en):
                if written:
                    self.names.append((normalise(written), written, d))
        for p in places:
            for written in (p.name_ar, p.name_en, *p.alt_names):
                if written and normalise(written):
                    self.names.append((normalise(written), written, p))
        self.exact: dict[str, list] = {}
        for key, _written, what in self.names:
            if what not in self.exact.setdefault(key, []):
                self.exact[key].append(what)

    def find(self, text: str, limit: int = 10) -> list[Match]:
        """What the typed text may name, best first: a whole name, then a name starting with it,
        then a word of a name starting with it, then a name containing it; towns before villages."""
        q = normalise(text)
        if not q:
            return []
        best: dict[int, tuple] = {}
        for key, written, what in self.names:
            if key == q:
                how = 0
            elif key.startswith(q):
                how = 1
            elif f" {q}" in f" {key}":
                how = 2
            elif q in key:
                how = 3
            else:
                continue
            rank = (how, KIND_RANK.get(_kind(what), 6), len(key))
            if id(what) not in best or rank < best[id(what)][0]:
                best[id(what)] = (rank, written, what)
        ordered = sorted(best.values(), key=lambda r: (r[0], r[2].name_en or r[2].name_ar))
        return [_match(what, written) for _rank, written, what in ordered[:limit]]

    def variants(self, text: str) -> set[str]:
        """Every normalised name of what the text names exactly (a place or a district): Sirte's
        are سرت, sirte, sirt, surt…; just the text's own when it names nothing known. A search for
        one finds a report that wrote another."""
        q = normalise(text)
        out = {q} if q else set()
        named = self.exact.get(q, [])
        # "Sirte" is also a variant of the air base near it: a town or district named so is meant.
        named = [w for w in named if _kind(w) in SETTLEMENTS] or named
        for what in named:
            names = (what.name_ar, what.name_en, *getattr(what, "alt_names", ()))
            out |= {normalise(n) for n in names if n and normalise(n)}
        return out

    def district_at(self, lat: float, lon: float) -> District | None:
        """The district the point lies in (a point on a border: the first by code); None outside
        every district, which is outside Libya as the districts draw it."""
        for d in self.districts.values():
            if d.contains(lat, lon):
                return d
        return None

    def nearest(self, lat: float, lon: float) -> tuple[Place, float] | None:
        """The nearest place and its distance in km, within NEAREST_WITHIN_KM."""
        best = min(self.places, key=lambda p: geometry.km(lat, lon, p.latitude, p.longitude))
        distance = geometry.km(lat, lon, best.latitude, best.longitude)
        return (best, distance) if distance <= NEAREST_WITHIN_KM else None


def _kind(what) -> str:
    return "district" if isinstance(what, District) else what.kind


def _match(what, written: str) -> Match:
    if isinstance(what, District):
        return Match(what.code, "district", what.name_ar, what.name_en, written, what.latitude, what.longitude, 3, what)
    return Match(
        what.id, what.kind, what.name_ar, what.name_en, written, what.latitude, what.longitude, 1, what.district
    )


def _split(alt: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in alt.split(";") if a.strip())


@functools.cache
def gazetteer() -> Gazetteer:
    with open(DATA / "libya-places.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    places = [
        Place(
            r["id"],
            r["name_ar"],
            r["name_en"],
            _split(r["alt_names"]),
            r["kind"],
            float(r["lat"]),
            float(r["lon"]),
            r["admin1_code"],
        )
        for r in rows
    ]
    with open(DATA / "libya-admin1.geojson", encoding="utf-8") as f:
        features = json.load(f)["features"]
    districts = {}
    for feature in sorted(features, key=lambda f: f["properties"]["iso_3166_2"]):
        props, geom = feature["properties"], feature["geometry"]
        code = props["iso_3166_2"]
        districts[code] = District(
            code, props["name_ar"], props["name_en"], geom, geometry.bbox(geom), *_middle(code, geom, places)
        )
    return Gazetteer(districts, places)


def _middle(code: str, geom: dict, places: list[Place]) -> tuple[float, float]:
    """A point inside the district that stands for it: the centroid of its largest part, or, when
    that falls outside (a crescent-shaped district), its place nearest the centroid."""
    polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    outer = max((p[0] for p in polygons), key=len)
    x, y = geometry.centroid(outer)
    if geometry.in_geometry(x, y, geom):
        return round(y, 6), round(x, 6)
    inside = [p for p in places if p.district_code == code]
    p = min(inside, key=lambda p: geometry.km(y, x, p.latitude, p.longitude))
    return p.latitude, p.longitude


def outline() -> dict:
    """Libya's outline (Natural Earth), a GeoJSON FeatureCollection."""
    with open(DATA / "libya-outline.geojson", encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class Where:
    """What the gazetteer says of a pair of coordinates: their district and nearest place. It is
    computed from the report's coordinates each time it is shown, never stored as a claim."""

    district: District | None
    nearest: Place | None
    km: float | None


def where(lat: float | None, lon: float | None) -> Where | None:
    if lat is None or lon is None:
        return None
    g = gazetteer()
    near = g.nearest(lat, lon)
    return Where(g.district_at(lat, lon), near[0] if near else None, round(near[1], 1) if near else None)


def search(text: str, limit: int = 10) -> list[Match]:
    return gazetteer().find(text, limit)


def search_terms(text: str) -> list[str]:
    """What a search for `text` looks for in a searchable() column: the normalised text, found
    inside words as typed, and every other spelling of the place it names (Sirte finds سرت and
    Surt): a Latin variant only as a whole word (Sirte's "Sert" must not find "desert"), an Arabic
    one inside words, which take prefixes (بسرت: in Sirte). Empty when the text has nothing but
    marks and punctuation."""
    typed = normalise(text)
    if not typed:
        return []
    terms = {typed}
    for variant in gazetteer().variants(text) - {typed}:
        if len(variant) >= 3:
            terms.add(variant if is_arabic(variant) else whole_word(variant))
    # A term that holds another finds nothing more than it: fewer terms, a cheaper search.
    return sorted(t for t in terms if not any(o != t and o in t for o in terms))


def found(terms: list[str], *texts) -> bool:
    """Whether any term occurs in the texts: a search of rows too few to index (meetings,
    decisions, provisions), with the same normalisation and variants as the reports' column."""
    column = searchable(texts)
    return any(t in column for t in terms)

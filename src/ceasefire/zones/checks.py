"""Which of the committee's binding zones a report lies in, by the versions binding at the time it
describes: a report of a day before version 2 bound is checked against version 1.

A version binds from its `binding_since` until the next version of its layer binds (the one with the
later `binding_since`; of two since the same instant, the one bound later). An area holds a point
inside it or on its edge (places.geometry.in_geometry); a line or a point holds a report within the
version's `within_km`. A report placed only by its district (geo precision 3) is not checked: its
coordinates are the district's middle, and a check would be false precision.

Nothing here is stored: a check is worked out from the report's claim and the binding versions each
time it is shown, like the gazetteer's district of a report.
"""

import datetime as dt
import itertools
import math
from dataclasses import dataclass

from ceasefire.places import geometry

from . import geojson
from .models import LayerVersion

DISTRICT_ONLY = 3  # ACLED geo precision: the region


@dataclass(frozen=True)
class Hit:
    version: LayerVersion
    km: float | None  # a line or a point: how far the report lies from it; None for an area
    feature: dict  # the names of the feature it lies in or near ({} when the feature has none)

    @property
    def layer(self):
        return self.version.layer

    def feature_name(self) -> str:
        """The feature's name in the reader's language, else the other, else its plain `name`."""
        from django.utils.translation import get_language

        first, second = ("name_ar", "name_en") if (get_language() or "ar").startswith("ar") else ("name_en", "name_ar")
        return self.feature.get(first) or self.feature.get(second) or self.feature.get("name", "")


def binding_versions() -> dict[str, list[LayerVersion]]:
    """Every binding version, per layer, in the order they bound (since, then seq)."""
    out: dict[str, list[LayerVersion]] = {}
    for version in (
        LayerVersion.objects.filter(binding=True).select_related("layer").order_by("binding_since", "bound_at", "id")
    ):
        out.setdefault(version.layer_id, []).append(version)
    return out


def windows(versions: list[LayerVersion]) -> list[tuple[LayerVersion, dt.datetime | None]]:
    """Each version of a layer that binds at some time, with when the next one took over (None: still
    binding). A version superseded at the instant it began never binds."""
    out = []
    for i, version in enumerate(versions):
        until = versions[i + 1].binding_since if i + 1 < len(versions) else None
        if until is None or until > version.binding_since:
            out.append((version, until))
    return out


def binding_at(versions: list[LayerVersion], when: dt.datetime) -> LayerVersion | None:
    """The version of a layer binding at `when`."""
    for version, until in windows(versions):
        if version.binding_since <= when and (until is None or when < until):
            return version
    return None


def check_point(version: LayerVersion, lat: float, lon: float) -> Hit | None:
    """Whether the point lies in the version's area, or within its distance of its line or point."""
    fc = version.geojson
    best = None
    for _i, names, g in geojson.geometries(fc):
        if g["type"] in ("Polygon", "MultiPolygon"):
            if geometry.in_geometry(lon, lat, g):
                return Hit(version, None, names)
            continue
        km = km_to(g, lat, lon)
        if km <= (version.within_km or 0) and (best is None or km < best.km):
            best = Hit(version, round(km, 2), names)
    return best


def km_to(g: dict, lat: float, lon: float) -> float:
    """The distance in km from a point to a (Multi)Point or (Multi)LineString."""
    c = g["coordinates"]
    if g["type"] == "Point":
        return geometry.km(lat, lon, c[1], c[0])
    if g["type"] == "MultiPoint":
        return min(geometry.km(lat, lon, p[1], p[0]) for p in c)
    lines = [c] if g["type"] == "LineString" else c
    return min(_km_to_segment(lat, lon, a, b) for line in lines for a, b in itertools.pairwise(line))


def _km_to_segment(lat: float, lon: float, a: list, b: list) -> float:
    """Distance to a segment, in a plane around the point scaled to km (exact enough within the
    tens of kilometres a check looks at), measured on the sphere to the nearest point found."""
    k = math.cos(math.radians(lat))
    ax, ay, bx, by = (a[0] - lon) * k, a[1] - lat, (b[0] - lon) * k, b[1] - lat
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
    near_lon, near_lat = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    return geometry.km(lat, lon, near_lat, near_lon)


def checkable(report) -> bool:
    return report.latitude is not None and report.longitude is not None and report.geo_precision != DISTRICT_ONLY


def check(report, versions: dict[str, list[LayerVersion]] | None = None) -> list[Hit]:
    """The committee's zones the report lies in or near, by the versions binding at its time."""
    if not checkable(report):
        return []
    versions = binding_versions() if versions is None else versions
    hits = []
    for layer_versions in versions.values():
        version = binding_at(layer_versions, report.occurred_at)
        if version is not None:
            hit = check_point(version, report.latitude, report.longitude)
            if hit is not None:
                hits.append(hit)
    return sorted(hits, key=lambda h: h.version.layer_id)


def reports_in(code: str, qs) -> list[int]:
    """The ids of the reports of `qs` that lie in or near layer `code`, each by the version binding
    at its time: the database narrows them to each version's time and box, this module decides."""
    ids: list[int] = []
    for version, until in windows(binding_versions().get(code, [])):
        minlon, minlat, maxlon, maxlat = geojson.bbox(version.geojson)
        pad = (version.within_km or 0) / 111.0  # a degree of latitude is some 111 km
        padlon = pad / max(math.cos(math.radians(max(abs(minlat), abs(maxlat)))), 0.01)
        rows = qs.filter(
            occurred_at__gte=version.binding_since,
            latitude__gte=minlat - pad,
            latitude__lte=maxlat + pad,
            longitude__gte=minlon - padlon,
            longitude__lte=maxlon + padlon,
        ).exclude(geo_precision=DISTRICT_ONLY)
        if until is not None:
            rows = rows.filter(occurred_at__lt=until)
        for pk, lat, lon in rows.order_by().values_list("id", "latitude", "longitude"):
            if check_point(version, lat, lon) is not None:
                ids.append(pk)
    return ids

"""What the API and the pages read of routes and borders, as each reader may read it.

The incidents on a route are read from the reports each time, never stored: a report the reader
may read is on a route when it lies within the route's distance of the line through its places (a
crossing: of its place), when it lies in the committee's binding layer drawing the route, or when
it names the route ("the coastal road"). A report placed only by its district is not placed on a
route by its coordinates (zones.checks says why)."""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from ceasefire import audience
from ceasefire.agreements.queries import today
from ceasefire.places.borders import land_borders
from ceasefire.places.gazetteer import gazetteer
from ceasefire.zones import checks

from .models import Kind, Neighbour, Route, StatusClaim


def geometry(route: Route) -> dict:
    """The route as GeoJSON: a point (a crossing at one place) or the line through its places."""
    found = gazetteer().by_id
    coords = [[found[p].longitude, found[p].latitude] for p in route.places if p in found]
    if len(coords) == 1:
        return {"type": "Point", "coordinates": coords[0]}
    return {"type": "LineString", "coordinates": coords}


def claims(reader, route: Route) -> list[StatusClaim] | None:
    """The statuses the reader reads, newest first: every one put forward for the parties, the
    committee's for observers; None for the public."""
    if audience.reads(reader, "route_status"):
        return list(route.claims.prefetch_related("positions__party").select_related("party"))
    if audience.reads(reader, "route_status", "agreed"):
        return list(route.claims.filter(agreed=True))
    return None


def current(reader, route: Route, day: dt.date | None = None) -> StatusClaim | None:
    """The committee's status of the route on `day` (today): the newest agreed status since a day
    not after it. None when there is none, or the reader may not read it."""
    if not audience.reads(reader, "route_status", "agreed"):
        return None
    day = day or today()
    return route.claims.filter(agreed=True, since__lte=day).order_by("-since", "-agreed_at", "-id").first()


def pending(reader, route: Route) -> list[StatusClaim] | None:
    """The statuses put forward that are not the committee's (side by side); None outside the parties."""
    if not audience.reads(reader, "route_status"):
        return None
    return [c for c in claims(reader, route) if not c.agreed]


def _visible_reports(reader):
    from ceasefire.incidents import queries as incidents

    return incidents.violations(incidents.visible(reader))


def incidents(reader, route: Route, qs=None) -> list:
    """The reports the reader may read that lie on the route or name it, newest first."""
    from ceasefire.incidents.models import Report
    from ceasefire.incidents.queries import text_q

    qs = _visible_reports(reader) if qs is None else qs
    ids = set(near(route, qs))
    named = Q(pk__in=[])
    for alias in route.aliases:
        named |= text_q(alias, "search_text", "report_text", '"incidents_report"."id"', Report)
    if route.aliases:
        ids |= set(qs.filter(named).values_list("id", flat=True))
    if route.layer:
        from ceasefire.zones import queries as zones

        if zones.reads_binding(reader):
            ids |= set(checks.reports_in(route.layer, qs))
    return list(Report.objects.filter(id__in=ids).order_by("-occurred_at", "-id"))


def near(route: Route, qs) -> list[int]:
    """The ids of the reports of `qs` within the route's distance of its line or point."""
    return within(geometry(route), route.within_km, qs)


def within(g: dict, km: float, qs) -> list[int]:
    """The ids of the reports of `qs` within `km` of the point or line `g`, by their coordinates
    (a report placed only by its district is not: zones.checks says why)."""
    coords = [g["coordinates"]] if g["type"] == "Point" else g["coordinates"]
    if not coords:
        return []
    lons, lats = [c[0] for c in coords], [c[1] for c in coords]
    pad = km / 111.0  # a degree of latitude is some 111 km
    padlon = pad / max(math.cos(math.radians(max(abs(min(lats)), abs(max(lats))))), 0.01)
    rows = qs.filter(
        latitude__gte=min(lats) - pad,
        latitude__lte=max(lats) + pad,
        longitude__gte=min(lons) - padlon,
        longitude__lte=max(lons) + padlon,
    ).exclude(geo_precision=checks.DISTRICT_ONLY)
    return [
        pk
        for pk, lat, lon in rows.order_by().values_list("id", "latitude", "longitude")
        if checks.km_to(g, lat, lon) <= km
    ]


def near_land_border(neighbour: str, qs) -> list[int]:
    """The rule of "an incident near the border": the ids of the reports of `qs` whose coordinates
    lie within settings.BORDER_KM of Libya's land border with `neighbour` (places.borders), the
    sea coast being no one's border."""
    return within(land_borders()[neighbour], settings.BORDER_KM, qs)


# ---------------------------------------------------------------- borders


@dataclass
class Border:
    neighbour: str
    name: str
    liaison: bool  # its liaison committee exchanges data with the committee
    crossings: list  # routes of kind crossing, each with .status (the committee's, as the reader reads it)
    incidents: list  # reports near its crossings or in a border-area layer, as the reader reads them
    near_border: list  # reports within settings.BORDER_KM of its land border, as the reader reads them


def borders(reader) -> list[Border]:
    from ceasefire.incidents.models import Report

    from .models import LIAISON

    qs = _visible_reports(reader)
    out = []
    for code, label in Neighbour.choices:
        crossings = list(Route.objects.filter(kind=Kind.CROSSING, neighbour=code))
        found: dict[int, object] = {}
        for c in crossings:
            c.status = current(reader, c)
            for r in incidents(reader, c, qs):
                found[r.id] = r
        out.append(
            Border(
                code,
                str(label),
                code in LIAISON,
                crossings,
                sorted(found.values(), key=lambda r: r.occurred_at, reverse=True),
                list(Report.objects.filter(id__in=near_land_border(code, qs)).order_by("-occurred_at", "-id")),
            )
        )
    return out


def border_layers(reader) -> list | None:
    """The committee's border-area layers the reader reads; None for a reader of none (the public)."""
    from ceasefire.zones import queries as zones
    from ceasefire.zones.models import Kind as LayerKind

    if not zones.reads_binding(reader):
        return None
    return [layer for layer in zones.layers(reader) if layer.kind in (LayerKind.BORDER_AREA, LayerKind.CROSSINGS)]


def border_reports(reader, layer_code: str) -> list:
    """The reports the reader may read inside a border-area layer (by the version binding at their time)."""
    from ceasefire.incidents.models import Report

    ids = checks.reports_in(layer_code, _visible_reports(reader))
    return list(Report.objects.filter(id__in=ids).order_by("-occurred_at", "-id"))

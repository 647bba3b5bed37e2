"""The map of reports: the page (Leaflet, as django-leaflet packages it, from this server), its
offline base map (the shipped outline, districts and towns), and the list of one cluster's
reports as an htmx fragment. The clusters themselves come from the API (GET /api/v1/map/clusters),
which the page asks for each view; every read goes through incidents/queries.py as the list's."""

import functools
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ceasefire import audience
from ceasefire.errors import Invalid
from ceasefire.incidents import mapping, queries
from ceasefire.incidents.models import Category
from ceasefire.mechanism.accounts import actor_for
from ceasefire.places import grid
from ceasefire.places.gazetteer import DATA, gazetteer
from ceasefire.zones import queries as zone_queries

from .. import forms
from .reports import _querystring

SHOWN = 20  # a cluster's reports listed at once; the list page has the rest
# The towns the base map names: the others would crowd it.
NAMED_KINDS = ("city", "town", "border_crossing", "airbase", "oil_terminal", "port")
# The colours the categories are drawn in (site.css: .cat-0 … .cat-11), in the typology's order.
COLOURS = 12


def _actor(request):
    return actor_for(request.user)


@login_required
def map_page(request):
    actor = _actor(request)
    form = forms.report_filter_form(request.GET or None)
    layers = []
    for layer in zone_queries.layers(actor):
        if layer.current is not None:
            layers.append(
                {
                    "code": layer.code,
                    "kind": layer.kind,
                    "name": layer.text("name"),
                    "version": layer.current.number,
                    "geojson": layer.current.geojson,
                }
            )
    categories = [
        {"code": c.code, "name": c.text("name"), "colour": i % COLOURS}
        for i, c in enumerate(Category.objects.filter(retired=False).order_by("order", "code"))
    ]
    context = {
        "section": "map",
        "form": form,
        "layers": layers,
        "categories": categories,
        "shared_only": not audience.everything(actor),
        "config": {
            "clusters": reverse("api:clusters"),
            "geojson": reverse("api:reports_geojson"),
            "cluster": reverse("map_cluster"),
            "base": reverse("map_base"),
            "reports": reverse("reports"),
            "tiles": settings.MAP_TILES,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
            "max_zoom": mapping.MAX_ZOOM,
            "cluster_max_zoom": grid.MAX_ZOOM,
            "max_cells": mapping.MAX_CELLS,
            "colours": {c["code"]: c["colour"] for c in categories},
            "names": {c["code"]: c["name"] for c in categories},
        },
    }
    return render(request, "web/map/map.html", context)


@functools.cache
def _base() -> bytes:
    """The offline base map, read once: Libya's outline, its districts and its main places."""
    with open(DATA / "libya-outline.geojson", encoding="utf-8") as f:
        outline = json.load(f)
    g = gazetteer()
    districts = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": d.code,
                "geometry": d.geometry,
                "properties": {"code": d.code, "name_ar": d.name_ar, "name_en": d.name_en},
            }
            for d in g.districts.values()
        ],
    }
    places = [
        [p.name_ar, p.name_en, p.kind, round(p.latitude, 4), round(p.longitude, 4)]
        for p in g.places
        if p.kind in NAMED_KINDS
    ]
    return json.dumps(
        {"outline": outline, "districts": districts, "places": places}, ensure_ascii=False, separators=(",", ":")
    ).encode()


def map_base(request):
    """Public reference data (places/data/SOURCES.md), the same for every reader: cached a day."""
    answer = HttpResponse(_base(), content_type="application/json")
    answer["Cache-Control"] = "public, max-age=86400"
    return answer


@login_required
def map_cluster(request):
    """One cluster's reports, newest first (the htmx fragment a click on a cluster asks for)."""
    actor = _actor(request)
    context = {"error": None, "reports": [], "count": 0}
    try:
        zoom = mapping.parse_zoom(request.GET.get("zoom"))
        cell = mapping.parse_cell(request.GET.get("cell"), zoom)
        f = queries.Filters.parse({**request.GET.dict(), "bbox": ""})
        zone_queries.zone_filter(actor, f.zone)
    except Invalid as e:
        context["error"] = e
        return render(request, "web/map/_cluster.html", context, status=400)
    qs = mapping.in_cell(queries.search(queries.visible(actor), f), cell, zoom)
    context["count"] = qs.count()
    context["reports"] = list(qs.select_related("category", "alleged_party")[:SHOWN])
    context["more"] = context["count"] > SHOWN
    # The list has no cell filter; the cell's box, widened by a hair so no edge is lost, is one.
    minlon, minlat, maxlon, maxlat = grid.bounds(cell, zoom)
    box = ",".join(
        f"{v:.6f}"
        for v in (max(minlon - 1e-6, -180), max(minlat - 1e-6, -90), min(maxlon + 1e-6, 180), min(maxlat + 1e-6, 90))
    )
    context["list_query"] = _querystring(request.GET, zoom="", cell="", bbox=box)
    return render(request, "web/map/_cluster.html", context)

"""The map of reports: the page (Leaflet, as django-leaflet packages it, from this server) and the
list of one cluster's reports as an htmx fragment. The clusters themselves and the offline base
map come from the API (GET /api/v1/map/clusters, GET /api/v1/map/base), which the page asks for;
every read goes through incidents/queries.py as the list's."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from ceasefire import audience
from ceasefire.errors import Invalid
from ceasefire.incidents import mapping, queries
from ceasefire.incidents.models import Category
from ceasefire.mechanism.accounts import actor_for
from ceasefire.places import grid
from ceasefire.zones import queries as zone_queries

from .. import forms
from .reports import _querystring

SHOWN = 20  # a cluster's reports listed at once; the list page has the rest
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
            "base": reverse("api:map_base"),
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

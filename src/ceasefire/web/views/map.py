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
# A category is drawn in its family's colour (site.css: .fam-0 … .fam-7, the Okabe–Ito palette,
# told apart by readers of every common colour blindness) and in a shape of its own within the
# family (.shape-0 … .shape-7: circle, square, diamond, triangle, hexagon, triangle down, pentagon,
# cross): 21 categories in 6 families are 21 marks, each named in the legend.
FAMILIES, SHAPES = 8, 8


def marks(categories) -> list[dict]:
    """Each category with its mark: its family's colour and its shape among the family's."""
    families: dict[str, int] = {}
    shown: dict[str, int] = {}
    out = []
    for c in categories:
        family = families.setdefault(c.group, len(families))
        shape = shown[c.group] = shown.get(c.group, -1) + 1
        out.append({"code": c.code, "name": c.text("name"), "mark": f"fam-{family % FAMILIES} shape-{shape % SHAPES}"})
    return out


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
    categories = marks(Category.objects.filter(retired=False).order_by("order", "code"))
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
            "marks": {c["code"]: c["mark"] for c in categories},
            "near_radius_m": mapping.NEAR_RADIUS_M,
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

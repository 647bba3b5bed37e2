"""The reads of layers shared by the API, the pages and the command line, each through the
audience policy (ceasefire.audience): the parties read every version put forward and every
position; observers the binding versions only; the public nothing."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.errors import Invalid, NotFound
from ceasefire.record import log

from . import checks
from .models import Layer, LayerPosition, LayerVersion


def reads_all(reader) -> bool:
    return audience.reads(reader, "layer_version")


def reads_binding(reader) -> bool:
    return audience.reads(reader, "layer_version", "binding")


def versions(reader) -> QuerySet:
    qs = LayerVersion.objects.select_related("layer", "party").prefetch_related(
        Prefetch("positions", queryset=LayerPosition.objects.select_related("party"))
    )
    if reads_all(reader):
        return qs
    return qs.filter(binding=True) if reads_binding(reader) else qs.none()


def layers(reader) -> list[Layer]:
    """Every layer the reader reads a version of, each with `.shown`: its versions the reader
    reads, newest first, and `.current`: the one binding now (None when none binds yet)."""
    by_layer: dict[str, list] = {}
    for version in versions(reader).order_by("layer_id", "-number"):
        by_layer.setdefault(version.layer_id, []).append(version)
    bound = checks.binding_versions()
    now = log._clock()
    out = []
    for layer in Layer.objects.filter(code__in=by_layer).order_by("code"):
        layer.shown = by_layer[layer.code]
        current = checks.binding_at(bound.get(layer.code, []), now)
        layer.current = next((v for v in layer.shown if current and v.id == current.id), None)
        out.append(layer)
    return out


def layer(reader, code: str) -> Layer:
    """A layer the reader reads a version of; 404 as if it did not exist otherwise."""
    found = next((x for x in layers(reader) if x.code == code), None)
    if found is None:
        # the code isolated (FSI…PDI): a Latin code inside an Arabic sentence keeps its place
        raise NotFound(_("layer %(code)s does not exist") % {"code": f"\u2068{code}\u2069"}, "layer")
    return found


def version(reader, code: str, number: int) -> LayerVersion:
    found = versions(reader).filter(layer_id=code, number=number).first()
    if found is None:
        raise NotFound(
            _("version %(number)s of layer %(code)s does not exist")
            % {"code": f"\u2068{code}\u2069", "number": number},
            "version",
        )
    return found


def zone_filter(reader, code: str) -> str:
    """A filter of the report list by a layer (`zone`), for a reader who reads binding layers: the
    code, or a 422 naming the parameter (for the public, as if the layer did not exist)."""
    if code and (not reads_binding(reader) or not LayerVersion.objects.filter(layer_id=code, binding=True).exists()):
        raise Invalid(_("no binding layer has this code"), "zone")
    return code


def checks_for(reader, report, bound=None) -> list[checks.Hit] | None:
    """The committee's zones the report lies in, for a reader who reads binding layers; None for
    anyone else (the public), who is not told."""
    if not reads_binding(reader):
        return None
    return checks.check(report, bound)


def as_geojson(version: LayerVersion) -> dict:
    """A version as a GeoJSON FeatureCollection (RFC 7946), with foreign members naming it: what the
    API answers and `ceasefire layer export` writes, and what `layer import` reads back."""
    layer = version.layer
    return {
        "type": "FeatureCollection",
        "layer": layer.code,
        "kind": layer.kind,
        "name_ar": layer.name_ar,
        "name_en": layer.name_en,
        "version": version.number,
        "binding": version.binding,
        "binding_since": version.binding_since.isoformat() if version.binding_since else None,
        "within_km": version.within_km,
        "features": version.geojson["features"],
    }

"""The committee's layers (the contact line, the demilitarised area, protected roads, buffer zones,
assembly points, border areas, crossings): versions put forward as GeoJSON, each party's position,
and the versions that bind. Reads go through zones/queries.py, which asks the audience policy: the
parties read every version and position, observers the binding versions, the public none."""

import datetime as dt
import json
from typing import Annotated

from django.http import HttpResponse
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from ceasefire.mechanism.commands import describe, today
from ceasefire.mechanism.models import in_language
from ceasefire.zones import commands, queries
from ceasefire.zones.models import Kind

from ..auth import reader
from ..common import reading, writing
from ..schemas import PositionIn, _reader

router = Router(tags=["layers"])

LayerCode = Path[str, {"pattern": r"^[a-z0-9-]{1,40}$", "description": "the layer's code, e.g. sirte-jufra"}]
Number = Path[int, {"ge": 1, "le": 2**31 - 1, "description": "the version's number in its layer"}]
GEOJSON = "application/geo+json"


class LayerPositionOut(Schema):
    party: str = Field(alias="party_id")
    position: str
    given_at: dt.datetime
    reason_ar: str
    reason_en: str


class VersionOut(Schema):
    id: int
    layer: str = Field(alias="layer_id")
    number: int
    binding: bool
    binding_since: dt.datetime | None = Field(
        description="from when it binds (the day its proposal named, else when every party had approved)"
    )
    disputed: bool | None = Field(description="not binding and a party objects; null for observers")
    effective_from: dt.date | None
    within_km: float | None = Field(description="a line or points: a report this near counts; null for an area")
    note: str
    note_ar: str
    note_en: str
    source: str
    party: str | None = Field(
        description="the party that put it forward (null: the facilitator, or not the reader's to read)"
    )
    positions: list[LayerPositionOut] | None = Field(description="each party's position; null for observers")
    waiting_for: list[str] = Field(description="what it waits for before it binds")
    geojson_url: str

    @staticmethod
    def resolve_note(obj):
        return in_language(obj, "note")

    @staticmethod
    def resolve_party(obj, context):
        return obj.party_id if queries.reads_all(_reader(context)) else None

    @staticmethod
    def resolve_disputed(obj, context):
        return obj.disputed if queries.reads_all(_reader(context)) else None

    @staticmethod
    def resolve_positions(obj, context):
        return list(obj.positions.all()) if queries.reads_all(_reader(context)) else None

    @staticmethod
    def resolve_waiting_for(obj):
        return describe(obj.waits(today()))

    @staticmethod
    def resolve_geojson_url(obj):
        return f"/api/v1/layers/{obj.layer_id}/versions/{obj.number}"


class LayerOut(Schema):
    code: str
    kind: str
    name: str
    name_ar: str
    name_en: str
    binding_version: int | None = Field(description="the number of the version binding now")
    versions: list[VersionOut] = Field(description="the versions the reader reads, newest first")

    @staticmethod
    def resolve_name(obj):
        return obj.text("name")

    @staticmethod
    def resolve_binding_version(obj):
        return obj.current.number if obj.current else None

    @staticmethod
    def resolve_versions(obj):
        return obj.shown


@router.get(
    "/layers",
    response=reading(list[LayerOut]),
    summary="The committee's layers and their versions, as far as the reader may read them",
)
def layers(request):
    return queries.layers(reader(request))


@router.get("/layers/{layer}", response=reading(LayerOut), summary="One layer and its versions")
def layer(request, layer: LayerCode):
    return queries.layer(reader(request), layer)


PROPOSE = (
    "The body is the version's GeoJSON (RFC 7946): a FeatureCollection of the geometry its kind is drawn with "
    "(Polygon or MultiPolygon for an area, LineString or MultiLineString for a line, Point or MultiPoint for points); "
    "a feature may carry `name_ar` and `name_en` in its properties. The rest is in the query: `kind` and `name_ar`/"
    "`name_en` start a new layer; `within_km` (a line or points: how near counts, 1 by default), `effective_from` (the "
    "day it binds from, once every party approves; else from that moment), `note_ar`, `note_en`, `source`. "
    "Invalid geometry answers 422 naming the fault's place (`geojson.features[0].geometry.coordinates[0]`) and "
    "writes nothing. A party's version is its party's approval; it binds once every party approves."
)


@router.post(
    "/layers/{layer}/versions",
    response=writing(VersionOut, 201),
    summary="Put forward a version of a layer",
    description=PROPOSE,
    openapi_extra={
        "requestBody": {
            "content": {GEOJSON: {"schema": {"type": "object"}}, "application/json": {"schema": {"type": "object"}}}
        }
    },
)
def propose_version(
    request,
    layer: LayerCode,
    kind: Annotated[str | None, Query(description=" | ".join(Kind.values))] = None,
    name_ar: Query[str | None] = None,
    name_en: Query[str | None] = None,
    within_km: Query[str | None] = None,
    effective_from: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    note_ar: Query[str | None] = None,
    note_en: Query[str | None] = None,
    source: Query[str | None] = None,
):
    data = {
        "layer": layer,
        "kind": kind,
        "name_ar": name_ar,
        "name_en": name_en,
        "within_km": within_km,
        "effective_from": effective_from,
        "note_ar": note_ar,
        "note_en": note_en,
        "source": source,
        "geojson": request.body,
    }
    return Status(201, commands.propose_version(request.auth, data))


@router.get(
    "/layers/{layer}/versions/{number}",
    response=reading(dict),
    summary="A version of a layer as GeoJSON (application/geo+json)",
    description="A FeatureCollection; its foreign members say which layer and version it is and whether it binds.",
)
def version_geojson(request, layer: LayerCode, number: Number):
    return HttpResponse(
        json.dumps(queries.as_geojson(queries.version(reader(request), layer, number)), ensure_ascii=False),
        content_type=GEOJSON,
    )


@router.post(
    "/layers/{layer}/versions/{number}/positions",
    response=writing(VersionOut),
    summary="The position of the caller's party on a version, given by whoever speaks for it",
)
def take_layer_position(request, layer: LayerCode, number: Number, payload: PositionIn):
    version = queries.version(request.auth, layer, number)
    return commands.take_position(request.auth, version.id, payload.data())

"""Roads, border crossings and air routes, each with its status over time as the committee agreed
it and, for the parties, the statuses put forward side by side; the incidents on each; the borders
with the neighbouring states; and the exports for the neighbours' liaison committees. What each
reader reads is ceasefire.audience's to say."""

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from ceasefire import audience
from ceasefire.errors import Forbidden
from ceasefire.mechanism.commands import get
from ceasefire.routes import commands, queries, share
from ceasefire.routes.models import Route, Shared, StatusClaim

from ..auth import PUBLIC, reader
from ..common import Errors, Id, reading, writing
from ..schemas import In, doc
from ..track import PartyPositionOut, PositionIn

router = Router(tags=["routes"])


class RouteIn(In):
    kind: str | None = doc("road, crossing or air_route")
    name: str | None = doc()
    name_ar: str | None = doc()
    name_en: str | None = doc()
    aliases: list | None = doc('what reports call it ("the coastal road"): a report naming one is on the route')
    places: list | None = doc("gazetteer place ids in order along it (GET /api/v1/places); a crossing: one")
    neighbour: str | None = doc("a crossing's neighbour: tunisia, algeria, niger, chad, sudan or egypt")
    layer: str | None = doc("the code of the committee's layer drawing it, if there is one")
    within_km: float | int | str | None = doc("how near a report must lie to be on it (default 2; a crossing 5)")
    source: str | None = doc()


class SourcedIn(In):
    source: str | None = doc("the public source that reports the committee ordering this status")


class ClaimIn(In):
    status: str | None = doc("open, restricted or closed")
    since: str | None = doc("YYYY-MM-DD")
    conditions: str | None = doc('e.g. "no military convoys; official delegations coordinate in advance"')
    conditions_ar: str | None = doc()
    conditions_en: str | None = doc()
    ordered_by: str | None = doc("who ordered it")
    ordered_by_ar: str | None = doc()
    ordered_by_en: str | None = doc()
    source: str | None = doc()
    agreed_per_source: SourcedIn | None = doc(
        "the facilitator only, for a day passed: the committee's according to the public source cited"
    )


class ShareIn(In):
    recipient: str | None = doc("chad, niger or sudan: whose liaison committee receives it")
    format: str | None = doc("json (default) or csv")


class ClaimOut(Schema):
    id: int
    route: int = Field(alias="route_id")
    party: str | None = Field(description="who put it forward; null: the facilitator, or not the reader's to read")
    status: str
    since: dt.date
    conditions: str
    conditions_ar: str
    conditions_en: str
    ordered_by: str
    source: str
    agreed: bool = Field(
        description="the committee's status: every party approved it, or a source says the committee ordered it"
    )
    agreed_through: str = Field(description="positions, or source; empty while not agreed")
    agreed_source: str
    positions: list[PartyPositionOut] | None = Field(description="each party's position; null outside the parties")
    waiting_for: list[str] | None

    @staticmethod
    def resolve_party(obj, context):
        return obj.party_id if audience.reads(reader(context["request"]), "route_status") else None

    @staticmethod
    def resolve_conditions(obj):
        return obj.text("conditions")

    @staticmethod
    def resolve_ordered_by(obj):
        return obj.text("ordered_by")

    @staticmethod
    def resolve_positions(obj, context):
        if not audience.reads(reader(context["request"]), "route_status", "positions"):
            return None
        return list(obj.positions.all())

    @staticmethod
    def resolve_waiting_for(obj, context):
        if not audience.reads(reader(context["request"]), "route_status"):
            return None
        return commands.waiting_for(obj)


class IncidentOut(Schema):
    reference: str
    occurred_at: dt.datetime
    category: str = Field(alias="category_id")
    status: str
    title: str

    @staticmethod
    def resolve_title(obj):
        return obj.text("title")


class RouteOut(Schema):
    id: int
    reference: str
    kind: str
    name: str
    name_ar: str
    name_en: str
    aliases: list[str]
    places: list[str]
    neighbour: str
    layer: str
    within_km: float
    source: str
    geometry: dict = Field(description="GeoJSON: a Point (a crossing) or the LineString through its places")
    status: ClaimOut | None = Field(description="the committee's status today; null when none, or not the reader's")
    statuses: list[ClaimOut] | None = Field(
        description="every status the reader reads, newest first: parties every one put forward (side by side); "
        "observers the committee's; null for the public"
    )

    @staticmethod
    def resolve_name(obj):
        return obj.text("name")

    @staticmethod
    def resolve_geometry(obj):
        return queries.geometry(obj)

    @staticmethod
    def resolve_status(obj, context):
        return queries.current(reader(context["request"]), obj)

    @staticmethod
    def resolve_statuses(obj, context):
        return queries.claims(reader(context["request"]), obj)


class BorderOut(Schema):
    neighbour: str
    name: str
    liaison: bool = Field(description="its liaison committee exchanges data with the committee")
    crossings: list[RouteOut]
    incidents: list[IncidentOut] = Field(description="the reports the caller reads near its crossings")
    near_border: list[IncidentOut] = Field(
        description="the reports the caller reads within the deployment's BORDER_KM (50 km unless set) of the land border"
    )


class SharedOut(Schema):
    id: int
    recipient: str
    sha256: str
    format: str
    checkpoint: int
    root: str
    made_at: dt.datetime


@router.get("/routes", auth=PUBLIC, response=reading(list[RouteOut]), summary="Roads, crossings and air routes")
def routes(request):
    return list(Route.objects.all())


@router.post(
    "/routes", response=writing(RouteOut, 201), summary="Record a road, a crossing or an air route (the facilitator)"
)
def record_route(request, payload: RouteIn):
    return Status(201, commands.record_route(request.auth, payload.data()))


@router.get("/routes/{route_id}", auth=PUBLIC, response=reading(RouteOut))
def route(request, route_id: Id):
    return get(Route, route_id, "route")


@router.get(
    "/routes/{route_id}/incidents",
    auth=PUBLIC,
    response=reading(list[IncidentOut]),
    summary="The reports on the route, or naming it, that the reader may read",
)
def route_incidents(request, route_id: Id):
    return queries.incidents(reader(request), get(Route, route_id, "route"))


@router.post(
    "/routes/{route_id}/statuses",
    response=writing(ClaimOut, 201),
    summary="Put forward the route's status (a party's claim is its approval; every party's makes it the committee's)",
)
def claim_status(request, route_id: Id, payload: ClaimIn):
    return Status(201, commands.claim_status(request.auth, route_id, payload.data()))


@router.get("/route-statuses/{claim_id}", response=reading(ClaimOut))
def route_status(request, claim_id: Id):
    found = get(StatusClaim, claim_id, "claim")
    who = reader(request)
    if not (audience.reads(who, "route_status") or (found.agreed and audience.reads(who, "route_status", "agreed"))):
        from ceasefire.errors import NotFound

        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": "claim", "value": claim_id}, "claim")
    return found


@router.post(
    "/route-statuses/{claim_id}/positions",
    response=writing(ClaimOut),
    summary="The caller's party's position on a route's status",
)
def take_route_position(request, claim_id: Id, payload: PositionIn):
    return commands.take_position(request.auth, claim_id, payload.data())


@router.get(
    "/borders",
    auth=PUBLIC,
    response=reading(list[BorderOut]),
    summary="Each neighbour: its crossings and the incidents near them and near its land border",
)
def borders(request):
    return queries.borders(reader(request))


@router.get(
    "/borders/exports",
    response=reading(list[SharedOut]),
    summary="The exports made for the neighbours' liaison committees",
)
def liaison_exports(request):
    if not audience.reads(reader(request), "data_shared"):
        raise Forbidden(_("The exports are read by the parties and the observers."))
    return list(Shared.objects.all())


@router.post(
    "/borders/exports",
    response={200: None, **{k: Errors for k in (400, 401, 403, 404, 409, 422)}},
    summary="Make the export for a neighbour's liaison committee (the facilitator), recorded in the record",
    description="Only what the committee agreed and shares with observers (docs/liaison-export.md). The entry "
    "routes.data_shared names the file's SHA-256 (also in the X-Ceasefire-SHA256 header), the recipient and "
    "the checkpoint it was read at.",
)
def share_export(request, payload: ShareIn):
    blob, shared = share.share(request.auth, payload.data())
    kind = "application/json" if shared.format == "json" else "text/csv; charset=utf-8"
    response = HttpResponse(blob, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="liaison-{shared.recipient}-{shared.checkpoint}.{shared.format}"'
    )
    response["X-Ceasefire-SHA256"] = shared.sha256
    return response

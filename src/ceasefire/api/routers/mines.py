"""Mine action: contaminated areas and the clearance reports on them, each a claim with its source,
side by side, and verified through the chain. What each reader reads is ceasefire.audience's to say."""

import datetime as dt

from ninja import Router, Schema, Status
from pydantic import Field

from ceasefire import audience
from ceasefire.mechanism.models import in_language
from ceasefire.mines import commands
from ceasefire.mines import verification as verifying
from ceasefire.mines.models import Area

from ..auth import reader
from ..common import Id, readable, reading, writing
from ..schemas import In, ReportOut, doc
from ..track import PlaceFields, PlaceOut, VerificationIn, VerificationOut, place, verified

router = Router(tags=["mines"])


class AreaIn(PlaceFields):
    name: str | None = doc()
    name_ar: str | None = doc()
    name_en: str | None = doc()
    description: str | None = doc()
    description_ar: str | None = doc()
    description_en: str | None = doc()
    source: str | None = doc()


class ClearanceIn(In):
    status: str | None = doc("partly or cleared")
    as_of: str | None = doc("YYYY-MM-DD")
    extent: str | None = doc('what the source says was cleared ("120 km, 7.5 t of explosive remnants")')
    extent_ar: str | None = doc()
    extent_en: str | None = doc()
    source: str | None = doc()


class ClearanceOut(Schema):
    id: int
    reference: str
    status: str
    as_of: dt.date
    extent: str
    source: str
    claimed_by: str | None = Field(alias="claimed_by_id", description="the party that claims it; null: the mission")
    verification: VerificationOut = Field(description="verified is 1 once the chain concluded its findings")
    may_request_verification: bool

    @staticmethod
    def resolve_extent(obj):
        return in_language(obj, "extent")

    resolve_verification, resolve_may_request_verification = verified(verifying.of, commands.verification_refusal)


class AreaOut(Schema):
    id: int
    reference: str
    name: str
    place: PlaceOut
    description: str
    source: str
    clearances: list[ClearanceOut] = Field(description="clearance reports, newest first, side by side")

    resolve_place = staticmethod(place)

    @staticmethod
    def resolve_name(obj):
        return obj.text("name")

    @staticmethod
    def resolve_description(obj):
        return in_language(obj, "description")

    @staticmethod
    def resolve_clearances(obj):
        return list(obj.clearances.all())


@router.get("/mine-areas", response=reading(list[AreaOut]), summary="Contaminated areas and their clearance reports")
def areas(request):
    return list(audience.rows(reader(request), "mine_area", Area.objects.all()))


@router.post("/mine-areas", response=writing(AreaOut, 201), summary="Record a contaminated area")
def record_area(request, payload: AreaIn):
    return Status(201, commands.record_area(request.auth, payload.data()))


@router.get("/mine-areas/{area_id}", response=reading(AreaOut))
def area(request, area_id: Id):
    return readable(request, "mine_area", Area, area_id, "area")


@router.post("/mine-areas/{area_id}/clearances", response=writing(ClearanceOut, 201), summary="Report a clearance")
def report_clearance(request, area_id: Id, payload: ClearanceIn):
    return Status(201, commands.report_clearance(request.auth, area_id, payload.data()))


@router.post(
    "/clearances/{clearance_id}/verification",
    response=writing(ReportOut, 201),
    summary="Ask the chain to verify a clearance report",
)
def request_clearance_verification(request, clearance_id: Id, payload: VerificationIn):
    return Status(201, commands.request_verification(request.auth, clearance_id, payload.data()))

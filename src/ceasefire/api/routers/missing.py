"""Missing-person cases: for the parties, when and where the person was last seen, the
circumstances, the source and the statuses claimed side by side with each party's position; for
observers, the committee's statuses alone (case, status, day); nothing for the public. Who the
person is never leaves the vault: no answer here carries it. What each reader reads is
ceasefire.audience's to say (missing.queries)."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from ceasefire.errors import NotFound
from ceasefire.mechanism.commands import get
from ceasefire.mechanism.models import in_language
from ceasefire.missing import commands, queries
from ceasefire.missing.models import Case

from ..auth import reader
from ..common import Id, reading, writing
from ..schemas import In, doc
from ..track import Informant, PartyPositionOut, PlaceFields, PlaceOut, PositionIn, place

router = Router(tags=["missing persons"])


class CaseIn(PlaceFields):
    missing_since: str | None = doc("YYYY-MM-DD: the day the person went missing")
    circumstances: str | None = doc("how they went missing, as the source tells it")
    circumstances_ar: str | None = doc()
    circumstances_en: str | None = doc()
    source: str | None = doc()
    identity: Informant | None = doc("who they are (name required): kept in the vault, the facilitator's only")


class ClaimIn(In):
    status: str | None = doc("missing, located_alive, found_dead, released or closed")
    as_of: str | None = doc("YYYY-MM-DD")
    exchange: int | str | None = doc("a release: the id of the recorded detainee exchange it came in")
    note: str | None = doc()
    note_ar: str | None = doc()
    note_en: str | None = doc()
    source: str | None = doc()


class AgreedOut(Schema):
    """What observers read of a case: the committee's status and its day, nothing else."""

    claim: int = Field(alias="id")
    status: str
    as_of: dt.date


class ClaimOut(Schema):
    id: int
    status: str
    as_of: dt.date
    exchange: int | None
    note: str
    note_ar: str
    note_en: str
    source: str
    claimed_by: str | None = Field(alias="claimed_by_id", description="the party that claims it; null: the mission")
    agreed: bool = Field(description="the committee's status: every party approved it")
    positions: list[PartyPositionOut]
    waiting_for: list[str]

    @staticmethod
    def resolve_note(obj):
        return in_language(obj, "note")

    @staticmethod
    def resolve_positions(obj):
        return list(obj.positions.all())

    @staticmethod
    def resolve_waiting_for(obj):
        return commands.waiting_for(obj)


class DetailsOut(Schema):
    """What the parties read of a case besides its statuses."""

    missing_since: dt.date
    place: PlaceOut
    circumstances: str
    circumstances_ar: str
    circumstances_en: str
    source: str
    opened_by: str | None = Field(alias="opened_by_id", description="the party whose delegation opened it")
    commitment: str = Field(description="the commitment to the person's identity; the identity is in the vault")
    claims: list[ClaimOut] = Field(description="every status claimed, newest first, side by side")

    resolve_place = staticmethod(place)

    @staticmethod
    def resolve_circumstances(obj):
        return in_language(obj, "circumstances")

    @staticmethod
    def resolve_claims(obj, context):
        return queries.claims(reader(context["request"]), obj)


class CaseOut(Schema):
    id: int
    reference: str
    status: AgreedOut | None = Field(description="the committee's status now; null while none is agreed")
    agreed: list[AgreedOut] = Field(description="the committee's statuses, newest first")
    details: DetailsOut | None = Field(description="the case as the parties read it; null for observers")

    @staticmethod
    def resolve_status(obj, context):
        return queries.current(reader(context["request"]), obj)

    @staticmethod
    def resolve_agreed(obj, context):
        return queries.agreed(reader(context["request"]), obj)

    @staticmethod
    def resolve_details(obj, context):
        return obj if queries.reads_cases(reader(context["request"])) else None


@router.get(
    "/missing",
    response=reading(list[CaseOut]),
    summary="Missing-person cases: the parties' every case; observers' the committee's statuses",
)
def cases(request):
    return queries.cases(reader(request))


@router.post(
    "/missing",
    response=writing(CaseOut, 201),
    summary="Open a missing-person case: the identity to the vault, its commitment to the record",
)
def open_case(request, payload: CaseIn):
    return Status(201, commands.open_case(request.auth, payload.data()))


@router.get("/missing/{case_id}", response=reading(CaseOut))
def case(request, case_id: Id):
    found = get(Case, case_id, "case")
    if not queries.readable(reader(request), found):
        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": "case", "value": case_id}, "case")
    return found


@router.post(
    "/missing/{case_id}/statuses",
    response=writing(ClaimOut, 201),
    summary="Claim a case's status (a speaker's claim is its party's approval; every party's makes it the committee's)",
)
def claim_missing_status(request, case_id: Id, payload: ClaimIn):
    return Status(201, commands.claim_status(request.auth, case_id, payload.data()))


@router.post(
    "/missing/statuses/{claim_id}/positions",
    response=writing(ClaimOut),
    summary="The caller's party's position on a missing person's status",
)
def take_missing_position(request, claim_id: Id, payload: PositionIn):
    return commands.take_position(request.auth, claim_id, payload.data())

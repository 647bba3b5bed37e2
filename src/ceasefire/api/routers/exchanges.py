"""Detainee exchanges: when and where, the mediators, the numbers each side released as each
claimant claims them (side by side) and as a joint team verified them through the chain; people
exchanged only as commitments, their identities in the vault. What each reader reads is
ceasefire.audience's to say."""

import datetime as dt

from ninja import Router, Schema, Status
from pydantic import Field

from ceasefire import audience
from ceasefire.exchanges import commands
from ceasefire.exchanges import verification as verifying
from ceasefire.exchanges.models import Exchange
from ceasefire.mechanism.models import in_language

from ..auth import reader
from ..common import Id, readable, reading, writing
from ..schemas import In, ReportOut, doc
from ..track import Informant, PlaceFields, PlaceOut, VerificationIn, VerificationOut, place, verified

router = Router(tags=["exchanges"])


class ExchangeIn(PlaceFields):
    happened_on: str | None = doc("YYYY-MM-DD")
    mediators: str | None = doc("elders, the ICRC, the Libyan Red Crescent...")
    mediators_ar: str | None = doc()
    mediators_en: str | None = doc()
    source: str | None = doc()


class NumbersIn(In):
    released: dict | None = doc('how many each side released, by party code: {"west": 15, "east": 33}')
    total: int | str | None = doc("the total, when the source gives no split (or their sum)")
    source: str | None = doc()


class PersonIn(In):
    released_by: str | None = doc("the party whose side released them")
    identity: Informant | None = doc("who they are: kept in the vault, the facilitator's only")


class NumbersOut(Schema):
    id: int
    released: dict
    total: int | None
    source: str
    claimed_by: str | None = Field(alias="claimed_by_id", description="the party that claims it; null: the mission")


class PersonOut(Schema):
    id: int
    released_by: str = Field(alias="released_by_id")
    commitment: str


class ExchangeOut(Schema):
    id: int
    reference: str
    happened_on: dt.date
    place: PlaceOut
    mediators: str
    source: str
    numbers: list[NumbersOut] = Field(description="the numbers each claimant claims, side by side, never merged")
    people: list[PersonOut] | None = Field(description="people exchanged, as commitments; null outside the parties")
    verification: VerificationOut
    may_request_verification: bool

    resolve_place = staticmethod(place)

    @staticmethod
    def resolve_mediators(obj):
        return in_language(obj, "mediators")

    @staticmethod
    def resolve_numbers(obj):
        return list(obj.numbers.all())

    @staticmethod
    def resolve_people(obj, context):
        return list(obj.people.all()) if audience.reads(reader(context["request"]), "exchange_person") else None

    resolve_verification, resolve_may_request_verification = verified(verifying.of, commands.verification_refusal)


@router.get(
    "/exchanges",
    response=reading(list[ExchangeOut]),
    summary="Detainee exchanges, with the numbers claimed and verified",
)
def exchanges(request):
    return list(audience.rows(reader(request), "exchange", Exchange.objects.all()))


@router.post("/exchanges", response=writing(ExchangeOut, 201), summary="Record a detainee exchange")
def record_exchange(request, payload: ExchangeIn):
    return Status(201, commands.record_exchange(request.auth, payload.data()))


@router.get("/exchanges/{exchange_id}", response=reading(ExchangeOut))
def exchange(request, exchange_id: Id):
    return readable(request, "exchange", Exchange, exchange_id, "exchange")


@router.post(
    "/exchanges/{exchange_id}/numbers",
    response=writing(NumbersOut, 201),
    summary="Claim how many each side released, with its source",
)
def claim_numbers(request, exchange_id: Id, payload: NumbersIn):
    return Status(201, commands.claim_numbers(request.auth, exchange_id, payload.data()))


@router.post(
    "/exchanges/{exchange_id}/people",
    response=writing(PersonOut, 201),
    summary="Record a person exchanged (the facilitator): the identity to the vault, its commitment to the record",
)
def record_person(request, exchange_id: Id, payload: PersonIn):
    return Status(201, commands.record_person(request.auth, exchange_id, payload.data()))


@router.post(
    "/exchanges/{exchange_id}/verification",
    response=writing(ReportOut, 201),
    summary="Ask the chain to verify an exchange: a report whose subject is the exchange, with a joint team",
)
def request_exchange_verification(request, exchange_id: Id, payload: VerificationIn):
    return Status(201, commands.request_verification(request.auth, exchange_id, payload.data()))

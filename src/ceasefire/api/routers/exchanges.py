"""Detainee exchanges: when and where, the mediators, the numbers each side released as each
claimant claims them (side by side) and as a joint team verified them through the chain; people
exchanged only as commitments, their identities in the vault. What each reader reads is
ceasefire.audience's to say."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from ceasefire import audience
from ceasefire.errors import NotFound
from ceasefire.exchanges import commands, verification
from ceasefire.exchanges.models import Exchange
from ceasefire.mechanism.commands import get
from ceasefire.mechanism.models import in_language

from ..auth import reader
from ..common import Id, reading, writing
from ..schemas import In, ReportOut, doc
from .forces import Informant, PlaceFields, PlaceOut, VerificationIn, VerificationOut, _place

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

    resolve_place = staticmethod(_place)

    @staticmethod
    def resolve_mediators(obj):
        return in_language(obj, "mediators")

    @staticmethod
    def resolve_numbers(obj):
        return list(obj.numbers.all())

    @staticmethod
    def resolve_people(obj, context):
        return list(obj.people.all()) if audience.reads(reader(context["request"]), "exchange_person") else None

    @staticmethod
    def resolve_verification(obj, context):
        found = verification.of(obj, reader(context["request"]))
        return {
            "report": found.report.reference if found.report else None,
            "report_id": found.report.id if found.report else None,
            "status": found.status,
            "verified": found.verified,
        }

    @staticmethod
    def resolve_may_request_verification(obj, context):
        return commands.verification_refusal(reader(context["request"]), obj) is None


def _readable(request, pk) -> Exchange:
    found = get(Exchange, pk, "exchange")
    if not audience.reads(reader(request), "exchange"):
        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": "exchange", "value": pk}, "exchange")
    return found


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
    return _readable(request, exchange_id)


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

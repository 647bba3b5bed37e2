"""What the routers of the military track (forces, exchanges, mines, routes) share: a claim's place,
an informant for the vault, a subject's verification through the chain, a party's position."""

from ninja import Schema
from pydantic import Field

from ceasefire.mechanism.models import in_language

from .auth import reader
from .schemas import In, doc


class PlaceFields(In):
    place: str | None = doc("a place of the gazetteer, by its id (GET /api/v1/places)")
    place_name: str | None = doc("the place's name, when it is not in the gazetteer")
    place_name_ar: str | None = doc()
    place_name_en: str | None = doc()


class Informant(In):
    name: str | None = None
    contact: str | None = None
    relation: str | None = None
    note: str | None = None


class VerificationIn(In):
    category: str | None = doc("the typology's category to file it under; foreign-forces by default")
    note: str | None = doc()
    note_ar: str | None = doc()
    note_en: str | None = doc()


class PositionIn(In):
    position: str | None = doc("approve, object or abstain")
    reason: str | None = doc()
    reason_ar: str | None = doc()
    reason_en: str | None = doc()


class PlaceOut(Schema):
    id: str
    name: str
    name_ar: str
    name_en: str
    latitude: float | None
    longitude: float | None


def place(obj) -> dict:
    """A claim's place (forces.models.Place) as PlaceOut: `resolve_place = staticmethod(place)`."""
    return {
        "id": obj.place_id,
        "name": in_language(obj, "place"),
        "name_ar": obj.place_ar,
        "name_en": obj.place_en,
        "latitude": obj.latitude,
        "longitude": obj.longitude,
    }


class VerificationOut(Schema):
    # A subject's verification (incidents.verifying.Verification) as its reader may read it.
    report: str | None = Field(description="the verification report's reference (R-...), when the reader may read it")
    report_id: int | None
    status: str = Field(description="the report's stage in the chain; empty while none was asked for")
    verified: int | None = Field(description="how many the joint team counted, once its findings are concluded")

    @staticmethod
    def resolve_report(obj):
        return obj.report.reference if obj.report else None

    @staticmethod
    def resolve_report_id(obj):
        return obj.report.id if obj.report else None


def verified(of, refusal) -> tuple:
    """The resolvers of a subject's `verification` (VerificationOut) and `may_request_verification`,
    from its app's `verification.of` and `commands.verification_refusal`:
    `resolve_verification, resolve_may_request_verification = verified(...)`."""

    def verification(obj, context):
        return of(obj, reader(context["request"]))

    def may_request(obj, context):
        return refusal(reader(context["request"]), obj) is None

    return staticmethod(verification), staticmethod(may_request)


class PartyPositionOut(Schema):
    party: str = Field(alias="party_id")
    position: str
    reason: str

    @staticmethod
    def resolve_reason(obj):
        return in_language(obj, "reason")

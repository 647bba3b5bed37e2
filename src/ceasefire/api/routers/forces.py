"""Foreign forces, mercenaries and foreign fighters: the register (claims with their sources), the
withdrawal plan and its stages, departures and their verification through the chain, and the
withdrawal's progress. What each reader reads is ceasefire.audience's to say."""

import datetime as dt
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from ceasefire import audience
from ceasefire.forces import commands, queries
from ceasefire.forces import verification as verifying
from ceasefire.forces.models import Departure, Group, Imbalance, Plan, Stage
from ceasefire.mechanism.commands import get
from ceasefire.mechanism.models import in_language

from ..auth import PUBLIC, reader
from ..common import Id, readable, reading, writing
from ..schemas import In, ReportOut, doc
from ..track import (
    Informant,
    PartyPositionOut,
    PlaceFields,
    PlaceOut,
    PositionIn,
    VerificationIn,
    VerificationOut,
    place,
    verified,
)

router = Router(tags=["forces"])

Count = Any  # a whole number; the command says which field is wrong and why


# ---------------------------------------------------------------- input


class GroupIn(In):
    kind: str | None = doc("state_force, pmc, mercenaries or foreign_fighters")
    name: str | None = doc()
    name_ar: str | None = doc()
    name_en: str | None = doc()
    origin: str | None = doc("the state, or the fighters' country of origin")
    origin_ar: str | None = doc()
    origin_en: str | None = doc()
    affiliation: str | None = doc("claimed: whom it fights with")
    affiliation_ar: str | None = doc()
    affiliation_en: str | None = doc()
    sponsor: str | None = doc("claimed: who pays or sends it")
    sponsor_ar: str | None = doc()
    sponsor_en: str | None = doc()
    source: str | None = doc("where the claim comes from (a link, a document)")


class PresenceIn(PlaceFields):
    from_on: str | None = doc("YYYY-MM-DD")
    until_on: str | None = doc("YYYY-MM-DD; leave out while still there")
    low: Count = doc("the lowest strength claimed")
    best: Count = doc("the best estimate")
    high: Count = doc("the highest strength claimed")
    as_of: str | None = doc("the day the strength is claimed for (YYYY-MM-DD); from_on by default")
    confidence: str | None = doc("low, medium or high: the source's")
    source: str | None = doc()
    informant: Informant | None = doc(
        "who gave it: kept in the vault, the facilitator's only; the record holds a commitment"
    )


class DepartureIn(PlaceFields):
    claimed: Count = doc("how many left, as claimed")
    departed_on: str | None = doc("YYYY-MM-DD")
    destination: str | None = doc()
    destination_ar: str | None = doc()
    destination_en: str | None = doc()
    confidence: str | None = doc("low, medium or high")
    source: str | None = doc()
    informant: Informant | None = doc("who gave it: kept in the vault")


class PlanIn(In):
    title: str | None = doc()
    title_ar: str | None = doc()
    title_en: str | None = doc()
    agreed_on: str | None = doc("YYYY-MM-DD")
    principles: str | None = doc()
    principles_ar: str | None = doc()
    principles_en: str | None = doc()
    source: str | None = doc()


class StageIn(In):
    title: str | None = doc()
    title_ar: str | None = doc()
    title_en: str | None = doc()
    conditions: str | None = doc()
    conditions_ar: str | None = doc()
    conditions_en: str | None = doc()
    source: str | None = doc()


class SideIn(In):
    complete: bool | None = doc("whether the caller's party's side of the stage is complete")
    as_of: str | None = doc("YYYY-MM-DD")
    note: str | None = doc()
    note_ar: str | None = doc()
    note_en: str | None = doc()
    source: str | None = doc()
    party: str | None = doc("the caller's own party, if given: a party speaks for its own side only")


class ImbalanceIn(In):
    text: str | None = doc("what the imbalance between the sides is, and why the committee records the stage complete")
    text_ar: str | None = doc()
    text_en: str | None = doc()


# ---------------------------------------------------------------- output


class PresenceOut(Schema):
    id: int
    group: int = Field(alias="group_id")
    place: PlaceOut
    from_on: dt.date
    until_on: dt.date | None
    low: int | None
    best: int | None
    high: int | None
    as_of: dt.date
    confidence: str
    source: str
    claimed_by: str | None = Field(alias="claimed_by_id", description="the party that claims it; null: the mission")
    informant: bool = Field(description="an informant's identity is in the vault (the facilitator's only)")

    resolve_place = staticmethod(place)

    @staticmethod
    def resolve_informant(obj):
        return bool(obj.source_commitment)


class DepartureOut(Schema):
    id: int
    reference: str
    group: int = Field(alias="group_id")
    group_name: str
    claimed: int
    departed_on: dt.date
    exit_point: PlaceOut
    destination: str
    confidence: str
    source: str
    claimed_by: str | None = Field(alias="claimed_by_id")
    informant: bool
    verification: VerificationOut
    may_request_verification: bool

    resolve_exit_point = staticmethod(place)

    @staticmethod
    def resolve_group_name(obj):
        return obj.group.text("name")

    @staticmethod
    def resolve_destination(obj):
        return in_language(obj, "destination")

    @staticmethod
    def resolve_informant(obj):
        return bool(obj.source_commitment)

    resolve_verification, resolve_may_request_verification = verified(verifying.of, commands.verification_refusal)


class GroupOut(Schema):
    id: int
    reference: str
    kind: str
    name: str
    name_ar: str
    name_en: str
    origin: str
    affiliation: str = Field(description="claimed")
    sponsor: str = Field(description="claimed")
    source: str
    claimed_by: str | None = Field(alias="claimed_by_id", description="the party that claims it; null: the mission")
    recorded_at: dt.datetime
    presence: list[PresenceOut] | None = Field(
        description="claims of presence and strength, side by side; null for observers"
    )
    departures: list[DepartureOut]

    @staticmethod
    def resolve_name(obj):
        return obj.text("name")

    @staticmethod
    def resolve_origin(obj):
        return obj.text("origin")

    @staticmethod
    def resolve_affiliation(obj):
        return obj.text("affiliation")

    @staticmethod
    def resolve_sponsor(obj):
        return obj.text("sponsor")

    @staticmethod
    def resolve_presence(obj, context):
        if not audience.reads(reader(context["request"]), "presence"):
            return None
        return list(obj.presence.all())

    @staticmethod
    def resolve_departures(obj):
        return list(obj.departures.all())


class SideOut(Schema):
    party: str = Field(alias="party_id")
    complete: bool
    as_of: dt.date
    note: str
    source: str

    @staticmethod
    def resolve_note(obj):
        return in_language(obj, "note")


class ImbalanceOut(Schema):
    id: int
    stage: int = Field(alias="stage_id")
    party: str | None = Field(alias="party_id", description="who proposed it; null: the facilitator")
    text: str
    text_ar: str
    text_en: str
    recorded: bool = Field(
        description="every party approved: the committee recorded the stage complete with this imbalance"
    )
    positions: list[PartyPositionOut]
    waiting_for: list[str]

    @staticmethod
    def resolve_text(obj):
        return obj.text("text")

    @staticmethod
    def resolve_positions(obj):
        return list(obj.positions.all())

    @staticmethod
    def resolve_waiting_for(obj):
        return commands.imbalance_waiting_for(obj)


class StageOut(Schema):
    id: int
    plan: int = Field(alias="plan_id")
    order: int
    title: str
    title_ar: str
    title_en: str
    conditions: str
    conditions_ar: str
    conditions_en: str
    source: str
    status: str | None = Field(
        description="pending, in_progress (one side only), complete (every side) or imbalance "
        "(the committee recorded it by consensus); null for the public"
    )
    sides: list[SideOut] | None = Field(description="each party's word on its own side; null outside the parties")
    imbalances: list[ImbalanceOut] | None = Field(
        description="proposals to record an imbalance; null outside the parties"
    )
    waiting_for: list[str] | None

    @staticmethod
    def resolve_title(obj):
        return obj.text("title")

    @staticmethod
    def resolve_conditions(obj):
        return obj.text("conditions")

    @staticmethod
    def resolve_status(obj, context):
        return queries.stage_status(reader(context["request"]), obj)

    @staticmethod
    def resolve_sides(obj, context):
        return list(obj.sides.all()) if audience.reads(reader(context["request"]), "stage", "sides") else None

    @staticmethod
    def resolve_imbalances(obj, context):
        return list(obj.imbalances.all()) if audience.reads(reader(context["request"]), "imbalance") else None

    @staticmethod
    def resolve_waiting_for(obj, context):
        return commands.waiting_for(obj) if audience.reads(reader(context["request"]), "stage", "sides") else None


class PlanOut(Schema):
    id: int
    title: str
    title_ar: str
    title_en: str
    agreed_on: dt.date | None
    principles: str
    source: str
    stages: list[StageOut]

    @staticmethod
    def resolve_title(obj):
        return obj.text("title")

    @staticmethod
    def resolve_principles(obj):
        return obj.text("principles")

    @staticmethod
    def resolve_stages(obj):
        return list(obj.stages.all())


class ClaimedOut(Schema):
    claimant: str | None = Field(description="the party that claimed; null for the mission (monitors, facilitator)")
    claimed: int = Field(description="people this claimant claims to have left")
    departures: int = Field(description="departures this claimant claimed")


class TallyOut(Schema):
    claims: list[ClaimedOut] = Field(
        description="what each claimant claims, side by side: rival claims of one departure are never summed"
    )
    verified: int = Field(description="people a joint team counted, in concluded verifications the reader may read")
    departures: int
    verified_departures: int


class GroupProgressOut(Schema):
    group: int
    name: str
    tally: TallyOut


class MilestoneOut(Schema):
    on: dt.date
    tally: TallyOut


class ProgressOut(Schema):
    on: dt.date
    overall: TallyOut
    groups: list[GroupProgressOut]
    over_time: list[MilestoneOut] = Field(description="by the end of each month with a departure, then today")


# ---------------------------------------------------------------- the register


@router.get(
    "/forces", response=reading(list[GroupOut]), summary="Foreign forces and groups registered, with their claims"
)
def groups(request):
    return list(audience.rows(reader(request), "force_group", Group.objects.all()))


@router.post("/forces", response=writing(GroupOut, 201), summary="Register a force or group said to be present")
def register_group(request, payload: GroupIn):
    return Status(201, commands.register_group(request.auth, payload.data()))


@router.get(
    "/forces/{group_id}",
    response=reading(GroupOut),
    summary="A group, its presence claims side by side, its departures",
)
def group(request, group_id: Id):
    return readable(request, "force_group", Group, group_id, "group")


@router.post(
    "/forces/{group_id}/presence",
    response=writing(PresenceOut, 201),
    summary="Claim a group's presence at a place and its strength (low / best / high), with its source",
)
def claim_presence(request, group_id: Id, payload: PresenceIn):
    return Status(201, commands.claim_presence(request.auth, group_id, payload.data()))


@router.post(
    "/forces/{group_id}/departures",
    response=writing(DepartureOut, 201),
    summary="Claim a departure of a group's people",
)
def claim_departure(request, group_id: Id, payload: DepartureIn):
    return Status(201, commands.claim_departure(request.auth, group_id, payload.data()))


# ---------------------------------------------------------------- departures


@router.get(
    "/departures", response=reading(list[DepartureOut]), summary="Departures as claimed, each with its verification"
)
def departures(request):
    return list(audience.rows(reader(request), "departure", Departure.objects.select_related("group")))


@router.get("/departures/{departure_id}", response=reading(DepartureOut))
def departure(request, departure_id: Id):
    return readable(request, "departure", Departure, departure_id, "departure")


@router.post(
    "/departures/{departure_id}/verification",
    response=writing(ReportOut, 201),
    summary="Ask the chain to verify a departure: a report whose subject is the departure, with a joint team",
)
def request_verification(request, departure_id: Id, payload: VerificationIn):
    return Status(201, commands.request_verification(request.auth, departure_id, payload.data()))


# ---------------------------------------------------------------- the withdrawal plan


@router.get(
    "/withdrawal/plans", auth=PUBLIC, response=reading(list[PlanOut]), summary="Withdrawal plans and their stages"
)
def plans(request):
    return list(Plan.objects.prefetch_related("stages"))


@router.post("/withdrawal/plans", response=writing(PlanOut, 201), summary="Record a withdrawal plan (the facilitator)")
def record_plan(request, payload: PlanIn):
    return Status(201, commands.record_plan(request.auth, payload.data()))


@router.get("/withdrawal/plans/{plan_id}", auth=PUBLIC, response=reading(PlanOut))
def plan(request, plan_id: Id):
    return get(Plan, plan_id, "plan")


@router.post(
    "/withdrawal/plans/{plan_id}/stages",
    response=writing(StageOut, 201),
    summary="Add a stage to a plan (the facilitator)",
)
def add_stage(request, plan_id: Id, payload: StageIn):
    return Status(201, commands.add_stage(request.auth, plan_id, payload.data()))


@router.get("/withdrawal/stages/{stage_id}", auth=PUBLIC, response=reading(StageOut))
def stage(request, stage_id: Id):
    return get(Stage, stage_id, "stage")


@router.post(
    "/withdrawal/stages/{stage_id}/sides",
    response=writing(StageOut),
    summary="The caller's party says whether its own side of the stage is complete",
)
def report_side(request, stage_id: Id, payload: SideIn):
    return commands.report_side(request.auth, stage_id, payload.data())


@router.post(
    "/withdrawal/stages/{stage_id}/imbalances",
    response=writing(ImbalanceOut, 201),
    summary="Propose that the committee record the stage complete despite an imbalance (every party must approve)",
)
def propose_imbalance(request, stage_id: Id, payload: ImbalanceIn):
    return Status(201, commands.propose_imbalance(request.auth, stage_id, payload.data()))


@router.get("/withdrawal/imbalances/{imbalance_id}", response=reading(ImbalanceOut))
def imbalance(request, imbalance_id: Id):
    return readable(request, "imbalance", Imbalance, imbalance_id, "imbalance")


@router.post(
    "/withdrawal/imbalances/{imbalance_id}/positions",
    response=writing(ImbalanceOut),
    summary="The caller's party's position on recording an imbalance",
)
def take_imbalance_position(request, imbalance_id: Id, payload: PositionIn):
    return commands.take_imbalance_position(request.auth, imbalance_id, payload.data())


@router.get(
    "/withdrawal/progress",
    response=reading(ProgressOut),
    summary="Departures claimed and verified, per group and overall, over time",
)
def progress(request):
    return queries.progress_out(reader(request))

"""What the API reads and writes.

Input: the fields each command takes, typed strictly (a string is a string, a number a number) and
no others, so that a typo is an error rather than silently ignored. Every field is optional here:
what is required, and every rule about the values, is the command's to say. A text given in two
scripts is `x_ar` / `x_en`, or `x` in either script. Dates are strings written YYYY-MM-DD.

Output: each object with its texts in both languages and, as `x`, in the reader's language
(Accept-Language, else Arabic).
"""

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from ceasefire import audience
from ceasefire.agreements import commands as agreement_commands
from ceasefire.agreements import queries as agreement_queries
from ceasefire.agreements.models import CommitteeRole, ConditionStatus, Kind, level
from ceasefire.mechanism import parity
from ceasefire.mechanism.commands import waiting_for
from ceasefire.mechanism.models import ActionStatus, Mechanism, Member, Role, in_language

from .auth import reader
from .common import BodyId

# ---------------------------------------------------------------- input


class In(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    def data(self) -> dict:
        """The fields the caller sent, as the command's data dict."""
        return self.model_dump(exclude_unset=True)


def doc(description: str = "", **kw) -> Any:
    """An optional field with its description."""
    return Field(None, description=description or None, **kw)


def date(description: str = "") -> Any:
    return Field(
        None,
        description=f"{description} (YYYY-MM-DD)" if description else "YYYY-MM-DD",
        json_schema_extra={"format": "date"},
        examples=["2020-10-23"],
    )


RoleName = Literal[tuple(Role.values)]
PositionName = Literal[parity.POSITIONS]
StatusName = Literal[tuple(ActionStatus.values)]
KindName = Literal[tuple(Kind.values)]
CommitteeRoleName = Literal[tuple(CommitteeRole.values)]


class PartyIn(In):
    code: str | None = doc("lower-case letters, digits and dashes", examples=["west"])
    name: str | None = doc()
    name_ar: str | None = doc()
    name_en: str | None = doc()
    seats: int | None = doc("seats the party holds; every party the same")
    quorum: int | None = doc("members needed present; a majority of its seats by default")


class MechanismIn(In):
    name: str | None = doc()
    name_ar: str | None = doc()
    name_en: str | None = doc()
    mandate: str | None = doc()
    mandate_ar: str | None = doc()
    mandate_en: str | None = doc()
    facilitator: str | None = doc("the facilitating body, e.g. UNSMIL")
    facilitator_ar: str | None = doc()
    facilitator_en: str | None = doc()
    established_on: str | None = date()
    source: str | None = doc()
    parties: list[PartyIn] | None = None


class MemberIn(In):
    name_ar: str | None = doc("the name in Arabic script")
    name_latin: str | None = doc("the name in Latin script")
    rank: str | None = doc()
    rank_ar: str | None = doc()
    rank_en: str | None = doc()
    title: str | None = doc()
    title_ar: str | None = doc()
    title_en: str | None = doc()
    role: RoleName | None = None
    party: str | None = doc("party code; heads of delegation and members only")
    seat: int | None = doc("seat number within the party")
    tenure_start: str | None = date()
    source: str | None = doc()


class ReplaceIn(In):
    on: str | None = date("the day the successor takes the seat")
    successor: MemberIn | None = Field(
        None, description="the successor; role, party and seat default to the predecessor's"
    )


class LeaveIn(In):
    on: str | None = date("the last day of the tenure")


class SuspendIn(In):
    since: str | None = date()
    reason: str | None = doc()
    reason_ar: str | None = doc()
    reason_en: str | None = doc()
    source: str | None = doc()


class ResumeIn(In):
    on: str | None = date()
    note: str | None = doc("how and why the party returned")
    note_ar: str | None = doc()
    note_en: str | None = doc()
    source: str | None = doc()


class AgreementIn(In):
    title: str | None = doc()
    title_ar: str | None = doc()
    title_en: str | None = doc()
    signed_on: str | None = date()
    place: str | None = doc()
    place_ar: str | None = doc()
    place_en: str | None = doc()
    signatories: str | None = doc()
    signatories_ar: str | None = doc()
    signatories_en: str | None = doc()
    witnesses: str | None = doc()
    witnesses_ar: str | None = doc()
    witnesses_en: str | None = doc()
    text: str | None = Field(None)
    text_ar: str | None = Field(None)
    text_en: str | None = Field(None)
    note: str | None = Field(None, description="caveats on the text itself")
    note_ar: str | None = Field(None)
    note_en: str | None = Field(None)
    source: str | None = Field(None)


class ProvisionIn(In):
    number: str | None = doc(examples=["3"])
    kind: KindName | None = None
    text: str | None = Field(None)
    text_ar: str | None = Field(None)
    text_en: str | None = Field(None)
    category: str | None = Field(None)
    deadline_on: str | None = date("the deadline, when stated as a date")
    deadline_months: int | None = Field(None, description="the deadline in months from signature")
    deadline: str | None = Field(None, description="the deadline as the text words it")
    deadline_ar: str | None = Field(None)
    deadline_en: str | None = Field(None)
    implementer: str | None = Field(None)
    implementer_ar: str | None = Field(None)
    implementer_en: str | None = Field(None)
    committee_role: CommitteeRoleName | None = None
    source: str | None = Field(None)


class InterpretationIn(In):
    party: str | None = doc(
        "the party in whose name the facilitator records this reading; a party's speaker records its own party's"
    )
    held_by: str | None = doc("who holds this reading, when it is not a party")
    held_by_ar: str | None = doc()
    held_by_en: str | None = doc()
    reading: str | None = doc()
    reading_ar: str | None = doc()
    reading_en: str | None = doc()
    source: str | None = doc()


class AssessmentIn(In):
    status: Literal[0, 1, 2, 3, "not_yet_due", "reversed"] | None = Field(
        None,
        description="how far the provision is implemented, on the Peace Accords Matrix's scale: 0 not initiated, "
        "1 minimal, 2 intermediate, 3 full; or not_yet_due, or reversed",
    )
    as_of: str | None = date("the day the status describes; not after today")
    reasoning: str | None = doc()
    reasoning_ar: str | None = doc()
    reasoning_en: str | None = doc()
    evidence: list[str] | None = doc("links to what the assessment rests on (https://...)")
    source: str | None = doc()


class ConditionIn(In):
    condition: str | None = doc("the event the deadline depends on, e.g. a unified government takes office")
    condition_ar: str | None = doc()
    condition_en: str | None = doc()
    status: Literal[tuple(ConditionStatus.values)] | None = doc("whether that event has happened; unknown by default")
    as_of: str | None = date("the day the status is known as of (for met: the day it happened)")
    source: str | None = doc()


class MeetingIn(In):
    title: str | None = doc()
    title_ar: str | None = doc()
    title_en: str | None = doc()
    starts_on: str | None = date()
    ends_on: str | None = date("the last day; the first day by default")
    city: str | None = doc()
    city_ar: str | None = doc()
    city_en: str | None = doc()
    country: str | None = doc()
    country_ar: str | None = doc()
    country_en: str | None = doc()
    host: str | None = doc()
    host_ar: str | None = doc()
    host_en: str | None = doc()
    received_by: str | None = doc()
    received_by_ar: str | None = doc()
    received_by_en: str | None = doc()
    summary: str | None = doc()
    summary_ar: str | None = doc()
    summary_en: str | None = doc()
    source: str | None = doc()


class AttendanceIn(In):
    present: list[BodyId] | None = Field(None, description="ids of the members present: the whole list")


class AgendaItemIn(In):
    title: str | None = doc()
    title_ar: str | None = doc()
    title_en: str | None = doc()


class MinutesIn(In):
    minutes: str | None = doc()
    minutes_ar: str | None = doc()
    minutes_en: str | None = doc()


class SourcedAdoptionIn(In):
    source: str | None = doc("the public source that reports the decision as adopted")
    on: str | None = date("the day of the meeting the source gives, if it gives one")


class DecisionIn(In):
    text: str | None = Field(None)
    text_ar: str | None = Field(None)
    text_en: str | None = Field(None)
    source: str | None = Field(None)
    adopted_per_source: SourcedAdoptionIn | None = Field(
        None,
        description="a historical decision known only from public sources: recorded as adopted according to the source it cites, never through positions",
    )


class SettlementProposalIn(In):
    """A decision settling a disputed report: adopted only through every party's position, so no
    `adopted_per_source`."""

    text: str | None = Field(None)
    text_ar: str | None = Field(None)
    text_en: str | None = Field(None)
    source: str | None = Field(None)


class PositionIn(In):
    position: PositionName | None = None
    reason: str | None = doc()
    reason_ar: str | None = doc()
    reason_en: str | None = doc()


class ActionItemIn(In):
    text: str | None = Field(None)
    text_ar: str | None = Field(None)
    text_en: str | None = Field(None)
    decision: BodyId | None = Field(None, description="id of a decision of the same meeting")
    owner_party: str | None = Field(None, description="party code")
    owner: str | None = Field(None, description="a named body, when not (only) a party")
    owner_ar: str | None = Field(None)
    owner_en: str | None = Field(None)
    deadline: str | None = date()


class WitnessKeyIn(In):
    party: str | None = doc(
        "the party whose witness this is; leave out for the mission's own (facilitator)", examples=["west"]
    )
    vkey: str | None = doc(
        "the verifier key printed by `ceasefire keys generate --name NAME` on the witness's machine",
        examples=["jmc-west-witness+1c0ffee5+BK..."],
    )


class ActionStatusIn(In):
    status: StatusName | None = None
    note: str | None = doc()


# ---------------------------------------------------------------- output


def _lang(field: str):
    """A resolver for `field` in the reader's language."""
    return staticmethod(lambda obj: in_language(obj, field))


# What each reader may read of each projection is ceasefire.audience's to say: a field it may not
# read is null, a row it may not read is left out of a list (and a 404 on its own).


def _request(context):
    return (context or {}).get("request")


def _reader(context):
    """The Actor the answer is for (None: the public), from the request ninja puts in the context."""
    request = _request(context)
    return reader(request) if request is not None else None


def _reads(context, projection: str, field: str = "row") -> bool:
    return audience.reads(_reader(context), projection, field)


def _read_if(projection: str, field: str, attr: str):
    """A resolver for `attr`, null for a reader who may not read `field` of `projection`."""
    return staticmethod(lambda obj, context: getattr(obj, attr) if _reads(context, projection, field) else None)


class Me(Schema):
    username: str
    role: str
    party: str | None
    speaks_for_party: bool


class MemberOut(Schema):
    id: int
    name: str
    name_ar: str
    name_latin: str
    rank: str
    rank_ar: str
    rank_en: str
    title: str
    title_ar: str
    title_en: str
    role: str
    party: str | None = Field(None, alias="party_id")
    seat: int | None
    tenure_start: dt.date | None
    tenure_end: dt.date | None
    current: bool
    predecessor: int | None = Field(None, alias="predecessor_id")
    successor: int | None = None
    source: str

    resolve_rank = _lang("rank")
    resolve_title = _lang("title")

    @staticmethod
    def resolve_successor(obj):
        successor = getattr(obj, "successor", None)
        return successor.id if successor else None


class SeatOut(Schema):
    number: int
    member: MemberOut | None


class SuspensionOut(Schema):
    since: dt.date
    until: dt.date | None
    reason: str
    reason_ar: str
    reason_en: str
    source: str
    resumption_note: str
    resumption_note_ar: str
    resumption_note_en: str
    resumption_source: str

    resolve_reason = _lang("reason")
    resolve_resumption_note = _lang("resumption_note")


class PartyOut(Schema):
    code: str
    name: str
    name_ar: str
    name_en: str
    seats_count: int
    quorum: int
    suspended: bool
    suspended_since: dt.date | None
    seats: list[SeatOut] = Field(description="one entry per seat, its current member or null when vacant")
    suspensions: list[SuspensionOut]

    resolve_name = _lang("name")

    @staticmethod
    def resolve_seats_count(party):
        return party.seats

    @staticmethod
    def resolve_seats(party):
        holders = {m.seat: m for m in party.members.filter(tenure_end__isnull=True, seat__isnull=False)}
        return [{"number": n, "member": holders.get(n)} for n in range(1, party.seats + 1)]

    @staticmethod
    def resolve_suspensions(party):
        return list(party.suspensions.all())


def _current_members(role):
    return list(Member.objects.filter(role=role, tenure_end__isnull=True).order_by("tenure_start", "id"))


class MechanismOut(Schema):
    id: int
    name: str
    name_ar: str
    name_en: str
    established_on: dt.date | None
    mandate: str
    mandate_ar: str
    mandate_en: str
    facilitator: str
    facilitator_ar: str
    facilitator_en: str
    source: str
    parties: list[PartyOut]
    facilitators: list[MemberOut]
    monitors: list[MemberOut]
    observers: list[MemberOut]

    resolve_name = _lang("name")
    resolve_mandate = _lang("mandate")
    resolve_facilitator = _lang("facilitator")

    @staticmethod
    def resolve_parties(obj):
        return list(obj.parties.order_by("order"))

    @staticmethod
    def resolve_facilitators(obj):
        return _current_members(Role.FACILITATOR)

    @staticmethod
    def resolve_monitors(obj):
        return _current_members(Role.MONITOR)

    @staticmethod
    def resolve_observers(obj):
        return _current_members(Role.OBSERVER)


class InterpretationOut(Schema):
    id: int
    provision: int = Field(alias="provision_id")
    party: str | None = Field(alias="party_id", description="the party that states this reading, if a party does")
    recorded_by: Literal["party", "facilitator"] = Field(
        description="who recorded it: the party's own delegation, or the facilitator (in a party's name or another's)"
    )
    held_by: str
    held_by_ar: str
    held_by_en: str
    reading: str
    reading_ar: str
    reading_en: str
    source: str

    resolve_held_by = _lang("held_by")
    resolve_reading = _lang("reading")


PARTIES_ONLY = "null for readers outside the parties"


class PositionOut(Schema):
    party: str
    party_name: str
    position: str | None
    given_by: str | None
    given_at: dt.datetime | None
    reason: str
    reason_ar: str
    reason_en: str


def _outcome(decision):
    """Decision.outcome() (or an assessment's), worked out once per answer rather than once per field."""
    if not hasattr(decision, "_api_outcome"):
        decision._api_outcome = decision.outcome()
    return decision._api_outcome


def _tally(name: str, projection: str | None = None):
    """A resolver for one list of an outcome (approved_by, objected_by, ...): the parties in it;
    with `projection`, null for a reader who may not read that projection's positions."""
    if projection is None:
        return staticmethod(lambda obj: list(getattr(_outcome(obj), name)))
    return staticmethod(
        lambda obj, context: list(getattr(_outcome(obj), name)) if _reads(context, projection, "positions") else None
    )


def _positions(given) -> list[dict]:
    """One row per party, in the mechanism's order, with its position on a decision or an
    assessment (null while it has not spoken)."""
    given = {p.party_id: p for p in given}
    rows = []
    for party in Mechanism.current().parties.order_by("order"):
        p = given.get(party.code)
        rows.append(
            {
                "party": party.code,
                "party_name": in_language(party, "name"),
                "position": p.position if p else None,
                "given_by": p.given_by if p else None,
                "given_at": p.given_at if p else None,
                "reason": in_language(p, "reason") if p else "",
                "reason_ar": p.reason_ar if p else "",
                "reason_en": p.reason_en if p else "",
            }
        )
    return rows


class StandingOut(Schema):
    state: Literal["done", "overdue", "due", "not_yet_due", "conditional", "no_deadline"] = Field(
        description="where the provision stands against its deadline today: done (the committee agreed it is fully "
        "implemented), overdue (past its deadline, the committee's status below full), due (past its deadline, no "
        "status agreed: not known to be missed), not_yet_due, conditional (its deadline depends on an event not known "
        "to have happened), no_deadline. Worked out from what the reader may read."
    )
    due: dt.date | None
    days: int | None = Field(description="days past the deadline (overdue, due) or left before it (not_yet_due)")
    near: bool = Field(description="not yet due, and due within 30 days")


class ConditionOut(Schema):
    id: int
    condition: str
    condition_ar: str
    condition_en: str
    status: str = Field(description="unknown, not_met, met or disputed")
    as_of: dt.date | None
    source: str
    recorded_at: dt.datetime

    resolve_condition = _lang("condition")


class AgreedStatusOut(Schema):
    id: int
    assessment: int = Field(alias="assessment_id")
    status: int | None = Field(description="0 to 3; null for not_yet_due and reversed (see status_name)")
    status_name: str = Field(description="0, 1, 2, 3, not_yet_due or reversed")
    as_of: dt.date
    reasoning: str
    reasoning_ar: str
    reasoning_en: str
    evidence: list[str]
    source: str
    agreed_at: dt.datetime

    resolve_reasoning = _lang("reasoning")

    @staticmethod
    def resolve_status(obj):
        return level(obj.status)

    @staticmethod
    def resolve_status_name(obj):
        return obj.status


class AssessmentOut(Schema):
    id: int
    provision: int = Field(alias="provision_id")
    party: str | None = Field(alias="party_id", description="the party that put it forward; null for the facilitator")
    status: int | None = Field(description="0 to 3; null for not_yet_due and reversed (see status_name)")
    status_name: str = Field(description="0, 1, 2, 3, not_yet_due or reversed")
    as_of: dt.date
    reasoning: str
    reasoning_ar: str
    reasoning_en: str
    evidence: list[str]
    source: str
    proposed_by: str
    proposed_at: dt.datetime
    agreed: bool = Field(description="every party approved it: it is the committee's")
    agreed_at: dt.datetime | None
    waits: list[str] = Field(description="what it waits for before it is the committee's, in the reader's language")
    positions: list[PositionOut] = Field(description="one entry per party, position null while it has not spoken")
    approved_by: list[str]
    objected_by: list[str]
    abstained_by: list[str]
    waiting_for: list[str]
    suspended: list[str] = Field(description="parties whose participation is suspended")

    resolve_reasoning = _lang("reasoning")

    @staticmethod
    def resolve_status(obj):
        return level(obj.status)

    @staticmethod
    def resolve_status_name(obj):
        return obj.status

    @staticmethod
    def resolve_waits(obj):
        return agreement_commands.waiting_for(obj)

    @staticmethod
    def resolve_positions(obj):
        return _positions(obj.positions.all())

    resolve_approved_by = _tally("approved_by")
    resolve_objected_by = _tally("objected_by")
    resolve_abstained_by = _tally("abstained_by")
    resolve_waiting_for = _tally("waiting_for")
    resolve_suspended = _tally("suspended")


class ImplementationOut(Schema):
    status: int | None = Field(
        description="the committee's status as it stands, 0 to 3; null while it has agreed none, for not_yet_due "
        "and reversed (see status_name), and for a reader the record does not tell"
    )
    status_name: str | None = Field(description="0, 1, 2, 3, not_yet_due or reversed; null while none is agreed")
    as_of: dt.date | None
    agreed: bool | None = Field(
        description="whether the committee (every party) has agreed a status; null for a reader the record does not tell"
    )
    reasoning: str | None
    reasoning_ar: str | None
    reasoning_en: str | None
    evidence: list[str] | None
    source: str | None
    history: list[AgreedStatusOut] | None = Field(
        description="every status the committee agreed, newest first: dated and sourced, none overwritten; "
        "null for a reader the record does not tell"
    )
    assessments: list[AssessmentOut] | None = Field(
        description=f"every assessment put forward, agreed or not, newest first; rival ones stand side by side; {PARTIES_ONLY}"
    )


LEVEL_KEYS = ["3", "2", "1", "0", "reversed", "not_yet_due", "not_assessed"]


class ShareOut(Schema):
    total: int = Field(description="provisions counted")
    counts: dict[str, int] = Field(
        description="provisions at each level: 3, 2, 1, 0, reversed, not_yet_due, not_assessed"
    )
    percent: dict[str, float] = Field(description="the same, as a share of the total (0 to 100)")


class ThemeShareOut(Schema):
    theme: str = Field(description="the provisions' category; empty for provisions with none")
    share: ShareOut


class MilestoneOut(Schema):
    on: dt.date
    overall: ShareOut
    themes: list[ThemeShareOut]


class RollupOut(Schema):
    agreement: int
    on: dt.date = Field(description="today, the committee's date")
    overall: ShareOut = Field(
        description="every provision of the agreement at the committee's status as it stands today"
    )
    themes: list[ThemeShareOut]
    over_time: list[MilestoneOut] = Field(description="the same at the end of each year since signature, then today")


def share_out(share) -> dict:
    keys = dict(zip(LEVEL_KEYS, ("3", "2", "1", "0", "reversed", "not_yet_due", None), strict=True))
    return {
        "total": share.total,
        "counts": {k: share.counts[v] for k, v in keys.items()},
        "percent": {k: round(share.percent(v), 1) for k, v in keys.items()},
    }


def rollup_out(agreement, rollup) -> dict:
    def milestone(i):
        return {
            "on": rollup.days[i],
            "overall": share_out(rollup.overall[i]),
            "themes": [{"theme": theme, "share": share_out(shares[i])} for theme, shares in rollup.themes],
        }

    now = milestone(len(rollup.days) - 1)
    return {
        "agreement": agreement.id,
        "on": now["on"],
        "overall": now["overall"],
        "themes": now["themes"],
        "over_time": [milestone(i) for i in range(len(rollup.days))],
    }


def _implementation(provision, context):
    return agreement_queries.implementation(provision, _reader(context), agreement_queries.today())


class ProvisionOut(Schema):
    id: int
    agreement: int = Field(alias="agreement_id")
    order: int
    number: str
    kind: str
    text: str
    text_ar: str
    text_en: str
    category: str
    deadline_on: dt.date | None
    deadline_months: int | None
    deadline: str
    deadline_ar: str
    deadline_en: str
    due_on: dt.date | None = Field(description="the deadline as a date: stated, or counted from signature")
    implementer: str
    implementer_ar: str
    implementer_en: str
    committee_role: str
    source: str
    interpretations: list[InterpretationOut]
    condition: ConditionOut | None = Field(description="the event its deadline depends on, as it stands; null if none")
    standing: StandingOut
    implementation: ImplementationOut

    resolve_text = _lang("text")
    resolve_deadline = _lang("deadline")
    resolve_implementer = _lang("implementer")

    @staticmethod
    def resolve_condition(provision, context):
        return _implementation(provision, context).condition

    @staticmethod
    def resolve_standing(provision, context):
        return _implementation(provision, context).standing

    @staticmethod
    def resolve_implementation(provision, context):
        found = _implementation(provision, context)
        current = found.current
        return {
            "status": level(current.status) if current else None,
            "status_name": current.status if current else None,
            "as_of": current.as_of if current else None,
            "agreed": found.agreed,
            "reasoning": in_language(current, "reasoning") if current else None,
            "reasoning_ar": current.reasoning_ar if current else None,
            "reasoning_en": current.reasoning_en if current else None,
            "evidence": current.evidence if current else None,
            "source": current.source if current else None,
            "history": found.history,
            "assessments": found.assessments,
        }


class AgreementSummary(Schema):
    id: int
    title: str
    title_ar: str
    title_en: str
    signed_on: dt.date | None
    place: str
    place_ar: str
    place_en: str
    provisions_count: int

    resolve_title = _lang("title")
    resolve_place = _lang("place")

    @staticmethod
    def resolve_provisions_count(obj):
        return obj.provisions.count()


class AgreementOut(AgreementSummary):
    signatories: str
    signatories_ar: str
    signatories_en: str
    witnesses: str
    witnesses_ar: str
    witnesses_en: str
    text: str
    text_ar: str
    text_en: str
    note: str
    note_ar: str
    note_en: str
    source: str

    resolve_signatories = _lang("signatories")
    resolve_witnesses = _lang("witnesses")
    resolve_text = _lang("text")
    resolve_note = _lang("note")


class DecisionOut(Schema):
    id: int
    meeting: int = Field(alias="meeting_id")
    number: int
    text: str
    text_ar: str
    text_en: str
    source: str
    adopted: bool | None = Field(description="null for a reader the record does not tell whether it was adopted")
    adopted_at: dt.datetime | None
    adopted_through: Literal["positions", "source", ""] | None = Field(
        description="how the record adopted it: every party's approval at a quorate meeting, or according to a cited source; empty while not adopted; null for a reader the record does not tell whether it was adopted"
    )
    adopted_source: str | None = Field(description="the source it was adopted according to, for a sourced adoption")
    adopted_on: dt.date | None = Field(description="the day that source gives, if it gives one")
    waits: list[str] | None = Field(
        description=f"what it waits for before it is adopted, in the reader's language; empty once adopted; {PARTIES_ONLY}"
    )
    positions: list[PositionOut] | None = Field(
        description=f"one entry per party, position null while it has not spoken; {PARTIES_ONLY}"
    )
    approved_by: list[str] | None = Field(description=PARTIES_ONLY)
    objected_by: list[str] | None = Field(description=PARTIES_ONLY)
    abstained_by: list[str] | None = Field(description=PARTIES_ONLY)
    waiting_for: list[str] | None = Field(description=PARTIES_ONLY)
    suspended: list[str] = Field(description="parties whose participation is suspended")

    resolve_text = _lang("text")
    resolve_adopted = _read_if("decision", "adopted", "adopted")
    resolve_adopted_at = _read_if("decision", "adopted", "adopted_at")

    @staticmethod
    def resolve_positions(decision, context):
        if not _reads(context, "decision", "positions"):
            return None
        return _positions(decision.positions.all())

    @staticmethod
    def resolve_waits(decision, context):
        # What it waits for names the parties that have not approved: who said what.
        return waiting_for(decision) if _reads(context, "decision", "positions") else None

    resolve_adopted_through = _read_if("decision", "adopted", "adopted_through")
    resolve_adopted_source = _read_if("decision", "adopted", "adopted_source")
    resolve_adopted_on = _read_if("decision", "adopted", "adopted_on")

    resolve_approved_by = _tally("approved_by", "decision")
    resolve_objected_by = _tally("objected_by", "decision")
    resolve_abstained_by = _tally("abstained_by", "decision")
    resolve_waiting_for = _tally("waiting_for", "decision")
    resolve_suspended = _tally("suspended")


class ActionItemOut(Schema):
    id: int
    meeting: int = Field(alias="meeting_id")
    decision: int | None = Field(None, alias="decision_id")
    text: str
    text_ar: str
    text_en: str
    owner_party: str | None = Field(None, alias="owner_party_id")
    owner: str
    owner_ar: str
    owner_en: str
    deadline: dt.date | None
    status: str
    status_note: str

    resolve_text = _lang("text")
    resolve_owner = _lang("owner")


class AgendaItemOut(Schema):
    id: int
    meeting: int = Field(alias="meeting_id")
    number: int
    title: str
    title_ar: str
    title_en: str

    resolve_title = _lang("title")


class PartyQuorumOut(Schema):
    party: str
    present: int
    short: int = Field(description="how many more members it needs present")


class QuorumOut(Schema):
    met: bool = Field(description="every party has its own quorum present")
    parties: list[PartyQuorumOut]


class MeetingSummary(Schema):
    id: int
    number: int
    reference: str
    title: str
    title_ar: str
    title_en: str
    starts_on: dt.date
    ends_on: dt.date
    city: str
    city_ar: str
    city_en: str
    country: str
    country_ar: str
    country_en: str

    resolve_title = _lang("title")
    resolve_city = _lang("city")
    resolve_country = _lang("country")


class MeetingOut(MeetingSummary):
    host: str
    host_ar: str
    host_en: str
    received_by: str
    received_by_ar: str
    received_by_en: str
    summary: str
    summary_ar: str
    summary_en: str
    minutes: str | None = Field(description=PARTIES_ONLY)
    minutes_ar: str | None = Field(description=PARTIES_ONLY)
    minutes_en: str | None = Field(description=PARTIES_ONLY)
    source: str
    attendance: list[MemberOut] | None
    quorum: QuorumOut | None
    agenda: list[AgendaItemOut] = Field(
        description="the items the reader may read: for observers, those taking up a report shared with them"
    )
    decisions: list[DecisionOut]
    action_items: list[ActionItemOut] = Field(description="the parties' only: empty for observers")

    resolve_host = _lang("host")
    resolve_received_by = _lang("received_by")
    resolve_summary = _lang("summary")

    @staticmethod
    def resolve_minutes(meeting, context):
        return in_language(meeting, "minutes") if _reads(context, "meeting", "minutes") else None

    resolve_minutes_ar = _read_if("meeting", "minutes", "minutes_ar")
    resolve_minutes_en = _read_if("meeting", "minutes", "minutes_en")

    @staticmethod
    def resolve_attendance(meeting, context):
        if not _reads(context, "meeting", "attendance"):
            return None
        return list(Member.objects.filter(attendance__meeting=meeting).select_related("party"))

    @staticmethod
    def resolve_agenda(meeting, context):
        return audience.agenda(_reader(context), meeting)

    @staticmethod
    def resolve_decisions(meeting, context):
        return list(audience.rows(_reader(context), "decision", meeting.decisions.prefetch_related("positions")))

    @staticmethod
    def resolve_action_items(meeting, context):
        return list(audience.rows(_reader(context), "action_item", meeting.action_items.all()))

    @staticmethod
    def resolve_quorum(meeting, context):
        if not _reads(context, "meeting", "attendance"):
            return None
        q = meeting.quorum()
        return {
            "met": q.met,
            "parties": [{"party": p, "present": n, "short": q.short.get(p, 0)} for p, n in q.present.items()],
        }


class EventOut(Schema):
    seq: int
    type: str
    time: str = Field(description="UTC, as the entry records it")
    actor: str | None = Field(
        description="the role of whoever appended it (head, member, facilitator, monitor, witness…); before version 4 of the entries, the account's username"
    )
    account: str | None = Field(
        None,
        description='hex SHA-256("ceasefire account" 0x00 ‖ secret ‖ seq as 8 big-endian bytes): a commitment to the '
        "account, opened by the secret of its account.enrolled entry, which only the parties read",
    )
    opened_account: str | None = Field(
        None, description="the account's username, for a reader of the enrollments that open `account`"
    )
    party: str | None
    payload: dict[str, Any]


class EventsOut(Schema):
    size: int = Field(description="how many events the record holds in all")
    after: int
    limit: int
    events: list[EventOut]
    withheld: list[int] = Field(description="seqs in this window the caller's audience may not read")


# ---------------------------------------------------------------- the record's proofs


class InclusionProofOut(Schema):
    index: int
    size: int
    leaf_hash: str = Field(description="base64 of SHA-256(0x00 || entry), the leaf at `index`")
    hashes: list[str] = Field(description="RFC 9162 PATH(index, D[0:size]), base64, leaf side first")


class ConsistencyProofOut(Schema):
    first: int
    second: int
    hashes: list[str] = Field(
        description="RFC 9162 PROOF(first, D[0:second]), base64; empty when first is 0 or first = second"
    )


class EntryOut(Schema):
    index: int
    leaf_hash: str | None = Field(
        None,
        description="base64 of SHA-256(0x00 || entry); left out for an entry served in full when asked with leaf_hashes=withheld",
    )
    entry: str | None = Field(
        None,
        description="the entry itself, canonical JSON (RFC 8785) as the tree hashes it; left out when the caller's audience may not read it",
    )


class EntriesOut(Schema):
    start: int
    end: int = Field(description="one past the last index answered")
    size: int = Field(description="how many entries the record holds in all")
    audience: str = Field(description="the caller's audience: parties, observers or public")
    entries: list[EntryOut]


class CosignaturesOut(Schema):
    size: int = Field(description="the size of the checkpoint cosigned")
    added: list[str] = Field(description="the witnesses whose cosignature of it was new and is kept")
    cosigned_by: list[str] = Field(description="every witness whose cosignature of it the server now holds")


class WitnessKeyOut(Schema):
    id: int = Field(description="the seq of the event that registered the key")
    party: str | None = Field(description="the party's code; null for the mission's own witness")
    name: str
    key_id: str
    vkey: str
    registered_at: dt.datetime
    retired_at: dt.datetime | None = Field(description="when a newer key of the same holder replaced it")
    active: bool
    last_cosigned: int | None = Field(description="the size of the newest checkpoint this key cosigned")

    @staticmethod
    def resolve_party(obj):
        return obj.party_id

    @staticmethod
    def resolve_last_cosigned(obj):
        return getattr(obj, "newest_cosigned", None)  # annotated by the listing; a new key has none


# ---------------------------------------------------------------- reports and the verification chain
#
# Input as above. Output: what each reader reads of a report is ceasefire.audience's to say (the
# parties' people read it in full; observers and the public what the committee shared or published,
# never the fields that stay with the parties: those are null for them). Protected identities are
# never part of a report; only the facilitator reads them, at /reports/{id}/identities.

from ceasefire.incidents import chain  # noqa: E402
from ceasefire.incidents import commands as report_commands  # noqa: E402
from ceasefire.incidents import models as incidents  # noqa: E402
from ceasefire.incidents import queries as report_queries  # noqa: E402
from ceasefire.record import log  # noqa: E402

ReportStatusName = Literal[tuple(incidents.Status.values)]
StageName = Literal[chain.STAGES]
VisibilityName = Literal[tuple(incidents.Visibility.values)]
SourceTypeName = Literal[tuple(incidents.SourceType.values)]
TriageName = Literal[tuple(chain.TRIAGE)]
AccessName = Literal[tuple(k for k, _label in incidents.Investigation.ACCESS)]
ResultName = Literal[tuple(k for k, _label in incidents.Finding.RESULTS)]
RecommendationStatusName = Literal[tuple(incidents.RecommendationStatus.values)]
CasualtyKind = Literal[incidents.Casualty.KINDS]
CasualtyGroup = Literal[incidents.Casualty.GROUPS]


class CasualtyIn(In):
    kind: CasualtyKind | None = None
    group: CasualtyGroup | None = doc("unknown when left out")
    count: int | None = None
    source: str | None = doc("who gave this figure")


class IdentityIn(In):
    name: str | None = None
    contact: str | None = None
    relation: str | None = doc("to the report: witness, relative, official...")
    note: str | None = None


class ReportIn(In):
    title: str | None = doc()
    title_ar: str | None = doc()
    title_en: str | None = doc()
    category: str | None = doc("a code of the mechanism's typology (GET /typology)", examples=["shelling"])
    source_type: SourceTypeName | None = Field(
        None,
        description="the facilitator says where a report came from; a delegate's is its delegation, a monitor's its team",
    )
    source_party: str | None = doc("the party of a delegation's report, when the facilitator records it")
    source: str | None = doc("how the source is described, never who it is (see source_identity)")
    source_ar: str | None = doc()
    source_en: str | None = doc()
    source_identity: IdentityIn | None = Field(
        None, description="who the source is: kept in the facilitator's vault, the record holds only a commitment"
    )
    occurred_at: str | None = Field(
        None,
        description="the day (YYYY-MM-DD) or the time with its offset (YYYY-MM-DDTHH:MM+02:00); never in the future",
        examples=["2021-03-02T05:40+02:00"],
    )
    time_precision: int | None = doc("ACLED: 1 the day, 2 within a week, 3 within a month")
    latitude: float | None = doc("WGS 84, -90 to 90", examples=[31.45])
    longitude: float | None = doc("WGS 84, -180 to 180", examples=[15.25])
    geo_precision: int | None = doc("ACLED: 1 exact, 2 nearby, 3 the region")
    place: str | None = doc()
    place_ar: str | None = doc()
    place_en: str | None = doc()
    controlled_by: str | None = doc("the party that controls the area")
    alleged_party: str | None = doc("the party alleged to have done it (an allegation until a finding)")
    alleged_unit: str | None = doc()
    affected_party: str | None = doc()
    narrative: str | None = doc()
    narrative_ar: str | None = doc()
    narrative_en: str | None = doc()
    casualties: list[CasualtyIn] | None = doc("counts as the source gives them")


class ProtectIn(In):
    identity: IdentityIn | None = None


class EraseIn(In):
    reason: str | None = doc()
    reason_ar: str | None = doc()
    reason_en: str | None = doc()


class TriageIn(In):
    decision: TriageName | None = None
    reason: str | None = doc("required unless admissible")
    reason_ar: str | None = doc()
    reason_en: str | None = doc()
    duplicate_of: BodyId | None = Field(None, description="the id of the report this one duplicates")


class TeamIn(In):
    team: list[str] | None = doc("usernames: at least one member of every party")
    instructions: str | None = doc()
    instructions_ar: str | None = doc()
    instructions_en: str | None = doc()
    due_on: str | None = date("when the team should report")


class InvestigationIn(In):
    site_visited: bool | None = None
    visited_on: str | None = date("required when the site was visited")
    access: AccessName | None = None
    denied_by_party: str | None = doc("the party that denied access")
    denied_by: str | None = doc("the unit or person that denied access")
    denied_by_ar: str | None = doc()
    denied_by_en: str | None = doc()
    methods: str | None = doc()
    methods_ar: str | None = doc()
    methods_en: str | None = doc()
    evidence: str | None = doc("the evidence gathered, in words")
    evidence_ar: str | None = doc()
    evidence_en: str | None = doc()
    limitations: str | None = doc()
    limitations_ar: str | None = doc()
    limitations_en: str | None = doc()


class RecommendationIn(In):
    addressee_party: str | None = doc("the party that should act")
    addressee: str | None = doc("a named body, when not (only) a party")
    addressee_ar: str | None = doc()
    addressee_en: str | None = doc()
    text: str | None = doc()
    text_ar: str | None = doc()
    text_en: str | None = doc()
    due_on: str | None = date()


class FindingIn(In):
    allegation: str | None = doc()
    allegation_ar: str | None = doc()
    allegation_en: str | None = doc()
    result: ResultName | None = None
    attributed_to: str | None = doc("the party responsible: a violation only")
    attributed_unit: str | None = doc()
    provisions: list[BodyId] | None = doc("ids of the provisions breached")
    reasoning: str | None = doc()
    reasoning_ar: str | None = doc()
    reasoning_en: str | None = doc()
    recommendations: list[RecommendationIn] | None = None
    count: int | None = doc("on a verification (a departure...): how many people the joint team counted")


class FindingsIn(In):
    findings: list[FindingIn] | None = doc("one per allegation; a new draft replaces the last and its sign-offs")


class SignIn(In):
    draft: int | None = Field(
        None, description="the entry number (seq) of the findings draft signed: the report's `draft`; required"
    )
    agrees: bool | None = None
    reasons: str | None = doc("required to dissent")
    reasons_ar: str | None = doc()
    reasons_en: str | None = doc()


class ConfirmationIn(In):
    investigation: int | None = Field(
        None, description="the entry number (seq) of the investigation report confirmed: its `entry`; required"
    )


class NoteIn(In):
    note: str | None = doc()
    note_ar: str | None = doc()
    note_en: str | None = doc()


class VisibilityIn(In):
    visibility: VisibilityName | None = None


class RecommendationStatusIn(In):
    status: RecommendationStatusName | None = None
    note: str | None = doc()


class CategoryIn(In):
    code: str | None = doc(
        "lower-case letters, digits and dashes; an existing code changes that category", examples=["shelling"]
    )
    group: str | None = doc("military, disengagement, civilians, movement, provocation or obstruction")
    name: str | None = doc()
    name_ar: str | None = doc()
    name_en: str | None = doc()
    acled_event_type: str | None = doc()
    acled_sub_event_type: str | None = doc()
    provisions: list[BodyId] | None = doc("ids of the provisions a violation of this kind may breach")
    retired: bool | None = doc("no longer offered for new reports")


class StageTargetIn(In):
    stage: StageName | None = None
    days: int | None = doc("at most this many days in the stage")


def _accounts(context, report) -> bool:
    """Usernames of the accounts behind a report: the parties' only."""
    return audience.report_reads(_reader(context), report, "accounts")


def _shown(context, report) -> bool:
    """A linked report is shown only to a reader who may read it."""
    return report is not None and audience.report_reads(_reader(context), report)


def _refusals(obj, context) -> dict:
    """Each step -> why the reader may not take it on the report now (None: it may), asked of the
    commands' own refusal functions once per answer."""
    request = _request(context)
    cache = getattr(request, "_ceasefire_refusals", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._ceasefire_refusals = cache
    if obj.id not in cache:
        cache[obj.id] = report_commands.refusals(_reader(context), obj)
    return cache[obj.id]


def _timing(context) -> tuple[dt.datetime, dict[str, int]]:
    """Now and the stage targets, read once per answer."""
    request = _request(context)
    cached = getattr(request, "_ceasefire_timing", None) if request is not None else None
    if cached is None:
        cached = (log._clock(), report_queries.targets())
        if request is not None:
            request._ceasefire_timing = cached
    return cached


def _due(report, context) -> dt.datetime | None:
    days = _timing(context)[1].get(report.status)
    return chain.due(report.stage_since, days) if days else None


class CategoryOut(Schema):
    code: str
    group: str
    order: int
    name: str
    name_ar: str
    name_en: str
    acled_event_type: str
    acled_sub_event_type: str
    provisions: list[int]
    retired: bool

    resolve_name = _lang("name")


class StageTargetOut(Schema):
    stage: str
    days: int
    default_days: int = Field(description="the days the chain sets where the mechanism sets none")


class CasualtyOut(Schema):
    kind: str
    group: str
    count: int
    source: str = Field(
        description="who gives the figure; empty for observers and the public, like the report's source"
    )

    @staticmethod
    def resolve_source(obj, context):
        return obj.source if audience.report_reads(_reader(context), obj.report, "casualty_source") else ""


class StageOut(Schema):
    stage: str
    label: str
    entered_at: dt.datetime
    left_at: dt.datetime | None = Field(description="null while the report is in this stage")
    entered_by: str | None = Field(description="who moved the report here; null for observers and the public")
    days: float = Field(description="days spent in the stage, to this moment while the report is in it")
    target_days: int | None = Field(description="null for a stage that closes the chain")
    overdue: bool = Field(description="the report spent (or is spending) longer than the target in this stage")

    @staticmethod
    def resolve_label(obj):
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_entered_by(obj, context):
        return obj.entered_by if _accounts(context, obj.report) else None

    @staticmethod
    def resolve_days(obj, context):
        end = obj.left_at or _timing(context)[0]
        return round((end - obj.entered_at).total_seconds() / 86400, 2)

    @staticmethod
    def resolve_target_days(obj, context):
        return _timing(context)[1].get(obj.stage) if obj.stage in chain.STAGES else None

    @staticmethod
    def resolve_overdue(obj, context):
        now, targets = _timing(context)
        days = targets.get(obj.stage)
        return bool(days) and chain.overdue(obj.stage, obj.entered_at, days, obj.left_at or now)


class TeamMemberOut(Schema):
    username: str | None = Field(description="null for observers and the public")
    party: str | None = Field(description="null for a member of the mission")

    @staticmethod
    def resolve_username(obj, context):
        return obj.username if _accounts(context, obj.report) else None

    @staticmethod
    def resolve_party(obj):
        return obj.party_id


class InvestigationOut(Schema):
    site_visited: bool
    visited_on: dt.date | None
    access: str
    denied_by_party: str | None = Field(None, alias="denied_by_party_id")
    denied_by: str
    denied_by_ar: str
    denied_by_en: str
    methods: str
    methods_ar: str
    methods_en: str
    evidence: str
    evidence_ar: str
    evidence_en: str
    limitations: str
    limitations_ar: str
    limitations_en: str
    submitted_by: str | None = Field(description="null for observers and the public")
    submitted_at: dt.datetime
    entry: int = Field(alias="id", description="its entry number (seq) in the record: what a confirmation names")
    confirmed_by: list[str] = Field(description="the parties whose member on the team has confirmed it")
    confirmed: bool = Field(description="a member of every party on the team has confirmed it: the team's report")

    resolve_denied_by = _lang("denied_by")

    @staticmethod
    def resolve_confirmed_by(obj):
        return [c.party_id for c in obj.confirmations.all()]

    @staticmethod
    def resolve_confirmed(obj):
        return obj.report.status != chain.TASKED  # the report moved on: its investigation is the team's

    resolve_methods = _lang("methods")
    resolve_evidence = _lang("evidence")
    resolve_limitations = _lang("limitations")

    @staticmethod
    def resolve_submitted_by(obj, context):
        return obj.submitted_by if _accounts(context, obj.report) else None


class RecommendationOut(Schema):
    id: int
    report: int = Field(alias="report_id")
    report_number: str
    finding: int = Field(alias="finding_id")
    addressee_party: str | None = Field(None, alias="addressee_party_id")
    addressee: str
    addressee_ar: str
    addressee_en: str
    text: str
    text_ar: str
    text_en: str
    due_on: dt.date | None
    status: str
    status_note: str

    resolve_addressee = _lang("addressee")
    resolve_text = _lang("text")

    @staticmethod
    def resolve_report_number(obj):
        return obj.report.reference


class FindingOut(Schema):
    id: int
    number: int
    allegation: str
    allegation_ar: str
    allegation_en: str
    result: str
    binding: bool = Field(
        description="true once the report is concluded: every party and the facilitator signed, or the committee decided"
    )
    attributed_to: str | None = Field(
        None, description="the party held responsible; for observers and the public only once binding"
    )
    attributed_unit: str
    provisions: list[int]
    reasoning: str
    reasoning_ar: str
    reasoning_en: str
    recommendations: list[RecommendationOut]
    count: int | None = Field(
        None, description="on a verification (a departure...): how many people the joint team counted"
    )

    @staticmethod
    def resolve_binding(obj):
        return obj.report.status == chain.CONCLUDED

    @staticmethod
    def resolve_attributed_to(obj, context):
        return obj.attributed_to_id if audience.finding_reads(_reader(context), obj.report, "attribution") else None

    @staticmethod
    def resolve_attributed_unit(obj, context):
        return obj.attributed_unit if audience.finding_reads(_reader(context), obj.report, "attribution") else ""

    resolve_allegation = _lang("allegation")
    resolve_reasoning = _lang("reasoning")

    @staticmethod
    def resolve_recommendations(obj, context):
        if not audience.finding_reads(_reader(context), obj.report, "recommendations"):
            return []
        return list(obj.recommendations.select_related("report"))


class SignOffOut(Schema):
    party: str | None = Field(description="the party signing; null for the facilitator")
    username: str | None = Field(description="who signed; null for observers and the public")
    agrees: bool
    reasons: str
    reasons_ar: str
    reasons_en: str
    at: dt.datetime

    resolve_reasons = _lang("reasons")

    @staticmethod
    def resolve_party(obj):
        return obj.side or None

    @staticmethod
    def resolve_username(obj, context):
        return obj.username if _accounts(context, obj.report) else None


class EvidenceOut(Schema):
    id: int
    report: int = Field(alias="report_id")
    sha256: str = Field(description="hex; in the record since the upload")
    size: int
    media_type: str = Field(description="as the content shows it, never as the name or the upload said")
    name: str
    description: str
    description_ar: str
    description_en: str
    uploaded_by: str
    uploaded_at: dt.datetime

    resolve_description = _lang("description")


class EvidenceAccessOut(Schema):
    id: int
    evidence: int = Field(alias="evidence_id")
    username: str
    action: str = Field(description="view, download or export")
    at: dt.datetime


class ReportRef(Schema):
    id: int
    number: str


class AgendaRef(Schema):
    id: int
    meeting: int
    number: int
    title: str


class LinksOut(Schema):
    incident: ReportRef = Field(description="the incident the report describes (its number is I-YYYY-NNNN)")
    duplicate_of: ReportRef | None = Field(description="the report this one duplicates")
    duplicates: list[ReportRef] = Field(description="reports triaged as duplicates of this one")
    related_report: ReportRef | None = Field(
        description="the report whose verification this one arose from (denied access)"
    )
    related_reports: list[ReportRef] = Field(description="reports that arose from this one's verification")
    agenda_item: AgendaRef | None = Field(description="where the committee takes up its disputed findings")
    decision: int | None = Field(description="the committee's decision on it (GET /decisions/{id})")


def _ref(r) -> dict:
    return {"id": r.id, "number": r.reference}


class ReportSummary(Schema):
    id: int
    number: str = Field(description="the report's reference, R-YYYY-NNNN", examples=["R-2026-0042"])
    title: str
    title_ar: str
    title_en: str
    category: str = Field(alias="category_id")
    category_name: str
    status: str
    status_label: str
    visibility: str
    received_at: dt.datetime
    occurred_at: dt.datetime
    time_known: bool = Field(description="false: the day only")
    time_precision: int
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    place: str
    place_ar: str
    place_en: str
    alleged_party: str | None = Field(None, alias="alleged_party_id")
    incident: int = Field(alias="incident_id")
    stage_since: dt.datetime
    due_at: dt.datetime | None = Field(
        description="when the current stage should end; null once the chain closed the report"
    )
    overdue: bool

    resolve_title = _lang("title")
    resolve_place = _lang("place")

    @staticmethod
    def resolve_number(obj):
        return obj.reference

    @staticmethod
    def resolve_category_name(obj):
        return in_language(obj.category, "name")

    @staticmethod
    def resolve_status_label(obj):
        return str(incidents.Status(obj.status).label)  # get_status_display hashes every label: a gettext each

    @staticmethod
    def resolve_due_at(obj, context):
        return _due(obj, context)

    @staticmethod
    def resolve_overdue(obj, context):
        due = _due(obj, context)
        return due is not None and _timing(context)[0] > due


class DistrictOut(Schema):
    code: str = Field(description="ISO 3166-2 code", examples=["LY-SR"])
    name: str
    name_ar: str
    name_en: str

    @staticmethod
    def resolve_name(obj):
        return obj.name()


class NearestPlaceOut(Schema):
    id: str = Field(description="the gazetteer's id of the place")
    name: str
    name_ar: str
    name_en: str
    kind: str
    latitude: float
    longitude: float
    distance_km: float = Field(description="from the report's coordinates, as the crow flies")


class PlaceOut(Schema):
    id: str = Field(description="the gazetteer's id: a place's (osm:n…, gn:…, icao:…, site:…) or a district's ISO code")
    kind: str = Field(
        description="city, town, village, airport, airbase, oil_terminal, oil_field, border_crossing, port or district"
    )
    name: str
    name_ar: str
    name_en: str
    matched: str = Field(description="the name or spelling variant the text matched, as the gazetteer writes it")
    latitude: float
    longitude: float
    geo_precision: int = Field(
        description="what a report placed here gives its coordinates: 1 the place itself, 3 a district (2, near a place, is the filer's to say)"
    )
    district: DistrictOut

    @staticmethod
    def resolve_name(obj):
        return obj.name()

    @staticmethod
    def resolve_geo_precision(obj):
        return obj.precision


class PlacesOut(Schema):
    count: int
    items: list[PlaceOut]


def _where(obj):
    from ceasefire.places.gazetteer import where

    return where(obj.latitude, obj.longitude)


class ZoneHitOut(Schema):
    layer: str = Field(description="the layer's code")
    kind: str
    name: str
    version: int = Field(description="the number of the layer's version binding at the time the report describes")
    binding_since: dt.datetime
    inside: bool = Field(description="true: inside an area; false: within within_km of a line or point")
    distance_km: float | None = Field(description="a line or point: how far the report lies from it")
    within_km: float | None
    feature: str = Field(description="the name of the feature it lies in or near, when it has one")


def zone_hit(h) -> dict:
    return {
        "layer": h.version.layer_id,
        "kind": h.version.layer.kind,
        "name": h.version.layer.text("name"),
        "version": h.version.number,
        "binding_since": h.version.binding_since,
        "inside": h.km is None,
        "distance_km": h.km,
        "within_km": h.version.within_km,
        "feature": h.feature_name(),
    }


class SubjectOut(Schema):
    kind: str = Field(description="departure, ...")
    id: int
    label: str
    url: str


class ReportOut(ReportSummary):
    source_type: str
    source_party: str | None = Field(None, alias="source_party_id")
    source: str | None = Field(description="how the source is described; null for observers and the public")
    source_ar: str | None
    source_en: str | None
    submitted_by: str | None = Field(description="null for observers and the public")
    controlled_by: str | None = Field(None, alias="controlled_by_id")
    alleged_unit: str
    affected_party: str | None = Field(None, alias="affected_party_id")
    narrative: str
    narrative_ar: str
    narrative_en: str
    triage_reason: str
    triage_reason_ar: str
    triage_reason_en: str
    instructions: str
    instructions_ar: str
    instructions_en: str
    team_due_on: dt.date | None
    closing_note: str
    closing_note_ar: str
    closing_note_en: str
    next_steps: list[str] = Field(description="the steps of the chain open to the report now")
    draft: int | None = Field(
        description="the entry number (seq) of the findings draft before the sides: a sign-off names it"
    )
    may: dict[str, bool] = Field(
        description="each step (triage, task, investigate, confirm_investigation, draft_findings, sign, "
        "propose_settlement, settle, record_disagreement, set_visibility, add_evidence): whether the reader may take it now"
    )
    why_not: dict[str, str] = Field(
        description="for each step the reader may not take now, why: the command's own refusal"
    )
    casualties: list[CasualtyOut]
    stages: list[StageOut]
    team: list[TeamMemberOut]
    investigation: InvestigationOut | None
    findings: list[FindingOut]
    signoffs: list[SignOffOut] | None = Field(description=f"each side's sign-off of the current draft; {PARTIES_ONLY}")
    evidence: list[EvidenceOut] | None = Field(description="the evidence files; null for observers and the public")
    links: LinksOut
    district: DistrictOut | None = Field(
        description="the district the coordinates lie in, from the gazetteer; null without coordinates or outside Libya"
    )
    nearest_place: NearestPlaceOut | None = Field(
        description="the gazetteer's place nearest the coordinates (within 100 km); null without coordinates"
    )
    zones: list[ZoneHitOut] | None = Field(
        description="the committee's layers the report lies in (an area) or near (a line or points, within the version's "
        "within_km), each by the version binding at the time the report describes; empty without coordinates or when placed "
        "only by its district; null for the public, who reads no layer"
    )

    @staticmethod
    def resolve_zones(obj, context):
        from ceasefire.zones import queries as zones

        hits = zones.checks_for(_reader(context), obj)
        return None if hits is None else [zone_hit(h) for h in hits]

    subject: SubjectOut | None = Field(
        None,
        description="what the report verifies when it is not an alleged violation (a departure of foreign forces...); null otherwise",
    )

    @staticmethod
    def resolve_subject(obj):
        from ceasefire.incidents import subjects

        return subjects.of_report(obj)

    @staticmethod
    def resolve_district(obj):
        where = _where(obj)
        return where.district if where else None

    @staticmethod
    def resolve_nearest_place(obj):
        where = _where(obj)
        if not where or not where.nearest:
            return None
        p = where.nearest
        return {
            "id": p.id,
            "name": p.name(),
            "name_ar": p.name_ar,
            "name_en": p.name_en,
            "kind": p.kind,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "distance_km": where.km,
        }

    resolve_narrative = _lang("narrative")
    resolve_triage_reason = _lang("triage_reason")
    resolve_instructions = _lang("instructions")
    resolve_closing_note = _lang("closing_note")

    @staticmethod
    def resolve_source(obj, context):
        return in_language(obj, "source") if audience.report_reads(_reader(context), obj, "source") else None

    @staticmethod
    def resolve_source_ar(obj, context):
        return obj.source_ar if audience.report_reads(_reader(context), obj, "source") else None

    @staticmethod
    def resolve_source_en(obj, context):
        return obj.source_en if audience.report_reads(_reader(context), obj, "source") else None

    @staticmethod
    def resolve_submitted_by(obj, context):
        return obj.submitted_by if _accounts(context, obj) else None

    @staticmethod
    def resolve_next_steps(obj):
        return list(chain.next_step(obj.status))

    @staticmethod
    def resolve_may(obj, context):
        return {step: refusal is None for step, refusal in _refusals(obj, context).items()}

    @staticmethod
    def resolve_why_not(obj, context):
        return {step: str(refusal.message) for step, refusal in _refusals(obj, context).items() if refusal is not None}

    @staticmethod
    def resolve_casualties(obj):
        return list(obj.casualties.all())

    @staticmethod
    def resolve_stages(obj):
        return list(obj.stages.all())

    @staticmethod
    def resolve_team(obj):
        return list(obj.team.all())

    @staticmethod
    def resolve_investigation(obj):
        return incidents.Investigation.objects.filter(report=obj).first()

    @staticmethod
    def resolve_findings(obj):
        return list(obj.findings.all())

    @staticmethod
    def resolve_signoffs(obj, context):
        return list(obj.signoffs.all()) if audience.report_reads(_reader(context), obj, "signoffs") else None

    @staticmethod
    def resolve_evidence(obj, context):
        return list(obj.evidence.all()) if audience.report_reads(_reader(context), obj, "evidence") else None

    @staticmethod
    def resolve_links(obj, context):
        duplicates = list(incidents.Report.objects.filter(duplicate_of=obj).order_by("id"))
        related = list(incidents.Report.objects.filter(related_report=obj).order_by("id"))
        agenda = obj.agenda_item
        return {
            "incident": {"id": obj.incident_id, "number": obj.incident.reference},
            "duplicate_of": _ref(obj.duplicate_of) if _shown(context, obj.duplicate_of) else None,
            "duplicates": [_ref(r) for r in duplicates if _shown(context, r)],
            "related_report": _ref(obj.related_report) if _shown(context, obj.related_report) else None,
            "related_reports": [_ref(r) for r in related if _shown(context, r)],
            "agenda_item": {
                "id": agenda.id,
                "meeting": agenda.meeting_id,
                "number": agenda.number,
                "title": in_language(agenda, "title"),
            }
            if agenda
            else None,
            "decision": obj.decision_id,
        }


class ImportProblemOut(Schema):
    line: int = Field(description="the file's line (the sheet's row) the problem is on")
    message: str = Field(description="the column and what is wrong with it")
    row: list[str] = Field(description="the row as read")


class ImportOut(Schema):
    file: str = Field(description="the file's name as uploaded")
    format: str
    dry_run: bool = Field(description="true: checked and counted, nothing written")
    read: int = Field(description="rows read")
    imported: int = Field(description="reports filed (for a dry run: that would be filed)")
    already: int = Field(description="rows imported before (by their id in the dataset): skipped")
    refused: list[ImportProblemOut] = Field(description="with skip_bad: the rows refused, not imported")


class ReportsOut(Schema):
    count: int = Field(description="how many reports match, in all")
    limit: int
    offset: int
    items: list[ReportSummary]


class IncidentSummary(Schema):
    id: int
    number: str = Field(description="the incident's reference, I-YYYY-NNNN")
    title: str
    title_ar: str
    title_en: str
    opened_at: dt.datetime
    reports_count: int = Field(description="the reports about it the reader may see")

    resolve_title = _lang("title")

    @staticmethod
    def resolve_number(obj):
        return obj.reference

    @staticmethod
    def resolve_reports_count(obj, context):
        counted = getattr(obj, "visible_reports", None)  # annotated by the list
        return counted if counted is not None else report_queries.visible(_reader(context)).filter(incident=obj).count()


class IncidentOut(IncidentSummary):
    reports: list[ReportSummary]
    related_report: ReportRef | None = Field(description="the report whose verification it arose from (denied access)")
    merged: list[int] = Field(description="incidents merged into this one when their reports were found duplicates")

    @staticmethod
    def resolve_reports(obj, context):
        return list(
            report_queries.visible(_reader(context)).filter(incident=obj).select_related("category").order_by("id")
        )

    @staticmethod
    def resolve_related_report(obj, context):
        return _ref(obj.related_report) if _shown(context, obj.related_report) else None

    @staticmethod
    def resolve_merged(obj):
        return list(obj.merged.order_by("id").values_list("id", flat=True))


class IncidentsOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[IncidentSummary]


class ProtectedIdentityOut(Schema):
    name: str
    contact: str
    relation: str
    note: str


class IdentityOut(Schema):
    id: int = Field(description="the commitment's id, for /identities/{id}/erase")
    report: int
    relation: str = Field(description="source or witness")
    commitment: str = Field(description="SHA-256(salt ‖ identity), hex: what the record holds")
    erased_at: dt.datetime | None
    identity: ProtectedIdentityOut | None = Field(description="from the vault; null once erased")
    created_by: str | None
    created_at: dt.datetime | None


# ---------------------------------------------------------------- counts and coverage

CoverageKindName = Literal[tuple(incidents.CoverageKind.values)]


class CoverageIn(In):
    kind: CoverageKindName | None = doc("deployed, no_access or denied")
    area: str | None = doc("the area, as text, until reports carry a district")
    area_ar: str | None = doc()
    area_en: str | None = doc()
    starts_on: str | None = date("the first day")
    ends_on: str | None = date("the last day (included)")
    denied_by: str | None = doc("for access denied: the party said to have denied it")
    source: str | None = doc("how the source is described (the parties only read it)")
    source_ar: str | None = doc()
    source_en: str | None = doc()
    note: str | None = doc()
    note_ar: str | None = doc()
    note_en: str | None = doc()


class CoverageOut(Schema):
    id: int
    kind: str
    area: str
    area_ar: str
    area_en: str
    starts_on: dt.date
    ends_on: dt.date
    days: int
    claimed_by: str | None = Field(description="null: the mission's own record; a party code: that party's claim")
    denied_by: str | None
    source_ar: str | None = Field(description="null for observers and the public")
    source_en: str | None = Field(description="null for observers and the public")
    note: str
    note_ar: str
    note_en: str
    recorded_by: str | None = Field(description="the account for the parties; its role and party for everyone else")
    recorded_at: dt.datetime
    visibility: str

    @staticmethod
    def resolve_area(obj):
        return in_language(obj, "area")

    @staticmethod
    def resolve_note(obj):
        return in_language(obj, "note")

    @staticmethod
    def resolve_claimed_by(obj):
        return obj.claimed_by_id

    @staticmethod
    def resolve_denied_by(obj):
        return obj.denied_by_id

    @staticmethod
    def resolve_source_ar(obj, context):
        return obj.source_ar if audience.reads(_reader(context), "coverage", "source") else None

    @staticmethod
    def resolve_source_en(obj, context):
        return obj.source_en if audience.reads(_reader(context), "coverage", "source") else None

    @staticmethod
    def resolve_recorded_by(obj, context):
        return audience.account(_reader(context), obj.recorded_by)


class CoverageLineOut(Schema):
    area: str
    kind: str
    claimed_by: str | None = Field(description="null: the mission's own record; a party code: that party's claim")
    days: int = Field(description="days of the period the records cover")
    of: int = Field(description="days in the period")
    text: str = Field(description="the line in words, in the reader's language")


class CoverageSummaryOut(Schema):
    period_from: dt.date
    period_to: dt.date
    days: int
    lines: list[CoverageLineOut]
    text: list[str] = Field(description="what to show beside the count, one line each; never empty")


class StatsRowOut(Schema):
    values: dict[str, str | None] = Field(
        description="dimension -> its value (null: not known, or no binding attribution)"
    )
    labels: dict[str, str]
    count: int
    coverage: CoverageSummaryOut | None = Field(description="the coverage of the row's month, when counted by month")


class StatsOut(Schema):
    counts: str = Field(description="what is counted: reports, incidents or (binding) findings")
    by: list[str]
    total: int = Field(
        description="how many in all; rows by attributed party may sum to more (a report held against two parties)"
    )
    rows: list[StatsRowOut]
    coverage: CoverageSummaryOut


# ---------------------------------------------------------------- triage at volume


class TriageSelectionIn(In):
    reports: list[BodyId] | None = doc("the ids of the received reports to triage, each its own entry in the record")
    decision: TriageName | None = None
    reason: str | None = doc("required unless admissible")
    reason_ar: str | None = doc()
    reason_en: str | None = doc()
    duplicate_of: BodyId | None = Field(None, description="the id of the report they duplicate")


class TriageReportOut(Schema):
    id: int
    number: str = Field(description="the report's reference, R-YYYY-NNNN", examples=["R-2026-0042"])
    title: str
    title_ar: str
    title_en: str
    category: str = Field(alias="category_id")
    status: str
    received_at: dt.datetime
    occurred_at: dt.datetime
    time_known: bool = Field(description="false: the day only")
    time_precision: int = Field(description="ACLED: 1 the day, 2 within a week, 3 within a month")
    latitude: float | None
    longitude: float | None
    geo_precision: int | None = Field(description="ACLED: 1 the place, 2 near it, 3 its district only")
    place: str
    place_ar: str
    place_en: str

    resolve_title = _lang("title")
    resolve_place = _lang("place")

    @staticmethod
    def resolve_number(obj):
        return obj.reference


class CandidateOut(Schema):
    report: TriageReportOut
    km: float | None = Field(
        description="kilometres between the points the two give; null when either gives none or only its district"
    )
    district: str = Field(description="the district both lie in, when either names only its district; else empty")
    hours: float = Field(description="hours between what the two say of their time; 0 when they may coincide")
    similarity: float = Field(description="0 to 1: the share of their words (in the same language) the texts share")
    earlier: bool = Field(description="received before the report it is a candidate for")

    @staticmethod
    def resolve_km(obj):
        return None if obj.km is None else round(obj.km, 1)

    @staticmethod
    def resolve_hours(obj):
        return round(obj.hours, 1)

    @staticmethod
    def resolve_similarity(obj):
        return round(obj.similarity, 2)


class DuplicatesOut(Schema):
    report: TriageReportOut
    candidates: list[CandidateOut] = Field(description="the likeliest first; nothing is merged without a triage")


class AwaitingTriageOut(Schema):
    items: list[DuplicatesOut] = Field(description="the reports awaiting triage, the earliest received first")


class TriagedOut(Schema):
    count: int
    items: list[ReportSummary]

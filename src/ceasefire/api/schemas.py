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

from ceasefire.agreements.models import CommitteeRole, Kind
from ceasefire.mechanism import parity
from ceasefire.mechanism.models import ActionStatus, Mechanism, Member, Role, in_language

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
    held_by: str | None = doc("who holds this reading; a party's speaker records its own party's")
    held_by_ar: str | None = doc()
    held_by_en: str | None = doc()
    reading: str | None = doc()
    reading_ar: str | None = doc()
    reading_en: str | None = doc()
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


class DecisionIn(In):
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
    party: str | None = doc("the party whose witness this is; leave out for the mission's own (facilitator)", examples=["west"])
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

    resolve_reason = _lang("reason")


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
    held_by: str
    held_by_ar: str
    held_by_en: str
    reading: str
    reading_ar: str
    reading_en: str
    source: str

    resolve_held_by = _lang("held_by")
    resolve_reading = _lang("reading")


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

    resolve_text = _lang("text")
    resolve_deadline = _lang("deadline")
    resolve_implementer = _lang("implementer")


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
    """Decision.outcome(), worked out once per answer rather than once per field."""
    if not hasattr(decision, "_api_outcome"):
        decision._api_outcome = decision.outcome()
    return decision._api_outcome


class DecisionOut(Schema):
    id: int
    meeting: int = Field(alias="meeting_id")
    number: int
    text: str
    text_ar: str
    text_en: str
    source: str
    adopted: bool
    adopted_at: dt.datetime | None
    positions: list[PositionOut] = Field(description="one entry per party, position null while it has not spoken")
    approved_by: list[str]
    objected_by: list[str]
    abstained_by: list[str]
    waiting_for: list[str]
    suspended: list[str] = Field(description="parties whose participation is suspended")

    resolve_text = _lang("text")

    @staticmethod
    def resolve_positions(decision):
        given = {p.party_id: p for p in decision.positions.all()}
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

    @staticmethod
    def resolve_approved_by(decision):
        return list(_outcome(decision).approved_by)

    @staticmethod
    def resolve_objected_by(decision):
        return list(_outcome(decision).objected_by)

    @staticmethod
    def resolve_abstained_by(decision):
        return list(_outcome(decision).abstained_by)

    @staticmethod
    def resolve_waiting_for(decision):
        return list(_outcome(decision).waiting_for)

    @staticmethod
    def resolve_suspended(decision):
        return list(_outcome(decision).suspended)


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
    minutes: str
    minutes_ar: str
    minutes_en: str
    source: str
    attendance: list[MemberOut]
    quorum: QuorumOut
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]
    action_items: list[ActionItemOut]

    resolve_host = _lang("host")
    resolve_received_by = _lang("received_by")
    resolve_summary = _lang("summary")
    resolve_minutes = _lang("minutes")

    @staticmethod
    def resolve_attendance(meeting):
        return list(Member.objects.filter(attendance__meeting=meeting).select_related("party"))

    @staticmethod
    def resolve_quorum(meeting):
        q = meeting.quorum()
        return {
            "met": q.met,
            "parties": [{"party": p, "present": n, "short": q.short.get(p, 0)} for p, n in q.present.items()],
        }


class EventOut(Schema):
    seq: int
    type: str
    time: str = Field(description="UTC, as the entry records it")
    actor: str
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
    hashes: list[str] = Field(description="RFC 9162 PROOF(first, D[0:second]), base64; empty when first is 0 or first = second")


class EntryOut(Schema):
    index: int
    leaf_hash: str = Field(description="base64 of SHA-256(0x00 || entry)")
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

"""The committee itself: its parties and seats, its members, and the caller."""

from typing import Annotated

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ceasefire.errors import NotFound
from ceasefire.mechanism import commands
from ceasefire.mechanism.accounts import speaks_for_party
from ceasefire.mechanism.models import Mechanism, Member, WitnessKey
from ceasefire.record.models import Cosignature

from ..auth import PUBLIC
from ..common import CODE_PATTERN, Code, Id, reading, writing
from ..schemas import (
    LeaveIn,
    Me,
    MechanismIn,
    MechanismOut,
    MemberIn,
    MemberOut,
    PartyOut,
    ReplaceIn,
    ResumeIn,
    RoleName,
    SuspendIn,
    WitnessKeyIn,
    WitnessKeyOut,
)

router = Router(tags=["mechanism"])


@router.get("/me", response=reading(Me), summary="Who the caller is on the committee")
def me(request):
    actor = request.auth
    return {
        "username": actor.username,
        "role": actor.role,
        "party": actor.party or None,
        "speaks_for_party": speaks_for_party(actor),
    }


@router.get("/mechanism", response=reading(MechanismOut), summary="The committee, its parties and their seats")
def mechanism(request):
    m = Mechanism.current()
    if m is None:
        raise NotFound(_("No mechanism has been established yet."))
    return m


@router.post("/mechanism", response=writing(MechanismOut, 201), summary="Establish the committee (once)")
def establish(request, payload: MechanismIn):
    return Status(201, commands.establish(request.auth, payload.data()))


@router.get("/members", response=reading(list[MemberOut]), summary="Members, past tenures included")
def members(
    request,
    current: bool | None = None,
    party: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    role: Query[RoleName | None] = None,
):
    qs = Member.objects.select_related("successor")
    if current is not None:
        qs = qs.filter(tenure_end__isnull=current)
    if party is not None:
        qs = qs.filter(party_id=party)
    if role is not None:
        qs = qs.filter(role=role)
    return list(qs)


@router.post("/members", response=writing(MemberOut, 201), summary="Appoint a member")
def appoint(request, payload: MemberIn):
    return Status(201, commands.appoint_member(request.auth, payload.data()))


@router.get("/members/{member_id}", response=reading(MemberOut))
def member(request, member_id: Id):
    return commands.get(Member, member_id, "member")


@router.post(
    "/members/{member_id}/replace",
    response=writing(MemberOut, 201),
    summary="End a tenure and seat a successor; answers the successor",
)
def replace(request, member_id: Id, payload: ReplaceIn):
    return Status(201, commands.replace_member(request.auth, member_id, payload.data()))


@router.post("/members/{member_id}/leave", response=writing(MemberOut), summary="End a member's tenure")
def leave(request, member_id: Id, payload: LeaveIn):
    return commands.end_tenure(request.auth, member_id, payload.data())


@router.post("/parties/{party}/suspend", response=writing(PartyOut), summary="A party suspends its participation")
def suspend(request, party: Code, payload: SuspendIn):
    return commands.suspend_participation(request.auth, party, payload.data())


@router.post("/parties/{party}/resume", response=writing(PartyOut), summary="A party resumes its participation")
def resume(request, party: Code, payload: ResumeIn):
    return commands.resume_participation(request.auth, party, payload.data())


@router.get(
    "/mechanism/witness-keys",
    auth=PUBLIC,
    response=reading(list[WitnessKeyOut]),
    summary="The witnesses' verifier keys, retired ones included, and the newest checkpoint each cosigned",
    description=(
        "Registered in the record by each party's speaker (the mission's own by the facilitator). A "
        "cosignature counts only from an active key; retired keys stay listed so that the cosignatures "
        "they made before can still be checked. No login needed."
    ),
)
def witness_keys(request):
    newest = (
        Cosignature.objects.filter(name=OuterRef("name"), key_id=OuterRef("key_id"))
        .order_by("-checkpoint_id")
        .values("checkpoint_id")[:1]
    )
    return list(WitnessKey.objects.annotate(newest_cosigned=Subquery(newest)).order_by("id"))


@router.post(
    "/mechanism/witness-keys",
    response=writing(WitnessKeyOut, 201),
    summary="Register a witness's verifier key (retires the holder's previous key)",
    description=(
        "A party's speaker registers the key of the party's witness; the facilitator, with no party, the "
        "mission's. Make the key on the witness's own machine with `ceasefire keys generate --name NAME`: "
        "only the verifier key it prints is sent here."
    ),
)
def register_witness_key(request, payload: WitnessKeyIn):
    return Status(201, commands.register_witness_key(request.auth, payload.data()))

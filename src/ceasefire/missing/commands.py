"""Opening a missing-person case, claiming its status, and each party's position on a claim. Each
step has one refusal function (why `actor` may not take it now, or None): the command raises it,
the pages and the API ask it.

The person's identity goes to the vault (incidents/vault.py); the record holds its commitment, so
that not even whoever opened the case reads it back: the facilitator alone reads the vault. A status
becomes the committee's under the rule of every matter the parties settle by consensus
(mechanism.consensus): a claim put forward by whoever speaks for a party is its party's approval;
the position that completes every party's approval makes it the committee's in the same command,
and the record states it (missing.status_agreed) with only what observers read: the case, the
status and its day."""

from django.utils.translation import gettext as _

from ceasefire import claims
from ceasefire import validate as v
from ceasefire.exchanges.models import Exchange
from ceasefire.forces import commands as forces
from ceasefire.incidents import vault
from ceasefire.mechanism import consensus
from ceasefire.mechanism.commands import describe, get, mechanism, require_facilitator, speaker_refusal, today
from ceasefire.mechanism.permissions import speaks
from ceasefire.record import log
from ceasefire.record.log import Actor, append, command

from .models import Case, Identity, Status, StatusClaim


def claim_refusal(actor: Actor | None):
    """Who opens a case and claims its status: forces.claim_refusal's rule (a party's delegation
    while its party takes part, a monitor, the facilitator), in this subject's words."""
    return forces.claim_refusal(
        actor, _("Only a party's delegation, a monitor or the facilitator records claims about missing persons.")
    )


def _refuse(refusal) -> None:
    if refusal is not None:
        raise refusal


@command
def open_case(actor: Actor, data: dict) -> Case:
    """A person missing since a day, last seen at a place, in circumstances, from a source; who they
    are goes to the vault, the record holds its commitment."""
    _refuse(claim_refusal(actor))
    mechanism()
    with v.every_field():
        since = claims.day(data, "missing_since")
        payload = {
            "missing_since": since.isoformat() if since else None,
            **claims.place(data, required=True),
            **v.bilingual(data, "circumstances", max_length=5000),
            "source": claims.source(data),
            "opened_by": claims.claimed_by(actor),
        }
        identity = vault.clean(data.get("identity"), "identity")
    salt, payload["commitment"] = vault.commit(identity)
    event = append("missing.case_opened", payload, actor)
    vault.keep(Identity, event, actor, identity, salt, payload["commitment"])
    return Case.objects.get(id=event.seq)


def identity(actor: Actor, case: Case) -> Identity | None:
    """Who a missing person is: the facilitator's to read, nobody else's (not whoever opened the case)."""
    require_facilitator(actor)
    return Identity.objects.filter(commitment=case.commitment).first()


def _exchange(value, status: str) -> int | None:
    """A release may name the recorded exchange it came in; no other status names one."""
    if value in (None, ""):
        return None
    if status != Status.RELEASED:
        return v.refuse(_("only a release names the exchange it came in"), "exchange")
    pk = v.integer(value, "exchange", minimum=1, maximum=2**63 - 1)
    if pk is not None and not Exchange.objects.filter(pk=pk).exists():
        return v.refuse(_("is not a recorded detainee exchange"), "exchange")
    return pk


@command
def claim_status(actor: Actor, case_id, data: dict) -> StatusClaim:
    """The case's status as of a day, with a note and its source. A claim put forward by whoever
    speaks for a party is its party's approval; it becomes the committee's when every party approves."""
    case = get(Case, case_id, "case")
    _refuse(claim_refusal(actor))
    with v.every_field():
        status = v.choice(data.get("status"), "status", Status)
        as_of = claims.day(data, "as_of")
        if as_of and as_of < case.missing_since:  # a status speaks of the person since they went missing
            as_of = v.refuse(
                _("must not be before the day the person went missing (%(day)s)")
                % {"day": case.missing_since.isoformat()},
                "as_of",
            )
        payload = {
            "case": case.id,
            "status": status,
            "as_of": as_of.isoformat() if as_of else None,
            "exchange": _exchange(data.get("exchange"), status),
            **v.bilingual(data, "note", max_length=5000),
            "source": claims.source(data),
            "claimed_by": claims.claimed_by(actor),
            # a speaker's claim is its party's approval; a member's or the mission's approves nothing
            "approved_by": actor.party if speaks(actor) and speaker_refusal(actor) is None else None,
        }
    claim = StatusClaim.objects.get(id=append("missing.status_claimed", payload, actor).seq)
    _agree_if_complete(claim)
    claim.refresh_from_db()
    return claim


def position_refusal(actor: Actor | None, claim: StatusClaim):
    return consensus.position_refusal(
        actor, claim.agreed, _("This status is the committee's; its positions can no longer change.")
    )


@command
def take_position(actor: Actor, claim_id, data: dict) -> StatusClaim:
    """The position of the actor's party on a status claim. The position that completes every
    party's approval makes it the committee's, in the same command."""
    claim = get(StatusClaim, claim_id, "claim")
    _refuse(position_refusal(actor, claim))
    with v.every_field():
        payload = consensus.position_payload(actor, "claim", claim.id, data)
    append("missing.status_position_taken", payload, actor)
    _agree_if_complete(claim)
    claim.refresh_from_db()
    return claim


def waiting_for(claim: StatusClaim) -> list[str]:
    return describe(claim.waits(today()))


def _agree_if_complete(claim: StatusClaim) -> None:
    if claim.agreed or claim.waits(today()):
        return
    # What observers read of a case, and nothing more: its note and source stay with the parties.
    payload = {"claim": claim.id, "case": claim.case_id, "status": claim.status, "as_of": claim.as_of.isoformat()}
    append("missing.status_agreed", payload, log.COMMITTEE)


def agree_completed(actor: Actor) -> None:
    """After a party's return: every status that waited only for it becomes the committee's."""
    for claim in StatusClaim.objects.filter(agreed=False).order_by("id"):
        _agree_if_complete(claim)

"""What can be done with the register of foreign forces, the withdrawal plan and departures. Each
step has one refusal function (why `actor` may not take it now, or None): the command raises it,
the pages and the API ask it. Each command appends its event; projections.py applies it."""

from django.utils.translation import gettext as _

from ceasefire import claims
from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden
from ceasefire.incidents import commands as incidents
from ceasefire.incidents import vault, verifying
from ceasefire.mechanism import parity
from ceasefire.mechanism.commands import describe, get, mechanism, require_facilitator, speaker_refusal, today
from ceasefire.mechanism.models import Mechanism, Party, Role, Suspension
from ceasefire.mechanism.permissions import facilitates
from ceasefire.record import log
from ceasefire.record.log import Actor, append, command

from . import withdrawal
from .models import (
    Confidence,
    Departure,
    Group,
    GroupKind,
    Imbalance,
    Informant,
    Plan,
    Presence,
    Stage,
    StageStatus,
)
from .verification import DEPARTURE

# The typology's category a verification is filed under unless the requester names another.
VERIFICATION_CATEGORY = "foreign-forces"
CLAIMANTS = (Role.HEAD, Role.MEMBER, Role.MONITOR, Role.FACILITATOR)


def _informant(data: dict):
    """An informant's identity, for the vault; its commitment goes into the record."""
    identity = data.get("informant")
    if identity in (None, "", {}):
        return None, None, None
    identity = vault.clean(identity, "informant")
    salt, commitment = vault.commit(identity)
    return identity, salt, commitment


def _keep(actor: Actor, event, identity, salt, commitment) -> None:
    if identity:
        vault.keep(Informant, event, actor, identity, salt, commitment)


def claim_refusal(actor: Actor | None, forbidden: str | None = None):
    """Registering a group, claiming its presence or a departure (and, with their own `forbidden`
    words, an exchange's numbers or a clearance): the parties' delegations, the monitors and the
    facilitator. Observers read; they do not claim."""
    if not actor or actor.role not in CLAIMANTS:
        return Forbidden(
            forbidden
            or _("Only a party's delegation, a monitor or the facilitator records claims about foreign forces.")
        )
    if actor.role in (Role.HEAD, Role.MEMBER):
        return incidents._suspension(actor.party)
    return None


def _refuse(refusal) -> None:
    if refusal is not None:
        raise refusal


# ---------------------------------------------------------------- the register


@command
def register_group(actor: Actor, data: dict) -> Group:
    """A force or group said to be present, with its claimed affiliation and sponsor and its source."""
    _refuse(claim_refusal(actor))
    mechanism()
    with v.every_field():
        payload = {
            "kind": v.choice(data.get("kind"), "kind", GroupKind.values),
            **v.bilingual(data, "name", max_length=200, required=True),
            **v.bilingual(data, "origin", max_length=200),
            **v.bilingual(data, "affiliation", max_length=300),
            **v.bilingual(data, "sponsor", max_length=300),
            "source": claims.source(data),
            "claimed_by": claims.claimed_by(actor),
        }
    return Group.objects.get(id=append("forces.group_registered", payload, actor).seq)


def _strength(data: dict) -> dict:
    low, best, high = claims.count(data, "low"), claims.count(data, "best"), claims.count(data, "high")
    if all(data.get(k) in (None, "") for k in ("low", "best", "high")):
        v.refuse(_("give the strength claimed: low, best or high, or all three"), "best")
    if low is not None and best is not None and low > best:
        v.refuse(_("must not be more than the best estimate"), "low")
    if high is not None and best is not None and high < best:
        v.refuse(_("must not be less than the best estimate"), "high")
    if low is not None and high is not None and low > high:
        v.refuse(_("must not be more than the high estimate"), "low")
    return {"low": low, "best": best, "high": high}


@command
def claim_presence(actor: Actor, group_id, data: dict) -> Presence:
    """A claim that a group is at a place for a period, in a strength (low / best / high), with its
    source, the day it speaks of and the source's confidence. An informant's identity goes to the
    vault; the record holds its commitment."""
    _refuse(claim_refusal(actor))
    group = get(Group, group_id, "group")
    with v.every_field():
        from_on = claims.day(data, "from_on")
        until_on = claims.day(data, "until_on", required=False)
        period = from_on and not (until_on and until_on < from_on)
        if from_on and not period:
            v.refuse(_("must not be before the first day"), "until_on")
        as_of = claims.day(data, "as_of", required=False) or from_on
        if period and as_of and (as_of < from_on or (until_on and as_of > until_on)):
            v.refuse(_("must fall within the period claimed"), "as_of")
        fields = {
            **claims.place(data, required=True),
            **_strength(data),
            "confidence": v.choice(data.get("confidence"), "confidence", Confidence.values),
            "source": claims.source(data),
        }
        identity, salt, commitment = _informant(data)
    payload = {
        "group": group.id,
        **fields,
        "from_on": from_on.isoformat(),
        "until_on": v.iso(until_on),
        "as_of": as_of.isoformat(),
        "source_commitment": commitment,
        "claimed_by": claims.claimed_by(actor),
    }
    event = append("forces.presence_claimed", payload, actor)
    _keep(actor, event, identity, salt, commitment)
    return Presence.objects.get(id=event.seq)


# ---------------------------------------------------------------- the withdrawal plan


@command
def record_plan(actor: Actor, data: dict) -> Plan:
    require_facilitator(actor)
    mechanism()
    payload = {
        **v.bilingual(data, "title", max_length=300, required=True),
        "agreed_on": v.iso(v.date(data.get("agreed_on"), "agreed_on")),
        **v.bilingual(data, "principles", max_length=5000),
        "source": claims.source(data),
    }
    return Plan.objects.get(id=append("forces.plan_recorded", payload, actor).seq)


@command
def add_stage(actor: Actor, plan_id, data: dict) -> Stage:
    require_facilitator(actor)
    plan = get(Plan, plan_id, "plan")
    payload = {
        "plan": plan.id,
        "order": plan.stages.count() + 1,
        **v.bilingual(data, "title", max_length=300, required=True),
        **v.bilingual(data, "conditions", max_length=5000),
        "source": claims.source(data),
    }
    return Stage.objects.get(id=append("forces.stage_added", payload, actor).seq)


def _open(stage: Stage):
    if stage.complete:
        return Conflict(_("This stage is complete; the record says how, and that stands."), "stage")
    return None


def sequence_refusal(stage: Stage):
    """The plan is sequenced: a stage is reported on, or recorded complete, only once every earlier
    stage of its plan is complete."""
    earlier = (
        Stage.objects.filter(plan_id=stage.plan_id, order__lt=stage.order)
        .exclude(status__in=(StageStatus.COMPLETE, StageStatus.IMBALANCE))
        .order_by("order")
        .first()
    )
    if earlier is not None:
        return Conflict(
            _("Stage %(n)d of the plan is not complete yet: the stages are carried out in order.")
            % {"n": earlier.order},
            "stage",
        )
    return None


def side_refusal(actor: Actor | None, stage: Stage):
    """A party's word on its own side of a stage: whoever speaks for the party, while it takes part,
    on a stage not complete yet whose earlier stages are complete. Never on the other side's."""
    return speaker_refusal(actor) or _open(stage) or sequence_refusal(stage)


@command
def report_side(actor: Actor, stage_id, data: dict) -> Stage:
    """The actor's party says its side of the stage is complete (or, again, that it is not). The
    word that completes every side completes the stage, in the same command."""
    stage = get(Stage, stage_id, "stage")
    _refuse(side_refusal(actor, stage))
    if data.get("party") not in (None, "", actor.party):
        raise Forbidden(_("A party speaks for its own side only."), "party")
    payload = {
        "stage": stage.id,
        "party": actor.party,
        "complete": incidents._bool(data.get("complete"), "complete"),
        "as_of": claims.day(data, "as_of").isoformat(),
        **v.bilingual(data, "note", max_length=5000),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    append("forces.stage_side_reported", payload, actor)
    _complete_if_due(stage)
    stage.refresh_from_db()
    return stage


def imbalance_refusal(actor: Actor | None, stage: Stage):
    """Proposing that the committee record a stage's imbalance: the facilitator or a party's
    speaker, on a stage not complete, with no other proposal on it pending."""
    if not facilitates(actor):
        refusal = speaker_refusal(actor)
        if refusal is not None:
            return (
                Forbidden(_("Only the facilitator or whoever speaks for a party proposes to record an imbalance."))
                if refusal.status == 403
                else refusal
            )
    return _open(stage) or sequence_refusal(stage) or _pending(stage)


def _pending(stage: Stage):
    for imbalance in stage.imbalances.all():
        outcome = _outcome(imbalance)
        if not (outcome.objected_by or outcome.abstained_by):
            return Conflict(_("A proposal to record this stage's imbalance is before the parties already."), "stage")
    return None


def _outcome(imbalance: Imbalance) -> parity.Outcome:
    parties = list(Party.objects.order_by("order"))
    return parity.outcome([p.code for p in parties], {p.party_id: p.position for p in imbalance.positions.all()})


@command
def propose_imbalance(actor: Actor, stage_id, data: dict) -> Imbalance:
    """Put before the parties that the stage be recorded complete despite an imbalance between the
    sides, saying what it is. A party that proposes it approves it; it is recorded only when every
    party approves."""
    stage = get(Stage, stage_id, "stage")
    _refuse(imbalance_refusal(actor, stage))
    payload = {
        "stage": stage.id,
        "party": None if facilitates(actor) else actor.party,
        **v.bilingual(data, "text", max_length=5000, required=True),
    }
    imbalance = Imbalance.objects.get(id=append("forces.imbalance_proposed", payload, actor).seq)
    _complete_if_due(stage)
    imbalance.refresh_from_db()
    return imbalance


def imbalance_position_refusal(actor: Actor | None, imbalance: Imbalance):
    return speaker_refusal(actor) or _open(imbalance.stage)


@command
def take_imbalance_position(actor: Actor, imbalance_id, data: dict) -> Imbalance:
    imbalance = get(Imbalance, imbalance_id, "imbalance")
    _refuse(imbalance_position_refusal(actor, imbalance))
    payload = {
        "imbalance": imbalance.id,
        "party": actor.party,
        "position": v.choice(data.get("position"), "position", parity.POSITIONS),
        **v.bilingual(data, "reason", max_length=5000),
    }
    append("forces.imbalance_position_taken", payload, actor)
    _complete_if_due(imbalance.stage)
    imbalance.refresh_from_db()
    return imbalance


def _suspended() -> list[str]:
    day = today()
    return list(Suspension.parties_out(day, day))


def waits(stage: Stage) -> tuple[parity.Waiting, ...]:
    """What the stage waits for: every party's side complete (NOT_APPROVED for a side not complete)."""
    if stage.complete:
        return ()
    sides = {s.party_id: s.complete for s in stage.sides.all()}
    return tuple(
        parity.Waiting(parity.NOT_APPROVED, p) for p in Mechanism.current().rules().parties if not sides.get(p)
    )


def waiting_for(stage: Stage) -> list[str]:
    names = {p.code: p.text("name") for p in Party.objects.all()}
    return [_("the side of %(party)s is not complete") % {"party": names.get(w.party, w.party)} for w in waits(stage)]


def imbalance_waits(imbalance: Imbalance) -> tuple[parity.Waiting, ...]:
    """What a proposed imbalance waits for: every party's approval, by the shared consensus."""
    if imbalance.recorded:
        return ()
    parties = Mechanism.current().rules().parties
    positions = {p.party_id: p.position for p in imbalance.positions.all()}
    return parity.consensus_waits(parties, positions, _suspended())


def imbalance_waiting_for(imbalance: Imbalance) -> list[str]:
    return describe(imbalance_waits(imbalance))


def _complete_if_due(stage: Stage) -> None:
    """The record states that the stage is complete, and how (on every side, or by the imbalance
    every party approved): observers read it from this entry; replay applies it as it says."""
    stage.refresh_from_db()
    if stage.complete:
        return
    parties = Mechanism.current().rules().parties
    sides = {s.party_id: s.complete for s in stage.sides.all()}
    imbalances = list(stage.imbalances.order_by("id").prefetch_related("positions"))
    positions = [{p.party_id: p.position for p in i.positions.all()} for i in imbalances]
    outcome = withdrawal.stage_outcome(parties, sides, positions, _suspended())
    if outcome is None:
        return
    recorded = None
    if outcome == withdrawal.IMBALANCE:
        recorded = next(
            i
            for i, pos in zip(imbalances, positions, strict=True)
            if not parity.consensus_waits(parties, pos, _suspended())
        )
    append(
        "forces.stage_completed",
        {
            "stage": stage.id,
            "outcome": outcome,
            "imbalance": recorded.id if recorded else None,
            "text_ar": recorded.text_ar if recorded else "",
            "text_en": recorded.text_en if recorded else "",
            "sides": {s.party_id: {"complete": s.complete, "as_of": s.as_of.isoformat()} for s in stage.sides.all()},
        },
        log.COMMITTEE,
    )


def complete_waiting(actor: Actor) -> None:
    """After a party's return: every stage whose imbalance waited only for it."""
    for stage in (
        Stage.objects.exclude(status__in=("complete", "imbalance"))
        .filter(imbalances__isnull=False)
        .distinct()
        .order_by("id")
    ):
        _complete_if_due(stage)


# ---------------------------------------------------------------- departures


@command
def claim_departure(actor: Actor, group_id, data: dict) -> Departure:
    """A departure as claimed: how many of the group left, through which exit point, on which day,
    on what source. It stays a claim until the chain verifies it (request_verification)."""
    _refuse(claim_refusal(actor))
    group = get(Group, group_id, "group")
    with v.every_field():
        fields = {
            "claimed": claims.count(data, "claimed", required=True),
            "departed_on": v.iso(claims.day(data, "departed_on")),
            **claims.place(data, required=True),
            **v.bilingual(data, "destination", max_length=200),
            "confidence": v.choice(data.get("confidence"), "confidence", Confidence.values),
            "source": claims.source(data),
        }
        identity, salt, commitment = _informant(data)
    payload = {
        "group": group.id,
        **fields,
        "source_commitment": commitment,
        "claimed_by": claims.claimed_by(actor),
    }
    event = append("forces.departure_claimed", payload, actor)
    _keep(actor, event, identity, salt, commitment)
    return Departure.objects.get(id=event.seq)


def verification_refusal(actor: Actor | None, departure: Departure):
    """Asking the chain to verify a departure (incidents.verifying)."""
    return verifying.refusal(
        actor,
        DEPARTURE,
        departure.id,
        "departure",
        forbidden=_("Only a party's delegation or the facilitator asks for a departure to be verified."),
        concluded=_("This departure's verification is concluded: %(ref)s."),
        underway=_("This departure is being verified already: %(ref)s."),
    )


@command
def request_verification(actor: Actor, departure_id, data: dict):
    """File the report through which the chain verifies the departure. The verified number is the
    concluded findings' count."""
    departure = get(Departure, departure_id, "departure")
    _refuse(verification_refusal(actor, departure))
    group = departure.group

    def texts():
        name = group.text("name")
        facts = {"n": departure.claimed, "group": name, "ref": departure.reference}
        return (
            _("Verification of departure %(ref)s: %(n)d of %(group)s") % facts,
            _("Claimed: %(n)d of %(group)s left through %(place)s on %(day)s. Claim: departure %(ref)s.")
            % {**facts, "place": departure.text("place"), "day": departure.departed_on.isoformat()},
        )

    # The report's source is who claimed the departure, not who asks for it to be verified.
    return verifying.request(
        actor,
        (DEPARTURE, departure.id),
        data,
        category=VERIFICATION_CATEGORY,
        texts=texts,
        day=departure.departed_on,
        where=departure,
        source=verifying.source(departure.claimed_by_id),
    )


# ---------------------------------------------------------------- the vault


def informant(actor: Actor, commitment: str | None):
    """The identity behind a claim's commitment: the facilitator's to read, nobody else's."""
    require_facilitator(actor)
    if not commitment:
        return None
    return Informant.objects.filter(commitment=commitment).first()

"""What the parties settle by consensus outside a meeting (an assessment of how far a provision is
implemented, a version of one of the committee's layers): one rule, one refusal, one payload and one
projection of a party's position, shared by every kind of such matter.

The rule is parity.consensus_waits: every party approves, and what needs a suspended party's
approval waits for its return. A matter is a projection row with a `positions` relation (each row a
party's position: party, position, given_by, given_at, reason_ar, reason_en); the record states that
it is settled by an entry of its own, appended by the command whose position completed it.
"""

from collections.abc import Mapping

from ceasefire import validate as v
from ceasefire.errors import Conflict
from ceasefire.record.log import Actor

from . import parity
from .models import Mechanism, Party, Suspension


def positions(matter) -> dict[str, str]:
    """party code -> its position on the matter."""
    return {p.party_id: p.position for p in matter.positions.all()}


def waits(given: Mapping[str, str], today) -> tuple[parity.Waiting, ...]:
    """What a matter with the positions `given` waits for as of `today` (parity.consensus_waits)."""
    return parity.consensus_waits(
        Mechanism.current().rules().parties, given, suspended=Suspension.parties_out(today, today)
    )


def outcome(given: Mapping[str, str]) -> parity.Outcome:
    """Who approved, objected, abstained, has not spoken, and who is suspended now."""
    parties = list(Party.objects.order_by("order"))
    return parity.outcome([p.code for p in parties], given, suspended=[p.code for p in parties if p.suspended])


def position_refusal(actor: Actor, settled: bool, settled_message: str):
    """Why `actor` may not give its party's position on a matter now (the error to raise), or None:
    only whoever speaks for a party that takes part, and only while the matter is not settled."""
    from .commands import speaker_refusal

    refusal = speaker_refusal(actor)
    if refusal is not None:
        return refusal
    if settled:
        return Conflict(settled_message)
    return None


def position_payload(actor: Actor, key: str, matter_id, data: dict) -> dict:
    """The entry of a party's position on the matter `matter_id` (named `key` in the entry)."""
    return {
        key: matter_id,
        "party": actor.party,
        "position": v.choice(data.get("position"), "position", parity.POSITIONS),
        **v.bilingual(data, "reason", max_length=5000),
    }


def project_position(model, key: str, event) -> None:
    """Apply a position entry (position_payload) to `model`: the party's latest position counts."""
    p = event.payload
    model.objects.update_or_create(
        **{f"{key}_id": p[key]},
        party_id=p["party"],
        defaults={
            "position": p["position"],
            "given_by": event.account,
            "given_at": event.time,
            "reason_ar": p["reason_ar"],
            "reason_en": p["reason_en"],
        },
    )


def project_proposer_approval(model, key: str, matter_id, party: str | None, event) -> None:
    """A party puts forward what it approves: its proposal's entry is its position too."""
    if party:
        model.objects.create(
            **{f"{key}_id": matter_id},
            party_id=party,
            position=parity.APPROVE,
            given_by=event.account,
            given_at=event.time,
        )

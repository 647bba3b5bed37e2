"""The parity rules of a joint mechanism, as pure functions.

No Django here: every path (API, web, CLI, import) calls these same functions, and a
mechanism is configured by data (its parties, seats and quorum), never by code.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

APPROVE, OBJECT, ABSTAIN = "approve", "object", "abstain"
POSITIONS = (APPROVE, OBJECT, ABSTAIN)


@dataclass(frozen=True)
class Rules:
    """Seats and quorum per party, in the order the parties are listed."""

    seats: Mapping[str, int]
    quorum: Mapping[str, int]

    def __post_init__(self):
        if not self.seats:
            raise ValueError("a mechanism needs at least one party")
        if set(self.seats) != set(self.quorum):
            raise ValueError("quorum must be set for exactly the parties that hold seats")
        for party, n in self.seats.items():
            if n < 1:
                raise ValueError(f"party {party!r} must hold at least one seat")
            if not 1 <= self.quorum[party] <= n:
                raise ValueError(f"quorum for {party!r} must be between 1 and its {n} seats")

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self.seats)


def default_quorum(seats: int) -> int:
    """A majority of a party's seats: 3 of 5."""
    return seats // 2 + 1


def balanced(seats: Mapping[str, int]) -> bool:
    """Every party holds the same number of seats (5+5, 3+3)."""
    return len(set(seats.values())) <= 1


@dataclass(frozen=True)
class Quorum:
    met: bool
    present: Mapping[str, int]
    short: Mapping[str, int]  # party -> how many more members it needs present


def quorum(rules: Rules, present: Mapping[str, int]) -> Quorum:
    """A meeting is quorate only when every party has its own quorum present.

    One full delegation cannot make up for the other's absence.
    """
    counts = {p: max(0, int(present.get(p, 0))) for p in rules.parties}
    short = {p: rules.quorum[p] - counts[p] for p in rules.parties if counts[p] < rules.quorum[p]}
    return Quorum(met=not short, present=counts, short=short)


@dataclass(frozen=True)
class Outcome:
    adopted: bool
    approved_by: tuple[str, ...]
    objected_by: tuple[str, ...]
    abstained_by: tuple[str, ...]
    waiting_for: tuple[str, ...]  # parties that have taken no position yet
    suspended: tuple[str, ...]  # parties whose participation is suspended


def outcome(
    parties: Iterable[str],
    positions: Mapping[str, str],
    suspended: Collection[str] = (),
) -> Outcome:
    """Consensus: a decision is adopted only when every party approves.

    An objection, an abstention or a party that has not spoken leaves it not adopted. A party
    that has suspended its participation cannot speak, so what needs it waits; a position it gave
    before suspending stands.
    """
    parties = tuple(parties)
    if not parties:
        raise ValueError("consensus needs at least one party")
    for party, position in positions.items():
        if party not in parties:
            raise ValueError(f"unknown party {party!r}")
        if position not in POSITIONS:
            raise ValueError(f"unknown position {position!r}")

    def having(p):
        return tuple(party for party in parties if positions.get(party) == p)

    approved = having(APPROVE)
    return Outcome(
        adopted=len(approved) == len(parties),
        approved_by=approved,
        objected_by=having(OBJECT),
        abstained_by=having(ABSTAIN),
        waiting_for=tuple(p for p in parties if p not in positions),
        suspended=tuple(p for p in parties if p in suspended),
    )


def joint(member_parties: Iterable[str | None], parties: Iterable[str]) -> bool:
    """A joint team has at least one member of every party."""
    return set(parties) <= {p for p in member_parties if p}


# What a decision of a meeting may wait for before it is adopted.
NOT_HELD, NO_POSITION, NOT_APPROVED, NO_QUORUM = "not_held", "no_position", "not_approved", "no_quorum"
SUSPENDED = "suspended"


@dataclass(frozen=True)
class Waiting:
    """One thing a decision waits for: `what` (one of the five above) and the party it concerns
    (None for the meeting itself)."""

    what: str
    party: str | None = None


def _party_waits(party: str, consensus: Outcome, suspended: Collection[str]) -> list[Waiting]:
    """What a matter settled by consensus waits for from one party: its return from a suspension,
    then its position, or its approval."""
    waits = [Waiting(SUSPENDED, party)] if party in suspended else []
    if party in consensus.waiting_for:
        waits.append(Waiting(NO_POSITION, party))
    elif party not in consensus.approved_by:
        waits.append(Waiting(NOT_APPROVED, party))
    return waits


def consensus_waits(
    parties: Iterable[str], positions: Mapping[str, str], suspended: Collection[str] = ()
) -> tuple[Waiting, ...]:
    """What a matter the parties settle by consensus outside a meeting (an assessment of how far a
    provision is implemented) waits for; nothing once every party approves and none is suspended.

    The same rule as a decision's (`waiting_for`), without the meeting: every party approves, and
    what needs a suspended party's approval waits for its return.
    """
    parties = tuple(parties)
    consensus = outcome(parties, positions)
    return tuple(w for party in parties for w in _party_waits(party, consensus, suspended))


def waiting_for(
    rules: Rules,
    positions: Mapping[str, str],
    present: Mapping[str, int],
    held: bool,
    suspended: Collection[str] = (),
) -> tuple[Waiting, ...]:
    """What a decision of a meeting waits for before it is adopted; nothing once it may be.

    Adopted only when the meeting has taken place, every party approves, and each party has its own
    quorum of seated members recorded present at that meeting: approval given by a party's
    speaker does not make up for the absence of its delegation, nor a full delegation for the
    other's absence. Nor while a party's participation is suspended (`suspended`: the caller says
    on which days that counts): what needs its approval waits for its return. Each party is listed
    in the mechanism's order, its suspension first, then its missing position, then its missing quorum.
    """
    consensus = outcome(rules.parties, positions)
    short = quorum(rules, present).short
    waits = [] if held else [Waiting(NOT_HELD)]
    for party in rules.parties:
        waits += _party_waits(party, consensus, suspended)
        if party in short:
            waits.append(Waiting(NO_QUORUM, party))
    return tuple(waits)

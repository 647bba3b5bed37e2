"""The withdrawal's rules as pure functions, like mechanism/parity.py: no Django here.

"Balanced and synchronised" (the action plan of 8 October 2021): a stage is complete only when it
is complete on every side, or when the committee recorded the imbalance by consensus (every party
approves, none suspended: parity.consensus_waits). One party alone never completes a stage.

Progress: departures as claimed (per claimant, side by side) beside departures as verified, per group
and overall, over time.
"""

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from ceasefire.mechanism import parity

BOTH_SIDES = "complete"  # StageStatus.COMPLETE
IMBALANCE = "imbalance"  # StageStatus.IMBALANCE


def stage_outcome(
    parties: Iterable[str],
    sides: Mapping[str, bool],
    imbalances: Iterable[Mapping[str, str]] = (),
    suspended: Collection[str] = (),
) -> str | None:
    """How a stage is complete now, or None. `sides`: party -> its side complete; `imbalances`:
    for each proposal to record an imbalance, party -> its position."""
    parties = tuple(parties)
    if not parties:
        raise ValueError("a stage needs at least one party")
    if all(sides.get(p) is True for p in parties):
        return BOTH_SIDES
    for positions in imbalances:
        if not parity.consensus_waits(parties, positions, suspended):
            return IMBALANCE
    return None


MISSION = ""  # the claimant of a departure claimed by a monitor or the facilitator, not by a party


@dataclass(frozen=True)
class Departed:
    group: int
    on: dt.date
    claimed: int
    verified: int | None  # None: no concluded verification (or the reader may not read it)
    claimant: str = MISSION  # the party that claimed it, or MISSION


@dataclass(frozen=True)
class Claimed:
    claimant: str  # a party's code, or MISSION
    claimed: int
    departures: int


@dataclass(frozen=True)
class Tally:
    """Rival claims stand side by side, never merged: two parties may claim the same departure, so
    what is claimed is one total per claimant, never one sum. Verified is one number: what joint
    teams counted in concluded findings."""

    claims: tuple[Claimed, ...]
    verified: int
    departures: int
    verified_departures: int

    @property
    def most_claimed(self) -> int:
        """The largest claimant's total (a chart's scale): never the sum of rival claims."""
        return max((c.claimed for c in self.claims), default=0)


def tally(departures: Iterable[Departed], day: dt.date | None = None) -> Tally:
    """What had departed by `day` (all, without one): claimed per claimant and verified, never one
    for the other."""
    rows = [d for d in departures if day is None or d.on <= day]
    claimants = sorted({d.claimant for d in rows}, key=lambda c: (c == MISSION, c))  # the mission last
    return Tally(
        claims=tuple(
            Claimed(
                claimant=c,
                claimed=sum(d.claimed for d in rows if d.claimant == c),
                departures=sum(1 for d in rows if d.claimant == c),
            )
            for c in claimants
        ),
        verified=sum(d.verified or 0 for d in rows),
        departures=len(rows),
        verified_departures=sum(1 for d in rows if d.verified is not None),
    )


def days(departures: Iterable[Departed], today: dt.date) -> list[dt.date]:
    """The days progress is shown on: the end of each month with a departure, then today."""
    out = set()
    for d in departures:
        nxt = dt.date(d.on.year + d.on.month // 12, d.on.month % 12 + 1, 1)
        out.add(min(nxt - dt.timedelta(days=1), today))
    return sorted(out | {today})


def progress(departures: Iterable[Departed], today: dt.date) -> dict:
    """Overall and per group, today and over time."""
    departures = list(departures)
    groups = sorted({d.group for d in departures})
    on = days(departures, today)
    return {
        "on": today,
        "overall": tally(departures),
        "groups": {g: tally(d for d in departures if d.group == g) for g in groups},
        "over_time": [(day, tally(departures, day)) for day in on],
    }

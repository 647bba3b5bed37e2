"""The withdrawal's rules as pure functions, like mechanism/parity.py: no Django here.

"Balanced and synchronised" (the action plan of 8 October 2021): a stage is complete only when it
is complete on every side, or when the committee recorded the imbalance by consensus (every party
approves, none suspended: parity.consensus_waits). One party alone never completes a stage.

Progress: departures as claimed beside departures as verified, per group and overall, over time.
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


@dataclass(frozen=True)
class Departed:
    group: int
    on: dt.date
    claimed: int
    verified: int | None  # None: no concluded verification (or the reader may not read it)


@dataclass(frozen=True)
class Tally:
    claimed: int
    verified: int
    departures: int
    verified_departures: int


def tally(departures: Iterable[Departed], day: dt.date | None = None) -> Tally:
    """What had departed by `day` (all, without one): claimed and verified, never one for the other."""
    rows = [d for d in departures if day is None or d.on <= day]
    return Tally(
        claimed=sum(d.claimed for d in rows),
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

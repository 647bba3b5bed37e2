"""How a provision stands against its deadline, and how far an agreement is implemented, as pure
functions. No Django here, like mechanism/parity.py: the API, the pages and the dashboard all ask
these, so a provision is "overdue" in one place only.

A status is one of the Peace Accords Matrix's levels ("0" not initiated, "1" minimal,
"2" intermediate, "3" full) or "not_yet_due" or "reversed" (agreements.models.Status). Only the
committee's agreed statuses count here; a status one party puts forward is a claim, shown beside
its rivals, never a provision's standing.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

FULL, NOT_YET_DUE, REVERSED = "3", "not_yet_due", "reversed"
# The levels a roll-up counts, from the most implemented; None: no agreed status yet.
LEVELS = ("3", "2", "1", "0", REVERSED, NOT_YET_DUE, None)

# A provision's standing against its deadline.
DONE = "done"  # fully implemented, by the committee's agreed status
OVERDUE = "overdue"  # its deadline has passed and the committee's status is below full
DUE = "due"  # its deadline has passed and the committee has agreed no status: not known to be missed
NOT_DUE = "not_yet_due"  # its deadline is ahead (or the committee agreed it is not yet due)
CONDITIONAL = "conditional"  # its deadline depends on an event that has not happened (or is disputed)
NO_DEADLINE = "no_deadline"
STANDINGS = (DONE, OVERDUE, DUE, NOT_DUE, CONDITIONAL, NO_DEADLINE)

NEAR_DAYS = 30  # a deadline this close is shown as near


@dataclass(frozen=True)
class Standing:
    state: str  # one of STANDINGS
    due: dt.date | None
    days: int | None  # days past the deadline (overdue, due) or left before it (not yet due)
    near: bool = False  # not yet due, and within NEAR_DAYS


def standing(
    due: dt.date | None,
    today: dt.date,
    status: str | None = None,
    condition: str | None = None,
) -> Standing:
    """Where a provision stands on `today`.

    `due`: its deadline as a date (None: none stated). `status`: the committee's agreed status as
    it stands, or None when there is none (or the reader may not read it). `condition`: the status
    of the event its deadline depends on ("unknown", "not_met", "met", "disputed"), or None when
    it depends on none.

    Fully implemented is done, whatever the date: a deadline reached is not a deadline missed. A
    deadline that waits on an event not known to have happened is conditional. Past its deadline, a
    provision is overdue only when the committee agreed a status below full; with no agreed status
    it is due, which says nothing of whether it was carried out.
    """
    if status == FULL:
        return Standing(DONE, due, None)
    if condition is not None and condition != "met":
        return Standing(CONDITIONAL, due, None)
    if status == NOT_YET_DUE:  # the committee reads the deadline as still ahead
        return Standing(NOT_DUE, due, None)
    if due is None:
        return Standing(NO_DEADLINE, None, None)
    if due >= today:
        days = (due - today).days
        return Standing(NOT_DUE, due, days, near=days <= NEAR_DAYS)
    return Standing(OVERDUE if status is not None else DUE, due, (today - due).days)


@dataclass(frozen=True)
class Agreed:
    """One of the committee's agreed statuses of a provision: as of `as_of`, recorded at entry `seq`."""

    as_of: dt.date
    seq: int
    status: str


def status_on(history: Iterable[Agreed], day: dt.date) -> Agreed | None:
    """The committee's status of a provision on `day`: of its agreed statuses as of that day or
    before, the one as of the latest day (of two as of the same day, the one agreed later)."""
    known = [a for a in history if a.as_of <= day]
    return max(known, key=lambda a: (a.as_of, a.seq)) if known else None


@dataclass(frozen=True)
class Share:
    """How many provisions stand at each level (LEVELS) on a day, of `total`."""

    counts: Mapping[str | None, int]
    total: int

    def percent(self, level: str | None) -> float:
        return 100.0 * self.counts[level] / self.total if self.total else 0.0


def share(statuses: Iterable[str | None]) -> Share:
    """The share of provisions at each level, as the Kroc Institute's Barometer reports it: each
    provision counted once, at its status (None: the committee has agreed none)."""
    counts = dict.fromkeys(LEVELS, 0)
    total = 0
    for status in statuses:
        counts[status if status in counts else None] += 1
        total += 1
    return Share(counts, total)


def rollup(
    provisions: Sequence[tuple[int, str]], histories: Mapping[int, Sequence[Agreed]], day: dt.date
) -> tuple[Share, dict[str, Share]]:
    """Overall and per theme on `day`. `provisions`: (id, theme) pairs; `histories`: id -> its
    agreed statuses."""

    def at(pid):
        found = status_on(histories.get(pid, ()), day)
        return found.status if found else None

    themes: dict[str, list] = {}
    for pid, theme in provisions:
        themes.setdefault(theme, []).append(at(pid))
    overall = share(s for statuses in themes.values() for s in statuses)
    return overall, {theme: share(statuses) for theme, statuses in themes.items()}


def milestones(first: dt.date, today: dt.date) -> list[dt.date]:
    """The days a roll-up is shown over time: the end of each year from `first`'s to last year's,
    then today."""
    days = [dt.date(year, 12, 31) for year in range(first.year, today.year)]
    return [d for d in days if d >= first] + [today]

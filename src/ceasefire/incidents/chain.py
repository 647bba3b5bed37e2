"""The verification chain as pure rules: its stages, which step may follow which, who must sign,
and when a stage is overdue. No Django here, like mechanism/parity.py: every path asks these.

    received → (triage) inquiry | duplicate | outside_mandate
    inquiry → (task a joint team) tasked → (investigation report, confirmed by a member of every
                                            party on the team) investigated
    investigated → (findings) findings → (every party and the facilitator sign) concluded
                                       → (a side dissents) disputed → the committee's next meeting
    disputed → (new findings) findings | (adopted decision) concluded | (none) disagreement
"""

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

RECEIVED = "received"
INQUIRY = "inquiry"
TASKED = "tasked"
INVESTIGATED = "investigated"
FINDINGS = "findings"
DISPUTED = "disputed"
CONCLUDED = "concluded"
DUPLICATE = "duplicate"
OUTSIDE_MANDATE = "outside_mandate"
DISAGREEMENT = "disagreement"

# The stages a report waits in, in order; each has a target duration.
STAGES = (RECEIVED, INQUIRY, TASKED, INVESTIGATED, FINDINGS, DISPUTED)
CLOSED = (CONCLUDED, DUPLICATE, OUTSIDE_MANDATE, DISAGREEMENT)
STATUSES = STAGES + CLOSED

# Days a report should spend at most in each stage, unless the mechanism sets its own.
TARGET_DAYS = {RECEIVED: 2, INQUIRY: 5, TASKED: 14, INVESTIGATED: 7, FINDINGS: 7, DISPUTED: 30}

# step -> the statuses it may start from. A step's result is fixed by the step (and, for a
# sign-off, by signoff_outcome), so no status can be skipped or reached out of order.
STEPS = {
    "triage": (RECEIVED,),
    "task": (INQUIRY,),
    "investigate": (TASKED,),
    "confirm_investigation": (TASKED,),
    "draft_findings": (INVESTIGATED, FINDINGS, DISPUTED),
    "sign": (FINDINGS,),
    "settle": (DISPUTED,),
    "record_disagreement": (DISPUTED,),
}

TRIAGE = {"admissible": INQUIRY, "duplicate": DUPLICATE, "outside_mandate": OUTSIDE_MANDATE}

FACILITATOR = ""  # the facilitator's side in a sign-off


def allowed(step: str, status: str) -> bool:
    return status in STEPS[step]


def next_step(status: str) -> tuple[str, ...]:
    """The steps a report at `status` may take next."""
    return tuple(step for step, starts in STEPS.items() if status in starts)


@dataclass(frozen=True)
class SignOffs:
    concluded: bool
    disputed: bool
    agreed: tuple[str, ...]  # parties that agreed
    dissenting: tuple[str, ...]  # sides that dissented ("" the facilitator)
    waiting_for: tuple[str, ...]  # sides yet to sign
    facilitator_agreed: bool


def signoffs(parties: Iterable[str], given: Mapping[str, bool]) -> SignOffs:
    """Findings conclude when every party (through its member on the team) and the facilitator
    agree; one dissent from any side disputes them. No party alone can conclude."""
    parties = tuple(parties)
    if not parties:
        raise ValueError("a sign-off needs at least one party")
    sides = (*parties, FACILITATOR)
    for side in given:
        if side not in sides:
            raise ValueError(f"unknown side {side!r}")
    dissenting = tuple(s for s in sides if given.get(s) is False)
    agreed = tuple(p for p in parties if given.get(p) is True)
    facilitator_agreed = given.get(FACILITATOR) is True
    return SignOffs(
        concluded=not dissenting and len(agreed) == len(parties) and facilitator_agreed,
        disputed=bool(dissenting),
        agreed=agreed,
        dissenting=dissenting,
        waiting_for=tuple(s for s in sides if s not in given),
        facilitator_agreed=facilitator_agreed,
    )


def joint(team_parties: Collection[str | None], parties: Iterable[str]) -> bool:
    """A verification team has at least one member of every party."""
    return set(parties) <= {p for p in team_parties if p}


def unconfirmed(team_parties: Collection[str | None], confirmed: Collection[str]) -> tuple[str, ...]:
    """The parties on the team that have yet to confirm its investigation report, in order: the
    report is the team's once none is left."""
    return tuple(sorted({p for p in team_parties if p} - set(confirmed)))


def due(entered_at: dt.datetime, days: int) -> dt.datetime:
    return entered_at + dt.timedelta(days=days)


def overdue(status: str, entered_at: dt.datetime, days: int, now: dt.datetime) -> bool:
    """A report still waiting at `status` past its target."""
    return status in STAGES and now > due(entered_at, days)

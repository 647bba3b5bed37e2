"""Walking a report along the verification chain, one step after another, as the tests need it."""

import datetime as dt

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.mechanism import commands as mechanism
from tests.conftest import FACILITATOR
from tests.helpers import hold
from tests.samples import FINDINGS, INVESTIGATION, REPORT, TEAM  # noqa: F401  (the tests take them from here)


def meeting_ahead(days: int = 30, title: str = "Next round"):
    """A meeting of the committee `days` from today (a disputed report goes to the next one)."""
    start = (dt.date.today() + dt.timedelta(days=days)).isoformat()
    return mechanism.record_meeting(
        FACILITATOR, {"title": title, "starts_on": start, "city": "Sirte", "country": "Libya"}
    )


def meeting_held(title: str = "This round"):
    """A meeting of the committee today, each party's quorum recorded present: what it decides is
    adopted as soon as every party approves."""
    meeting = meeting_ahead(0, title)
    hold(meeting)
    return meeting


def meeting_past(title: str = "Past round"):
    return mechanism.record_meeting(
        FACILITATOR, {"title": title, "starts_on": "2021-01-10", "city": "Geneva", "country": "Switzerland"}
    )


def file(actors, who: str = "west-member", **changes) -> Report:
    return commands.file_report(actors[who], {**REPORT, **changes})


def advance(actors, r: Report, status: str) -> Report:
    """Take `r` from where it stands to `status` by the usual path; a dispute is east-member's
    dissent, and settles or ends in disagreement at a meeting ahead."""
    path = {
        "inquiry": ["admit"],
        "duplicate": ["duplicate"],
        "outside_mandate": ["outside"],
        "tasked": ["admit", "task"],
        "investigated": ["admit", "task", "investigate"],
        "findings": ["admit", "task", "investigate", "draft"],
        "concluded": ["admit", "task", "investigate", "draft", "agree"],
        "disputed": ["admit", "task", "investigate", "draft", "dissent"],
        "settled": ["admit", "task", "investigate", "draft", "dissent", "settle"],
        "disagreement": ["admit", "task", "investigate", "draft", "dissent", "disagree"],
    }[status]
    done = {"received": 0, "inquiry": 1, "tasked": 2, "investigated": 3, "findings": 4, "disputed": 5}.get(r.status, 0)
    for step in path[done:]:
        r = STEPS[step](actors, r)
    return r


def _admit(actors, r):
    return commands.triage(FACILITATOR, r.id, {"decision": "admissible"})


def _duplicate(actors, r):
    original = Report.objects.exclude(id=r.id).filter(duplicate_of=None).order_by("id").first() or file(
        actors, "east-member"
    )
    return commands.triage(
        FACILITATOR, r.id, {"decision": "duplicate", "duplicate_of": original.id, "reason": "Same shelling"}
    )


def _outside(actors, r):
    return commands.triage(FACILITATOR, r.id, {"decision": "outside_mandate", "reason": "A criminal matter"})


def _task(actors, r):
    return commands.task_team(FACILITATOR, r.id, {"team": TEAM})


def _investigate(actors, r):
    """east-member writes it (confirming it for the east), west-member confirms it for the west."""
    r = commands.report_investigation(actors["east-member"], r.id, INVESTIGATION)
    return confirm(actors["west-member"], r)


def confirm(actor, r):
    """`actor` confirms the investigation report now before the team."""
    return commands.confirm_investigation(actor, r.id, {"investigation": r.investigation.id})


def sign(actor, r, agrees=True, **data):
    """`actor` signs the findings draft now before the sides."""
    r.refresh_from_db()
    return commands.sign_findings(actor, r.id, {"agrees": agrees, "draft": r.draft, **data})


def _draft(actors, r):
    return commands.draft_findings(actors["west-member"], r.id, FINDINGS)


def _agree(actors, r):
    for actor in (actors["west-member"], actors["east-member"], FACILITATOR):
        r = sign(actor, r)
    return r


def _dissent(actors, r):
    sign(actors["west-member"], r)
    return sign(actors["east-member"], r, False, reasons="No crater was found")


def _settle(actors, r):
    if r.agenda_item_id is None:
        meeting_held()
        r.refresh_from_db()
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "The findings stand"})
    if not r.decision.meeting.quorum().met:
        hold(r.decision.meeting)  # the committee's decision needs its meeting held, with each quorum
    for head in ("west-head", "east-head"):
        mechanism.take_position(actors[head], r.decision_id, {"position": "approve"})
    return commands.settle(FACILITATOR, r.id, {"note": "Settled by the committee"})


def _disagree(actors, r):
    if r.agenda_item_id is None:
        meeting_ahead()
        r.refresh_from_db()
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "The findings stand"})
    mechanism.take_position(actors["west-head"], r.decision_id, {"position": "approve"})
    mechanism.take_position(actors["east-head"], r.decision_id, {"position": "object"})
    return commands.record_disagreement(FACILITATOR, r.id, {"note": "The parties disagree on the craters"})


STEPS = {
    "admit": _admit,
    "duplicate": _duplicate,
    "outside": _outside,
    "task": _task,
    "investigate": _investigate,
    "draft": _draft,
    "agree": _agree,
    "dissent": _dissent,
    "settle": _settle,
    "disagree": _disagree,
}

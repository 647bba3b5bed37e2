"""Steps of the chain cannot be skipped or reordered, and every change of stage names who made it."""

import pytest

from ceasefire.errors import Conflict, Forbidden
from ceasefire.incidents import chain, commands
from ceasefire.incidents.models import Report, StageTime
from ceasefire.mechanism import commands as mechanism
from ceasefire.record.log import Actor
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps

# Each step of chain.STEPS as the facilitator would take it, with valid data: only the stage is wrong.
ATTEMPTS = {
    "triage": lambda r: commands.triage(FACILITATOR, r.id, {"decision": "admissible"}),
    "task": lambda r: commands.task_team(FACILITATOR, r.id, {"team": steps.TEAM}),
    "investigate": lambda r: commands.report_investigation(FACILITATOR, r.id, steps.INVESTIGATION),
    "draft_findings": lambda r: commands.draft_findings(FACILITATOR, r.id, steps.FINDINGS),
    "confirm_investigation": lambda r: commands.confirm_investigation(WEST_MEMBER, r.id, {"investigation": 1}),
    "sign": lambda r: commands.sign_findings(FACILITATOR, r.id, {"agrees": True, "draft": r.draft or 1}),
    "settle": lambda r: commands.settle(FACILITATOR, r.id, {}),
    "record_disagreement": lambda r: commands.record_disagreement(FACILITATOR, r.id, {"note": "No agreement"}),
    "propose_settlement": lambda r: commands.propose_settlement(FACILITATOR, r.id, {"text": "The findings stand"}),
}
WEST_MEMBER = Actor("west-member", party="west", role="member")  # on steps.TEAM
STARTS = {**chain.STEPS, "propose_settlement": chain.STEPS["settle"]}
WRONG = [(step, status) for step, starts in STARTS.items() for status in chain.STATUSES if status not in starts]


@pytest.fixture
def at(actors, typology):
    """One report at each status of the chain: status -> Report."""
    reports = {s: steps.advance(actors, steps.file(actors), s) for s in ("settled", "disagreement")}
    reports["concluded"] = reports.pop("settled")
    for status in chain.STATUSES:
        if status not in reports:
            reports[status] = (
                steps.advance(actors, steps.file(actors), status) if status != "received" else steps.file(actors)
            )
    assert {s: r.status for s, r in reports.items()} == {s: s for s in chain.STATUSES}
    return reports


def test_every_step_names_the_statuses_it_starts_from():
    assert set(chain.STEPS) == {
        "triage",
        "task",
        "investigate",
        "confirm_investigation",
        "draft_findings",
        "sign",
        "settle",
        "record_disagreement",
    }
    for starts in chain.STEPS.values():
        assert starts and set(starts) <= set(chain.STAGES)  # a closed report takes no step
    assert [chain.next_step(s) for s in chain.CLOSED] == [()] * len(chain.CLOSED)
    assert chain.next_step(chain.RECEIVED) == ("triage",)
    assert chain.next_step(chain.DISPUTED) == ("draft_findings", "settle", "record_disagreement")


def test_no_step_starts_from_a_status_it_must_not(at, subtests):
    for step in sorted(STARTS):
        wrong = [status for s, status in WRONG if s == step]
        assert wrong  # every step has statuses it must not start from
        for status in wrong:
            with subtests.test(step=step, status=status):
                r = Report.objects.get(id=at[status].id)
                stages = list(StageTime.objects.filter(report=r).values_list("stage", "entered_at", "left_at"))
                if step == "confirm_investigation" and not r.team.exists():
                    with refused(Forbidden):  # nobody sits on a team that was never tasked
                        ATTEMPTS[step](r)
                else:
                    with refused(Conflict, "status"):
                        ATTEMPTS[step](r)
                r.refresh_from_db()
                assert r.status == status
                assert list(StageTime.objects.filter(report=r).values_list("stage", "entered_at", "left_at")) == stages


def test_every_change_of_stage_names_who_made_it(actors, typology):
    r = steps.file(actors, "west-member")
    commands.triage(FACILITATOR, r.id, {"decision": "admissible"})
    commands.task_team(FACILITATOR, r.id, {"team": ["west-head", "east-member"]})
    r = commands.report_investigation(actors["east-member"], r.id, steps.INVESTIGATION)
    steps.confirm(actors["west-head"], r)
    r = commands.draft_findings(actors["west-head"], r.id, steps.FINDINGS)
    steps.sign(actors["west-head"], r)
    steps.sign(FACILITATOR, r)
    meeting = steps.meeting_held()
    steps.sign(actors["east-member"], r, False, reasons="The craters face west")
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "The findings stand"})
    for head in ("west-head", "east-head"):
        mechanism.take_position(actors[head], r.decision_id, {"position": "approve"})
    r = commands.settle(FACILITATOR, r.id, {"note": "Adopted at the next round"})
    assert r.agenda_item.meeting_id == meeting.id and r.status == "concluded"

    stages = list(StageTime.objects.filter(report=r).order_by("entered_at", "id"))
    assert [(s.stage, s.entered_by) for s in stages] == [
        ("received", "west-member"),
        ("inquiry", "facilitator"),
        ("tasked", "facilitator"),
        ("investigated", "west-head"),  # who confirmed it last made it the team's
        ("findings", "west-head"),
        ("disputed", "east-member"),
        ("concluded", "facilitator"),
    ]
    # Each stage was left when the next was entered; the last one is where the report stands.
    assert [s.left_at for s in stages[:-1]] == [s.entered_at for s in stages[1:]] and stages[-1].left_at is None
    # The record says the same: each stage entered by an event of the one who made the change.
    moves = {
        "report.filed",
        "report.triaged",
        "report.tasked",
        "report.investigated",
        "report.investigation_confirmed",
        "findings.drafted",
        "findings.signed",
        "report.settled",
    }
    events = [
        e
        for e in Event.objects.order_by("seq")
        if e.type in moves and (e.seq == r.id or e.payload.get("report") == r.id)
    ]
    assert [(e.type, e.account) for e in events] == [
        ("report.filed", "west-member"),
        ("report.triaged", "facilitator"),
        ("report.tasked", "facilitator"),
        ("report.investigated", "east-member"),
        ("report.investigation_confirmed", "west-head"),
        ("findings.drafted", "west-head"),
        ("findings.signed", "west-head"),
        ("findings.signed", "facilitator"),
        ("findings.signed", "east-member"),
        ("report.settled", "facilitator"),
    ]
    entered = {(s.entered_at, s.entered_by) for s in stages}
    assert all(
        (e.time, e.account) in entered
        for e in events
        if e.type not in ("findings.signed", "report.investigated")
        or e.account == "east-member"
        and e.type == "findings.signed"
    )

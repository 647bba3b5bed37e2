"""A monitor account created with a party (`user create --role monitor --party west`) comes from
that party's ranks, but works for the joint mechanism: it never counts for, signs for, confirms
for or speaks for a party, on any path. It may still sit on a team, as a monitor."""

import pytest

from ceasefire.errors import Forbidden, Invalid
from ceasefire.incidents import commands
from ceasefire.incidents.permissions import side, team_party
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.accounts import actor_for, create_account, speaks_for_party
from ceasefire.mechanism.permissions import may_interpret, may_speak_on_participation, speaks
from ceasefire.record.log import append
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR, PASSWORD
from tests.helpers import refused

from . import steps


@pytest.fixture
def west_monitor(actors):
    actors["west-monitor"] = actor_for(create_account("west-monitor", PASSWORD, "monitor", "west"))
    return actors["west-monitor"]


def test_the_actor_of_a_monitor_has_no_party(west_monitor):
    assert (west_monitor.role, west_monitor.party) == ("monitor", "")
    assert not speaks_for_party(west_monitor) and not speaks(west_monitor)
    assert not may_interpret(west_monitor) and not may_speak_on_participation(west_monitor, "west")


def test_a_monitor_does_not_make_a_team_joint(actors, west_monitor, filed):
    r = steps.advance(actors, filed, "inquiry")
    with refused(Invalid, "team"):  # the east's member and a monitor from the west: no western member
        commands.task_team(FACILITATOR, r.id, {"team": ["east-member", "west-monitor"]})
    r = commands.task_team(FACILITATOR, r.id, {"team": ["east-member", "west-member", "west-monitor"]})
    assert r.team.get(username="west-monitor").party_id is None  # on the team, as a monitor


@pytest.fixture
def monitor_on_team(actors, west_monitor, filed):
    r = steps.advance(actors, filed, "inquiry")
    return commands.task_team(FACILITATOR, r.id, {"team": ["east-member", "west-member", "west-monitor"]})


def test_a_monitor_on_the_team_neither_confirms_nor_signs_for_a_party(actors, west_monitor, monitor_on_team):
    r = commands.report_investigation(west_monitor, monitor_on_team.id, steps.INVESTIGATION)  # it may write it
    assert list(r.investigation.confirmations.values_list("party", flat=True)) == []  # confirming it for nobody
    with refused(Forbidden):
        steps.confirm(west_monitor, r)
    r = steps.confirm(actors["east-member"], r)
    assert r.status == "tasked"  # the west has not confirmed it: the monitor did not count
    r = steps.confirm(actors["west-member"], r)
    r = commands.draft_findings(west_monitor, r.id, steps.FINDINGS)
    assert side(west_monitor, r) is None
    with refused(Forbidden):
        steps.sign(west_monitor, r)
    assert isinstance(commands.sign_refusal(west_monitor, r), Forbidden)


def test_a_monitor_seated_for_a_party_by_an_older_record_still_counts_for_none(actors, west_monitor, filed):
    """Even a team entry naming the monitor's party (as one written before this rule would) does
    not let it sign or confirm for that party: the side is asked of the actor's role too."""
    r = steps.advance(actors, filed, "inquiry")
    team = [{"username": "east-member", "party": "east"}, {"username": "west-monitor", "party": "west"}]
    append(
        "report.tasked",
        {"report": r.id, "team": team, "instructions_ar": "", "instructions_en": "", "due_on": None},
        FACILITATOR,
    )
    r.refresh_from_db()
    assert r.team.get(username="west-monitor").party_id == "west"
    assert side(west_monitor, r) is None and team_party(west_monitor, r) is None
    r = commands.report_investigation(actors["east-member"], r.id, steps.INVESTIGATION)
    with refused(Forbidden):
        steps.confirm(west_monitor, r)


def test_a_monitor_gives_no_position_for_a_party(actors, west_monitor):
    meeting = steps.meeting_ahead()
    decision = mechanism.record_decision(FACILITATOR, meeting.id, {"text": "Open the coastal road"})
    with refused(Forbidden):
        mechanism.take_position(west_monitor, decision.id, {"position": "approve"})
    with refused(Forbidden):
        mechanism.suspend_participation(west_monitor, "west", {"since": "2021-01-01"})


def test_a_monitors_report_and_entries_are_in_no_party_name(actors, west_monitor, typology):
    r = steps.file(actors, "west-monitor")
    assert (r.source_type, r.source_party_id) == ("joint_team", None)
    assert Event.objects.get(seq=r.id).party in ("", None)

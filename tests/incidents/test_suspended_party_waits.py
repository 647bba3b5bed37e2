"""A party whose participation is suspended takes no step on a report: it neither signs nor writes
the investigation or a new draft of the findings (which would clear the others' sign-offs)."""

from ceasefire.errors import Conflict
from ceasefire.incidents import commands
from ceasefire.incidents.models import SignOff
from ceasefire.mechanism import commands as mechanism
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps


def test_a_suspended_party_neither_investigates_nor_redrafts(actors, filed):
    tasked = steps.advance(actors, filed, "tasked")
    mechanism.suspend_participation(FACILITATOR, "east", {"since": "2021-01-01"})
    with refused(Conflict):
        commands.report_investigation(actors["east-member"], tasked.id, steps.INVESTIGATION)
    mechanism.resume_participation(FACILITATOR, "east", {"on": "2021-02-01"})
    r = steps.advance(actors, tasked, "findings")
    steps.sign(actors["west-member"], r)
    mechanism.suspend_participation(FACILITATOR, "east", {"since": "2021-03-01"})
    with refused(Conflict):
        commands.draft_findings(actors["east-member"], r.id, steps.FINDINGS)
    assert SignOff.objects.filter(report=r, side="west").exists()

"""The report's page offers a step only when the command would take it: on disputed findings, a
new draft is the facilitator's (the team's members are not offered it), and not while a proposal
is before the committee."""

from django.urls import reverse

from ceasefire.incidents import commands
from tests.conftest import FACILITATOR

from .reports_world import reports  # noqa: F401  (fixture)


def offers_redraft(clients, who, r) -> bool:
    html = clients[who].get(reverse("report", args=[r.reference])).content.decode()
    return reverse("report_findings", args=[r.reference]) in html


def test_a_disputed_reports_redraft_is_offered_to_the_facilitator_only(reports, clients):
    r = reports["disputed"]
    assert offers_redraft(clients, "facilitator", r)
    assert not offers_redraft(clients, "east-member", r)
    assert not offers_redraft(clients, "west-member", r)
    commands.propose_settlement(FACILITATOR, r.id, {"text": "Findings upheld"})
    assert not offers_redraft(clients, "facilitator", r)  # the committee has it before it

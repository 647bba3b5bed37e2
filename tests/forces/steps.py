"""A group, a departure and its verification through the chain, as the forces tests use them."""

from ceasefire.forces import commands
from ceasefire.incidents import commands as incidents
from tests.conftest import FACILITATOR
from tests.samples import INVESTIGATION

GROUP = {
    "kind": "foreign_fighters",
    "name_en": "Syrian fighters",
    "origin_en": "Syria",
    "affiliation_en": "claimed: with the western forces",
    "source": "https://example.org/un-panel-2022",
}
DEPARTURE = {
    "claimed": 300,
    "departed_on": "2021-11-11",
    "place": "icao:HLGD",
    "confidence": "low",
    "source": "https://washingtonnewsday.com/finance/libyas-300-pro-haftar-mercenaries-are-leaving-the-country/",
}
TEAM = ["west-member", "east-member"]


def verify(actors, departure, count=280, signers=("west-member", "east-member", "facilitator")):
    """Ask for the departure's verification and take it along the chain to the sign-off by `signers`."""
    r = commands.request_verification(actors["west-head"], departure.id, {})
    incidents.triage(FACILITATOR, r.id, {"decision": "admissible"})
    incidents.task_team(FACILITATOR, r.id, {"team": TEAM})
    r = incidents.report_investigation(actors["west-member"], r.id, {**INVESTIGATION, "visited_on": "2021-11-12"})
    r = incidents.confirm_investigation(actors["east-member"], r.id, {"investigation": r.investigation.id})
    r = incidents.draft_findings(
        actors["west-member"],
        r.id,
        {
            "findings": [
                {
                    "allegation": "300 left through Ghardabiya",
                    "result": "no_violation",
                    "count": count,
                    "reasoning": "Counted at the gate",
                }
            ]
        },
    )
    for who in signers:
        r = incidents.sign_findings(actors[who], r.id, {"agrees": True, "draft": r.draft})
    return r

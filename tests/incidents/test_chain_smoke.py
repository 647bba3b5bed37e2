from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.mechanism import commands as mechanism
from tests.conftest import FACILITATOR

from . import steps


def test_whole_chain_with_dissent(actors, filed):
    assert filed.status == "received" and filed.reference.startswith("R-")
    r = commands.triage(FACILITATOR, filed.id, {"decision": "admissible"})
    assert r.status == "inquiry"
    r = commands.task_team(FACILITATOR, r.id, {"team": ["west-member", "east-member"]})
    assert r.status == "tasked"
    r = commands.report_investigation(
        actors["east-member"],
        r.id,
        {
            "site_visited": True,
            "visited_on": "2021-03-04",
            "access": "partial",
            "denied_by": "Brigade 128",
            "methods": "Crater analysis, interviews",
        },
    )
    assert r.status == "tasked"  # the east's member wrote it; the west's has not confirmed it
    r = commands.confirm_investigation(actors["west-member"], r.id, {"investigation": r.investigation.id})
    assert r.status == "investigated"
    obstruction = Report.objects.get(related_report=r)
    assert obstruction.category_id == "access-denied"
    r = commands.draft_findings(
        actors["west-member"],
        r.id,
        {
            "findings": [
                {
                    "allegation": "Shelling by the east",
                    "result": "violation",
                    "attributed_to": "east",
                    "recommendations": [
                        {"addressee_party": "east", "text": "Withdraw the battery", "due_on": "2021-04-01"}
                    ],
                }
            ]
        },
    )
    meeting = steps.meeting_held("Round")  # today, each party's quorum present
    r = commands.sign_findings(actors["west-member"], r.id, {"agrees": True, "draft": r.draft})
    r = commands.sign_findings(
        actors["east-member"], r.id, {"agrees": False, "reasons": "No crater found", "draft": r.draft}
    )
    assert r.status == "disputed"
    assert r.agenda_item.meeting_id == meeting.id
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "Findings upheld"})
    for head in ("west-head", "east-head"):
        mechanism.take_position(actors[head], r.decision_id, {"position": "approve"})
    r = commands.settle(FACILITATOR, r.id, {})
    assert r.status == "concluded"
    assert [s.stage for s in r.stages.all()] == [
        "received",
        "inquiry",
        "tasked",
        "investigated",
        "findings",
        "disputed",
        "concluded",
    ]

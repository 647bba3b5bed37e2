"""A committee with one item of every kind that may need someone, built once per module."""

from types import SimpleNamespace

from ceasefire.agreements import commands as agreements
from ceasefire.incidents import commands as reports
from ceasefire.mechanism import commands as mechanism
from tests import once
from tests.conftest import FACILITATOR
from tests.incidents.conftest import monitors, typology  # noqa: F401  (built once here too)
from tests.incidents.steps import (
    FINDINGS,
    INVESTIGATION,
    TEAM,
    advance,
    file,
    meeting_ahead,
)

# What only the parties read: planted in every text a mail could be tempted to carry.
SECRET = "SECRET-7f3a-crater-grid"


@once.fixture
def world(monitors, typology):  # noqa: F811
    a = monitors
    meeting = meeting_ahead(20, f"Round {SECRET}")
    secret = {"title": f"Shelling {SECRET}", "narrative": f"Witness saw {SECRET}"}
    received = file(a, **secret)
    tasked = advance(a, file(a, **secret), "tasked")
    written = advance(a, file(a, **secret), "tasked")
    written = reports.report_investigation(
        a["east-member"], written.id, {**INVESTIGATION, "methods": f"Walked {SECRET}"}
    )
    investigated = advance(a, file(a, **secret), "investigated")
    findings = file(a, **secret)
    findings = advance(a, findings, "investigated")
    findings = reports.draft_findings(
        a["west-member"], findings.id, {"findings": [{**FINDINGS["findings"][0], "reasoning": f"Craters {SECRET}"}]}
    )
    disputed = advance(a, file(a, **secret), "disputed")  # on the agenda of the meeting ahead
    concluded = advance(a, file(a, **secret), "concluded")  # its recommendation is addressed to the east
    decision = mechanism.record_decision(FACILITATOR, meeting.id, {"text": f"Open the road {SECRET}"})
    action = mechanism.add_action_item(
        FACILITATOR, meeting.id, {"text": f"Clear mines {SECRET}", "owner_party": "east", "deadline": "2021-01-01"}
    )
    agreement = agreements.record_agreement(FACILITATOR, {"title": "Ceasefire", "signed_on": "2020-10-23"})
    provision = agreements.add_provision(
        FACILITATOR, agreement.id, {"number": "2", "text": "Departure of foreign fighters"}
    )
    assessment = agreements.propose_assessment(
        FACILITATOR, provision.id, {"status": 1, "as_of": "2021-01-23", "reasoning": f"Partial {SECRET}"}
    )
    from ceasefire.zones import commands as zones

    layer = zones.propose_version(
        FACILITATOR,
        {
            "layer": "buffer-1",
            "kind": "buffer_zone",
            "name_en": f"Buffer {SECRET}",
            "geojson": {"type": "Polygon", "coordinates": [[[15, 31], [16, 31], [16, 32], [15, 31]]]},
        },
    )
    from ceasefire.forces import commands as forces

    plan = forces.record_plan(FACILITATOR, {"title_en": f"Plan {SECRET}", "agreed_on": "2021-10-08", "source": "[17]"})
    stage = forces.add_stage(FACILITATOR, plan.id, {"title_en": f"Pull back {SECRET}", "source": "[18]"})
    imbalance = forces.propose_imbalance(FACILITATOR, stage.id, {"text_en": f"Fewer left {SECRET}"})
    later = forces.add_stage(FACILITATOR, plan.id, {"title_en": f"Departure {SECRET}", "source": "[18]"})
    other = forces.record_plan(
        FACILITATOR, {"title_en": f"Second plan {SECRET}", "agreed_on": "2021-10-08", "source": "[17]"}
    )
    half = forces.add_stage(FACILITATOR, other.id, {"title_en": f"Assembly {SECRET}", "source": "[18]"})
    forces.report_side(a["east-head"], half.id, {"complete": True, "as_of": "2021-10-20"})
    assert TEAM == ["west-member", "east-member"]
    return SimpleNamespace(
        actors=a,
        meeting=meeting,
        received=received,
        tasked=tasked,
        written=written,
        investigated=investigated,
        findings=findings,
        disputed=disputed,
        concluded=concluded,
        decision=decision,
        action=action,
        assessment=assessment,
        layer=layer,
        stage=stage,
        later=later,
        imbalance=imbalance,
        half=half,
    )

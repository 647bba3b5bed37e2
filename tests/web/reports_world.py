"""Reports at every stage of the verification chain, on top of the web tests' committee (build_world)."""

import datetime as dt

from ceasefire.incidents import commands
from ceasefire.record import log
from tests import once
from tests.conftest import FACILITATOR
from tests.samples import FINDINGS as SAMPLE_FINDINGS
from tests.samples import REPORT, TEAM

SHELLING = {**REPORT, "title_ar": "قصف قرب أبو قرين"}
# The recommendation falls due years ahead: the pages show it open, not overdue.
[_finding] = SAMPLE_FINDINGS["findings"]
FINDINGS = {"findings": [{**_finding, "recommendations": [{**_finding["recommendations"][0], "due_on": "2031-04-01"}]}]}


def file(actors, who="west-member", **changes):
    return commands.file_report(actors[who], {**SHELLING, **changes})


def to_findings(actors, r):
    commands.triage(FACILITATOR, r.id, {"decision": "admissible"})
    commands.task_team(FACILITATOR, r.id, {"team": TEAM, "instructions": "Visit the crater"})
    written = commands.report_investigation(
        actors["east-member"],
        r.id,
        {"site_visited": True, "visited_on": "2021-03-04", "access": "granted", "methods": "Crater analysis"},
    )
    commands.confirm_investigation(actors["west-member"], r.id, {"investigation": written.investigation.id})
    return commands.draft_findings(actors["west-member"], r.id, FINDINGS)


def build_reports(actors, world, monkeypatch=None):
    """received (filed ten days ago: overdue, with evidence and a protected source), inquiry,
    tasked, findings, disputed (on the upcoming meeting's agenda), concluded (shared with
    observers), duplicate."""
    out = {}
    commands.adopt_default_typology(FACILITATOR)
    # A report left at "received" past its target of two days. The record's clock is set back by
    # hand, not with `monkeypatch`: the fixture is built once per module, outside any one test.
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    clock, log._clock = log._clock, lambda: past
    try:
        out["received"] = file(actors, source_identity={"name": "Hamid the shepherd", "contact": "+218 91 000 0000"})
    finally:
        log._clock = clock
    out["inquiry"] = file(actors, "east-member", title="Drone over Sirte", category="air-strike", alleged_party="west")
    commands.triage(FACILITATOR, out["inquiry"].id, {"decision": "admissible"})
    out["tasked"] = file(actors, title="Convoy on the coastal road", category="protected-road")
    commands.triage(FACILITATOR, out["tasked"].id, {"decision": "admissible"})
    commands.task_team(FACILITATOR, out["tasked"].id, {"team": TEAM})
    out["findings"] = to_findings(actors, file(actors, title="Mortar fire at Wadi Zamzam"))
    disputed = to_findings(actors, file(actors, title="Raid on a farm", category="raid"))
    commands.sign_findings(actors["west-member"], disputed.id, {"agrees": True, "draft": disputed.draft})
    dissent = {"agrees": False, "reasons": "No crater found", "draft": disputed.draft}
    out["disputed"] = commands.sign_findings(actors["east-member"], disputed.id, dissent)
    concluded = to_findings(actors, file(actors, title="Checkpoint at Bin Jawad", category="unauthorised-checkpoint"))
    for who in ("west-member", "east-member"):
        commands.sign_findings(actors[who], concluded.id, {"agrees": True, "draft": concluded.draft})
    commands.sign_findings(FACILITATOR, concluded.id, {"agrees": True, "draft": concluded.draft})
    out["concluded"] = commands.set_visibility(FACILITATOR, concluded.id, {"visibility": "observers"})
    out["duplicate"] = file(actors, "east-member", title="Shelling reported again")
    commands.triage(
        FACILITATOR,
        out["duplicate"].id,
        {"decision": "duplicate", "duplicate_of": out["received"].id, "reason": "Same shelling"},
    )
    out["evidence"] = commands.add_evidence(
        actors["west-member"],
        out["received"].id,
        [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64],
        "crater.png",
        "image/png",
        {"description": "Photo of the crater"},
    )
    for r in out.values():
        r.refresh_from_db()
    return out


@once.fixture
def reports(world, actors):
    """name -> report (and "evidence" -> the file on the received report)."""
    return build_reports(actors, world)

"""Whatever sequence of commands anyone sends, a stage of the withdrawal plan is complete only when
every party said its own side is complete, or every party approved recording the imbalance; and a
departure's verification concludes only with every party's sign-off. Never one party alone, nor
the facilitator."""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ceasefire.errors import CommandError
from ceasefire.forces import commands
from ceasefire.forces.models import Imbalance, ImbalancePosition, StageSide
from ceasefire.incidents import chain
from ceasefire.incidents import commands as incidents
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.models import Party
from ceasefire.record.models import Event
from tests import once
from tests.conftest import FACILITATOR, ROLES
from tests.forces.steps import DEPARTURE, GROUP, TEAM
from tests.samples import INVESTIGATION

WHO = sorted(ROLES) + ["west-head", "east-head"] * 3
side = st.tuples(
    st.just("side"),
    st.sampled_from(WHO),
    st.sampled_from([True, True, False]),
    st.sampled_from([None, None, "west", "east"]),
)
propose = st.tuples(st.just("propose"), st.sampled_from(WHO))
position = st.tuples(
    st.just("position"),
    st.sampled_from(WHO),
    st.sampled_from(["approve", "approve", "object", "abstain"]),
    st.integers(min_value=0, max_value=2),
)
participation = st.tuples(st.sampled_from(["suspend", "resume"]), st.sampled_from(["west", "east"]))
steps = st.lists(st.one_of(side, side, propose, position, position, participation), max_size=14)


@once.fixture
def plan(actors):
    p = commands.record_plan(FACILITATOR, {"title": "Action plan", "source": "test"})
    return p


def run(actors, stage, step):
    kind, *args = step
    if kind == "side":
        who, complete, party = args
        commands.report_side(actors[who], stage.id, {"complete": complete, "as_of": "2021-12-01", "party": party})
    elif kind == "propose":
        commands.propose_imbalance(actors[args[0]], stage.id, {"text": "imbalance"})
    elif kind == "position":
        who, position, index = args
        ids = list(Imbalance.objects.filter(stage=stage).order_by("id").values_list("id", flat=True))
        commands.take_imbalance_position(actors[who], ids[index % len(ids)] if ids else 424242, {"position": position})
    elif kind == "suspend":
        mechanism.suspend_participation(actors[f"{args[0]}-head"], args[0], {"since": "2022-01-01"})
    else:
        mechanism.resume_participation(actors[f"{args[0]}-head"], args[0], {"on": "2022-02-01"})


def check(stage):
    stage.refresh_from_db()
    if not stage.complete:
        return False
    if stage.status == "complete":
        sides = {(s.party_id, s.given_by) for s in StageSide.objects.filter(stage=stage, complete=True)}
        assert sides == {("west", "west-head"), ("east", "east-head")}, sides
    else:
        [recorded] = Imbalance.objects.filter(stage=stage, recorded=True)
        approvals = {
            (p.party_id, p.given_by) for p in ImbalancePosition.objects.filter(imbalance=recorded, position="approve")
        }
        assert approvals == {("west", "west-head"), ("east", "east-head")}, approvals
    completed = [
        e
        for e in Event.objects.filter(type="forces.stage_completed", seq__gt=stage.id)
        if e.payload["stage"] == stage.id
    ]
    assert len(completed) == 1
    return True


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_no_sequence_lets_one_party_alone_complete_a_stage(actors, plan, steps):
    for party in Party.objects.filter(suspended_since__isnull=False):
        mechanism.resume_participation(FACILITATOR, party.code, {"on": "2022-02-01"})
    plan = commands.record_plan(FACILITATOR, {"title": "Action plan", "source": "test"})  # stage 1: in sequence
    stage = commands.add_stage(FACILITATOR, plan.id, {"title": "Pull back", "source": "test"})
    for step in steps:
        try:
            run(actors, stage, step)
        except CommandError:
            continue
        if check(stage):
            event("a stage was completed")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(side, propose, position, participation), max_size=10))
def test_one_party_and_the_facilitator_never_complete_a_stage(actors, plan, steps):
    for party in Party.objects.filter(suspended_since__isnull=False):
        mechanism.resume_participation(FACILITATOR, party.code, {"on": "2022-02-01"})
    plan = commands.record_plan(FACILITATOR, {"title": "Action plan", "source": "test"})  # stage 1: in sequence
    stage = commands.add_stage(FACILITATOR, plan.id, {"title": "Count", "source": "test"})
    alone = {"west-head", "west-member", "facilitator", "observer"}
    for step in steps:
        if step[0] in ("side", "propose", "position") and step[1] not in alone:
            continue
        try:
            run(actors, stage, step)
        except CommandError:
            continue
        stage.refresh_from_db()
        assert not stage.complete, step


# The chain, for a departure: each step is the one the report's stage opens, taken by anyone; the
# east's member sits on the team and works with it (investigates, confirms, drafts) but never signs.
WEST = ["west-head", "west-member", "facilitator", "observer"]
chain_step = st.tuples(
    st.sampled_from([*WEST, "facilitator", "facilitator", "east-member", "west-member"]), st.booleans()
)


def chain_run(actor, r, agrees):
    if r.status == chain.RECEIVED:
        incidents.triage(actor, r.id, {"decision": "admissible"})
    elif r.status == chain.INQUIRY:
        incidents.task_team(actor, r.id, {"team": TEAM})
    elif r.status == chain.TASKED and not hasattr(r, "investigation"):
        incidents.report_investigation(actor, r.id, {**INVESTIGATION, "visited_on": "2021-11-12"})
    elif r.status == chain.TASKED:
        incidents.confirm_investigation(actor, r.id, {"investigation": r.investigation.id})
    elif r.status in (chain.INVESTIGATED, chain.DISPUTED):
        incidents.draft_findings(
            actor, r.id, {"findings": [{"allegation": "left", "result": "no_violation", "count": 300}]}
        )
    elif r.status == chain.FINDINGS:
        if actor.party == "east":
            return  # the east never signs
        incidents.sign_findings(actor, r.id, {"agrees": agrees, "reasons": "no", "draft": r.draft})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(chain_step, min_size=16, max_size=30))
def test_no_sequence_lets_one_party_alone_conclude_a_verification(actors, typology, steps):
    """The east never signs: whatever else anyone does, the verification never concludes."""
    group = commands.register_group(FACILITATOR, GROUP)
    departure = commands.claim_departure(actors["west-head"], group.id, DEPARTURE)
    r = commands.request_verification(actors["west-head"], departure.id, {})
    for who, agrees in steps:
        r = type(r).objects.get(id=r.id)
        try:
            chain_run(actors[who], r, agrees)
        except CommandError:
            continue
        r.refresh_from_db()
        assert r.status != chain.CONCLUDED, who
    event(f"reached {r.status}")

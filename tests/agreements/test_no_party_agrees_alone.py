"""Whatever sequence of commands anyone sends (assessments put forward, positions, suspensions and
returns), an assessment becomes the committee's only with the approval of every party, each given
by whoever speaks for that party: never by one party alone, nor by the facilitator."""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ceasefire.agreements import commands
from ceasefire.agreements.models import AgreedStatus, Assessment, AssessmentPosition
from ceasefire.errors import CommandError
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.models import Party
from ceasefire.record.models import Event
from tests import once
from tests.conftest import FACILITATOR, ROLES

# Everyone, the heads (who speak for their parties) more often, so that some assessments get through.
WHO = sorted(ROLES) + ["west-head", "east-head"] * 3
propose = st.tuples(st.just("propose"), st.sampled_from(WHO), st.sampled_from([0, 1, 3, "reversed", 9]))
position = st.tuples(
    st.just("position"),
    st.sampled_from(WHO),
    st.sampled_from(["approve", "approve", "object", "abstain", "maybe"]),
    st.integers(min_value=0, max_value=1),
)
participation = st.tuples(st.sampled_from(["suspend", "resume"]), st.sampled_from(["west", "east"]))
# Positions come more often than anything else: what they complete is what the test is about.
steps = st.lists(st.one_of(propose, position, position, position, participation), max_size=16)


@once.fixture
def provision(actors):
    agreement = commands.record_agreement(FACILITATOR, {"title": "Ceasefire", "signed_on": "2020-10-23"})
    return commands.add_provision(FACILITATOR, agreement.id, {"number": "2", "text": "Departure", "deadline_months": 3})


def run(actors, provision, step, start):
    kind, *args = step
    if kind == "propose":
        who, status = args
        commands.propose_assessment(
            actors[who], provision.id, {"status": status, "as_of": "2021-02-01", "reasoning": "r"}
        )
    elif kind == "position":
        who, position, index = args
        ids = list(Assessment.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True))
        commands.take_position(actors[who], ids[index % len(ids)] if ids else 424242, {"position": position})
    elif kind == "suspend":
        mechanism.suspend_participation(actors[f"{args[0]}-head"], args[0], {"since": "2022-01-01"})
    else:
        mechanism.resume_participation(actors[f"{args[0]}-head"], args[0], {"on": "2022-02-01"})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_no_sequence_of_commands_lets_one_party_alone_agree_an_assessment(actors, provision, steps):
    # The examples share the test's database: each begins with every party taking part.
    for party in Party.objects.filter(suspended_since__isnull=False):
        mechanism.resume_participation(FACILITATOR, party.code, {"on": "2022-02-01"})
    start = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    for step in steps:
        try:
            run(actors, provision, step, start)
        except CommandError:
            continue
        for a in Assessment.objects.filter(id__gt=start, agreed=True):
            approvals = {
                (p.party_id, p.given_by) for p in AssessmentPosition.objects.filter(assessment=a, position="approve")
            }
            # every party approved, each through its own head (the only speaker among these accounts)
            assert approvals == {("west", "west-head"), ("east", "east-head")}, (a.id, approvals)
            assert AgreedStatus.objects.filter(assessment=a).count() == 1
            event("an assessment became the committee's")
    # and the other way round: what every party approves, with none suspended, is the committee's
    suspended = Party.objects.filter(suspended_since__isnull=False).exists()
    for a in Assessment.objects.filter(id__gt=start, agreed=False):
        approved = set(
            AssessmentPosition.objects.filter(assessment=a, position="approve").values_list("party_id", flat=True)
        )
        assert approved != {"west", "east"} or suspended, a.id

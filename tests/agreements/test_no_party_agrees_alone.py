"""Whatever sequence of commands anyone sends (assessments put forward, positions, suspensions and
returns), an assessment becomes the committee's only with the approval of every party, each given
by whoever speaks for that party: never by one party alone, nor by the facilitator
(tests/no_party_alone.py)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.agreements import commands
from ceasefire.agreements.models import AgreedStatus, Assessment
from tests import no_party_alone, once
from tests.conftest import FACILITATOR

propose = st.tuples(
    st.just("put_forward"), st.sampled_from(no_party_alone.WHO), st.sampled_from([0, 1, 3, "reversed", 9])
)
steps = no_party_alone.steps(propose, no_party_alone.WHO, matters=2)


@once.fixture
def provision(actors):
    agreement = commands.record_agreement(FACILITATOR, {"title": "Ceasefire", "signed_on": "2020-10-23"})
    return commands.add_provision(FACILITATOR, agreement.id, {"number": "2", "text": "Departure", "deadline_months": 3})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_no_sequence_of_commands_lets_one_party_alone_agree_an_assessment(actors, provision, steps):
    def agreed_once(assessment):
        assert AgreedStatus.objects.filter(assessment=assessment).count() == 1

    no_party_alone.check(
        actors,
        steps,
        put_forward=lambda actor, status: commands.propose_assessment(
            actor, provision.id, {"status": status, "as_of": "2021-02-01", "reasoning": "r"}
        ),
        take_position=commands.take_position,
        matters=Assessment.objects.all(),
        agreed_once=agreed_once,
        label="an assessment became the committee's",
    )

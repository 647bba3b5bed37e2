"""Whatever sequence of commands anyone sends (statuses claimed, positions, suspensions and
returns), a missing person's status becomes the committee's only with the approval of every party,
each given by whoever speaks for that party: never by one party alone, nor by the facilitator, a
monitor, a member or an observer (tests/no_party_alone.py)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.missing import commands
from ceasefire.missing.models import StatusClaim
from ceasefire.record.models import Event
from tests import no_party_alone, once
from tests.conftest import FACILITATOR, PASSWORD
from tests.missing.steps import CASE

WHO = no_party_alone.WHO + ["monitor"]
claim = st.tuples(
    st.just("put_forward"), st.sampled_from(WHO), st.sampled_from(["missing", "found_dead", "released", "gone"])
)
steps = no_party_alone.steps(claim, WHO, matters=3)


@once.fixture
def everyone(actors):
    return {**actors, "monitor": actor_for(create_account("monitor-1", PASSWORD, "monitor", ""))}


@once.fixture
def case(everyone):
    return commands.open_case(FACILITATOR, CASE)


def agreed_once(claim: StatusClaim) -> None:
    agreed = [e for e in Event.objects.filter(type="missing.status_agreed") if e.payload["claim"] == claim.id]
    assert len(agreed) == 1 and agreed[0].actor == "committee", claim.id


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_no_sequence_of_commands_lets_one_party_alone_make_a_status_the_committees(everyone, case, steps):
    no_party_alone.check(
        everyone,
        steps,
        put_forward=lambda actor, status: commands.claim_status(
            actor, case.id, {"status": status, "as_of": "2021-01-10", "note_en": "seen", "source": "s"}
        ),
        take_position=commands.take_position,
        matters=StatusClaim.objects.all(),
        agreed_once=agreed_once,
        label="a status agreed",
    )

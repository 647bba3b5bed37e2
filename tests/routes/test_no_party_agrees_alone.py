"""Whatever sequence of commands anyone sends (statuses put forward, positions, suspensions and
returns), a route's status becomes the committee's through positions only with the approval of
every party, each given by whoever speaks for that party: never by one party alone, nor by the
facilitator, a monitor or an observer (tests/no_party_alone.py). (The facilitator's status
according to a public source is the one other way, and it is never a party's: the property test
sends none.)"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.record.models import Event
from ceasefire.routes import commands
from ceasefire.routes.models import StatusClaim
from tests import no_party_alone, once
from tests.conftest import FACILITATOR, PASSWORD
from tests.routes.steps import COASTAL

WHO = no_party_alone.WHO + ["monitor"]
claim = st.tuples(
    st.just("put_forward"), st.sampled_from(WHO), st.sampled_from(["open", "closed", "restricted", "shut"])
)
steps = no_party_alone.steps(claim, WHO, matters=3)


@once.fixture
def everyone(actors):
    return {**actors, "monitor": actor_for(create_account("monitor-1", PASSWORD, "monitor", ""))}


@once.fixture
def road(everyone):
    return commands.record_route(FACILITATOR, COASTAL)


def agreed_once(claim: StatusClaim) -> None:
    assert claim.agreed_through == "positions"
    agreed = [e for e in Event.objects.filter(type="route.status_agreed") if e.payload["claim"] == claim.id]
    assert len(agreed) == 1 and agreed[0].actor == "committee", claim.id


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_no_sequence_of_commands_lets_one_party_alone_make_a_status_the_committees(everyone, road, steps):
    no_party_alone.check(
        everyone,
        steps,
        put_forward=lambda actor, status: commands.claim_status(
            actor, road.id, {"status": status, "since": "2021-07-30", "conditions_en": "no convoys", "source": "s"}
        ),
        take_position=commands.take_position,
        matters=StatusClaim.objects.all(),
        agreed_once=agreed_once,
        label="a status agreed",
    )

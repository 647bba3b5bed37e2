"""Whatever sequence of commands anyone sends (statuses put forward, positions, suspensions and
returns), a route's status becomes the committee's through positions only with the approval of
every party, each given by whoever speaks for that party: never by one party alone, nor by the
facilitator, a monitor or an observer. (The facilitator's status according to a public source is
the one other way, and it is never a party's: the property test sends none.)"""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ceasefire.errors import CommandError
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.mechanism.models import Party
from ceasefire.record.models import Event
from ceasefire.routes import commands
from ceasefire.routes.models import StatusClaim, StatusPosition
from tests import once
from tests.conftest import FACILITATOR, PASSWORD, ROLES
from tests.routes.steps import COASTAL

WHO = sorted(ROLES) + ["monitor"] + ["west-head", "east-head"] * 3
claim = st.tuples(st.just("claim"), st.sampled_from(WHO), st.sampled_from(["open", "closed", "restricted", "shut"]))
position = st.tuples(
    st.just("position"),
    st.sampled_from(WHO),
    st.sampled_from(["approve", "approve", "object", "abstain", "maybe"]),
    st.integers(min_value=0, max_value=2),
)
participation = st.tuples(st.sampled_from(["suspend", "resume"]), st.sampled_from(["west", "east"]))
steps = st.lists(st.one_of(claim, position, position, position, participation), max_size=16)


@once.fixture
def everyone(actors):
    return {**actors, "monitor": actor_for(create_account("monitor-1", PASSWORD, "monitor", ""))}


@once.fixture
def road(everyone):
    return commands.record_route(FACILITATOR, COASTAL)


def run(everyone, road, step, start):
    kind, *args = step
    if kind == "claim":
        who, status = args
        commands.claim_status(
            everyone[who],
            road.id,
            {"status": status, "since": "2021-07-30", "conditions_en": "no convoys", "source": "s"},
        )
    elif kind == "position":
        who, position, index = args
        ids = list(StatusClaim.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True))
        commands.take_position(everyone[who], ids[index % len(ids)] if ids else 424242, {"position": position})
    elif kind == "suspend":
        mechanism.suspend_participation(everyone[f"{args[0]}-head"], args[0], {"since": "2022-01-01"})
    else:
        mechanism.resume_participation(everyone[f"{args[0]}-head"], args[0], {"on": "2022-02-01"})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_no_sequence_of_commands_lets_one_party_alone_make_a_status_the_committees(everyone, road, steps):
    for party in Party.objects.filter(suspended_since__isnull=False):
        mechanism.resume_participation(FACILITATOR, party.code, {"on": "2022-02-01"})
    start = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    for step in steps:
        try:
            run(everyone, road, step, start)
        except CommandError:
            continue
        for claim in StatusClaim.objects.filter(id__gt=start, agreed=True):
            approvals = {
                (p.party_id, p.given_by) for p in StatusPosition.objects.filter(claim=claim, position="approve")
            }
            assert approvals == {("west", "west-head"), ("east", "east-head")}, (claim.id, approvals)
            assert claim.agreed_through == "positions"
            agreed = [e for e in Event.objects.filter(type="route.status_agreed") if e.payload["claim"] == claim.id]
            assert len(agreed) == 1 and agreed[0].actor == "committee", claim.id
            event("a status agreed")
    suspended = Party.objects.filter(suspended_since__isnull=False).exists()
    for claim in StatusClaim.objects.filter(id__gt=start, agreed=False):
        approved = set(
            StatusPosition.objects.filter(claim=claim, position="approve").values_list("party_id", flat=True)
        )
        assert approved != {"west", "east"} or suspended, claim.id

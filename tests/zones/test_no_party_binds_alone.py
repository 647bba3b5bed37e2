"""Whatever sequence of commands anyone sends (versions put forward, positions, suspensions and
returns), a version of a layer binds only with the approval of every party, each given by whoever
speaks for that party: never by one party alone, nor by the facilitator, a monitor or an observer."""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ceasefire.errors import CommandError
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.mechanism.models import Party
from ceasefire.record.models import Event
from ceasefire.zones import commands
from ceasefire.zones.models import LayerPosition, LayerVersion
from tests import once
from tests.conftest import FACILITATOR, PASSWORD, ROLES

AREA = {"type": "Polygon", "coordinates": [[[16, 29], [17, 29], [17, 31], [16, 31], [16, 29]]]}
# Everyone, the heads (who speak for their parties) more often, so that some versions bind.
WHO = sorted(ROLES) + ["monitor"] + ["west-head", "east-head"] * 3
propose = st.tuples(st.just("propose"), st.sampled_from(WHO), st.sampled_from(["sirte-jufra", "buffer-1"]))
position = st.tuples(
    st.just("position"),
    st.sampled_from(WHO),
    st.sampled_from(["approve", "approve", "object", "abstain", "maybe"]),
    st.integers(min_value=0, max_value=2),
)
participation = st.tuples(st.sampled_from(["suspend", "resume"]), st.sampled_from(["west", "east"]))
steps = st.lists(st.one_of(propose, position, position, position, participation), max_size=16)


@once.fixture
def everyone(actors):
    return {**actors, "monitor": actor_for(create_account("monitor-1", PASSWORD, "monitor", ""))}


def run(everyone, step, start):
    kind, *args = step
    if kind == "propose":
        who, code = args
        commands.propose_version(
            everyone[who], {"layer": code, "kind": "buffer_zone", "name_en": code, "geojson": AREA}
        )
    elif kind == "position":
        who, position, index = args
        ids = list(LayerVersion.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True))
        commands.take_position(everyone[who], ids[index % len(ids)] if ids else 424242, {"position": position})
    elif kind == "suspend":
        mechanism.suspend_participation(everyone[f"{args[0]}-head"], args[0], {"since": "2022-01-01"})
    else:
        mechanism.resume_participation(everyone[f"{args[0]}-head"], args[0], {"on": "2022-02-01"})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_no_sequence_of_commands_lets_one_party_alone_make_a_version_binding(everyone, steps):
    for party in Party.objects.filter(suspended_since__isnull=False):
        mechanism.resume_participation(FACILITATOR, party.code, {"on": "2022-02-01"})
    start = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    for step in steps:
        try:
            run(everyone, step, start)
        except CommandError:
            continue
        for version in LayerVersion.objects.filter(id__gt=start, binding=True):
            approvals = {
                (p.party_id, p.given_by) for p in LayerPosition.objects.filter(version=version, position="approve")
            }
            assert approvals == {("west", "west-head"), ("east", "east-head")}, (version.id, approvals)
            bound = [e for e in Event.objects.filter(type="layer.version_bound") if e.payload["version"] == version.id]
            assert len(bound) == 1, version.id
            event("a version bound")
    suspended = Party.objects.filter(suspended_since__isnull=False).exists()
    for version in LayerVersion.objects.filter(id__gt=start, binding=False):
        approved = set(
            LayerPosition.objects.filter(version=version, position="approve").values_list("party_id", flat=True)
        )
        assert approved != {"west", "east"} or suspended, version.id

"""Whatever sequence of positions anyone sends, a decision is adopted only with the approval of
every party, each given by whoever speaks for that party."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.errors import CommandError
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Position
from tests.conftest import FACILITATOR, ROLES
from tests.helpers import hold

attempts = st.lists(
    st.tuples(st.sampled_from(sorted(ROLES)), st.sampled_from(["approve", "object", "abstain", "maybe"])),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=attempts)
def test_no_sequence_of_positions_lets_one_party_adopt_alone(actors, attempts):
    meeting = commands.record_meeting(
        FACILITATOR, {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    )
    hold(meeting)  # each party's quorum present: what is left to adopt it is the positions
    decision = commands.record_decision(FACILITATOR, meeting.id, {"text": "Proposal"})
    latest = {}
    for who, position in attempts:
        try:
            commands.take_position(actors[who], decision.id, {"position": position})
        except CommandError:
            continue
        role, party = ROLES[who]
        assert role == "head" and position != "maybe"  # only heads get through, with a real position
        latest[party] = position
        decision.refresh_from_db()
        assert decision.adopted == (latest.get("west") == latest.get("east") == "approve")
        if decision.adopted:
            break
    stored = {p.party_id: (p.position, p.given_by) for p in Position.objects.filter(decision=decision)}
    assert stored == {party: (pos, f"{party}-head") for party, pos in latest.items()}

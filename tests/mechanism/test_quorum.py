from hypothesis import given
from hypothesis import strategies as st

from ceasefire.mechanism import parity

RULES = parity.Rules(seats={"west": 5, "east": 5}, quorum={"west": 3, "east": 3})

counts = st.integers(0, 5)


@given(counts, counts)
def test_quorum_is_met_only_when_each_party_has_its_own_quorum(west, east):
    result = parity.quorum(RULES, {"west": west, "east": east})
    assert result.met == (west >= 3 and east >= 3)
    assert result.present == {"west": west, "east": east}
    assert set(result.short) == {p for p, n in (("west", west), ("east", east)) if n < 3}
    for party, missing in result.short.items():
        assert missing == 3 - result.present[party]


def test_a_full_delegation_cannot_make_up_for_an_absent_one():
    result = parity.quorum(RULES, {"west": 5})
    assert not result.met
    assert result.short == {"east": 3}


@given(counts, counts, st.sampled_from(["west", "east"]))
def test_one_more_member_present_never_breaks_a_quorum(west, east, arriving):
    before = parity.quorum(RULES, {"west": west, "east": east})
    after_counts = {"west": west, "east": east}
    after_counts[arriving] += 1
    assert not before.met or parity.quorum(RULES, after_counts).met


def test_members_of_no_party_and_unknown_parties_do_not_count():
    result = parity.quorum(RULES, {"west": 3, "east": 2, "unsmil": 4})
    assert not result.met
    assert "unsmil" not in result.present


@given(st.dictionaries(st.sampled_from("abcd"), st.integers(1, 9), min_size=1), st.data())
def test_quorum_follows_each_mechanisms_own_configuration(seats, data):
    quorum = {p: data.draw(st.integers(1, n)) for p, n in seats.items()}
    present = {p: data.draw(st.integers(0, n)) for p, n in seats.items()}
    rules = parity.Rules(seats=seats, quorum=quorum)
    assert parity.quorum(rules, present).met == all(present[p] >= quorum[p] for p in seats)


# What a decision of a meeting waits for (parity.waiting_for): the meeting held, every party's
# approval and every party's own quorum, each at its boundary.

W = parity.Waiting
ALL_APPROVE = {"west": "approve", "east": "approve"}
QUORATE = {"west": 3, "east": 3}


def test_adoptable_exactly_when_held_with_every_approval_and_each_quorum():
    assert parity.waiting_for(RULES, ALL_APPROVE, QUORATE, held=True) == ()


def test_a_meeting_not_yet_held_adopts_nothing():
    assert parity.waiting_for(RULES, ALL_APPROVE, QUORATE, held=False) == (W(parity.NOT_HELD),)


def test_one_member_short_of_a_partys_quorum_is_waited_for():
    assert parity.waiting_for(RULES, ALL_APPROVE, {"west": 3, "east": 2}, held=True) == (W(parity.NO_QUORUM, "east"),)
    assert parity.waiting_for(RULES, ALL_APPROVE, {"west": 5, "east": 0}, held=True) == (W(parity.NO_QUORUM, "east"),)
    assert parity.waiting_for(RULES, ALL_APPROVE, {}, held=True) == (
        W(parity.NO_QUORUM, "west"),
        W(parity.NO_QUORUM, "east"),
    )


def test_a_missing_position_an_objection_and_an_abstention_are_each_waited_for():
    assert parity.waiting_for(RULES, {"west": "approve"}, QUORATE, held=True) == (W(parity.NO_POSITION, "east"),)
    assert parity.waiting_for(RULES, {"west": "approve", "east": "object"}, QUORATE, held=True) == (
        W(parity.NOT_APPROVED, "east"),
    )
    assert parity.waiting_for(RULES, {"west": "abstain", "east": "approve"}, QUORATE, held=True) == (
        W(parity.NOT_APPROVED, "west"),
    )


def test_everything_waited_for_is_listed_meeting_first_then_each_party_in_order():
    assert parity.waiting_for(RULES, {"east": "object"}, {"east": 3}, held=False) == (
        W(parity.NOT_HELD),
        W(parity.NO_POSITION, "west"),
        W(parity.NO_QUORUM, "west"),
        W(parity.NOT_APPROVED, "east"),
    )


positions = st.dictionaries(st.sampled_from(["west", "east"]), st.sampled_from(parity.POSITIONS))


@given(positions, counts, counts, st.booleans())
def test_nothing_is_waited_for_only_when_held_approved_by_all_and_quorate(given_positions, west, east, held):
    waits = parity.waiting_for(RULES, given_positions, {"west": west, "east": east}, held=held)
    adoptable = held and given_positions == ALL_APPROVE and west >= 3 and east >= 3
    assert (waits == ()) == adoptable
    assert len(set(waits)) == len(waits)


def test_a_suspended_party_is_waited_for_before_anything_else_of_it():
    assert parity.waiting_for(RULES, ALL_APPROVE, QUORATE, held=True, suspended={"east"}) == (
        W(parity.SUSPENDED, "east"),
    )
    assert parity.waiting_for(RULES, {"west": "approve"}, {"west": 3}, held=True, suspended=("west", "east")) == (
        W(parity.SUSPENDED, "west"),
        W(parity.SUSPENDED, "east"),
        W(parity.NO_POSITION, "east"),
        W(parity.NO_QUORUM, "east"),
    )
    assert parity.waiting_for(RULES, ALL_APPROVE, QUORATE, held=True, suspended=()) == ()

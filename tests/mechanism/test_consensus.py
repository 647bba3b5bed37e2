import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.mechanism import parity

PARTIES = ("west", "east")
position_maps = st.dictionaries(st.sampled_from(PARTIES), st.sampled_from(parity.POSITIONS))


@given(position_maps, st.sets(st.sampled_from(PARTIES)))
def test_adopted_only_when_every_party_approves(positions, suspended):
    result = parity.outcome(PARTIES, positions, suspended)
    assert result.adopted == all(positions.get(p) == parity.APPROVE for p in PARTIES)


@given(position_maps)
def test_every_party_is_accounted_for_exactly_once(positions):
    r = parity.outcome(PARTIES, positions)
    groups = [r.approved_by, r.objected_by, r.abstained_by, r.waiting_for]
    assert sorted(p for g in groups for p in g) == sorted(PARTIES)


@given(st.permutations(["a", "b", "c"]), st.dictionaries(st.sampled_from("abc"), st.sampled_from(parity.POSITIONS)))
def test_the_order_of_the_parties_does_not_change_the_outcome(order, positions):
    assert parity.outcome(order, positions).adopted == parity.outcome("abc", positions).adopted


@pytest.mark.parametrize(
    "positions, adopted, waiting",
    [
        ({}, False, ("west", "east")),
        ({"west": "approve"}, False, ("east",)),
        ({"west": "approve", "east": "object"}, False, ()),
        ({"west": "approve", "east": "abstain"}, False, ()),
        ({"west": "approve", "east": "approve"}, True, ()),
    ],
)
def test_a_single_party_cannot_adopt_alone(positions, adopted, waiting):
    result = parity.outcome(PARTIES, positions)
    assert result.adopted is adopted
    assert result.waiting_for == waiting


def test_a_suspended_party_is_named_and_its_earlier_approval_stands():
    waiting = parity.outcome(PARTIES, {"west": "approve"}, suspended={"east"})
    assert waiting.suspended == ("east",)
    assert waiting.waiting_for == ("east",)
    assert not waiting.adopted
    assert parity.outcome(PARTIES, {"west": "approve", "east": "approve"}, suspended={"east"}).adopted


@pytest.mark.parametrize(
    "parties, positions, message",
    [
        ((), {}, "at least one party"),
        (PARTIES, {"south": "approve"}, "unknown party"),
        (PARTIES, {"west": "yes"}, "unknown position"),
    ],
)
def test_outcome_refuses_what_it_does_not_know(parties, positions, message):
    with pytest.raises(ValueError, match=message):
        parity.outcome(parties, positions)

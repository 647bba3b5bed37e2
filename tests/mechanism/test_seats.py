import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.mechanism import parity

party_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)


@given(st.dictionaries(party_names, st.integers(1, 20), min_size=1, max_size=6))
def test_balanced_exactly_when_every_party_holds_the_same_number_of_seats(seats):
    assert parity.balanced(seats) == (len(set(seats.values())) == 1)


def test_five_plus_five_is_balanced_and_five_plus_four_is_not():
    assert parity.balanced({"west": 5, "east": 5})
    assert parity.balanced({"gos": 3, "spla": 3, "intl": 3})
    assert not parity.balanced({"west": 5, "east": 4})


@pytest.mark.parametrize("seats", range(1, 12))
def test_default_quorum_is_a_majority_of_the_seats(seats):
    q = parity.default_quorum(seats)
    assert q > seats / 2
    assert q - 1 <= seats / 2


@pytest.mark.parametrize(
    "seats, quorum, message",
    [
        ({}, {}, "at least one party"),
        ({"west": 5}, {"east": 3}, "exactly the parties"),
        ({"west": 0}, {"west": 1}, "at least one seat"),
        ({"west": 5}, {"west": 6}, "between 1 and its 5 seats"),
        ({"west": 5}, {"west": 0}, "between 1 and its 5 seats"),
    ],
)
def test_rules_refuse_an_impossible_configuration(seats, quorum, message):
    with pytest.raises(ValueError, match=message):
        parity.Rules(seats=seats, quorum=quorum)


def test_joint_needs_a_member_of_every_party():
    assert parity.joint(["west", "east", None], ["west", "east"])
    assert not parity.joint(["west", "west", None], ["west", "east"])
    assert not parity.joint([], ["west", "east"])

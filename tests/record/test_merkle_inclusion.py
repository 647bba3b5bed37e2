"""inclusion_proof against the RFC's PATH, and every honest inclusion proof verifies."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.record import merkle
from tests.record.test_merkle_reference import SHA, SWEEP_LEAVES, Reference

MAX = 300


def interesting_indices(n, few=False):
    """Both ends, and both sides of the top split point k; and more when not `few`."""
    k = 1 << ((n - 1).bit_length() - 1) if n > 1 else 1
    more = () if few else (1, k + 1, n // 2, n - 2)
    return sorted({i for i in (0, k - 1, k, n - 1, *more) if 0 <= i < n})


def test_the_walk_takes_the_nodes_of_PATH_for_every_index_of_every_size_up_to_300():
    # The module's walk fed the oracle's cached MTH: which nodes, in which order, for all 45,150
    # (index, size) pairs. Hashing the leaves is checked below and in test_merkle_root.
    for n in range(1, MAX + 1):
        for i in range(n):
            assert merkle._inclusion_path(i, n, SHA.MTH) == SHA.path(i, n), (i, n)


def test_inclusion_proof_matches_PATH_for_every_index_up_to_64_leaves():
    for n in range(1, 65):
        for i in range(n):
            assert merkle.inclusion_proof(SWEEP_LEAVES[:n], i) == SHA.path(i, n), (i, n)


def test_inclusion_proof_matches_PATH_at_the_borders_of_every_size_up_to_300():
    for n in range(65, MAX + 1):
        for i in interesting_indices(n, few=True):
            assert merkle.inclusion_proof(SWEEP_LEAVES[:n], i) == SHA.path(i, n), (i, n)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=MAX + 1, max_value=len(SWEEP_LEAVES)), st.data())
def test_inclusion_proof_matches_PATH_beyond_300(n, data):
    i = data.draw(st.one_of(st.sampled_from(interesting_indices(n)), st.integers(0, n - 1)), label="index")
    proof = merkle.inclusion_proof(SWEEP_LEAVES[:n], i)
    assert proof == SHA.path(i, n)
    assert merkle.verify_inclusion(merkle.leaf_hash(SWEEP_LEAVES[i]), i, n, proof, merkle.root_hash(SWEEP_LEAVES[:n]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.binary(max_size=6), min_size=1, max_size=40), st.data())
def test_inclusion_proof_of_arbitrary_entries_even_repeated_ones(entries, data):
    i = data.draw(st.integers(0, len(entries) - 1), label="index")
    proof = merkle.inclusion_proof(entries, i)
    assert proof == Reference(entries).path(i, len(entries))
    assert merkle.verify_inclusion(merkle.leaf_hash(entries[i]), i, len(entries), proof, merkle.root_hash(entries))


def test_every_honest_proof_verifies_for_every_index_of_every_size_up_to_300():
    for n in range(1, MAX + 1):
        root = SHA.root(n)
        for i in range(n):
            assert merkle.verify_inclusion(SHA.leaf(i), i, n, SHA.path(i, n), root), (i, n)


def test_proof_length_is_inner_plus_border_and_at_most_ceil_log2_n():
    for n in range(1, 1025):
        ceil_log2 = (n - 1).bit_length()
        for i in interesting_indices(n) if n > 64 else range(n):
            inner, border = merkle._decompose(i, n)
            assert len(SHA.path(i, n)) == inner + border <= ceil_log2


def test_a_single_leaf_tree_has_an_empty_proof_and_its_root_is_the_leaf_hash():
    assert merkle.inclusion_proof([b"only"], 0) == []
    assert merkle.verify_inclusion(merkle.leaf_hash(b"only"), 0, 1, [], merkle.root_hash([b"only"]))


@pytest.mark.parametrize("index", [-1, 5, 6, 2**64, True, False, 1.0, "0", None, b"\x00"])
def test_inclusion_proof_rejects_a_bad_index(index):
    with pytest.raises(ValueError, match="index"):
        merkle.inclusion_proof(SWEEP_LEAVES[:5], index)


def test_inclusion_proof_in_the_empty_tree_is_an_error():
    with pytest.raises(ValueError, match=r"index must be an int in \[0, 0\)"):
        merkle.inclusion_proof([], 0)

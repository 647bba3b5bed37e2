"""consistency_proof against the RFC's PROOF/SUBPROOF, and every honest consistency proof verifies."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.record import merkle
from tests.record.test_merkle_reference import SHA, SWEEP_LEAVES, Reference

MAX = 300


def interesting_old_sizes(n, few=False):
    """1, n - 1, both sides of the split point k; and when not `few` the other powers of two and
    their neighbours, n and the middle."""
    k = 1 << ((n - 1).bit_length() - 1) if n > 1 else 1
    sizes = {1, n - 1, k - 1, k, k + 1} | (set() if few else {2, 3, n, n // 2, n // 2 + 1})
    p = 1
    while not few and p <= n:
        sizes |= {p - 1, p, p + 1}
        p *= 2
    return sorted(m for m in sizes if 0 < m <= n)


def test_the_walk_takes_the_nodes_of_PROOF_for_every_old_size_of_every_size_up_to_300():
    # The module's walk fed the oracle's cached MTH: which nodes, in which order, for every
    # 0 < m <= n <= 300. Hashing the leaves is checked below and in test_merkle_root.
    for n in range(1, MAX + 1):
        for m in range(1, n + 1):
            assert merkle._consistency_path(m, n, SHA.MTH) == SHA.proof(m, n), (m, n)


def test_consistency_proof_matches_PROOF_for_every_old_size_up_to_64_leaves():
    for n in range(1, 65):
        for m in range(1, n + 1):
            assert merkle.consistency_proof(SWEEP_LEAVES[:n], m) == SHA.proof(m, n), (m, n)


def test_consistency_proof_matches_PROOF_at_the_borders_of_every_size_up_to_300():
    for n in range(65, MAX + 1):
        for m in interesting_old_sizes(n, few=True):
            assert merkle.consistency_proof(SWEEP_LEAVES[:n], m) == SHA.proof(m, n), (m, n)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=MAX + 1, max_value=len(SWEEP_LEAVES)), st.data())
def test_consistency_proof_matches_PROOF_beyond_300(n, data):
    m = data.draw(st.one_of(st.sampled_from(interesting_old_sizes(n)), st.integers(1, n)), label="old_size")
    proof = merkle.consistency_proof(SWEEP_LEAVES[:n], m)
    assert proof == SHA.proof(m, n)
    assert merkle.verify_consistency(m, n, SHA.root(m), merkle.root_hash(SWEEP_LEAVES[:n]), proof)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.binary(max_size=6), min_size=1, max_size=40), st.data())
def test_consistency_proof_of_arbitrary_entries_even_repeated_ones(entries, data):
    m = data.draw(st.integers(1, len(entries)), label="old_size")
    proof = merkle.consistency_proof(entries, m)
    assert proof == Reference(entries).PROOF(m, len(entries))
    assert merkle.verify_consistency(m, len(entries), merkle.root_hash(entries[:m]), merkle.root_hash(entries), proof)


def test_every_honest_proof_verifies_for_every_old_size_of_every_size_up_to_300():
    for n in range(1, MAX + 1):
        root = SHA.root(n)
        for m in range(1, n + 1):
            assert merkle.verify_consistency(m, n, SHA.root(m), root, SHA.proof(m, n)), (m, n)


def test_proof_length_is_at_most_ceil_log2_n_plus_one_and_the_bound_is_reached():
    for n in range(2, MAX + 1):
        longest = max(len(SHA.proof(m, n)) for m in range(1, n))
        assert longest <= (n - 1).bit_length() + 1
        assert longest == (n - 1).bit_length() + 1 or n in (2, 3)  # tight from n = 4 on


def test_equal_sizes_need_an_empty_proof_and_equal_roots():
    for n in range(1, 9):
        assert merkle.consistency_proof(SWEEP_LEAVES[:n], n) == []
        assert merkle.verify_consistency(n, n, SHA.root(n), SHA.root(n), [])
        assert not merkle.verify_consistency(n, n, SHA.root(n), SHA.root(n + 1), [])
        assert not merkle.verify_consistency(n, n, SHA.root(n), SHA.root(n), [SHA.root(n)])


def test_a_power_of_two_old_size_sends_no_hash_of_the_old_tree():
    # The verifier already holds the old root; it is the seed (RFC 9162 step 2 prepends it).
    for n in range(2, 70):
        for m in (1, 2, 4, 8, 16, 32, 64):
            if m < n:
                assert SHA.root(m) not in merkle.consistency_proof(SWEEP_LEAVES[:n], m)


@pytest.mark.parametrize("old_size", [0, -1, 6, 2**64, True, 1.0, "1", None])
def test_consistency_proof_rejects_a_bad_old_size(old_size):
    with pytest.raises(ValueError, match="old_size"):
        merkle.consistency_proof(SWEEP_LEAVES[:5], old_size)


def test_no_consistency_proof_from_or_to_the_empty_tree():
    with pytest.raises(ValueError, match=r"old_size must be an int in \[1, 0\]"):
        merkle.consistency_proof([], 0)
    with pytest.raises(ValueError):
        merkle.consistency_proof(SWEEP_LEAVES[:3], 0)

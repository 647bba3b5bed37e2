"""root_hash and subtree_root against the recursive MTH; the streaming form keeps O(log n) memory."""

import tracemalloc
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.record import merkle
from tests.record.test_merkle_reference import SHA, SWEEP_LEAVES, Reference


def test_root_hash_matches_mth_for_every_size_up_to_300():
    for n in range(301):
        assert merkle.root_hash(SWEEP_LEAVES[:n]) == SHA.root(n), n


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=301, max_value=len(SWEEP_LEAVES)))
def test_root_hash_matches_mth_beyond_300(n):
    assert merkle.root_hash(SWEEP_LEAVES[:n]) == SHA.root(n)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=70))
def test_root_hash_of_arbitrary_entries(entries):
    assert merkle.root_hash(entries) == Reference(entries).root(len(entries))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=40), st.data())
def test_root_hash_depends_on_every_entry_and_on_order(entries, data):
    root = merkle.root_hash(entries)
    i = data.draw(st.integers(0, len(entries) - 1))
    changed = entries[:i] + [entries[i] + b"!"] + entries[i + 1 :]
    assert merkle.root_hash(changed) != root
    assert merkle.root_hash(entries + [b""]) != root  # even an empty entry is an entry
    if entries != entries[::-1]:
        assert merkle.root_hash(entries[::-1]) != root


def test_root_hash_takes_any_sequence():
    entries = SWEEP_LEAVES[:37]
    assert merkle.root_hash(tuple(entries)) == merkle.root_hash(entries) == SHA.root(37)
    assert merkle.root_hash([]) == merkle.root_hash(()) == merkle.EMPTY_ROOT


class LazyLeaves(Sequence):
    """n entries made on demand, so that only root_hash's own memory is measured."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i.to_bytes(8, "big")


def test_root_hash_streams_in_logarithmic_memory():
    n = 1 << 14
    tracemalloc.start()
    try:
        root = merkle.root_hash(LazyLeaves(n))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 15 levels of 32-byte hashes (~2 KB measured); a hashed copy of the leaves: ~1.2 MB.
    assert peak < 20_000, peak
    # A perfect tree: its root is the node over the two halves.
    half = [i.to_bytes(8, "big") for i in range(n)]
    assert root == merkle.node_hash(merkle.root_hash(half[: n // 2]), merkle.root_hash(half[n // 2 :]))


def test_root_hash_of_a_large_uneven_tree_follows_the_split_rule():
    n = (1 << 16) + 4099  # k = 2**16: a perfect left half, an uneven right one
    leaves = LazyLeaves(n)
    k = 1 << 16
    left = merkle.root_hash([leaves[i] for i in range(k)])
    right = merkle.root_hash([leaves[i] for i in range(k, n)])
    assert merkle.root_hash(leaves) == merkle.node_hash(left, right)


def test_subtree_root_matches_mth_for_every_range_up_to_64():
    hashes = [SHA.leaf(i) for i in range(64)]
    for lo in range(64):
        for hi in range(lo + 1, 65):
            assert merkle.subtree_root(hashes, lo, hi) == SHA.MTH(lo, hi), (lo, hi)
    assert merkle.subtree_root(hashes, 5, 5) == merkle.EMPTY_ROOT


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 2), (0, 9), (9, 9), (True, 2), (0, 2.0), (None, 1)])
def test_subtree_root_rejects_bad_ranges(start, end):
    with pytest.raises(ValueError):
        merkle.subtree_root([merkle.leaf_hash(b"%d" % i) for i in range(8)], start, end)

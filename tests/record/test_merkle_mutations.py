"""Mutated proofs are rejected. Where a mutation of a *size* is accepted, it is exactly what the RFC's
own algorithm accepts (checked on symbols, so without any hash collision): the size/root binding of
record.md's pitfalls, which only the signed checkpoint can provide."""

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.record import merkle
from tests.record.test_merkle_reference import (
    LEAF_HASHES,
    LEAVES,
    ROOTS,
    SHA,
    SWEEP_LEAVES,
    SYM,
    rfc_verify_consistency,
    rfc_verify_inclusion,
    sym_node,
)

ZERO = bytes(32)


def flip(h, bit):
    b = bytearray(h)
    b[bit // 8] ^= 1 << (bit % 8)
    return bytes(b)


def inclusion(i, n):
    return SHA.leaf(i), i, n, SHA.path(i, n), SHA.root(n)


def consistency(m, n):
    return m, n, SHA.root(m), SHA.root(n), SHA.proof(m, n)


INCLUSION_CASES = [(i, n) for n in range(1, 33) for i in range(n)]
CONSISTENCY_CASES = [(m, n) for n in range(2, 33) for m in range(1, n)]  # m == n: see the equal-size tests
SMALL_INCLUSION = [(i, n) for i, n in INCLUSION_CASES if n <= 12]
SMALL_CONSISTENCY = [(m, n) for m, n in CONSISTENCY_CASES if n <= 10]


def variants(proof, extras):
    """The proof truncated, extended and reordered: everything but the proof itself."""
    out = [proof[:j] + proof[j + 1 :] for j in range(len(proof))]  # each node dropped
    out += [proof[:-1], proof[1:], []] if proof else []
    for x in extras:
        out += [proof + [x], [x] + proof]
        out += [proof[:j] + [x] + proof[j:] for j in range(1, len(proof))]
    for a in range(len(proof)):
        for b in range(a + 1, len(proof)):
            if proof[a] != proof[b]:
                out.append(proof[:a] + [proof[b]] + proof[a + 1 : b] + [proof[a]] + proof[b + 1 :])
    return [v for v in out if v != proof]


# Inclusion -----------------------------------------------------------------------------------------


def test_every_bit_flip_in_every_node_leaf_hash_and_root_is_rejected():
    for i, n in SMALL_INCLUSION:
        leaf, _, _, proof, root = inclusion(i, n)
        for bit in range(256):
            assert not merkle.verify_inclusion(flip(leaf, bit), i, n, proof, root)
            assert not merkle.verify_inclusion(leaf, i, n, proof, flip(root, bit))
            for j in range(len(proof)):
                mutated = proof[:j] + [flip(proof[j], bit)] + proof[j + 1 :]
                assert not merkle.verify_inclusion(leaf, i, n, mutated, root), (i, n, j, bit)


def test_truncated_extended_and_swapped_inclusion_proofs_are_rejected():
    for i, n in INCLUSION_CASES:
        leaf, _, _, proof, root = inclusion(i, n)
        extras = [ZERO, leaf, root, SHA.root(n - 1) if n > 1 else ZERO] + proof[-1:]
        for mutated in variants(proof, extras):
            assert not merkle.verify_inclusion(leaf, i, n, mutated, root), (i, n, mutated)


def test_every_other_index_is_rejected():
    # The index is bound: in a given size no two leaves have the same path shape.
    for i, n in INCLUSION_CASES:
        leaf, _, _, proof, root = inclusion(i, n)
        for j in [*range(n), n, n + 1, 2 * n]:
            if j != i:
                assert not merkle.verify_inclusion(leaf, j, n, proof, root), (i, j, n)
                if j < n:
                    assert not merkle.verify_inclusion(SHA.leaf(j), j, n, proof, root), (i, j, n)


def test_a_leaf_hash_that_is_not_the_right_one_is_rejected():
    for i, n in INCLUSION_CASES:
        _, _, _, proof, root = inclusion(i, n)
        data = SWEEP_LEAVES[i]
        wrong = [SHA.leaf(j) for j in range(n) if j != i]
        wrong += [
            hashlib.sha256(data).digest(),  # no 0x00 prefix
            hashlib.sha256(b"\x01" + data).digest(),  # the node prefix
            merkle.leaf_hash(data + b"\x00"),
            root,  # in a one-leaf tree the root *is* the leaf hash; filtered out below
            ZERO,
            data.ljust(32, b"\x00"),  # the raw entry
        ]
        for w in (w for w in wrong if w != SHA.leaf(i)):
            assert not merkle.verify_inclusion(w, i, n, proof, root), (i, n, w)


def test_the_root_of_another_size_is_rejected():
    for i, n in INCLUSION_CASES:
        leaf, _, _, proof, _ = inclusion(i, n)
        for other in (n - 1, n + 1, 0, 2 * n):
            assert not merkle.verify_inclusion(leaf, i, n, proof, SHA.root(other))


def test_a_wrong_size_is_accepted_exactly_when_the_rfc_algorithm_accepts_it():
    """The proof for (i, n) told size n' != n against root_n. The RFC loop on symbols says when this
    can verify at all without a collision: only when leaf i has the same path shape in both sizes."""
    accepted = 0
    for i, n in INCLUSION_CASES:
        leaf, _, _, proof, root = inclusion(i, n)
        for size in range(max(1, n - 3), n + 4) if n > 12 else range(1, 20):
            if size == n:
                continue
            expected = rfc_verify_inclusion(sym_node, i, size, SYM.leaf(i), SYM.path(i, n), SYM.root(n))
            assert merkle.verify_inclusion(leaf, i, size, proof, root) == expected, (i, n, size)
            accepted += expected
    assert accepted > 100  # the binding cases exist; they are not a bug of this module


@settings(max_examples=150, deadline=None)
@given(st.integers(1, len(SWEEP_LEAVES)), st.data())
def test_random_mutations_of_large_inclusion_proofs_are_rejected(n, data):
    i = data.draw(st.integers(0, n - 1), label="index")
    leaf, _, _, proof, root = inclusion(i, n)
    assert merkle.verify_inclusion(leaf, i, n, proof, root)
    if proof:
        j = data.draw(st.integers(0, len(proof) - 1), label="node")
        bit = data.draw(st.integers(0, 255), label="bit")
        assert not merkle.verify_inclusion(leaf, i, n, proof[:j] + [flip(proof[j], bit)] + proof[j + 1 :], root)
        assert not merkle.verify_inclusion(leaf, i, n, proof[:j] + proof[j + 1 :], root)
    other = data.draw(st.integers(0, n + 5).filter(lambda j: j != i), label="other index")
    assert not merkle.verify_inclusion(leaf, other, n, proof, root)
    assert not merkle.verify_inclusion(leaf, i, n, proof + [ZERO], root)
    assert not merkle.verify_inclusion(leaf, i, n, [leaf] + proof, root)


# Consistency ---------------------------------------------------------------------------------------


def test_every_bit_flip_in_every_node_and_root_is_rejected():
    for m, n in SMALL_CONSISTENCY:
        _, _, old, new, proof = consistency(m, n)
        for bit in range(256):
            assert not merkle.verify_consistency(m, n, flip(old, bit), new, proof)
            assert not merkle.verify_consistency(m, n, old, flip(new, bit), proof)
            for j in range(len(proof)):
                mutated = proof[:j] + [flip(proof[j], bit)] + proof[j + 1 :]
                assert not merkle.verify_consistency(m, n, old, new, mutated), (m, n, j, bit)


def test_truncated_extended_and_swapped_consistency_proofs_are_rejected():
    for m, n in CONSISTENCY_CASES:
        _, _, old, new, proof = consistency(m, n)
        # The old root prepended is the RFC's internal form for a power-of-two old size: not a proof.
        extras = [ZERO, old, new, SHA.root(m - 1) if m > 1 else ZERO] + proof[-1:]
        for mutated in variants(proof, extras):
            assert not merkle.verify_consistency(m, n, old, new, mutated), (m, n, mutated)


def test_swapped_or_foreign_roots_are_rejected():
    for m, n in CONSISTENCY_CASES:
        _, _, old, new, proof = consistency(m, n)
        assert not merkle.verify_consistency(m, n, new, old, proof)  # old and new swapped
        assert not merkle.verify_consistency(m, n, old, old, proof)
        assert not merkle.verify_consistency(m, n, new, new, proof)
        for other in {m - 1, m + 1, n - 1, n + 1} - {m, n}:
            assert not merkle.verify_consistency(m, n, SHA.root(other), new, proof)
            assert not merkle.verify_consistency(m, n, old, SHA.root(other), proof)


def test_wrong_sizes_are_accepted_exactly_when_the_rfc_algorithm_accepts_them():
    """The proof for (m, n) told (m', n') against root_m and root_n, judged by the RFC loop on symbols."""
    accepted = 0
    for m, n in CONSISTENCY_CASES:
        _, _, old, new, proof = consistency(m, n)
        if n <= 10:
            pairs = [(a, b) for b in range(0, 14) for a in range(0, b + 2)]
        else:
            pairs = [(m + da, n + db) for da in (-1, 0, 1) for db in (-1, 0, 1)]
        for a, b in pairs:
            if (a, b) == (m, n):
                continue
            expected = rfc_verify_consistency(sym_node, a, b, SYM.root(m), SYM.root(n), SYM.proof(m, n))
            assert merkle.verify_consistency(a, b, old, new, proof) == expected, (m, n, a, b)
            accepted += expected
    assert accepted > 100


@settings(max_examples=150, deadline=None)
@given(st.integers(2, len(SWEEP_LEAVES)), st.data())
def test_random_mutations_of_large_consistency_proofs_are_rejected(n, data):
    m = data.draw(st.integers(1, n - 1), label="old_size")
    _, _, old, new, proof = consistency(m, n)
    assert merkle.verify_consistency(m, n, old, new, proof)
    j = data.draw(st.integers(0, len(proof) - 1), label="node")
    bit = data.draw(st.integers(0, 255), label="bit")
    assert not merkle.verify_consistency(m, n, old, new, proof[:j] + [flip(proof[j], bit)] + proof[j + 1 :])
    assert not merkle.verify_consistency(m, n, old, new, proof[:j] + proof[j + 1 :])
    assert not merkle.verify_consistency(m, n, old, new, proof + [ZERO])
    assert not merkle.verify_consistency(m, n, old, new, [old] + proof)
    assert not merkle.verify_consistency(m, n, new, old, proof)


# Binding (record.md §1, second pitfall) ------------------------------------------------------------


def test_record_md_example_index_0_of_size_3_verifies_against_root3_told_size_4():
    # EXPECTED: True. Leaf 0 has the same path shape (left, left) in trees of 3 and 4 leaves, so
    # the proof [h1, h2] hashes to root3 whatever size between them the verifier is told. This is
    # not a verifier bug: root3 is never the root of a 4-leaf tree, so the (size, root) pair must
    # come from one signed checkpoint, and then the lie is impossible.
    proof = merkle.inclusion_proof(LEAVES[:3], 0)
    assert proof == [LEAF_HASHES[1], LEAF_HASHES[2]]
    assert merkle.verify_inclusion(LEAF_HASHES[0], 0, 4, proof, ROOTS[3]) is True
    assert merkle.verify_inclusion(LEAF_HASHES[0], 0, 4, proof, ROOTS[4]) is False  # the real root of 4


def test_record_md_counts_16_inclusion_and_16_consistency_cases_up_to_8_leaves():
    # "Told size n + 1" with n + 1 <= 8, on the §3 leaves. (Told n - 1 gives 16 more inclusion cases,
    # the same pairs the other way round; see the symbolic tests above for all sizes.)
    inclusion_cases = [
        (i, n)
        for n in range(1, 8)
        for i in range(n)
        if merkle.verify_inclusion(LEAF_HASHES[i], i, n + 1, merkle.inclusion_proof(LEAVES[:n], i), ROOTS[n])
    ]
    consistency_cases = [
        (m, n)
        for n in range(1, 8)
        for m in range(1, n)
        if merkle.verify_consistency(m, n + 1, ROOTS[m], ROOTS[n], merkle.consistency_proof(LEAVES[:n], m))
    ]
    assert inclusion_cases == [(0, 3), (1, 3), (0, 5), (1, 5), (2, 5), (3, 5), (0, 6), (1, 6), (2, 6), (3, 6),
                               (0, 7), (1, 7), (2, 7), (3, 7), (4, 7), (5, 7)]  # fmt: skip
    assert consistency_cases == [(1, 3), (2, 3), (1, 5), (2, 5), (3, 5), (4, 5), (1, 6), (2, 6), (3, 6), (4, 6),
                                 (1, 7), (2, 7), (3, 7), (4, 7), (5, 7), (6, 7)]  # fmt: skip
    # Nothing from 8 to 9: a perfect tree's root is never a node of a larger tree's right border.
    assert not any(merkle.verify_inclusion(SHA.leaf(i), i, 9, SHA.path(i, 8), SHA.root(8)) for i in range(8))


def test_an_interior_node_passed_as_a_leaf_hash_verifies_in_a_smaller_size():
    # Also binding: node(h0, h1) "at index 0 of 2 leaves" with proof [node(h2, h3)] hashes to root4.
    # Domain separation means no entry has that leaf hash, so the verifier must compute the leaf
    # hash from the entry itself, and take the size from the same checkpoint as the root.
    g, h = merkle.subtree_root(LEAF_HASHES, 0, 2), merkle.subtree_root(LEAF_HASHES, 2, 4)
    assert merkle.verify_inclusion(g, 0, 2, [h], ROOTS[4]) is True
    assert merkle.verify_inclusion(g, 0, 4, [h], ROOTS[4]) is False

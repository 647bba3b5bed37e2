"""Every test vector of record.md §3, for both generation and verification."""

import hashlib

import pytest

from ceasefire.record import merkle
from tests.record.test_merkle_reference import (
    LEAF_HASHES,
    LEAVES,
    NODE_01,
    NODE_0123,
    NODE_23,
    NODE_45,
    NODE_67,
    NODE_4567,
    ROOTS,
)

H = LEAF_HASHES

INCLUSION = {  # (index, size) -> proof, leaf side first
    (0, 1): [],
    (0, 2): [H[1]],
    (1, 2): [H[0]],
    (2, 3): [NODE_01],
    (1, 5): [H[0], NODE_23, H[4]],
    (0, 8): [H[1], NODE_23, NODE_4567],
    (5, 8): [H[4], NODE_67, NODE_0123],
}
CONSISTENCY = {  # (old size, new size) -> proof
    (1, 1): [],
    (1, 8): [H[1], NODE_23, NODE_4567],
    (2, 5): [NODE_23, H[4]],
    (6, 8): [NODE_45, NODE_67, NODE_0123],
    (6, 7): [NODE_45, H[6], NODE_0123],
    (4, 8): [NODE_4567],
    (3, 5): [H[2], H[3], NODE_01, H[4]],
}


def test_primitives_are_the_rfc_6962_hashes():
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest() == H[0]
    assert merkle.node_hash(H[0], H[1]) == hashlib.sha256(b"\x01" + H[0] + H[1]).digest() == NODE_01
    assert merkle.EMPTY_ROOT == hashlib.sha256(b"").digest() == ROOTS[0]
    assert merkle.HASH_SIZE == 32


def test_leaf_hashes():
    assert [merkle.leaf_hash(d) for d in LEAVES] == LEAF_HASHES
    # record.md lists them abbreviated as first…last four bytes; the abbreviations agree too.
    abbreviated = ["6e340b9c…a01d", "96a296d2…cfc7", "0298d122…7fe7", "07506a85…87e7",
                   "bc1a0643…9e6b", "4271a26b…b658", "b08693ec…1a5f", "46f6ffad…8eb1"]  # fmt: skip
    assert [f"{h.hex()[:8]}…{h.hex()[-4:]}" for h in LEAF_HASHES] == abbreviated


@pytest.mark.parametrize("size", range(9))
def test_root_of_each_prefix(size):
    assert merkle.root_hash(LEAVES[:size]) == ROOTS[size]
    assert merkle.subtree_root(LEAF_HASHES, 0, size) == ROOTS[size]


def test_interior_nodes():
    assert [merkle.subtree_root(H, i, i + 2) for i in range(0, 8, 2)] == [NODE_01, NODE_23, NODE_45, NODE_67]
    assert [merkle.subtree_root(H, 0, 4), merkle.subtree_root(H, 4, 8)] == [NODE_0123, NODE_4567]
    assert merkle.node_hash(NODE_0123, NODE_4567) == ROOTS[8]


@pytest.mark.parametrize(("index", "size"), INCLUSION)
def test_published_inclusion_proof(index, size):
    proof = INCLUSION[index, size]
    assert merkle.inclusion_proof(LEAVES[:size], index) == proof
    assert merkle.verify_inclusion(H[index], index, size, proof, ROOTS[size])


@pytest.mark.parametrize(("old", "new"), CONSISTENCY)
def test_published_and_derived_consistency_proof(old, new):
    proof = CONSISTENCY[old, new]
    assert merkle.consistency_proof(LEAVES[:new], old) == proof
    assert merkle.verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


def test_rfc_9162_seven_leaf_example():
    a, b, c, d, e, f, j = H[:7]
    g, h, i = NODE_01, NODE_23, NODE_45
    k, l = NODE_0123, merkle.node_hash(i, j)
    assert merkle.node_hash(k, l) == ROOTS[7]
    paths = {0: [b, h, l], 3: [c, g, l], 4: [f, j, k], 6: [i, k]}
    for index, path in paths.items():
        assert merkle.inclusion_proof(LEAVES[:7], index) == path
        assert merkle.verify_inclusion(H[index], index, 7, path, ROOTS[7])
    proofs = {3: [c, d, g, l], 4: [l], 6: [i, j, k]}
    for old, proof in proofs.items():
        assert merkle.consistency_proof(LEAVES[:7], old) == proof
        assert merkle.verify_consistency(old, 7, ROOTS[old], ROOTS[7], proof)


def test_consistency_from_one_leaf_is_the_inclusion_proof_of_leaf_zero():
    # record.md: "1→8 → same three hashes as inclusion (0,8)"; true for every size.
    for n in range(1, 9):
        assert merkle.consistency_proof(LEAVES[:n], 1) == merkle.inclusion_proof(LEAVES[:n], 0)

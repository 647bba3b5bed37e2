"""RFC 9162 §2.1 Merkle tree hashing, proofs and their verification (tree hashing = RFC 6962 §2.1).

Pure standard library: the offline verifier of an exported bundle must run without Django, and the
two parties must be able to read every line of it. Hashes are SHA-256 with domain separation (0x00
for a leaf, 0x01 for an interior node), so that no entry hashes to the value of a subtree.

Conventions, as in transparency-dev/merkle: a *size* is a number of leaves, a range [lo, hi) is a
half-open interval of leaf indices, and proofs list their nodes from the leaf side up.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) is the hash of the empty string, not of a leaf
_MAX_SIZE = 2**64 - 1  # checkpoints and the witness protocol carry sizes as u64

RangeHash = Callable[[int, int], bytes]  # (lo, hi) -> MTH of the leaves in [lo, hi)
# The walks below name the ranges a proof needs; the stored tree asks them for the (lo, hi) ranges
# themselves, to read all their nodes in one query.
T = TypeVar("T")


def leaf_hash(data: bytes) -> bytes:
    """The hash of one log entry: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """MTH(leaves): the root of the tree whose entries are `leaves` (raw, unhashed)."""
    return _fold(map(leaf_hash, leaves))


def subtree_root(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH of the entries [start, end) from their *leaf hashes*, which a storage-backed tree keeps.

    When [start, end) is a node of a larger tree, this is that node's hash; [start, start) gives
    EMPTY_ROOT, the root of the empty tree.
    """
    if not (_is_uint(start) and _is_uint(end) and start <= end <= len(leaf_hashes)):
        raise ValueError(f"bad range [{start!r}, {end!r}) for {len(leaf_hashes)} leaves")
    return _fold(leaf_hashes[i] for i in range(start, end))


def _fold(hashes: Iterable[bytes]) -> bytes:
    """MTH from leaf hashes in one pass, keeping one hash per level (RFC 9162 §2.1.2).

    The stack holds the roots of the complete subtrees seen so far, largest first. Leaf i closes
    one complete subtree for each trailing 1-bit of i; the right border of the final tree is then
    folded right to left. O(n) hashes, O(log n) memory and no recursion: logs reach millions of
    entries.
    """
    stack: list[bytes] = []
    for i, h in enumerate(hashes):
        while i & 1:
            h = node_hash(stack.pop(), h)
            i >>= 1
        stack.append(h)
    if not stack:
        return EMPTY_ROOT
    h = stack.pop()
    while stack:
        h = node_hash(stack.pop(), h)
    return h


def _split(n: int) -> int:
    """k, the largest power of two strictly less than n (n >= 2): the RFC's left subtree size."""
    return 1 << ((n - 1).bit_length() - 1)


def _leaves_range_hash(leaves: Sequence[bytes]) -> RangeHash:
    return lambda lo, hi: _fold(leaf_hash(leaves[i]) for i in range(lo, hi))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, leaves) (RFC 6962 §2.1.1), leaf side first."""
    size = len(leaves)
    if not (_is_uint(index) and index < size):
        raise ValueError(f"index must be an int in [0, {size}), got {index!r}")
    return _inclusion_path(index, size, _leaves_range_hash(leaves))


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(old_size, leaves) (RFC 6962 §2.1.2); [] when old_size is the current size."""
    size = len(leaves)
    # RFC 6962 defines PROOF only for 0 < m: nothing is to be proven about the empty tree.
    if not (_is_uint(old_size) and 0 < old_size <= size):
        raise ValueError(f"old_size must be an int in [1, {size}], got {old_size!r}")
    return _consistency_path(old_size, size, _leaves_range_hash(leaves))


def _inclusion_path(index: int, size: int, mth: Callable[[int, int], T]) -> list[T]:
    """PATH unrolled: walk down from the root, taking the sibling of the half holding `index`."""
    lo, hi, path = 0, size, []
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            path.append(mth(lo + k, hi))
            hi = lo + k
        else:
            path.append(mth(lo, lo + k))
            lo += k
    path.reverse()  # collected root side first
    return path


def _consistency_path(old_size: int, size: int, mth: Callable[[int, int], T]) -> list[T]:
    """SUBPROOF(old_size, D[0:size], true) unrolled; old_size stays an absolute leaf count."""
    lo, hi, path, old_root_known = 0, size, [], True
    while old_size != hi:
        k = _split(hi - lo)
        if old_size - lo <= k:
            path.append(mth(lo + k, hi))
            hi = lo + k
        else:
            path.append(mth(lo, lo + k))
            lo += k
            old_root_known = False  # [lo, hi) is now a right subtree: the verifier lacks its hash
    if not old_root_known:
        path.append(mth(lo, hi))
    path.reverse()
    return path


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """True iff `proof` shows the leaf with hash `leaf_hash` at `index` in the tree (`size`, `root`).

    `size` and `root` must come from the same signed checkpoint: some proofs also verify against
    root_n with size n + 1 (see tests/record/test_merkle_mutations.py). Never raises.
    """
    if not (_is_uint(index) and _is_uint(size) and index < size):
        return False
    if not (_is_hash(leaf_hash) and _is_hash(root)):
        return False
    inner, border = _decompose(index, size)
    if not _is_proof(proof, inner + border):
        return False
    h = _chain_inner(leaf_hash, proof[:inner], index)
    return _chain_border_right(h, proof[inner:]) == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> bool:
    """True iff `proof` shows that tree (old_size, old_root) is a prefix of tree (new_size, new_root).

    Requires 0 < old_size <= new_size (equal sizes: empty proof and equal roots). Never raises.
    """
    if not (_is_uint(old_size) and _is_uint(new_size) and 0 < old_size <= new_size):
        return False
    if not (_is_hash(old_root) and _is_hash(new_root)):
        return False
    if old_size == new_size:
        return _is_proof(proof, 0) and old_root == new_root
    # The old tree's last perfect subtree (2**shift leaves, ending with leaf old_size - 1) is a node
    # of both trees. The proof is its hash (left out when it is the whole old tree: the verifier
    # has that), then its inclusion proof in the new tree, whose left siblings rebuild the old root.
    inner, border = _decompose(old_size - 1, new_size)
    shift = (old_size & -old_size).bit_length() - 1  # trailing zeros; shift < inner as old < new
    inner -= shift
    seeded = old_size == 1 << shift  # old tree is complete: its root is the seed, not sent
    if not _is_proof(proof, (0 if seeded else 1) + inner + border):
        return False
    seed, proof = (old_root, proof) if seeded else (proof[0], proof[1:])
    mask = (old_size - 1) >> shift
    old = _chain_border_right(_chain_inner_right(seed, proof[:inner], mask), proof[inner:])
    new = _chain_border_right(_chain_inner(seed, proof[:inner], mask), proof[inner:])
    return old == old_root and new == new_root


def _decompose(index: int, size: int) -> tuple[int, int]:
    """Lengths of the two parts of PATH(index, size).

    `inner`: levels below the point where the paths to `index` and `size - 1` meet, where the
    sibling may be on either side. `border`: above it the path runs along the right border, and
    there is a (left) sibling only at the 1-bits of index >> inner. Their sum is the only valid
    proof length: checking it does the work of the RFC's `sn == 0` checks.
    """
    inner = (index ^ (size - 1)).bit_length()
    return inner, (index >> inner).bit_count()


def _chain_inner(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    """Hash up from `seed` at `index`; bit i of index says which side the path is on at level i."""
    for i, h in enumerate(proof):
        seed = node_hash(h, seed) if (index >> i) & 1 else node_hash(seed, h)
    return seed


def _chain_inner_right(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    """Like _chain_inner, but only the left siblings: the subtree as it was in the old tree."""
    for i, h in enumerate(proof):
        if (index >> i) & 1:
            seed = node_hash(h, seed)
    return seed


def _chain_border_right(seed: bytes, proof: Sequence[bytes]) -> bytes:
    """Along the right border every sibling is on the left."""
    for h in proof:
        seed = node_hash(h, seed)
    return seed


# Input checks for the verifiers, which take data from the other party. They are strict on type:
# bool is not a size, and a bytes subclass could override __eq__ and so answer the root comparison.


def _is_uint(n: object) -> bool:
    return type(n) is int and 0 <= n <= _MAX_SIZE


def _is_hash(h: object) -> bool:
    return type(h) is bytes and len(h) == HASH_SIZE


def _is_proof(proof: object, length: int) -> bool:
    return type(proof) is list and len(proof) == length and all(map(_is_hash, proof))

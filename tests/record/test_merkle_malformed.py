"""The verifiers take whatever the other party sends: on malformed input they return False, never raise."""

import enum

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.record import merkle
from tests.record.test_merkle_reference import SHA

ZERO = bytes(32)


class EqualsAnything(bytes):
    """A bytes subclass that would win `computed == root` (Python tries the subclass's __eq__ first)."""

    def __eq__(self, other):
        return True

    __hash__ = bytes.__hash__


class AlwaysLong(list):
    def __len__(self):
        return 3


class Size(enum.IntEnum):
    THREE = 3


def is_uint(x):
    return type(x) is int and 0 <= x < 2**64


def is_hash(x):
    return type(x) is bytes and len(x) == 32


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**64 - 2, max_value=2**70),
    st.integers(max_value=-1),
    st.floats(),
    st.text(max_size=70),
    st.binary(max_size=70),
    st.binary(min_size=32, max_size=32).map(bytearray),
    st.binary(min_size=32, max_size=32).map(memoryview),
    st.binary(min_size=32, max_size=32).map(EqualsAnything),
    st.binary(min_size=32, max_size=32).map(lambda b: b.hex()),
    st.lists(st.binary(min_size=32, max_size=32), max_size=4).map(tuple),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3), st.binary(max_size=40)), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.just(Size.THREE),
    st.just(AlwaysLong()),
    st.just(object()),
    st.from_type(object),
)
junk_int = anything.filter(lambda x: not is_uint(x))
junk_hash = anything.filter(lambda x: not is_hash(x))
junk_proof = st.one_of(anything.filter(lambda x: type(x) is not list), st.lists(anything, min_size=1, max_size=4))


def junk_node(proof, data):
    """The proof with one node replaced by junk, or with junk added (a list, but not a list of hashes)."""
    j = data.draw(st.integers(0, len(proof)), label="position")
    return proof[:j] + [data.draw(junk_hash, label="node")] + proof[j + 1 :]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 40), st.data())
def test_verify_inclusion_with_one_malformed_argument_is_false(n, data):
    i = data.draw(st.integers(0, n - 1), label="index")
    args = [SHA.leaf(i), i, n, SHA.path(i, n), SHA.root(n)]
    slot = data.draw(st.integers(0, 5), label="slot")
    if slot == 5:
        args[3] = junk_node(args[3], data)
    else:
        args[slot] = data.draw([junk_hash, junk_int, junk_int, junk_proof, junk_hash][slot], label="junk")
    assert merkle.verify_inclusion(*args) is False


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 40), st.data())
def test_verify_consistency_with_one_malformed_argument_is_false(n, data):
    m = data.draw(st.integers(1, n), label="old_size")
    args = [m, n, SHA.root(m), SHA.root(n), SHA.proof(m, n)]
    slot = data.draw(st.integers(0, 5), label="slot")
    if slot == 5:
        args[4] = junk_node(args[4], data)
    else:
        args[slot] = data.draw([junk_int, junk_int, junk_hash, junk_hash, junk_proof][slot], label="junk")
    assert merkle.verify_consistency(*args) is False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything, anything, anything, anything, anything)
def test_verifiers_never_raise_on_anything(a, b, c, d, e):
    assert merkle.verify_inclusion(a, b, c, d, e) in (True, False)
    assert merkle.verify_consistency(a, b, c, d, e) in (True, False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=-(2**70), max_value=2**70), st.integers(min_value=-(2**70), max_value=2**70),
       st.lists(st.binary(min_size=32, max_size=32), max_size=70))  # fmt: skip
def test_verifiers_never_raise_on_well_typed_nonsense(x, y, proof):
    assert merkle.verify_inclusion(ZERO, x, y, proof, b"\x01" * 32) is False  # no leaf or node is that root
    assert merkle.verify_consistency(x, y, ZERO, ZERO, proof) is (0 < x == y < 2**64 and proof == [])


LEAF, ROOT3, PATH = SHA.leaf(0), SHA.root(3), SHA.path(0, 3)


@pytest.mark.parametrize(
    "args",
    [
        (LEAF, False, 3, PATH, ROOT3),  # bool is not an index, even False == 0
        (SHA.leaf(0), 0, True, [], SHA.root(1)),  # nor a size, even True == 1
        (LEAF, 0, Size.THREE, PATH, ROOT3),  # an int subclass is not a size either
        (LEAF, 0.0, 3, PATH, ROOT3),
        (LEAF, 0, 3.0, PATH, ROOT3),
        (LEAF, -1, 3, PATH, ROOT3),
        (LEAF, 3, 3, PATH, ROOT3),  # index == size
        (LEAF, 0, 0, [], merkle.EMPTY_ROOT),  # nothing is in the empty tree
        (LEAF, 0, 2**64, PATH, ROOT3),  # sizes are u64
        (LEAF, 0, 2**64 - 1, PATH, ROOT3),  # a valid size, but the proof would need 64 nodes
        (LEAF, 0, 3, tuple(PATH), ROOT3),  # the proof must be a list
        (LEAF, 0, 3, iter(PATH), ROOT3),
        (LEAF, 0, 3, [bytearray(p) for p in PATH], ROOT3),
        (LEAF, 0, 3, [PATH[0], PATH[1].hex()], ROOT3),
        (LEAF, 0, 3, [PATH[0], PATH[1] + b"\x00"], ROOT3),  # 33-byte node
        (LEAF, 0, 3, [PATH[0], PATH[1][:31]], ROOT3),  # 31-byte node
        (LEAF, 0, 3, PATH * 500_000, ROOT3),  # a million nodes: rejected by length before any work
        (LEAF, 0, 3, AlwaysLong(PATH), ROOT3),
        (LEAF[:31], 0, 3, PATH, ROOT3),
        (LEAF + b"\x00", 0, 3, PATH, ROOT3),
        (bytearray(LEAF), 0, 3, PATH, ROOT3),
        (memoryview(LEAF), 0, 3, PATH, ROOT3),
        (LEAF.hex(), 0, 3, PATH, ROOT3),
        (None, 0, 3, PATH, ROOT3),
        (LEAF, 0, 3, PATH, None),
        (LEAF, 0, 3, PATH, ROOT3.hex()),
        (LEAF, 0, 3, PATH, EqualsAnything(ZERO)),  # would pass `computed == root` if accepted
        (EqualsAnything(LEAF), 0, 3, PATH, ROOT3),
        (LEAF, 0, 3, [EqualsAnything(p) for p in PATH], ROOT3),
        (LEAF, 0, 3, None, ROOT3),
        (LEAF, None, None, None, None),
    ],
)
def test_verify_inclusion_rejects(args):
    assert merkle.verify_inclusion(*args) is False


@pytest.mark.parametrize(
    "args",
    [
        (0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, []),  # old size 0: transparency-dev accepts this one
        (0, 3, merkle.EMPTY_ROOT, SHA.root(3), []),  # a witness handles `old 0` itself
        (0, 3, merkle.EMPTY_ROOT, SHA.root(3), SHA.path(0, 3)),
        (4, 3, SHA.root(4), SHA.root(3), []),  # old size > new size
        (4, 3, SHA.root(4), SHA.root(3), SHA.proof(3, 4)),
        (-1, 3, SHA.root(2), SHA.root(3), SHA.proof(2, 3)),
        (True, 3, SHA.root(1), SHA.root(3), SHA.proof(1, 3)),
        (1, True, SHA.root(1), SHA.root(1), []),
        (2, 3.0, SHA.root(2), SHA.root(3), SHA.proof(2, 3)),
        (2, 2**64, SHA.root(2), SHA.root(3), SHA.proof(2, 3)),
        (2, 3, SHA.root(2), SHA.root(3), tuple(SHA.proof(2, 3))),
        (2, 3, SHA.root(2), SHA.root(3), []),  # empty proof for different sizes (RFC step 1)
        (3, 3, SHA.root(3), SHA.root(3), ()),
        (3, 3, SHA.root(3), SHA.root(3), None),
        (3, 3, SHA.root(3)[:31], SHA.root(3)[:31], []),  # equal but not hashes
        (3, 3, bytearray(SHA.root(3)), bytearray(SHA.root(3)), []),
        (3, 3, EqualsAnything(ZERO), SHA.root(3), []),
        (2, 3, SHA.root(2), EqualsAnything(ZERO), SHA.proof(2, 3)),
        (2, 3, SHA.root(2), SHA.root(3), [bytes(p) + b"\x00" for p in SHA.proof(2, 3)]),
        (2, 3, SHA.root(2), SHA.root(3), SHA.proof(2, 3) * 500_000),
        (2, 3, SHA.root(2).hex(), SHA.root(3).hex(), [p.hex() for p in SHA.proof(2, 3)]),
        (None, None, None, None, None),
    ],
)
def test_verify_consistency_rejects(args):
    assert merkle.verify_consistency(*args) is False


def test_the_valid_forms_of_the_rejected_inputs_verify():
    # The rejections above are about the form, not about the proofs: these are the same proofs.
    assert merkle.verify_inclusion(LEAF, 0, 3, PATH, ROOT3)
    assert merkle.verify_inclusion(SHA.leaf(0), 0, 1, [], SHA.root(1))
    assert merkle.verify_consistency(2, 3, SHA.root(2), SHA.root(3), SHA.proof(2, 3))
    assert merkle.verify_consistency(3, 3, SHA.root(3), SHA.root(3), [])
    assert merkle.verify_consistency(1, 1, SHA.root(1), SHA.root(1), [])

"""The stored Merkle tree gives the roots and proofs of merkle.py, from O(log n) rows in one query."""

import hashlib
import random

import pytest
from django.db import connection, transaction

from ceasefire.mechanism import commands
from ceasefire.record import guard, merkle, tree
from ceasefire.record.models import Event, Head, TreeNode
from tests.conftest import FACILITATOR
from tests.record.test_merkle_reference import LEAVES as VECTOR_LEAVES
from tests.record.test_merkle_reference import ROOTS as VECTOR_ROOTS

MEETING = {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}


def synthetic(n: int, start: int = 0) -> list[bytes]:
    """Entries of varied lengths, fixed by their index."""
    return [hashlib.sha256(i.to_bytes(8, "big")).digest()[: i % 29] + b"entry %d" % i for i in range(start, start + n)]


def bodies() -> list[bytes]:
    return [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)]


def stored_nodes() -> dict:
    return {(lv, i): bytes(h) for lv, i, h in TreeNode.objects.values_list("level", "index", "hash")}


def assert_reads_by_key(sql: str) -> None:
    """The query's plan looks rows up in the primary key and never reads the whole table."""
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("EXPLAIN QUERY PLAN " + sql)
            steps = [row[-1] for row in c.fetchall()]
            assert not any(step.startswith("SCAN") for step in steps), steps
        else:
            c.execute("EXPLAIN " + sql)
            steps = [row[0] for row in c.fetchall()]
            assert not any("Seq Scan" in step for step in steps), steps
    assert any("PRIMARY KEY" in step or "pkey" in step or "INDEX" in step for step in steps), steps


def assert_matches_merkle(leaves: list[bytes], indexes, olds) -> None:
    """tree's root and proofs at size len(leaves) are merkle.py's, and they verify."""
    n = len(leaves)
    root = tree.root(n)
    assert root == merkle.root_hash(leaves)
    for i in indexes:
        proof = tree.inclusion_proof(i, n)
        assert proof == merkle.inclusion_proof(leaves, i), (i, n)
        assert merkle.verify_inclusion(merkle.leaf_hash(leaves[i]), i, n, proof, root)
    for m in olds:
        proof = tree.consistency_proof(m, n)
        assert proof == merkle.consistency_proof(leaves, m), (m, n)
        assert merkle.verify_consistency(m, n, tree.root(m), root, proof)


def test_the_empty_tree(db):
    assert tree.size() == 0 and TreeNode.objects.count() == 0
    assert tree.root(0) == merkle.EMPTY_ROOT
    for bad in (lambda: tree.root(1), lambda: tree.inclusion_proof(0, 1), lambda: tree.consistency_proof(1, 1)):
        with pytest.raises(ValueError, match="exceeds the tree's size"):
            bad()


def test_every_size_up_to_200_appended_one_command_at_a_time(mechanism):
    rng = random.Random(9162)
    leaves = bodies()
    while len(leaves) < 200:
        commands.record_meeting(FACILITATOR, MEETING)
        leaves = bodies()
        n = len(leaves)
        assert tree.size() == n == Head.objects.get().size
        if n <= 33:  # every index and every old size
            indexes, olds = range(n), range(1, n + 1)
        else:
            power = 1 << ((n - 1).bit_length() - 1)
            indexes = {0, 1, n // 2, power - 1, power, n - 2, n - 1, *rng.sample(range(n), 4)}
            olds = {1, 2, n // 3, power - 1, power, power + 1, n - 1, n, *rng.sample(range(1, n + 1), 4)}
        assert_matches_merkle(leaves, sorted(indexes), sorted(olds))
    # Roots of the earlier sizes are still there: the tree is only ever appended to.
    for n in range(1, 201):
        assert tree.root(n) == merkle.root_hash(leaves[:n])
    assert tree.check() is None


def test_the_rfc_6962_vectors(db):
    with transaction.atomic():
        assert tree.append_leaves(0, VECTOR_LEAVES) == 8
    for n, root in enumerate(VECTOR_ROOTS):
        assert tree.root(n) == root
    assert [h.hex()[:16] for h in tree.inclusion_proof(5, 8)] == [
        "bc1a0643b12e4d2d",
        "ca854ea128ed050b",
        "d37ee418976dd957",
    ]
    assert [h.hex()[:16] for h in tree.consistency_proof(6, 8)] == [
        "0ebc5d3437fbe2db",
        "ca854ea128ed050b",
        "d37ee418976dd957",
    ]
    assert tree.consistency_proof(8, 8) == []


def test_a_stored_node_for_each_complete_subtree_and_nothing_else(db):
    n = 300
    tree.append_leaves(0, synthetic(n))
    expected = {(lv, i) for lv in range(n.bit_length()) for i in range(n >> lv)}
    assert set(stored_nodes()) == expected
    assert len(expected) == 2 * n - n.bit_count()


def test_batches_of_any_size_write_what_one_leaf_at_a_time_writes(db):
    leaves = synthetic(300)
    with transaction.atomic():
        for i, body in enumerate(leaves):
            assert tree.append_leaf(i, body) == i + 1
    one_by_one = stored_nodes()
    with guard.lifted():
        TreeNode.objects.all().delete()
    start = 0
    for batch in (1, 2, 5, 64, 100, 3, 125):
        assert tree.append_leaves(start, iter(leaves[start : start + batch])) == start + batch
        start += batch
    assert start == 300 and stored_nodes() == one_by_one
    assert tree.root(300) == merkle.root_hash(leaves)


def test_appending_costs_one_read_and_one_insert(db, django_assert_num_queries):
    tree.append_leaves(0, synthetic(1023))
    with transaction.atomic():
        with django_assert_num_queries(2):  # leaf 1023 completes ten subtrees: still one read, one insert
            tree.append_leaf(1023, b"last")
        with django_assert_num_queries(2):
            tree.append_leaf(1024, b"first of the next")
    assert TreeNode.objects.filter(level=10).count() == 1
    assert tree.root(1025) == merkle.root_hash([*synthetic(1023), b"last", b"first of the next"])


def test_proofs_at_10000_leaves_read_log_n_rows_in_one_query(db, django_assert_num_queries, monkeypatch):
    n = 10_000
    leaves = synthetic(n)
    for start in range(0, n, 2_500):
        tree.append_leaves(start, leaves[start : start + 2_500])
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE record_treenode")  # the planner sees 20,000 rows, not an empty table
    fetched = []
    real_fetch = tree._fetch
    monkeypatch.setattr(tree, "_fetch", lambda keys: fetched.append(len(set(keys))) or real_fetch(keys))
    rng = random.Random(6962)
    bound = 2 * n.bit_length() + 2  # the tiles of O(log n) ranges, plus the last leaf
    with django_assert_num_queries(1):
        assert tree.size() == n
    for _ in range(10):
        size = rng.randint(2, n)
        index, old = rng.randrange(size), rng.randint(1, size)
        with django_assert_num_queries(1):
            root = tree.root(size)
        with django_assert_num_queries(1) as ctx:
            proof = tree.inclusion_proof(index, size)
        assert merkle.verify_inclusion(merkle.leaf_hash(leaves[index]), index, size, proof, root)
        with django_assert_num_queries(1):
            consistency = tree.consistency_proof(old, size)
        assert merkle.verify_consistency(old, size, tree.root(old), root, consistency)
        assert max(fetched) <= bound, fetched
        fetched.clear()
        assert_reads_by_key(ctx.captured_queries[0]["sql"])
    # And they are merkle.py's proofs, which scan every leaf.
    for index, size, old in [(0, n, 1), (n - 1, n, n - 1), (4097, 9000, 4096), (1234, 5678, 4321)]:
        assert tree.inclusion_proof(index, size) == merkle.inclusion_proof(leaves[:size], index)
        assert tree.consistency_proof(old, size) == merkle.consistency_proof(leaves[:size], old)


def test_out_of_range_arguments_are_refused(db):
    tree.append_leaves(0, synthetic(10))
    before = stored_nodes()
    cases = [
        (tree.root, (11,)),
        (tree.root, (-1,)),
        (tree.root, (True,)),
        (tree.root, (2**64,)),
        (tree.inclusion_proof, (10, 10)),
        (tree.inclusion_proof, (-1, 10)),
        (tree.inclusion_proof, (3, 11)),
        (tree.inclusion_proof, (1.0, 10)),
        (tree.consistency_proof, (0, 10)),
        (tree.consistency_proof, (4, 3)),
        (tree.consistency_proof, (10, 11)),
        (tree.consistency_proof, (3, "10")),
        (tree.append_leaf, (9, b"again")),  # already in the tree
        (tree.append_leaf, (0, b"again")),
        (tree.append_leaf, (11, b"a gap")),
        (tree.append_leaves, (12, [b"a gap"])),
        (tree.append_leaf, (-1, b"x")),
    ]
    for fn, args in cases:
        with pytest.raises(ValueError):
            fn(*args)
    assert stored_nodes() == before and tree.size() == 10


def test_a_damaged_tree_is_reported_not_folded(db):
    tree.append_leaves(0, synthetic(12))
    with guard.lifted():
        TreeNode.objects.filter(level=2, index=2).delete()
    with pytest.raises(RuntimeError, match=r"tree node \(level 2, index 2; entries 8..11\) is missing"):
        tree.root(12)
    with pytest.raises(RuntimeError, match=r"\(level 2, index 2; entries 8..11\) is missing"):
        tree.append_leaf(12, b"x")  # leaf 12 will need it when leaf 15 closes (3, 1)
    assert tree.root(8) == merkle.root_hash(synthetic(8))  # what does not need the node still works
    assert tree.size() == 12

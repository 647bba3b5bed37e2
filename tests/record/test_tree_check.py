"""tree.check() recomputes the stored tree from the event bodies and names the first wrong node."""

import pytest
from django.db import connection

from ceasefire.mechanism import commands
from ceasefire.record import guard, tree
from ceasefire.record.models import Event, TreeNode
from tests.conftest import FACILITATOR

MEETING = {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}


@pytest.fixture
def record(mechanism, monkeypatch):
    """A record of 37 events, checked 8 leaves per query so that the batches have seams."""
    for _ in range(37 - Event.objects.count()):
        commands.record_meeting(FACILITATOR, MEETING)
    monkeypatch.setattr(tree, "CHECK_BATCH", 8)
    assert tree.check() is None


def test_a_tampered_node_is_named(record):
    with guard.lifted():
        TreeNode.objects.filter(level=3, index=2).update(hash=b"\x00" * 32)
    assert tree.check() == "tree: node (level 3, index 2; entries 16..23) does not match the record"


def test_the_first_of_several_wrong_nodes_in_append_order_is_named(record):
    with guard.lifted():
        TreeNode.objects.filter(level=0, index=30).update(hash=b"\x01" * 32)
        TreeNode.objects.filter(level=4, index=0).update(hash=b"\x01" * 32)  # ends at leaf 15: comes first
    assert tree.check() == "tree: node (level 4, index 0; entries 0..15) does not match the record"


def test_a_missing_node_is_named(record):
    with guard.lifted():
        TreeNode.objects.filter(level=1, index=17).delete()
    assert tree.check() == "tree: node (level 1, index 17; entries 34..35) is missing"


def test_a_node_beyond_the_record_is_named(record):
    TreeNode.objects.create(level=2, index=9, hash=b"\x02" * 32)  # would end at leaf 39 of 37
    assert tree.check() == "tree: node (level 2, index 9; entries 36..39) lies beyond the record's 37 entries"
    with guard.lifted():
        TreeNode.objects.filter(level=2, index=9).delete()
    TreeNode.objects.create(level=40, index=0, hash=b"\x02" * 32)
    assert "(level 40, index 0;" in tree.check()


def test_a_changed_entry_is_found_through_its_leaf(record):
    with guard.lifted(), connection.cursor() as c:  # the guard refuses it otherwise
        c.execute("UPDATE record_event SET body = %s WHERE seq = 21", [b'{"forged":true}'])
    assert tree.check() == "tree: node (level 0, index 21; entries 21..21) does not match the record"


def test_progress_is_reported(record):
    seen = []
    assert tree.check(progress=seen.append) is None
    assert seen == [8, 16, 24, 32]

"""Every append grows the stored tree in the event's own transaction, and only then."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from ceasefire.errors import Invalid
from ceasefire.mechanism import commands
from ceasefire.record import guard, log, merkle, tree
from ceasefire.record.models import Event, Head, TreeNode
from tests.conftest import FACILITATOR

MEETING = {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}


def bodies() -> list[bytes]:
    return [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)]


def nodes() -> list:
    return sorted((lv, i, bytes(h)) for lv, i, h in TreeNode.objects.values_list("level", "index", "hash"))


def test_each_event_adds_its_leaf_and_the_subtrees_it_completes(mechanism):
    for _ in range(7 - Event.objects.count()):
        commands.record_meeting(FACILITATOR, MEETING)
    leaves = bodies()
    assert len(leaves) == 7
    assert TreeNode.objects.get(level=0, index=6).hash == merkle.leaf_hash(leaves[6])
    assert bytes(TreeNode.objects.get(level=2, index=0).hash) == merkle.root_hash(leaves[:4])
    assert bytes(TreeNode.objects.get(level=1, index=2).hash) == merkle.root_hash(leaves[4:6])
    assert len(nodes()) == 2 * 7 - 3  # (0,0..6), (1,0..2), (2,0)
    assert tree.root(7) == merkle.root_hash(leaves)


def test_a_command_that_fails_after_appending_leaves_no_node(mechanism, monkeypatch):
    for _ in range(3 - Event.objects.count()):
        commands.record_meeting(FACILITATOR, MEETING)  # size 3: the next leaf would complete (1,1) and (2,0)
    before = nodes()

    def broken_projector(event):
        raise RuntimeError("projection failed")

    monkeypatch.setitem(log._projectors, "meeting.recorded", broken_projector)
    with pytest.raises(RuntimeError, match="projection failed"):
        commands.record_meeting(FACILITATOR, MEETING)
    assert nodes() == before and tree.size() == 3 == Head.objects.get().size
    monkeypatch.undo()
    with pytest.raises(Invalid):
        commands.record_meeting(FACILITATOR, {**MEETING, "starts_on": "never"})
    assert nodes() == before
    commands.record_meeting(FACILITATOR, MEETING)  # the next append takes index 3, as if nothing happened
    assert tree.size() == 4 and tree.root(4) == merkle.root_hash(bodies())
    assert tree.check() is None


def test_the_migration_builds_the_tree_of_a_record_that_predates_it(mechanism):
    for _ in range(41 - Event.objects.count()):
        commands.record_meeting(FACILITATOR, MEETING)
    built_by_appends = nodes()
    with guard.lifted():
        TreeNode.objects.all().delete()
    migration = importlib.import_module("ceasefire.record.migrations.0002_tree")

    class SchemaEditor:
        connection = connection

    migration.build_tree(apps, SchemaEditor())
    assert nodes() == built_by_appends
    assert tree.root(41) == merkle.root_hash(bodies())

import random

import pytest
from django.db import connection

from ceasefire.mechanism.models import Decision, Member
from ceasefire.record import guard, replay
from ceasefire.record.models import Event, Head, TreeNode
from tests import history


@pytest.mark.parametrize("seed", [1, 2])
def test_replay_reproduces_every_table_after_a_long_varied_history(actors, seed):
    before = Event.objects.count()
    accepted, refused = history.run(random.Random(seed), actors, steps=300)
    assert accepted > 100 and refused > 10  # the history exercised both paths
    assert Event.objects.count() == before + accepted
    history.adopt_one(actors)
    assert Decision.objects.filter(adopted=True).exists()
    result = replay.check(progress=None)
    assert result.events == Event.objects.count()
    assert result.ok, result.difference


def test_a_changed_projection_is_named(actors):
    history.run(random.Random(3), actors, steps=80)
    member = Member.objects.order_by("id").first()
    Member.objects.filter(id=member.id).update(seat=None)
    result = replay.check(progress=None)
    assert not result.ok
    assert result.difference.startswith("mechanism.Member: row differs (seat: live None, replayed ")


def test_a_missing_row_is_named(actors):
    history.run(random.Random(4), actors, steps=80)
    Decision.objects.filter(id=Decision.objects.order_by("id").first().id).delete()
    assert "mechanism.Decision" in replay.check(progress=None).difference


def test_a_gap_in_the_record_is_named(actors):
    history.run(random.Random(5), actors, steps=20)
    with guard.lifted(), connection.cursor() as c:  # the guard refuses it otherwise
        c.execute("DELETE FROM record_event WHERE seq = 3")
    assert (
        replay.check(progress=None).difference
        == f"record: {Event.objects.count()} events but the head says {Head.objects.get().size}"
    )


def test_a_tampered_merkle_tree_node_is_named(actors):
    history.run(random.Random(7), actors, steps=80)
    with guard.lifted():
        assert TreeNode.objects.filter(level=2, index=1).update(hash=bytes(32)) == 1
    result = replay.check(progress=None)
    assert not result.ok
    assert result.difference == "tree: node (level 2, index 1; entries 4..7) does not match the record"


def test_rebuild_restores_the_projections_from_the_record(actors):
    history.run(random.Random(6), actors, steps=120)
    before = replay.dump()
    Member.objects.all().update(name_latin="tampered")
    Decision.objects.all().update(adopted=False)
    n = replay.rebuild()
    assert n == Event.objects.count()
    assert replay.dump() == before

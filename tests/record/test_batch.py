"""log.batch(): many commands in one transaction under one hold of the record's lock, giving the
record, the tree and the projections that the same commands give one by one."""

import datetime as dt
import itertools
import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ceasefire.errors import Conflict, Invalid
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import ActionItem, Meeting
from ceasefire.record import log, merkle, replay, tree
from ceasefire.record.models import Checkpoint, Event, Head, TreeNode
from tests import history
from tests.conftest import FACILITATOR

MEETING = {"title": "Sirte round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}


@pytest.fixture
def clock(monkeypatch):
    """Events stamped one microsecond apart from a fixed instant, with salts fixed likewise;
    `clock.reset()` starts again."""

    class Clock:
        def reset(self):
            self.ticks = itertools.count()

        def __call__(self):
            self.now_ticks = next(self.ticks)
            return dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=self.now_ticks)

    c = Clock()
    c.reset()
    monkeypatch.setattr(log, "_clock", c)
    # The salts too: each is the instant's count, so that one by one and batched give the same bytes.
    monkeypatch.setattr(log, "_salt", lambda: f"salt-{c.now_ticks}")
    return c


def snapshot() -> dict:
    """Everything a batch must reproduce: the entries' bytes, every tree node, the head, every projection."""
    bodies = [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)]
    return {
        "bodies": bodies,
        "nodes": [
            (lv, i, bytes(h))
            for lv, i, h in TreeNode.objects.order_by("level", "index").values_list("level", "index", "hash")
        ],
        "root": tree.root(len(bodies)),
        "head": Head.objects.get(id=1).size,
        "projections": replay.dump(),
    }


def records_nothing_new(before: dict) -> None:
    after = snapshot()
    assert after == before


def one_by_one_then_rolled_back(work) -> dict:
    """Run `work` with each command in its own transaction; return the state it left, then undo it."""
    with transaction.atomic():
        work()
        state = snapshot()
        transaction.set_rollback(True)
    return state


@pytest.mark.parametrize("flush_every", [log.FLUSH_EVERY, 7])
def test_a_batch_gives_the_same_bytes_tree_and_projections_as_one_by_one(actors, clock, monkeypatch, flush_every):
    # A varied history that reads what it wrote, including requests the commands refuse: a refusal
    # inside a batch leaves nothing and the batch goes on, as it would between single commands.
    monkeypatch.setattr(log, "FLUSH_EVERY", flush_every)  # 7: the tree is written mid-batch too
    start = Head.objects.get(id=1).size
    counts = []

    def work():
        clock.reset()
        counts.append(history.run(random.Random(11), actors, steps=300))

    alone = one_by_one_then_rolled_back(work)
    assert Head.objects.get(id=1).size == start
    with log.batch():
        work()
    batched = snapshot()
    accepted, refused = counts[0]
    assert counts[0] == counts[1] and accepted > 80 and refused > 10
    assert batched["head"] == start + accepted == len(batched["bodies"])
    assert batched == alone
    assert tree.check() is None


def test_a_batch_of_action_items_matches_one_by_one(mechanism, clock):
    def work():
        clock.reset()
        meeting = commands.record_meeting(FACILITATOR, MEETING)
        for i in range(25):
            commands.add_action_item(
                FACILITATOR, meeting.id, {"text": f"Item {i}", "owner_party": "west", "deadline": "2021-03-01"}
            )

    alone = one_by_one_then_rolled_back(work)
    with log.batch():
        work()
    assert snapshot() == alone


def test_commands_return_what_they_return_alone(mechanism):
    with log.batch():
        meeting = commands.record_meeting(FACILITATOR, MEETING)
        item = commands.add_action_item(FACILITATOR, meeting.id, {"text": "Open the road", "owner_party": "east"})
        assert isinstance(item, ActionItem) and item.meeting_id == meeting.id and item.owner_party_id == "east"
        assert Meeting.objects.get(id=meeting.id).number == 1  # the projection is there at once


def test_the_tree_and_the_head_are_written_once_per_batch(mechanism):
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    with CaptureQueriesContext(connection) as queries, log.batch():
        for i in range(40):
            commands.add_action_item(FACILITATOR, meeting.id, {"text": f"Item {i}", "owner_party": "west"})
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([s for s in sql if "record_head" in s]) == 2  # the lock, then the new size
    assert len([s for s in sql if "record_treenode" in s]) == 2  # the frontier read, one insert of 80 nodes
    # the check that the head agrees with the events, the facilitator's enrollment checked against its
    # entry (once a batch), and the 40
    assert len([s for s in sql if "record_event" in s]) == 42
    assert Head.objects.get(id=1).size == meeting.id + 41 and tree.check() is None


def test_a_single_command_reads_the_head_once(mechanism):
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    with CaptureQueriesContext(connection) as queries:
        commands.add_action_item(FACILITATOR, meeting.id, {"text": "Item", "owner_party": "west"})
    assert len([q for q in queries.captured_queries if "record_head" in q["sql"]]) == 2  # the lock, then the new size


def test_reads_of_the_tree_inside_a_batch_see_every_event_so_far(mechanism):
    n0 = Head.objects.get(id=1).size
    with log.batch():
        for n in range(5):
            commands.record_meeting(FACILITATOR, {**MEETING, "title": f"Round {n}"})
        n = n0 + 5
        assert log.size() == n
        bodies = [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)]
        assert tree.root(n) == merkle.root_hash(bodies)  # flushed first
        assert tree.size() == n and Head.objects.get(id=1).size == n
        assert merkle.verify_inclusion(
            merkle.leaf_hash(bodies[n - 2]), n - 2, n, tree.inclusion_proof(n - 2, n), tree.root(n)
        )
        commands.record_meeting(FACILITATOR, {**MEETING, "title": "Round 5"})
        assert tree.size() == n + 1
    assert tree.check() is None and Head.objects.get(id=1).size == n + 1


def test_a_checkpoint_is_considered_once_at_the_end(mechanism, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 10
    before, n0 = Checkpoint.objects.count(), Head.objects.get(id=1).size
    with log.batch():
        for n in range(25):
            commands.record_meeting(FACILITATOR, {**MEETING, "title": f"Round {n}"})
    assert Checkpoint.objects.count() == before + 1
    assert Checkpoint.objects.order_by("-size").first().size == n0 + 25


def test_an_error_that_leaves_the_batch_rolls_all_of_it_back(mechanism):
    before = snapshot()
    with pytest.raises(ZeroDivisionError), log.batch():
        for n in range(5):
            commands.record_meeting(FACILITATOR, {**MEETING, "title": f"Round {n}"})
        1 / 0
    records_nothing_new(before)
    assert log.size() == before["head"]  # and the next batch starts where the record is
    with log.batch():
        commands.record_meeting(FACILITATOR, MEETING)
    assert Meeting.objects.get().number == 1 and tree.check() is None


def test_a_refusal_that_leaves_the_batch_rolls_all_of_it_back(mechanism):
    before = snapshot()
    with pytest.raises(Invalid), log.batch():
        commands.record_meeting(FACILITATOR, MEETING)
        commands.record_meeting(FACILITATOR, {**MEETING, "starts_on": "never"})
    records_nothing_new(before)


def test_a_projector_failing_mid_batch_leaves_nothing(mechanism, monkeypatch):
    before = snapshot()
    real = log._projectors["meeting.recorded"]

    def third_fails(event):
        if event.payload["number"] == 3:
            raise RuntimeError("projection failed")
        real(event)

    monkeypatch.setitem(log._projectors, "meeting.recorded", third_fails)
    with pytest.raises(RuntimeError, match="projection failed"), log.batch():
        for n in range(5):
            commands.record_meeting(FACILITATOR, {**MEETING, "title": f"Round {n}"})
    records_nothing_new(before)


def test_a_failure_the_caller_swallows_still_rolls_the_batch_back(mechanism, monkeypatch):
    before = snapshot()
    monkeypatch.setitem(log._projectors, "meeting.minutes", lambda event: 1 / 0)
    with pytest.raises(log.BatchFailed) as failed, log.batch():
        meeting = commands.record_meeting(FACILITATOR, MEETING)
        try:
            commands.record_minutes(FACILITATOR, meeting.id, {"minutes": "x"})
        except ZeroDivisionError:
            pass
        with pytest.raises(log.BatchFailed):  # the batch refuses to go on
            commands.record_meeting(FACILITATOR, MEETING)
    assert isinstance(failed.value.__cause__, ZeroDivisionError)
    records_nothing_new(before)


@log.command
def _refuses_after_appending(actor, meeting_id):
    log.append("meeting.minutes", {"meeting": meeting_id, "minutes_ar": "", "minutes_en": "half"}, actor)
    raise Conflict("changed its mind")


def test_a_command_refused_after_it_appended_does_not_leave_half_of_itself(mechanism):
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    before = snapshot()
    with pytest.raises(Conflict):  # alone: its own transaction rolls back
        _refuses_after_appending(FACILITATOR, meeting.id)
    records_nothing_new(before)
    with pytest.raises(log.BatchFailed), log.batch():  # in a batch: caught, yet the batch is void
        commands.record_meeting(FACILITATOR, MEETING)
        try:
            _refuses_after_appending(FACILITATOR, meeting.id)
        except Conflict:
            pass
    records_nothing_new(before)


def test_a_refusal_caught_inside_a_batch_leaves_nothing_and_the_batch_goes_on(mechanism):
    n0 = Head.objects.get(id=1).size
    with log.batch():
        commands.record_meeting(FACILITATOR, MEETING)
        with pytest.raises(Invalid):
            commands.record_meeting(FACILITATOR, {**MEETING, "starts_on": "never"})
        commands.record_meeting(FACILITATOR, {**MEETING, "title": "Next"})
    assert list(Meeting.objects.order_by("number").values_list("number", "title_en")) == [
        (1, "Sirte round"),
        (2, "Next"),
    ]
    assert Head.objects.get(id=1).size == Event.objects.count() == n0 + 2 and tree.check() is None


def test_a_nested_batch_joins_the_outer_one(mechanism):
    before = snapshot()
    with pytest.raises(ZeroDivisionError), log.batch():
        with log.batch():
            commands.record_meeting(FACILITATOR, MEETING)
        assert Head.objects.get(id=1).size == before["head"]  # not written yet: the outer batch holds it
        1 / 0
    records_nothing_new(before)


def test_a_batch_inside_the_callers_transaction_rolls_back_with_it(mechanism):
    before = snapshot()
    with transaction.atomic():
        with log.batch():
            commands.record_meeting(FACILITATOR, MEETING)
        assert Head.objects.get(id=1).size == before["head"] + 1
        transaction.set_rollback(True)
    records_nothing_new(before)


def test_replay_check_passes_after_batches(actors):
    for seed in (21, 22):
        with log.batch():
            history.run(random.Random(seed), actors, steps=120)
    history.adopt_one(actors)
    result = replay.check(progress=None)
    assert result.ok, result.difference
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size

"""The tamper matrix: someone with write access to the database (the server's operator, or an
intruder) drops the guard, as they can, and changes the record one way or another. For each kind
of change, `replay --check` (replay.check) on the database and `record verify` on a bundle
exported after the change must say that something is wrong AND what and where: each case asserts
the message.

The record: about thirty events, a checkpoint every eight, each cosigned by the western and
eastern witnesses (and so a `checkpoint.cosigned` entry per checkpoint). Where a checker cannot
see a kind of change, the case asserts that too, and says why; the README's table is this module.

    kind                 replay --check                          record verify (bundle exported after)
    body edit            named: the tree's leaf                  named: the entry's bytes vs its leaf hash
    column-only edit     named: event and column                 not a change of what it checks: the bundle
                                                                 carries bodies; nothing shown reads the column
    delete               named: count vs head                    named: the entry, and the seq that is missing
    reorder              named: the event whose body names       named: the entries, "reordered"
                         another seq
    insert               named: the event whose body names       export refused: the stored tree lacks the
                         another seq                             leaf (replay --check named)
    REPLACE (SQLite)     named: the tree's leaf                  named: the entry's bytes vs its leaf hash
    head edit            named: count vs head                    export refused, naming replay --check
                                                                 (every write is, see test_guard_replace_and_head)
    checkpoint delete    named: the checkpoint an entry          named: the entry recording the cosignature,
                         records as cosigned                     the witness, the size
    cosignature delete   named: the cosignature an entry         named: the entry, the witness, the checkpoint
                         records
    truncation           named: the projections that the lost    not seen on the bundle alone (it is a whole,
                         events left behind                      shorter log); named with --since, the
                                                                 checkpoint a party kept
    fork (body edit,     named: the checkpoint whose root the    named: the cosigned checkpoint whose root the
    tree rebuilt)        tree no longer gives                    entries no longer give, and "a fork"
"""

import json

import pytest
from django.db import connection
from django.utils import translation

from ceasefire.errors import Conflict
from ceasefire.record import guard, replay, tree
from ceasefire.record.models import Checkpoint, Cosignature, Event, Head, TreeNode

from .test_bundle_helpers import Edit, cosigned_size, export, failure, meetings, record, run  # noqa: F401 (fixture)


def check() -> str:
    """replay --check's verdict, which must be a failure."""
    result = replay.check(progress=None)
    assert not result.ok, "replay --check saw nothing"
    return result.difference


def verify_after(tmp_path, **kwargs) -> str:
    """record verify's verdict on a bundle for the parties exported now, which must be a failure."""
    return failure(export(tmp_path, "parties"), **kwargs)


def sql(statement: str, params=()) -> None:
    with connection.cursor() as c:
        c.execute(statement, params)


def minutes_seq() -> int:
    return Event.objects.filter(type="meeting.minutes").order_by("seq").values_list("seq", flat=True)[0]


def test_the_untouched_record_passes_both(record, tmp_path):
    assert replay.check(progress=None).ok
    assert run(export(tmp_path, "parties")).code == 0


def test_body_edit(record, tmp_path):
    k = minutes_seq()
    body = bytes(Event.objects.values_list("body", flat=True).get(seq=k)).replace(b"Minutes", b"Protocol")
    with guard.lifted():
        Event.objects.filter(seq=k).update(body=body)
    assert check() == f"tree: node (level 0, index {k}; entries {k}..{k}) does not match the record"
    assert verify_after(tmp_path) == f"entry {k}: its bytes do not match the leaf hash the tree recorded"


def test_column_only_edit(record, tmp_path):
    k = minutes_seq()
    with guard.lifted():
        Event.objects.filter(seq=k).update(type="meeting.recorded")
    assert check() == (
        f"record: event {k}: its type column says 'meeting.recorded', but its signed body says 'meeting.minutes' "
        "(the column was changed in the database)"
    )
    # record verify cannot see it, and need not: a bundle carries each entry's signed bytes, never a
    # column, and decides from those bytes what an audience may read (test_columns_are_not_trusted).
    public = export(tmp_path, "public", "public.bundle")
    assert run(public).code == 0
    assert b"Minutes of round" not in public.read_bytes()


def test_delete(record, tmp_path):
    k = 5
    n = Event.objects.count()
    with guard.lifted():
        Event.objects.filter(seq=k).delete()
    assert check() == f"record: {n - 1} events but the head says {n}"
    assert verify_after(tmp_path) == (
        f"entry {k}: its bytes do not match the leaf hash the tree recorded; it carries seq {k + 1}: "
        f"the entry with seq {k} is missing (deleted)"
    )


def swap(j: int, k: int) -> None:
    """Rows j and k exchange everything but their seq: the events change places."""
    a, b = (Event.objects.values_list("type", "time", "actor", "party", "body").get(seq=s) for s in (j, k))
    for seq, row in ((j, b), (k, a)):
        Event.objects.filter(seq=seq).update(**dict(zip(("type", "time", "actor", "party", "body"), row, strict=True)))


def test_reorder(record, tmp_path):
    with guard.lifted():
        swap(4, 6)
    assert check() == "record: event 4: its body says it is entry 6 (entries were moved, copied or inserted)"
    assert verify_after(tmp_path) == (
        "entry 4: its bytes do not match the leaf hash the tree recorded; it carries seq 6, and entry 6 carries seq 4: "
        "entries were reordered"
    )


def test_insert(record, tmp_path):
    k, n = 5, Event.objects.count()
    forged = json.loads(bytes(Event.objects.values_list("body", flat=True).get(seq=k)))
    forged["payload"]["title"] = "A meeting that never was"
    with guard.lifted():
        for seq in range(n - 1, k - 1, -1):  # make room: every later event one place on
            sql('UPDATE "record_event" SET "seq" = %s WHERE "seq" = %s', [seq + 1, seq])
        ev = Event.objects.get(seq=k + 1)
        Event.objects.create(
            seq=k, type=ev.type, time=ev.time, actor=ev.actor, party=ev.party, body=json.dumps(forged).encode()
        )
        Head.objects.filter(id=1).update(size=n + 1)
    assert check() == f"record: event {k + 1}: its body says it is entry {k} (entries were moved, copied or inserted)"
    # The export signs a checkpoint of the whole record first, over a stored tree that lacks the new
    # leaf: it refuses, and says why. A bundle with an inserted line is named by verify itself
    # (test_verify_tampering.test_an_inserted_entry_is_named).
    with pytest.raises(
        RuntimeError,
        match=rf"the stored tree holds {n} leaves but the record {n + 1} entries: .*ceasefire replay --check",
    ):
        export(tmp_path, "parties")


@pytest.mark.sqlite_only  # PostgreSQL has no REPLACE: its ON CONFLICT DO UPDATE is an UPDATE
def test_replace(record, tmp_path):
    k = minutes_seq()
    ev = Event.objects.values_list("type", "time", "actor", "party", "body").get(seq=k)
    body = bytes(ev[4]).replace(b"Minutes", b"Protocol")
    time = connection.ops.adapt_datetimefield_value(ev[1])
    with guard.lifted():
        sql(
            'INSERT OR REPLACE INTO "record_event" ("seq", "type", "time", "actor", "party", "body") VALUES (%s, %s, %s, %s, %s, %s)',
            [k, ev[0], time, ev[2], ev[3], body],
        )
    assert check() == f"tree: node (level 0, index {k}; entries {k}..{k}) does not match the record"
    assert verify_after(tmp_path) == f"entry {k}: its bytes do not match the leaf hash the tree recorded"


def test_head_edit(record, tmp_path):
    n = Event.objects.count()
    with guard.lifted():
        Head.objects.filter(id=1).update(size=n - 2)
    assert check() == f"record: {n} events but the head says {n - 2}"
    # Nothing is written over a head that disagrees with the events, a bundle's checkpoint included.
    with (
        translation.override("en"),
        pytest.raises(
            Conflict,
            match=rf"its head says it holds {n - 2} entries, but its newest entry is number {n - 1}.*ceasefire replay --check",
        ),
    ):
        export(tmp_path, "parties")


def test_checkpoint_delete(record, tmp_path):
    newest = cosigned_size()
    with guard.lifted():
        Cosignature.objects.filter(checkpoint_id=newest).delete()
        Checkpoint.objects.filter(size=newest).delete()
    difference = check()
    assert difference.startswith(f"checkpoint at size {newest}: missing, but entry ")
    assert difference.endswith(
        "records its cosignature by jmc-west-witness, jmc-east-witness (the checkpoint was deleted)"
    )
    message = verify_after(tmp_path)
    assert message.startswith("entry ") and message.endswith(
        f"records the cosignature of jmc-west-witness (party west) on the checkpoint at size {newest}, but the bundle carries "
        f"no cosignature of that key on a checkpoint of size {newest} or more: the checkpoint or the cosignature was removed from the server"
    )


def test_cosignature_delete(record, tmp_path):
    newest = cosigned_size()
    with guard.lifted():
        Cosignature.objects.filter(checkpoint_id=newest, name="jmc-east-witness").delete()
    difference = check()
    assert difference.startswith("cosignature of jmc-east-witness (key ") and difference.endswith(
        f"on the checkpoint at size {newest}: missing, but entry {difference.split('entry ')[1].split()[0]} records it (the cosignature was deleted)"
    )
    message = verify_after(tmp_path)
    assert (
        message.startswith("entry ")
        and "records the cosignature of jmc-east-witness (party east) on checkpoint " in message
    )
    assert f"(size {newest}, line " in message and message.endswith(
        "which the bundle's checkpoint lacks: the cosignature was removed"
    )


def test_truncation(record, tmp_path):
    # A thorough intruder: the newest events (here, meetings recorded after the witnesses' last
    # round), their leaves and nodes, the head, and the checkpoints beyond the new end, all
    # removed: what is left is a whole, shorter log, still cosigned as far as it goes.
    cut = Event.objects.count()
    meetings(6)
    before = export(tmp_path, "parties", "before.bundle")
    held = tmp_path / "held.checkpoint"  # the newest checkpoint, as a party's witness keeps it
    held.write_text(Edit.read(before).notes[-1])
    n = Event.objects.count()
    with guard.lifted():
        Event.objects.filter(seq__gte=cut).delete()
        for level, index in list(TreeNode.objects.values_list("level", "index")):
            if (index + 1) << level > cut:
                TreeNode.objects.filter(level=level, index=index).delete()
        Checkpoint.objects.filter(size__gt=cut).delete()
        Head.objects.filter(id=1).update(size=cut)
    assert tree.check() is None  # the record itself holds together...
    assert check().startswith("mechanism.Meeting: ")  # ...but the projections still hold what was cut
    # A bundle exported now is a whole log: on its own it verifies (the witnesses seem to lag)...
    after = export(tmp_path, "parties", "after.bundle")
    assert run(after).code == 0
    # ...but against the checkpoint a party kept, the lost entries are named.
    assert failure(after, since=held) == (
        f"fork or rewrite: the trusted checkpoint {held} is at size {n}, but the bundle holds only {cut} entries: "
        f"the log lost entries {cut}..{n - 1} since (rolled back or truncated)"
    )


def test_fork(record, tmp_path):
    # An entry changed and the stored tree rebuilt over the changed history: the record holds
    # together, but the checkpoints the log signed (and the witnesses cosigned) say otherwise.
    k = Event.objects.filter(type="meeting.recorded").order_by("seq").values_list("seq", flat=True)[0]
    body = bytes(Event.objects.values_list("body", flat=True).get(seq=k)).replace(b'"Sirte"', b'"Tripoli"')
    with guard.lifted():
        Event.objects.filter(seq=k).update(body=body)
        TreeNode.objects.all().delete()
        tree.append_leaves(0, [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)])
    assert tree.check() is None
    first = Checkpoint.objects.filter(size__gt=k).order_by("size").values_list("size", flat=True)[0]
    assert check() == f"checkpoint at size {first}: its root is not the root of the record's first {first} entries"
    message = verify_after(tmp_path)
    assert message.startswith("checkpoint 1 (size ") and "is not the root of the bundle's entries" in message
    assert message.endswith("the log key signed two inconsistent histories (a fork: keep this bundle as evidence)")

"""Each way of tampering with the server's database, the guard lifted, against the auditing witness
(west's, with its party's token and --audit-all) that copied and cosigned the record just before:
whether it detects the change, and what it names. The issue's table of which checker detects what
(README, "The verifiable record") takes its witness column from here.

    body edit               CHANGED, the seq, the body held and the body served (an entry not yet
                            copied: ROOT, the seq found with inclusion proofs)
    column-only edit        not seen: the entries endpoint serves the body, not the columns
    delete                  MISSING, the seq
    reorder                 REORDERED, both seqs
    insert                  INSERTED, the seq where the copy holds what is served
    REPLACE (SQLite)        CHANGED, the seq
    head edit               MISSING: the entries the checkpoint covers are not served
    checkpoint delete       ROLLBACK: an older, smaller checkpoint is offered
    cosignature delete      COSIGNATURE REMOVED
    truncation              ROLLBACK
    fork                    FORK
"""

import json

import pytest
from django.db import connection

from ceasefire.api.tokens import create_token
from ceasefire.record import checkpoints, guard, log, tree
from ceasefire.record.models import Checkpoint, Cosignature, Event, Head, TreeNode

from .test_bundle_helpers import record  # noqa: F401 (fixture)
from .witness_client import audit, delete, edit_body, insert, swap


@pytest.fixture
def witnessed(record, accounts, tmp_path, settings):
    """West's witness has copied and cosigned the whole record. No checkpoint is signed on its own
    from here on, so that each test says which checkpoint the server offers."""
    key, token = record["west"], create_token(accounts["west-head"], "witness")
    first = audit(tmp_path, key, token, audit_all=True)
    assert first.code == 0, first.err
    settings.CHECKPOINT_EVERY_EVENTS = 1_000_000
    return lambda: audit(tmp_path, key, token, audit_all=True)


def size() -> int:
    return checkpoints.latest().size


def public_meeting(at_least: int = 3) -> int:
    return next(e.seq for e in Event.objects.filter(seq__gte=at_least).order_by("seq") if b'"Sirte"' in bytes(e.body))


def detected(done, what: str, *named: str) -> None:
    assert done.code == 1, (done.out, done.err)
    assert "REFUSED, nothing cosigned" in done.err and done.evidence.name.endswith("-" + what), done.err
    for text in named:
        assert text in done.err, (text, done.err)


def test_untouched_it_cosigns_again(witnessed):
    done = witnessed()
    assert done.code == 0 and "unchanged; cosigned again" in done.out


def test_body_edit(witnessed):
    seq = public_meeting()
    edit_body(seq, b'"Sirte"', b'"Sirtf"')
    detected(witnessed(), "changed", f"seq {seq}: the body served differs from the body held")


def test_body_edit_of_an_entry_the_party_may_not_read_is_seen_by_its_leaf_hash(record, accounts, tmp_path, settings):
    """The observer's witness holds the parties' entries by their leaf hashes."""
    key, token = record["east"], create_token(accounts["observer"], "witness")
    assert audit(tmp_path, key, token).code == 0
    seq = next(
        e.seq for e in Event.objects.order_by("seq") if not log.readable(json.loads(bytes(e.body))["type"], "observers")
    )
    body = bytes(Event.objects.get(seq=seq).body)
    edit_body(seq, body[-2:], body[-2:-1] + b" " + body[-1:])
    done = audit(tmp_path, key, token, audit_all=True)
    detected(done, "changed", f"seq {seq}: the leaf hash served differs from the leaf hash held")


def test_column_only_edit_is_not_seen(witnessed):
    # The entries endpoint answers with the body, which the tree hashes; a column no read path the
    # witness uses serves (the actor, the time) is not seen by it. `ceasefire replay --check`, on
    # the server, compares every column with the body.
    seq = public_meeting()
    with guard.lifted():
        Event.objects.filter(seq=seq).update(actor="forged")
    done = witnessed()
    assert done.code == 0, done.err


def test_type_column_edit_never_changes_an_audience_unnoticed(record, accounts, tmp_path):
    """Made public by its type column, a parties' entry is either still served as a leaf hash (the
    server reads the type from the body) or refused as an audience change: never taken silently."""
    key = record["east"]
    assert audit(tmp_path, key).code == 0  # as the public
    seq = next(e.seq for e in Event.objects.order_by("seq") if not log.readable(e.type, "public"))
    with guard.lifted():
        Event.objects.filter(seq=seq).update(type="meeting.recorded")
    done = audit(tmp_path, key, audit_all=True)
    served = done.server.client.get(f"/api/v1/record/entries?start={seq}&end={seq + 1}").json()["entries"][0]
    if "entry" in served:
        detected(done, "audience", f"seq {seq}: served in full, where it was served as its leaf hash only before")
    else:
        assert done.code == 0, done.err


def test_delete(witnessed):
    delete(7)
    detected(witnessed(), "missing", "MISSING: seq 7 is not served (deleted?)")


def test_reorder(witnessed):
    swap(8, 9)
    detected(witnessed(), "reordered", "seq 8: the server serves here the entry this witness holds at seq 9")


def test_insert(witnessed):
    insert(10, like=public_meeting())
    detected(witnessed(), "inserted", "seq 11: the server serves here the entry this witness holds at seq 10")


@pytest.mark.sqlite_only  # REPLACE is SQLite's
def test_replace(witnessed):
    seq = public_meeting()
    columns = [f.column for f in Event._meta.concrete_fields]
    chosen = ", ".join(
        "CAST(REPLACE(CAST(body AS TEXT), '\"Sirte\"', '\"Sirtf\"') AS BLOB)" if c == "body" else f'"{c}"'
        for c in columns
    )
    with guard.lifted(), connection.cursor() as cursor:
        cursor.execute(
            f"REPLACE INTO record_event ({', '.join(columns)}) SELECT {chosen} FROM record_event WHERE seq = %s", [seq]
        )
    assert b'"Sirtf"' in bytes(Event.objects.get(seq=seq).body)
    detected(witnessed(), "changed", f"seq {seq}: the body served differs from the body held")


def test_head_edit(witnessed):
    n = size()
    with guard.lifted():
        Head.objects.filter(id=1).update(size=n - 1)
    detected(witnessed(), "missing", f"does not serve the entries 0..{n - 1} that its checkpoint of size {n} covers")


def test_checkpoint_delete(witnessed):
    n = size()
    with guard.lifted():
        Cosignature.objects.filter(checkpoint_id=n).delete()
        Checkpoint.objects.filter(size=n).delete()
    detected(
        witnessed(), "rollback", f"ROLLBACK: the server offers a checkpoint of size {size()}, smaller than size {n}"
    )


def test_cosignature_delete(witnessed):
    n = size()
    with guard.lifted():
        Cosignature.objects.filter(checkpoint_id=n, name="jmc-west-witness").delete()
    detected(witnessed(), "cosignature-removed", f"serves checkpoint {n} without the cosignature of jmc-west-witness")


def cut(k: int) -> list[Event]:
    """The record truncated to k entries: events, tree nodes, checkpoints beyond and head. -> the events cut."""
    gone = list(Event.objects.filter(seq__gte=k).order_by("seq"))
    with guard.lifted():
        Event.objects.filter(seq__gte=k).delete()
        for level in range(64):
            TreeNode.objects.filter(level=level, index__gte=k >> level).delete()
        Cosignature.objects.filter(checkpoint_id__gt=k).delete()
        Checkpoint.objects.filter(size__gt=k).delete()
        Head.objects.filter(id=1).update(size=k)
    return gone


def test_truncation(witnessed):
    n = size()
    cut(n - 3)
    detected(witnessed(), "rollback", f"smaller than size {n} accepted before")


def test_fork(witnessed):
    n = size()
    gone = cut(n - 2)
    with guard.lifted():  # the operator writes another history of the same size, signed by the log key
        for e in gone:
            e.body = bytes(e.body).replace(b'"salt":"', b'"salt":"x', 1)
            e.save(force_insert=True)
        tree.append_leaves(n - 2, [bytes(e.body) for e in gone])
        Head.objects.filter(id=1).update(size=n)
    checkpoints.sign(n)
    detected(witnessed(), "fork", f"FORK: the server offers a checkpoint of size {n} whose root differs")

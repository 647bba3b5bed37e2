"""The guard's two later rules. On SQLite, INSERT OR REPLACE and REPLACE (which delete the row they
replace without firing DELETE triggers) are refused on every table of the record, from any
connection: the refusal is a trigger in the database file, not a setting of ours. The head only
moves forward, to the size the events reach; and when head and events disagree anyway (the guard
dropped), every write is refused with a message naming `ceasefire replay --check`, a 409 through
the API, never a 500."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import translation

from ceasefire.api.tokens import create_token
from ceasefire.errors import Conflict
from ceasefire.mechanism import commands
from ceasefire.record import checkpoints, guard, replay
from ceasefire.record.models import Checkpoint, Cosignature, Event, Head, TreeNode
from tests.conftest import FACILITATOR

MEETING = {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
sqlite_only = pytest.mark.sqlite_only  # PostgreSQL has no REPLACE


@pytest.fixture
def record(mechanism):
    for _ in range(3):
        commands.record_meeting(FACILITATOR, MEETING)
    cp = checkpoints.sign_now()
    Cosignature.objects.create(
        checkpoint=cp,
        name="witness.example",
        key_id="0011aabb",
        line="— witness.example AAAA\n",
        timestamp=1_700_000_000,
        received_at=cp.signed_at,
    )
    return cp


def rows(table: str) -> list:
    with connection.cursor() as c:
        c.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in c.fetchall()]


# A replacement for an existing row of each table, in plain SQL as a database shell would send it.
REPLACEMENTS = {
    "record_event": (
        '("seq", "type", "time", "actor", "party", "body")',
        "(1, 'x', '2020-01-01', 'x', '', X'7b7d')",
    ),  # {n}: the checkpoint's size
    "record_treenode": ('("level", "index", "hash")', "(0, 1, zeroblob(32))"),
    "record_checkpoint": ('("size", "root", "note", "signed_at")', "({n}, zeroblob(32), 'forged', '2020-01-01')"),
    "record_cosignature": (
        '("checkpoint_id", "name", "key_id", "line", "timestamp", "received_at")',
        "({n}, 'witness.example', '0011aabb', 'forged', 0, '2020-01-01')",
    ),
    "record_head": ('("id", "size")', "(1, 0)"),
}


@sqlite_only
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
@pytest.mark.parametrize("table", list(REPLACEMENTS))
def test_replace_is_refused_on_every_table_from_a_bare_sqlite3_connection(record, table, verb):
    columns, values = REPLACEMENTS[table]
    before = rows(table)
    raw = connection.connection  # the sqlite3 module's own connection: no Django in between
    message = f"REPLACE of {table} refused"
    with pytest.raises(Exception, match=message) as e:
        raw.execute(f'{verb} "{table}" {columns} VALUES {values.format(n=record.size)}')
    assert type(e.value).__name__ == "IntegrityError"
    assert rows(table) == before


@sqlite_only
def test_the_refusal_is_in_the_database_schema(record):
    with connection.cursor() as c:
        c.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'record_event_no_replace'")
        (sql,) = c.fetchone()
    assert "BEFORE INSERT" in sql and "WHEN EXISTS" in sql
    assert "REPLACE of record_event" in guard.refusals()


def test_new_rows_still_go_in(record):
    commands.record_meeting(FACILITATOR, MEETING)
    checkpoints.sign_now()
    assert Event.objects.count() == record.size + 1 and TreeNode.objects.filter(level=0).count() == record.size + 1
    with pytest.raises(IntegrityError), transaction.atomic():  # a duplicate key stays refused
        TreeNode.objects.create(level=0, index=0, hash=bytes(32))


@pytest.mark.parametrize(
    "size",
    [
        pytest.param(-2, id="backwards"),
        pytest.param(+2, id="beyond-the-events"),
        pytest.param(None, id="to-zero"),
    ],
)
def test_the_head_only_moves_forward_to_the_size_of_the_events(record, size):
    size = 0 if size is None else record.size + size
    with pytest.raises(
        IntegrityError,
        match="the head of the joint record only moves forward, to the size its events reach: UPDATE of record_head refused",
    ):
        with transaction.atomic():
            Head.objects.filter(id=1).update(size=size)
    assert Head.objects.get().size == record.size


def test_the_head_is_never_deleted(record):
    with pytest.raises(IntegrityError, match="DELETE of record_head refused"), transaction.atomic():
        Head.objects.all().delete()
    assert Head.objects.get().size == record.size


def test_the_head_rules_are_part_of_the_guard(record):
    assert {"UPDATE of record_head", "DELETE of record_head", "REPLACE of record_head"} <= set(guard.refusals())
    assert guard.missing() == []


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def head_set_back(record):
    with guard.lifted():
        Head.objects.filter(id=1).update(size=record.size - 2)
    return record


def message(n: int) -> str:
    return f"its head says it holds {n - 2} entries, but its newest entry is number {n - 1}"


def test_a_head_that_disagrees_with_the_events_stops_every_command(head_set_back):
    n = head_set_back.size
    with pytest.raises(Conflict, match=message(n)) as e:
        commands.record_meeting(FACILITATOR, MEETING)
    assert "ceasefire replay --check" in e.value.message
    assert Event.objects.count() == n
    with pytest.raises(Conflict, match=message(n)):
        checkpoints.sign_now()
    assert replay.check(progress=None).difference == f"record: {n} events but the head says {n - 2}"


def test_through_the_api_it_is_a_409_naming_replay_check(accounts, head_set_back):
    token = create_token(accounts["facilitator"], "tests")
    r = Client().post(
        "/api/v1/meetings",
        MEETING,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 409, r.content
    assert message(head_set_back.size) in r.content.decode() and "ceasefire replay --check" in r.content.decode()


def test_a_missing_newest_event_stops_every_command_too(record):
    n = record.size
    with guard.lifted():
        Event.objects.filter(seq=n - 1).delete()
    with pytest.raises(Conflict, match=f"its head says it holds {n} entries, but its newest entry is number {n - 2}"):
        commands.record_meeting(FACILITATOR, MEETING)
    assert Checkpoint.objects.count() >= 1

"""Appending to the joint record.

A domain command (decorated with `@command`) validates against the current projections, then
calls `append`: the event is written and projected in the command's transaction, so on any
error nothing is written.

Many commands can share one transaction and one hold of the record's lock:

    with log.batch():
        for item in items:
            commands.add_action_item(actor, meeting_id, item)

Inside a batch, every command joins it instead of opening a transaction of its own. Its events
are written and projected at once, exactly as one by one (the same order, seq and bytes, and each
command validates against the projections its predecessors left); what a batch defers is the
bookkeeping: the Merkle tree's leaves are written in bulk, the head row once, and the checkpoint
rule (`checkpoints.after_append`) is consulted once, when the batch ends (so a batch gets at most
one checkpoint, of its end, where one by one its events could get several). A single command is
a batch of one.

All or nothing. An exception that leaves the `with` block rolls the whole batch back. A command
refused by its validation (a `CommandError` raised before it appended anything) has written
nothing, so the caller may catch it and go on, as it would between single commands. Any other
failure of a command inside a batch (a refusal after it appended, a projector or database error)
dooms the batch: later commands and queries in it are refused, and leaving the block raises
`BatchFailed` even if the caller caught the first error; nothing of the batch is written.

Inside a batch the head row lags behind until the batch flushes: `size()` gives the live size,
and every read of the tree (`tree.root`, proofs, `tree.size`, `tree.check`) flushes first, so it
sees every event appended so far. Code that reads the `Head` row itself inside a batch must call
`flush()` first.
"""

import base64
import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rfc8785
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ceasefire.errors import CommandError, Conflict

from . import checkpoints, tree
from .models import Enrollment, Event, Head

# 2: every entry carries a salt (see _salt); 3: a decision's adoption is stated by its own
# decision.adopted entry; 4: an entry names its actor's role, and the account only by a commitment
# (see account_of).
SCHEMA_VERSION = 4

# The entry that opens an account's commitments to the parties (see account_of).
ENROLLED = "account.enrolled"

Projector = Callable[[Event], None]
_projectors: dict[str, Projector] = {}

# Who may read an event, widest last: a bundle or an answer for an audience carries the events it
# may read and only the leaf hashes of the others, so it still verifies. Each event type declares
# its audience beside its projector; issue 3's publication decisions will refine it per event.
AUDIENCES = ("parties", "observers", "public")
_audiences: dict[str, str] = {}

# A batch writes its pending leaves (and the head) when it holds this many, so that its memory
# stays bounded however many events it appends.
FLUSH_EVERY = 10_000


def _commitment(secret: bytes, seq: int) -> str:
    return hashlib.sha256(b"ceasefire account\x00" + secret + seq.to_bytes(8, "big")).hexdigest()


def account_of(data: dict, enrollments: list | None = None) -> str:
    """The username of the account that appended the entry `data`, or "" when no enrollment opens it.

    An entry readable by observers or the public must not name the account (issue 9), yet each party
    must be able to prove which account acted. So an entry carries the actor's role and party, and
    `account`: SHA-256("ceasefire account" 0x00 ‖ secret ‖ seq as 8 bytes), where `secret` is the
    account's, given once in its `account.enrolled` entry, which only the parties read. Whoever holds
    the parties' record opens every commitment; an observer cannot even tell two entries of the same
    account apart, since the seq makes each commitment different. Entries before version 4 named the
    username in `actor`.
    """
    if data["v"] < 4:
        return data["actor"]
    if data["type"] == ENROLLED:
        return data["payload"]["username"]
    commitment = data.get("account")
    if commitment is None:  # a system actor, named in the clear
        return data["actor"] or ""
    role, party = data["actor"] or "", data["party"] or ""
    if enrollments is None:
        enrollments = enrollments_of(role, party)
    for seq, username, e_role, e_party, secret in enrollments:
        if (
            (e_role, e_party) == (role, party)
            and seq < data["seq"]
            and hmac.compare_digest(_commitment(secret, data["seq"]), commitment)
        ):
            return username
    return ""


def enrollments_of(role: str | None = None, party: str | None = None) -> list:
    """The enrollments (of one role and party, or all), as `account_of` takes them: one read for
    a caller that opens many entries."""
    rows = Enrollment.objects.order_by("seq")
    if role is not None:
        rows = rows.filter(role=role, party=party or "")
    return [
        (seq, u, r, p, bytes(secret))
        for seq, u, r, p, secret in rows.values_list("seq", "username", "role", "party", "secret")
    ]


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the account's username and, for a delegate, the party they sit for.

    A `system` actor is not a person's account (a scenario's loader, the server recording the
    witnesses' cosignatures): its entries name it in the clear, and it is never enrolled."""

    username: str
    party: str = ""
    role: str = ""
    system: bool = False


def projects(event_type: str, audience: str):
    """Register the function that applies events of `event_type` to the projections, and the widest
    audience that may read such events: "parties" (delegates, monitors, the facilitator),
    "observers" (and the parties), or "public" (everyone)."""
    if audience not in AUDIENCES:
        raise RuntimeError(f"{event_type}: audience {audience!r} is not one of {AUDIENCES}")

    def register(fn: Projector) -> Projector:
        if event_type in _projectors:
            raise RuntimeError(f"two projectors for {event_type}")
        _projectors[event_type] = fn
        _audiences[event_type] = audience
        return fn

    return register


def readable(event_type: str, audience: str) -> bool:
    """May `audience` read events of `event_type`? An unknown type is readable by the parties only."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience {audience!r} is not one of {AUDIENCES}")
    return AUDIENCES.index(_audiences.get(event_type, "parties")) >= AUDIENCES.index(audience)


def format_time(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(s: str) -> dt.datetime:
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def _clock() -> dt.datetime:
    """The time an event is stamped with. A function of its own so that a test can fix it."""
    return dt.datetime.now(dt.UTC)


def _salt() -> str:
    """16 random bytes, base64, carried in every entry. A bundle or an answer for a narrower
    audience gives only the leaf hash of a withheld entry; without the salt, an entry with few
    possible values (a party's position, a time next to a readable neighbour's) could be found by
    hashing the candidates. A function of its own so that a test can fix it."""
    return base64.b64encode(os.urandom(16)).decode()


class BatchFailed(RuntimeError):
    """A command inside a batch failed after it began writing: the whole batch is rolled back."""


class _Batch:
    """What a batch holds between its start and its end: the record's size as appended so far
    (`size`), as written to the tree and the head row (`flushed`), and the bodies in between."""

    __slots__ = ("start", "flushed", "size", "bodies", "failed", "secrets")

    def __init__(self, size: int):
        self.start = self.flushed = self.size = size
        self.bodies: list[bytes] = []
        self.failed: BaseException | None = None
        self.secrets: dict[tuple[str, str, str], bytes] = {}  # enrollments read or made in this batch


# One batch per thread at most: Django gives each thread its own connection, and a batch is a
# transaction on one connection.
_local = threading.local()


def _active() -> "_Batch | None":
    return getattr(_local, "batch", None)


def command(fn):
    """Run a domain command in one transaction that holds the record's lock from its first read.

    Validation reads the projections, so the lock must come before it: two writers that both
    read "the next meeting is number 13" would otherwise both write it. The database does the
    serialising (a row lock on PostgreSQL, the write lock of an IMMEDIATE transaction on SQLite),
    so it holds across processes and machines. Inside `batch()`, the command joins the batch,
    which holds the lock already.
    """

    @functools.wraps(fn)
    def run(*args, **kwargs):
        b = _active()
        if b is None:
            with batch():  # a batch of one: the same transaction and lock as ever, one read of the head
                return fn(*args, **kwargs)
        _refuse_if_failed(b)
        before = b.size
        try:
            return fn(*args, **kwargs)
        except BaseException as e:
            _failed(b, e, before)
            raise

    return run


@contextlib.contextmanager
def batch():
    """Run the commands inside in one transaction, under one hold of the record's lock.

    See the module's docstring for what is deferred and for the all-or-nothing rule. Nested
    batches join the outer one. Inside a caller's transaction the batch is a savepoint of it.
    """
    current = _active()
    if current is not None:
        _refuse_if_failed(current)
        before = current.size
        try:
            yield
        except BaseException as e:
            _failed(current, e, before)
            raise
        return
    with transaction.atomic():
        b = _Batch(_lock())
        _local.batch = b
        try:
            yield
            if b.failed is not None:  # the caller caught the error; the batch is rolled back all the same
                raise BatchFailed(
                    f"a command in this batch failed, nothing of it was written: {b.failed!r}"
                ) from b.failed
            if b.size > b.start:
                _flush(b)
                checkpoints.after_append(b.size)
        finally:
            _local.batch = None


class _Rehearsed(Exception):
    """Ends a rehearsal: its transaction is rolled back."""


@contextlib.contextmanager
def rehearsal():
    """Run the commands inside to learn what they would refuse, keeping nothing.

    A form whose confirmation was not ticked is not carried out, yet its user should hear every
    fault at once, not the command's own ones on the next submit. The rehearsal is a batch whose
    transaction is always rolled back, before its tree leaves, head or checkpoint are written; the
    commands it runs send nothing (mail goes out from `ceasefire notify send`, from what the
    record holds). A CommandError raised inside reaches the caller as in a real run.
    """
    if _active() is not None:
        raise RuntimeError("a rehearsal inside a batch would roll back the batch's own commands")
    try:
        with transaction.atomic():
            _local.batch = _Batch(_lock())
            try:
                yield
            finally:
                _local.batch = None
            raise _Rehearsed
    except _Rehearsed:
        pass


def _refuse_if_failed(b: _Batch) -> None:
    if b.failed is not None:
        raise BatchFailed(f"this batch has failed already and will be rolled back: {b.failed!r}") from b.failed


def _failed(b: _Batch, e: BaseException, before: int) -> None:
    """A command (or a nested batch) that began at size `before` raised `e`. There is no savepoint
    per command, so that a command in a batch costs no more than its own queries: a refusal that
    wrote nothing leaves the batch as it was; any other failure dooms it (see the module's docstring)."""
    if b.failed is None and not (isinstance(e, CommandError) and b.size == before):
        b.failed = e
        transaction.set_rollback(True)  # any further query in the batch fails at once


def size() -> int:
    """The record's size: inside a batch, with the events it appended so far."""
    b = _active()
    return b.size if b is not None else Head.objects.get(id=1).size


def flush() -> None:
    """Inside a batch, write its pending tree leaves and the head row now; outside, nothing."""
    b = _active()
    if b is not None and b.failed is None and b.size > b.flushed:
        _flush(b)


def _flush(b: _Batch) -> None:
    tree.append_leaves(b.flushed, b.bodies)
    b.bodies = []
    b.flushed = b.size
    _execute(f"UPDATE {_HEAD} SET {_q('size')} = %s WHERE {_q('id')} = 1", [b.size])


# Any read of the tree while a batch has leaves pending writes them first (see the docstring).
tree.before_read = flush


def append(event_type: str, payload: dict, actor: Actor) -> Event:
    """Append one event and project it, in the transaction of the command (or batch) that calls it.

    Called in a caller's own transaction outside any command, it appends as a batch of one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append() outside a transaction: wrap the command in transaction.atomic")
    if event_type not in _projectors:
        raise RuntimeError(f"no projector for event type {event_type!r}")
    b = _active()
    if b is None:  # called outside any command: a batch of its own, a savepoint of the caller's transaction
        with batch():
            return append(event_type, payload, actor)
    _refuse_if_failed(b)
    named: str | None
    account: str | None
    if actor.system:
        named, account = actor.username, None
    else:
        secret = base64.b64decode(payload["secret"]) if event_type == ENROLLED else _secret(actor, b)
        named, account = actor.role or None, _commitment(secret, b.size)
    now = _clock().astimezone(dt.UTC)  # the instant the entry's "time" names, to the microsecond
    data: dict[str, Any] = {
        "v": SCHEMA_VERSION,
        "seq": b.size,
        "type": event_type,
        "time": format_time(now),
        "actor": named,
        "account": account,
        "party": actor.party or None,
        "payload": payload,
        "salt": _salt(),
    }
    body = rfc8785.dumps(data)
    event = _insert_event(b.size, event_type, now, named or "", actor.party or "", body)
    event._account = actor.username
    b.size += 1
    b.bodies.append(body)
    project(event)
    if len(b.bodies) >= FLUSH_EVERY:
        _flush(b)
    return event


@command
def enroll(actor: Actor) -> None:
    """Give the parties the opening of the actor's commitments now (an account.enrolled entry),
    unless the record has it already. `append` does it anyway before an actor's first entry."""
    b = _active()
    assert b is not None  # a command's batch
    if not actor.system:
        _secret(actor, b)


def _secret(actor: Actor, b: _Batch) -> bytes:
    """The secret of the actor's enrollment, enrolling the actor first (an entry of its own) when
    the record has none for its username, role and party."""
    key = (actor.username, actor.role, actor.party or "")
    if key not in b.secrets:
        enrolled = Enrollment.objects.filter(username=key[0], role=key[1], party=key[2]).order_by("-seq").first()
        row = _signed_secret(enrolled, key) if enrolled is not None else None
        if row is None:
            secret = os.urandom(32)
            payload = {"username": key[0], "role": key[1], "party": key[2], "secret": base64.b64encode(secret).decode()}
            append(ENROLLED, payload, actor)
            row = secret
        b.secrets[key] = bytes(row)
    return b.secrets[key]


def _signed_secret(enrolled: Enrollment, key: tuple[str, str, str]) -> bytes:
    """The enrollment's secret, once its own signed entry says the same: the Enrollment table is a
    projection, which someone with the database could change to make the account's next entries
    open to nobody, or to another account, and then put back."""
    entry = Event.objects.filter(seq=enrolled.seq).first()
    payload = entry.payload if entry is not None and entry.type == ENROLLED else {}
    if (payload.get("username"), payload.get("role"), payload.get("party")) != key or payload.get(
        "secret"
    ) != base64.b64encode(bytes(enrolled.secret)).decode():
        raise Conflict(
            _(
                "The record cannot be written to: the enrollment of %(username)s does not match its entry %(seq)d. It was "
                "changed outside the application. Run `ceasefire replay --check` to find what changed, and tell the "
                "facilitator and the parties."
            )
            % {"username": key[0], "seq": enrolled.seq}
        )
    return bytes(enrolled.secret)


# Who states what the parties' positions completed (an adoption, an agreed assessment): no one
# party. Naming the one whose approval came last would tell observers who held out, and when.
COMMITTEE = Actor("committee", role="committee", system=True)


def store(body: bytes) -> Event:
    """Write one canonical entry as an Event row, its columns read from the entry itself."""
    data = json.loads(body)
    return _insert_event(
        data["seq"], data["type"], parse_time(data["time"]), data["actor"] or "", data["party"] or "", body
    )


def project(event: Event) -> None:
    _projectors[event.type](event)


# Plain SQL for the rows every append writes: through the ORM, building the statement cost more
# than running it (a select_for_update().get() of the head took 190 µs, the same read in SQL 13 µs).

_q = connection.ops.quote_name
_HEAD = _q(Head._meta.db_table)
_EVENT_INSERT = (
    f"INSERT INTO {_q(Event._meta.db_table)} ({', '.join(_q(c) for c in ('seq', 'type', 'time', 'actor', 'party', 'body'))}) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)


_NEWEST = f"SELECT MAX({_q('seq')}) FROM {_q(Event._meta.db_table)}"


def _execute(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _lock() -> int:
    """Take the record's lock and read its size. Runs first in the transaction: on SQLite the
    IMMEDIATE transaction holds the write lock already; on PostgreSQL the row lock is taken here."""
    sql = f"SELECT {_q('size')} FROM {_HEAD} WHERE {_q('id')} = 1"
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    rows = _execute(sql, [])
    if not rows:
        raise Head.DoesNotExist("the record's head row is missing: migrate the database")
    size = rows[0][0]
    # The head and the events must agree before anything is written on top of them: the newest
    # event is the one at size - 1. MAX of the primary key reads one index entry.
    newest = _execute(_NEWEST, [])[0][0]
    if newest != (size - 1 if size else None):
        raise Conflict(
            _(
                "The record cannot be written to: its head says it holds %(size)d entries, but its newest entry is "
                "number %(newest)s. It was changed outside the application. Run `ceasefire replay --check` to find "
                "what changed, and tell the facilitator and the parties."
            )
            % {"size": size, "newest": "none" if newest is None else newest}
        )
    return size


def _insert_event(seq: int, event_type: str, time: dt.datetime, actor: str, party: str, body: bytes) -> Event:
    """Write the Event row and return it as the ORM would have: the columns of the entry, saved."""
    _execute(_EVENT_INSERT, [seq, event_type, connection.ops.adapt_datetimefield_value(time), actor, party, body])
    return Event.from_db(
        connection.alias, ["seq", "type", "time", "actor", "party", "body"], [seq, event_type, time, actor, party, body]
    )

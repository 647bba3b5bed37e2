"""Appending to the joint record.

A domain command (decorated with `@command`) validates against the current projections, then
calls `append`: the event is written and projected in the command's transaction, so on any
error nothing is written.
"""

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass

import rfc8785
from django.db import transaction

from . import checkpoints
from .models import Event, Head
from .tree import append_leaf

SCHEMA_VERSION = 1

Projector = Callable[[Event], None]
_projectors: dict[str, Projector] = {}

# Who may read an event, widest last: a bundle or an answer for an audience carries the events it
# may read and only the leaf hashes of the others, so it still verifies. Each event type declares
# its audience beside its projector; issue 3's publication decisions will refine it per event.
AUDIENCES = ("parties", "observers", "public")
_audiences: dict[str, str] = {}


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the account's username and, for a delegate, the party they sit for."""

    username: str
    party: str = ""
    role: str = ""


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


def command(fn):
    """Run a domain command in one transaction that holds the record's lock from its first read.

    Validation reads the projections, so the lock must come before it: two writers that both
    read "the next meeting is number 13" would otherwise both write it. The database does the
    serialising (a row lock on PostgreSQL, the write lock of an IMMEDIATE transaction on SQLite),
    so it holds across processes and machines.
    """

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with transaction.atomic():
            Head.objects.select_for_update().get(id=1)
            return fn(*args, **kwargs)

    return run


def append(event_type: str, payload: dict, actor: Actor) -> Event:
    """Append one event and project it. Must run inside the command's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append() outside a transaction: wrap the command in transaction.atomic")
    if event_type not in _projectors:
        raise RuntimeError(f"no projector for event type {event_type!r}")
    head = Head.objects.select_for_update().get(id=1)  # already held when called from a @command
    data = {
        "v": SCHEMA_VERSION,
        "seq": head.size,
        "type": event_type,
        "time": format_time(dt.datetime.now(dt.UTC)),
        "actor": actor.username,
        "party": actor.party or None,
        "payload": payload,
    }
    event = store(rfc8785.dumps(data))
    append_leaf(head.size, event.body)  # the Merkle tree grows in the same transaction
    Head.objects.filter(id=1).update(size=head.size + 1)
    project(event)
    checkpoints.after_append(head.size + 1)
    return event


def store(body: bytes) -> Event:
    """Write one canonical entry as an Event row, its columns read from the entry itself."""
    data = json.loads(body)
    return Event.objects.create(
        seq=data["seq"],
        type=data["type"],
        time=parse_time(data["time"]),
        actor=data["actor"],
        party=data["party"] or "",
        body=body,
    )


def project(event: Event) -> None:
    _projectors[event.type](event)

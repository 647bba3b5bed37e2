"""Export the joint record as one self-contained bundle file, for verify.py to check offline.

The format is described precisely in verify.py's docstring: a header (origin, audience, the log's and
every registered witness's verifier key), one line per entry (its leaf hash, and its canonical bytes if
the audience may read it), then the checkpoints that matter, with their cosignatures: the newest,
which covers every entry, and for each witness key the newest checkpoint it cosigned. A witness
cosigns a checkpoint only after checking that it is consistent with every one the witness accepted
before, so its newest cosignature speaks for all its earlier ones; and the server signs a checkpoint
every hundred events or so, whose signatures would take the verifier far longer to check than the
entries. export(..., all_checkpoints=True) carries every checkpoint instead, for a reader who wants
each one checked (and a tampered entry narrowed to the checkpoints around it).

The export streams: it holds one batch of events and leaf hashes at a time, so a record of millions of
events needs no more memory than one of a thousand.

The leaf hash written beside an entry is the one the stored tree holds (TreeNode level 0), never one
computed here from the event's bytes: an event changed in the database after it was appended must show
up in the verifier as an entry whose bytes do not match its leaf hash, not as a quietly different tree.
For the same reason the events and the leaves are paired by position (the i-th event row in seq order
beside leaf i), so that a deleted row shifts the later entries against their leaves and is named.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Max

from . import checkpoints, log
from .models import Checkpoint, Cosignature, Event, TreeNode, signed_type

BATCH = 5_000  # rows per query
PROGRESS_EVERY = 100_000  # entries between two calls of `progress`
WITNESS_KEY_EVENT = "witness.key_registered"


@dataclass(frozen=True)
class Exported:
    size: int
    readable: int
    withheld: int
    checkpoints: int
    witness_keys: int


def export(
    out_path: str | Path,
    audience: str,
    progress: Callable[[int, int], None] | None = None,
    all_checkpoints: bool = False,
) -> Exported:
    """Write a bundle for `audience` ("parties", "observers" or "public") to `out_path`, replacing it.

    Signs a checkpoint of the whole record first, so that the newest checkpoint covers every entry;
    the bundle holds the record up to that checkpoint's size, and that checkpoint and each witness
    key's newest cosigned one (every checkpoint up to its size with `all_checkpoints`).
    `progress(done, total)` is called every PROGRESS_EVERY entries and at the end.
    """
    if audience not in log.AUDIENCES:
        raise ValueError(f"audience {audience!r} is not one of {', '.join(log.AUDIENCES)}")
    newest = checkpoints.sign_now()
    size = newest.size
    key = checkpoints.log_key()
    witnesses = _witness_keys(size)
    may_read: dict[str, bool] = {}
    readable = 0
    with open(out_path, "wb") as out:
        out.write(b"ceasefire-bundle v1\n")
        out.write(f"origin {key.name}\naudience {audience}\n".encode())
        out.write(f"created {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}\n".encode())
        out.write(f"log-key {key.verifier}\n".encode())
        for vkey, party, registered, retired in witnesses:
            out.write(
                f"witness-key {vkey} party={party or '-'} registered={registered} retired={'-' if retired is None else retired}\n".encode()
            )
        out.write(f"entries {size}\n".encode())

        written = 0
        events = _events(size)
        for leaf, row in zip(_leaf_hashes(size), events):  # stops early if rows are missing
            seq, body = row
            body = bytes(body)
            event_type = signed_type(body)  # the type the record signed, never the column
            if b"\n" in body:  # it would break the line format
                raise ValueError(
                    f"event {seq} holds a raw newline, which canonical JSON never does: the record was "
                    "changed in the database (ceasefire replay --check names the change)"
                )
            if event_type not in may_read:
                may_read[event_type] = log.readable(event_type, audience)
            if may_read[event_type]:
                out.write(b"%s %s\n" % (leaf.hex().encode(), body))
                readable += 1
            else:
                out.write(b"%s\n" % leaf.hex().encode())
            written += 1
            if progress and written % PROGRESS_EVERY == 0:
                progress(written, size)

        # One per size, never deleted: the count read first is the number the loop writes.
        signed = Checkpoint.objects.filter(size__lte=size).order_by("size")
        if not all_checkpoints:
            signed = signed.filter(size__in=_checkpoints_that_matter(size))
        count = signed.count()
        out.write(f"checkpoints {count}\n".encode())
        for cp in signed.iterator(chunk_size=BATCH):
            text = checkpoints.served(cp).encode()
            out.write(b"note %d\n%s" % (len(text), text))
        out.write(b"end\n")
    if progress and written % PROGRESS_EVERY:
        progress(written, size)
    return Exported(size, readable, written - readable, count, len(witnesses))


def _checkpoints_that_matter(size: int) -> set[int]:
    """The sizes of the checkpoint at `size` and of each witness key's newest cosigned checkpoint up to
    it (the server keeps only cosignatures from registered witness keys)."""
    newest = (
        Cosignature.objects.filter(checkpoint__size__lte=size)
        .values("name", "key_id")  # one witness key: its name and key hash, as in the signature line
        .annotate(newest=Max("checkpoint__size"))
    )
    return {size, *(row["newest"] for row in newest)}


def _witness_keys(size: int) -> list[tuple[str, str | None, int, int | None]]:
    """(vkey, party code or None, seq registered, seq retired or None) of every witness key registered
    in the first `size` entries, read from the record itself as mechanism's projection reads it:
    a registration retires the same holder's (party's, or the mission's) previous key."""
    keys: list[list] = []
    # Selected by the type column (indexed), read from the body: a registration whose column was
    # changed is left out of the header, and the verifier names the entry the header lacks.
    rows = Event.objects.filter(type=WITNESS_KEY_EVENT, seq__lt=size).order_by("seq").values_list("seq", "body")
    for seq, body in rows.iterator(chunk_size=BATCH):
        data = json.loads(bytes(body))
        if data.get("type") != WITNESS_KEY_EVENT:
            continue
        payload = data["payload"]
        for k in keys:
            if k[1] == payload["party"] and k[3] is None:
                k[3] = seq
        keys.append([payload["vkey"], payload["party"], seq, None])
    return [tuple(k) for k in keys]


def _events(size: int) -> Iterator[tuple[int, bytes | memoryview]]:
    """(seq, body) of the events with seq < size, in seq order, BATCH rows per query."""
    last = -1
    while True:
        rows = list(Event.objects.filter(seq__gt=last, seq__lt=size).order_by("seq").values_list("seq", "body")[:BATCH])
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _leaf_hashes(size: int) -> Iterator[bytes]:
    """The stored tree's leaf hashes 0 .. size-1, BATCH rows per query."""
    for lo in range(0, size, BATCH):
        hi = min(lo + BATCH, size)
        rows = list(
            TreeNode.objects.filter(level=0, index__gte=lo, index__lt=hi).order_by("index").values_list("index", "hash")
        )
        if [i for i, _ in rows] != list(range(lo, hi)):
            missing = next(i for i in range(lo, hi) if i not in {j for j, _ in rows})
            raise RuntimeError(f"the stored tree lacks leaf {missing}: it is damaged (ceasefire replay --check)")
        for _, h in rows:
            yield bytes(h)

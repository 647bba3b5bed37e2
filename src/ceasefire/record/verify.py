"""Verify an exported bundle of the joint record, offline, trusting nothing the server says.

    python -m ceasefire.record.verify BUNDLE [--trust VKEYS_FILE] [--since CHECKPOINT_FILE] [--jobs N]

Needs only the Python standard library and `cryptography`, and two modules of this project that need
nothing more: merkle.py (RFC 9162 tree hashing) and note.py (C2SP signed notes, checkpoints and
cosignatures). No Django, no database: a party's engineer can run it from a copy of src/ceasefire/record/
{verify,merkle,note}.py with the two package __init__.py files (each a docstring), on any machine.

Exit status: 0 when everything holds; 1 when something does not, after naming the FIRST bad entry or
checkpoint and what is wrong with it; 2 when the command is misused or the bundle cannot be read at
all; 130 when interrupted (Ctrl-C).

What is checked
---------------
1. Every readable entry's bytes hash (SHA-256(0x00 || bytes)) to the leaf hash written beside them,
   which is the leaf hash the server's stored tree holds: an event changed in the database after
   it was appended is named here ("entry 17: its bytes do not match the leaf hash the tree recorded").
2. The Merkle tree over the leaf hashes, level by level. The root at the size of every checkpoint in
   the bundle must equal that checkpoint's root.
3. Every checkpoint is signed by the log key, and every cosignature on it from a known witness key
   verifies (a bad one fails; signatures from unknown keys are ignored, as the spec requires), with a
   timestamp not in the future (10 minutes of clock skew allowed).
4. No entry lies beyond the newest checkpoint: an entry nothing signed covers is not part of the log.
   The checkpoints come in order of size, and a bundle for the parties withholds no entry (the
   parties may read every entry; a withheld one there hides something).
5. The header's `witness-key` lines are exactly the keys the bundle's `witness.key_registered` entries
   register (those entries are public: every audience reads them), derived as bundle.py derives them:
   the same keys, in the same order, with the same party and the same `registered` and `retired`
   seqs (a registration retires the same holder's previous key). A header key no entry registers, a
   registered key the header leaves out, or any field that differs fails, named. No two witness
   keys, in the header or the entries, may share one public key: the cosignature/v1 message does not
   hold the key's name, so one witness's cosignature could be passed off as another's.
6. A retired key (retired at entry r: the seq of its successor's registration) counts only for
   checkpoints of size r or less: its cosignature on a later checkpoint fails, named.
7. With --since: a checkpoint trusted earlier (kept by a witness, say) is signed by the log key, and
   the bundle's entries give the same root at its size. Otherwise the log forked or was rewritten.
8. The policy (log key and each party's witness): every witness key that counts must have a valid
   cosignature on at least one checkpoint of the bundle, or the bundle fails, naming that witness.
   The keys that count are the witness keys given with --trust, or without it the ACTIVE witness keys
   the bundle carries. The smallest, over those keys, of the newest checkpoint size each cosigned is
   the part every witness vouches for; entries beyond it are signed by the log key only, which the
   summary says plainly (witnesses lag; that is no failure). With no witness key at all (none trusted,
   or none in the bundle), the exit status is 0 but the output says loudly that only the log key
   vouches for the bundle: whoever holds it (the server's operator) could have written all of it.
9. The log commits to the cosignatures it kept: each readable `checkpoint.cosigned` entry (payload
   {"size", "root", "cosignatures": [{"name", "key_id", "line", "timestamp"}]}) must name the root
   the entries give at that size, and for each cosignature by a witness key that counts here, the
   bundle must carry it on that checkpoint, or a cosignature by that key on a later one (an export
   carries each key's newest). A checkpoint or a cosignature removed from the server is named by
   the entry that records it. The entries recording the newest cosignatures lie, by nature, beyond
   the checkpoint they cosign: when all the entries that no witness vouches for are such entries,
   the summary says so.

10. With --accounts, in a bundle for the parties: every entry that commits to an account (version
   4: `"account"`) opens with the secret of exactly one earlier `account.enrolled` entry of its role
   and party (see check_accounts), so the parties can prove which account acted. It parses each
   such entry in one process: not part of the fast pass, so asked for.

What this does not show: that a readable entry is canonical JSON, or that its `seq` is its position
(only when something fails are entries parsed, to name it). A witness-key registration is found by its
canonical type, `"witness.key_registered"`: one encoded otherwise is not seen as one, which gains a
forger nothing that deleting it would not; against --trust keys neither helps (they count whatever the
entries say).

The keys: without --trust, the log key and witness keys are the ones the bundle carries, and the output
says so: a forged bundle can carry forged keys. --trust VKEYS_FILE names the keys to use instead, one
verifier key per line (blank lines and lines starting with '#' are ignored): exactly one log key
(Ed25519, type 0x01) and any number of witness keys (cosignature/v1, type 0x04; two of them sharing one
public key are refused). A trusted witness key keeps the party and the retirement its registration
in the entries gives it; one that no entry registers still counts (the party trusts its own key), and
the output says so.

How it runs: a fast pass reads the entry lines, checks them and builds the tree, then the
checkpoints are checked against it. The fast pass is about two SHA-256 calls per entry (its leaf and
one interior node), the reading, and a search of each batch for `"witness.key_registered"` (the few
entries that hold it are parsed); on a bundle of 65,536 entries or more, --jobs N worker processes
(default: one per CPU) share it, each taking ranges of whole lines (check_in_parallel), where the
system can fork them (not on Windows: there one process does it all). An export carries the newest
checkpoint and each witness's newest cosigned one, unless it was asked for all of them: each
checkpoint costs a few signature checks, about as long as three hundred entries.

When a root or a leaf hash does not match, a second, slower pass parses the entries to say what happened: an entry
whose `seq` field is not its position (an entry deleted, inserted or moved), an entry whose bytes do not
match its leaf hash, or else the range of entries between the last checkpoint that matches and the
first that does not (the change is then in a withheld entry, or in one whose leaf hash was rewritten
with it).

The bundle format (version 1)
-----------------------------
A UTF-8 text file of lines ending in "\\n" (LF only). In this order:

    ceasefire-bundle v1
    origin <the log's origin, e.g. ceasefire.local/record>
    audience <parties | observers | public>
    created <UTC time of the export, YYYY-MM-DDTHH:MM:SSZ; informational>
    log-key <verifier key of the log>
    witness-key <verifier key> party=<party code, or - for the mission's own> registered=<seq> retired=<seq or ->
    ...                                   (zero or more witness-key lines, in order of registration:
                                          one for each witness.key_registered entry, no more)
    entries <N>
    <entry line>                          (exactly N of them: entries 0 .. N-1, in order)
    ...
    checkpoints <K>
    note <L>
    <L bytes: a checkpoint note, as C2SP signed-note, ending in "\\n">
    ...                                   (K of them, in order of size)
    end

An entry line is either
    <leaf hash>                           an entry the bundle's audience may not read (withheld), or
    <leaf hash> <bytes>                   an entry it may read: its canonical JSON (RFC 8785), which
                                          never holds a raw newline,
where <leaf hash> is 64 lowercase hex digits: SHA-256(0x00 || bytes), as the log's tree recorded it.

`registered` is the seq of the event that registered the witness key, `retired` that of the event
that replaced it (a retired key's old cosignatures still verify). A checkpoint note is the log's
signed checkpoint followed by the witnesses' cosignature lines; notes hold blank lines, hence the byte
count before each. Nothing may follow `end`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import mmap
import multiprocessing
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field

from ceasefire.record import merkle, note

MAGIC = b"ceasefire-bundle v1\n"
AUDIENCES = ("parties", "observers", "public")  # widest first: "parties" may read every entry
MAX_SKEW_SECONDS = 600  # a cosignature dated further in the future than this is refused
PROGRESS_EVERY = 100_000
# Entry lines are read and checked in batches of about BATCH_BYTES, through a read buffer of that
# size: small enough for a batch to stay in the CPU's cache between the passes over it (4 MB
# batches took a third longer), large enough that the work per batch outweighs its overhead.
BATCH_BYTES = 1 << 18
CHUNK = 1 << 15  # entries in a piece of work for a worker process; a bundle of fewer than two pieces is checked in one
MAX_NOTE_BYTES = 64 * 1024  # a checkpoint note with 100 signatures is under 12 KB

_sha256 = hashlib.sha256
_LEAF = hashlib.sha256(b"\x00")  # a leaf's hash starts with 0x00,
_NODE = hashlib.sha256(b"\x01")  # an interior node's with 0x01 (RFC 9162 §2.1.1)
_HEX_AND_SEPARATORS = b"0123456789abcdef \n"


class Failed(Exception):
    """The bundle does not verify. The message names the first bad entry or checkpoint."""


class Unusable(Exception):
    """The command was misused, or a file cannot be read at all."""


@dataclass
class Witness:
    key: note.VerifierKey
    party: str = "?"  # "-" for the mission's own witness, "?" when a --trust key is not registered in the bundle
    registered: int | None = None  # the seq of the entry that registered it
    retired: int | None = None  # the seq of the entry that registered its successor (None: active)
    line: int = 0  # its `witness-key` line in the header (0: not from the header)
    newest: int | None = None  # size of the newest checkpoint it cosigned in this bundle

    @property
    def label(self) -> str:
        return f"{self.key.name}+{self.key.key_id.hex()}"


@dataclass
class Registration:
    """A witness key as the bundle's `witness.key_registered` entries give it (as bundle.py derives it)."""

    vkey: str  # the key, written out again: comparable with a header key's str()
    key: note.VerifierKey
    party: str  # "-" for the mission's own
    registered: int
    retired: int | None = None


@dataclass
class Bundle:
    """What the fast pass learned from the file."""

    path: str
    origin: str = ""
    audience: str = ""
    log_key: note.VerifierKey | None = None
    witnesses: list[Witness] = field(default_factory=list)
    declared: int = 0  # the number of entries the header announces
    entries: int = 0  # the number of entry lines read
    end: int = 0  # the byte offset of the line after them
    withheld: int = 0
    # levels[l]: hashes of the complete subtrees of 2**l entries, joined (bytes; from the workers,
    # shared memory that slices the same way)
    levels: list = field(default_factory=list)
    checkpoints: list[tuple[int, str]] = field(default_factory=list)  # (line number, note)
    registrations: list[tuple[int, bytes]] = field(
        default_factory=list
    )  # (entry, bytes) of each witness.key_registered entry
    cosigned: list[tuple[int, bytes]] = field(default_factory=list)  # (entry, bytes) of each checkpoint.cosigned entry


# ---------------------------------------------------------------------------------------------- reading
class Lines:
    """The bundle's lines, numbered from 1 for the messages, with the byte-counted notes in between."""

    def __init__(self, f):
        self.f = f
        self.number = 0

    def next(self, what: str) -> bytes:
        line = self.f.readline()
        self.number += 1
        if not line.endswith(b"\n"):
            raise Failed(f"line {self.number}: the bundle ends where {what} was expected (truncated file?)")
        return line[:-1]

    def field(self, name: str) -> str:
        """A header line `<name> <value>` -> value."""
        line = self.next(f"the `{name}` line")
        prefix = name.encode() + b" "
        if not line.startswith(prefix) or len(line) == len(prefix):
            raise Failed(f"line {self.number}: expected `{name} ...`, found {_show(line)}")
        return _text(line[len(prefix) :], self.number)

    def count(self, name: str) -> int:
        value = self.field(name)
        if not re.fullmatch(r"0|[1-9][0-9]{0,18}", value):
            raise Failed(f"line {self.number}: `{name}` needs a decimal number, found {value!r}")
        return int(value)


def _text(raw: bytes, number: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Failed(f"line {number}: not valid UTF-8") from None


def _show(line: bytes, limit: int = 60) -> str:
    return repr(line[:limit].decode("utf-8", "replace")) + ("..." if len(line) > limit else "")


def read_header(lines: Lines, bundle: Bundle) -> None:
    bundle.origin = lines.field("origin")
    bundle.audience = lines.field("audience")
    if bundle.audience not in AUDIENCES:
        raise Failed(f"line {lines.number}: unknown audience {bundle.audience!r}")
    lines.field("created")
    try:
        bundle.log_key = note.parse_verifier_key(lines.field("log-key"))
    except ValueError as e:
        raise Failed(f"line {lines.number}: the log key: {e}") from None
    while True:
        line = lines.next("a `witness-key` or the `entries` line")
        if not line.startswith(b"witness-key "):
            break
        parts = _text(line, lines.number).split(" ")
        m = [re.fullmatch(p, s) for p, s in zip(WITNESS_FIELDS, parts[2:])] if len(parts) == 5 else []
        if not m or m[0] is None or m[1] is None or m[2] is None:
            raise Failed(f"line {lines.number}: expected `witness-key VKEY party=P registered=SEQ retired=SEQ|-`")
        try:
            key = note.parse_verifier_key(parts[1])
        except ValueError as e:
            raise Failed(f"line {lines.number}: witness key: {e}") from None
        if key.alg != note.COSIGNATURE_V1:
            raise Failed(
                f"line {lines.number}: witness key {key.name}+{key.key_id.hex()} is not a cosignature/v1 (type 0x04) key"
            )
        retired = None if m[2].group(1) == "-" else int(m[2].group(1))
        w = Witness(key, party=m[0].group(1), registered=int(m[1].group(1)), retired=retired, line=lines.number)
        twin = next((x for x in bundle.witnesses if x.key.public == w.key.public), None)
        if twin:
            # The cosignature/v1 message does not hold the key's name: one holder's cosignature could
            # be passed off as another witness's.
            raise Failed(f"line {lines.number}: witness keys {twin.label} and {w.label} share one public key")
        bundle.witnesses.append(w)
    if not re.fullmatch(rb"entries (0|[1-9][0-9]{0,18})", line):
        raise Failed(f"line {lines.number}: expected `entries N` (or a `witness-key` line), found {_show(line)}")
    bundle.declared = int(line[8:])


WITNESS_FIELDS = (r"party=([a-z0-9-]+)", r"registered=(0|[1-9][0-9]*)", r"retired=(-|0|[1-9][0-9]*)")


def read_entries(
    lines: Lines, bundle: Bundle, progress=None, jobs: int = 1, chunk: int = CHUNK
) -> tuple[int, str] | None:
    """The fast pass over the entry lines: check the leaf hash of every readable entry and build the
    tree's levels from all leaf hashes. Returns None, or (entry, reason) for the first entry that is
    wrong. Leaves `lines` at the line after the entries.

    With `jobs` > 1 and a bundle of at least two pieces of `chunk` entries, the work is shared out
    among that many worker processes (see check_in_parallel), where the system can fork them.
    `progress(n)` is called now and then with the number of entries checked so far.
    """
    f = lines.f
    start, size = f.tell(), os.fstat(f.fileno()).st_size
    pieces = min(bundle.declared, (size - start) // 65) // chunk  # an entry line is at least 65 bytes
    shared = None
    if jobs > 1 and pieces >= 2 and "fork" in multiprocessing.get_all_start_methods():
        shared = Shared.make(bundle.declared, size - start)
    if shared:
        bad = check_in_parallel(bundle, shared, start, size, pieces, jobs, progress)
    else:
        found = check_range(bundle.path, start, size, progress)
        bad = _first_problem(found, bundle)
        if not bad:
            bundle.levels = build_levels(found.leaves)
    if not bad:
        f.seek(bundle.end)
        lines.number += bundle.entries
    return bad


@dataclass
class Found:
    """What the fast pass found in some entry lines: `count` lines, from the first on, up to the end
    of the range read, or to the first line that is not an entry line (at byte `stop`), or to the
    first readable entry whose bytes do not hash to the leaf hash beside them (`mismatch`, counted
    from the first line; the pass stops after its batch)."""

    count: int = 0
    leaves: bytes = b""  # the leaf hash of each line, 32 bytes each
    withheld: int = 0
    mismatch: int | None = None
    stop: int | None = None
    registrations: list[tuple[int, bytes]] = field(
        default_factory=list
    )  # (line, bytes) of each witness-key registration
    cosigned: list[tuple[int, bytes]] = field(
        default_factory=list
    )  # (line, bytes) of each entry recording cosignatures


def check_range(path: str, start: int, end: int, progress=None) -> Found:
    """Check the entry lines in bytes [start, end) of the file (both at the start of a line), in
    batches of about BATCH_BYTES: memory stays small however long the range."""
    found, leaves = Found(), []
    with open(path, "rb", buffering=BATCH_BYTES) as f:
        f.seek(start)
        at = start
        while at < end:
            batch = f.readlines(min(BATCH_BYTES, end - at))  # the fastest way to get lines out of a file
            past = f.tell() - end
            while past > 0:  # readlines reads one line more when the lines fill its limit exactly
                past -= len(batch.pop())
            if not batch:
                break
            good, hashes, withheld, mismatch = check_batch(batch)
            joined = b"".join(batch)
            if REGISTERED in joined:  # the few batches that hold a witness-key registration
                found.registrations += registrations(batch[:good], found.count)
            if COSIGNED_MARK in joined:  # and those that record cosignatures
                found.cosigned += registrations(batch[:good], found.count, COSIGNED)
            leaves.append(hashes)
            found.withheld += withheld
            if mismatch is not None:
                found.mismatch = found.count + mismatch
            elif good < len(batch):
                found.stop = at + sum(map(len, batch[:good]))
            found.count += good
            if found.mismatch is not None or found.stop is not None:
                break
            at = f.tell()
            if progress:
                progress(found.count)
    found.leaves = b"".join(leaves)
    return found


def check_batch(batch: list[bytes]) -> tuple[int, bytes, int, int | None]:
    """Check a batch of lines: -> (good, leaves, withheld, mismatch). `good` is the number of lines
    before the first that is not an entry line (normally all of them); `leaves` their leaf hashes,
    joined (a readable entry's is the hash of its bytes, a withheld entry's the one on its line);
    `mismatch` the index of the first readable entry whose bytes do not hash to the leaf hash beside
    them, or None.

    Per entry, the work is two slices and a hash; the line syntax and the recorded hashes are checked
    for the whole batch at once with bytes operations that run in C. No entry is parsed as JSON: the
    tree and the signatures say all there is to say about its bytes.
    """
    # The first 65 bytes of a line are the 64 hex digits and a space (readable) or the newline
    # (withheld). Joined, they must be exactly that.
    heads = b"".join([line[:65] for line in batch])
    if b"\n" not in heads and batch[-1].endswith(b"\n"):
        # No line is withheld (the usual case for the parties, and for most batches of any bundle):
        # hash every entry, and the heads must be the hashes in lowercase hex, each followed by a
        # space. One comparison checks the syntax of the lines and their leaf hashes.
        leaves = []
        for line in batch:
            h = _LEAF.copy()  # as build_levels does, and cheaper than b"\x00" + the bytes
            h.update(line[65:-1])
            leaves.append(h.digest())
        computed = b"".join(leaves)
        if heads.decode("latin-1") == computed.hex(" ", 32) + " ":
            return len(batch), computed, 0, None
    return _check_batch_slowly(batch, heads)


def _check_batch_slowly(batch: list[bytes], heads: bytes) -> tuple[int, bytes, int, int | None]:
    """check_batch for a batch with withheld entries, or one that fails. The heads must be nothing
    but lowercase hex with a separator at every 65th byte, which bytes.fromhex (it skips the
    separators) turns into the recorded hashes."""
    if (
        len(heads) != 65 * len(batch)
        or heads.translate(None, _HEX_AND_SEPARATORS)
        or heads[64::65].translate(None, b" \n")
        or heads.count(b" ") + heads.count(b"\n") != len(batch)  # no separator but those
        or not batch[-1].endswith(b"\n")
    ):
        good = _first_bad_line(batch)
        return (good, *check_batch(batch[:good])[1:]) if good else (0, b"", 0, None)
    recorded = bytes.fromhex(heads.decode("ascii"))
    withheld = heads.count(b"\n")
    # A withheld entry stands for itself: its recorded hash is the only one there is.
    computed = b"".join(
        [
            _sha256(b"\x00" + line[65:-1]).digest() if line[64] == 32 else recorded[32 * i : 32 * i + 32]
            for i, line in enumerate(batch)
        ]
    )
    if computed == recorded:
        return len(batch), computed, withheld, None
    return (
        len(batch),
        computed,
        withheld,
        next(i for i in range(len(batch)) if computed[32 * i : 32 * i + 32] != recorded[32 * i : 32 * i + 32]),
    )


def _first_bad_line(batch: list[bytes]) -> int:
    for i, line in enumerate(batch):
        if not ENTRY_LINE.fullmatch(line):
            return i
    return len(batch) - 1


ENTRY_LINE = re.compile(rb"[0-9a-f]{64}(?: [^\n]*)?\n")
WITNESS_KEY_EVENT = "witness.key_registered"
REGISTERED = b'"witness.key_registered"'  # as canonical JSON writes the type of such an entry
COSIGNED = "checkpoint.cosigned"  # the entry by which the log commits to the cosignatures it kept
COSIGNED_MARK = b'"checkpoint.cosigned"'


def registrations(batch: list[bytes], first: int, kind: str = WITNESS_KEY_EVENT) -> list[tuple[int, bytes]]:
    """(line, bytes) of the readable entries among `batch` (lines first, first + 1, ...) whose type is
    `kind` (witness.key_registered, or checkpoint.cosigned). Only a batch that holds the type's
    name somewhere comes here."""
    found = []
    mark = json.dumps(kind).encode()
    for i, line in enumerate(batch):
        if mark in line and line[64:65] == b" ":
            try:
                event = json.loads(line[65:-1])
            except (ValueError, RecursionError):
                continue
            if isinstance(event, dict) and event.get("type") == kind:
                found.append((first + i, line[65:-1]))
    return found


def _first_problem(found: Found, bundle: Bundle) -> tuple[int, str] | None:
    """Record what the pass found in `bundle` and name the first entry that is wrong, if one is."""
    bundle.entries, bundle.withheld = found.count, found.withheld
    bundle.registrations = [r for r in found.registrations if r[0] < found.count]
    bundle.cosigned = [r for r in found.cosigned if r[0] < found.count]
    bundle.end = os.path.getsize(bundle.path) if found.stop is None else found.stop
    declared = bundle.declared
    if found.mismatch is not None and found.mismatch < declared:
        return found.mismatch, "its bytes do not match the leaf hash the tree recorded"
    if found.count > declared:
        return declared, f"one entry line more than the {declared} the header announces"
    if found.count < declared:
        with open(bundle.path, "rb") as f:
            f.seek(bundle.end)
            line = f.readline()
        if line.startswith(b"checkpoints "):
            return found.count, f"missing: the bundle holds {found.count} entries, but its header announces {declared}"
        if not line:
            return (
                found.count,
                f"missing: the file ends after {found.count} entries, but its header announces {declared}",
            )
        return (
            found.count,
            "not an entry line (64 lowercase hex digits, then a space and the entry, or the end of the line)",
        )
    return None


def read_checkpoints(lines: Lines, bundle: Bundle) -> None:
    k = lines.count("checkpoints")
    for _ in range(k):
        nbytes = lines.count("note")
        if nbytes > MAX_NOTE_BYTES:
            raise Failed(f"line {lines.number}: a checkpoint note of {nbytes} bytes is too long")
        at = lines.number + 1
        raw = lines.f.read(nbytes)
        if len(raw) != nbytes or not raw.endswith(b"\n"):
            raise Failed(f"line {at}: the checkpoint note is cut short (truncated file?)")
        bundle.checkpoints.append((at, _text(raw, at)))
        lines.number += raw.count(b"\n")
    if lines.next("the `end` line") != b"end":
        raise Failed(f"line {lines.number}: expected `end` after the {k} checkpoints")
    if lines.f.read(1):
        raise Failed(f"line {lines.number + 1}: something follows the `end` line")


# ---------------------------------------------------------------------------------------------- the tree
def build_levels(leaves: bytes, first: int = 0) -> list[bytes]:
    """Every complete subtree's hash, level by level: levels[0] is the leaf hashes, levels[l+1][j] is
    H(0x01 || levels[l][2j] || levels[l][2j+1]). Each level is one bytes object of 32-byte hashes.

    The root at any size s <= n is then a fold of at most log2(n) of these (root_at): one pass of
    about n hashes gives the roots of all the checkpoints.

    With `first`, the leaves are entries first, first + 1, ...: only the subtrees that lie wholly
    among them are hashed, and each level starts at node first / 2**l, rounded up.
    """
    levels = [leaves]
    level, at = leaves, first
    while True:
        skip = 32 * (at & 1)  # an odd first node is a right child: its left sibling is not here
        pairs = range(skip, len(level) - 63, 64)
        if not pairs:
            return levels
        parents = []
        for i in pairs:
            # Copying a hash object that has taken in the 0x01 prefix costs less than making a new
            # one (OpenSSL 3 sets up a context per object); this loop is half of all the hashing.
            h = _NODE.copy()
            h.update(level[i : i + 64])
            parents.append(h.digest())
        level, at = b"".join(parents), (at + 1) >> 1
        levels.append(level)


def root_at(levels: list[bytes], size: int) -> bytes:
    """MTH of the first `size` entries: the complete subtrees that tile [0, size), one per 1-bit of
    size (largest first), folded right to left as RFC 9162's recursion does."""
    if size == 0:
        return merkle.EMPTY_ROOT
    tiles, start = [], 0
    for level in reversed(range(size.bit_length())):
        if size >> level & 1:
            j = start >> level
            tiles.append(levels[level][32 * j : 32 * j + 32])
            start += 1 << level
    h = tiles.pop()
    while tiles:
        h = merkle.node_hash(tiles.pop(), h)
    return h


# ---------------------------------------------------------------------------------------------- in parallel
def check_in_parallel(
    bundle: Bundle, shared: Shared, start: int, size: int, pieces: int, jobs: int, progress
) -> tuple[int, str] | None:
    """read_entries' work, shared out among `jobs` worker processes, in two rounds.

    1. The bytes from `start` to the end of the file are cut into `pieces` ranges of whole lines,
       and the workers check them (check_range). The first range that ends early (at a line that is
       not an entry line: the `checkpoints` line, normally) marks the end of the entries.
    2. Knowing now where each range's entries sit in the tree, the workers hash every node whose
       leaves all lie in one range (build_levels). This process then hashes the nodes whose leaves
       straddle two ranges: a few per level.

    The hashes never go through a pipe: the workers write them into `shared` memory (see Shared).
    In round 1 a range's leaf hashes are put aside in `parked`, at entry (offset - start) // 65: a
    line is at least 65 bytes, so no earlier range's can reach there. In round 2 they are copied to
    their place in levels[0], and the nodes to theirs. The workers are forked (they start at once,
    and inherit the shared memory) and ignore Ctrl-C: this process gets it, and leaving the `with`
    block terminates them.
    """
    with open(bundle.path, "rb") as f:
        cuts = sorted({start, size, *(_line_start(f, start + (size - start) * k // pieces) for k in range(1, pieces))})
    parks = [(a - start) // 65 for a in cuts[:-1]]
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(shared,)) as pool:
        checked = pool.imap(_check_range, [(bundle.path, a, b, park) for a, b, park in zip(cuts, cuts[1:], parks)])
        found, ranges = _joined(checked, progress)
        bad = _first_problem(found, bundle)
        if bad:
            return bad
        # One range per task (map would hand out several at once): the workers finish together.
        pool.map(_into_tree, [(park, first, count) for park, (first, count) in zip(parks, ranges)], chunksize=1)
    shared.parked.close()
    n = found.count
    borders = [first for first, _ in ranges[1:]]  # where a range's entries begin, but the first
    for level in range(1, n.bit_length()):  # lowest first: a straddling node's children are done
        # Node j covers entries j * 2**level .. (j + 1) * 2**level - 1: it straddles border b when
        # b is not a multiple of 2**level and j = b >> level (if the tree has that node).
        for j in {b >> level for b in borders if b % (1 << level) and (b >> level) < n >> level}:
            h = _NODE.copy()
            h.update(shared.levels[level - 1][64 * j : 64 * j + 64])
            shared.levels[level][32 * j : 32 * j + 32] = h.digest()
    # Sized for exactly n entries (n is as the header announced); slices of an mmap are bytes.
    bundle.levels = shared.levels
    return None


@dataclass
class Shared:
    """Memory shared by this process and its workers: anonymous mmaps, made before they are forked.
    The system gives it page by page as it is written, so the room reserved costs nothing."""

    parked: mmap.mmap  # the leaf hashes of each range, after round 1
    levels: list[mmap.mmap]  # the tree's levels, as Bundle.levels

    @classmethod
    def make(cls, declared: int, nbytes: int) -> Shared | None:
        """Room for `nbytes` of entry lines, and for the tree of as many entries as the header
        announces and those bytes can hold (a bundle that holds more fails before round 2). None if
        the system will not reserve that much (a bundle far larger than its memory)."""
        room = min(declared, nbytes // 65)
        try:
            return cls(
                mmap.mmap(-1, 32 * (nbytes // 65 + 1)),
                [mmap.mmap(-1, 32 * (room >> level)) for level in range(room.bit_length())],
            )
        except OSError:
            return None


_shared: Shared | None = None  # in a worker: the memory it shares with the parent


def _start_worker(shared: Shared) -> None:
    global _shared
    _shared = shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent handles it


def _line_start(f, at: int) -> int:
    """The offset of the first line that starts at or after `at` (> 0)."""
    f.seek(at - 1)
    f.readline()  # to the end of the line that holds byte at - 1
    return f.tell()


def _check_range(task: tuple[str, int, int, int]) -> Found:
    """Round 1: check_range, its leaves parked at entry `park`. -> what it found, but the leaves."""
    path, start, end, park = task
    found = check_range(path, start, end)
    assert _shared is not None  # set by the pool's initializer
    _shared.parked[32 * park : 32 * park + len(found.leaves)] = found.leaves
    found.leaves = b""
    return found


def _joined(checked, progress) -> tuple[Found, list[tuple[int, int]]]:
    """The results of consecutive ranges, as one, up to the first that ends early; and for each of
    those ranges, (its first entry, its number of entries)."""
    found, ranges = Found(), []
    for r in checked:
        ranges.append((found.count, r.count))
        found.withheld += r.withheld
        found.registrations += [(found.count + i, body) for i, body in r.registrations]
        found.cosigned += [(found.count + i, body) for i, body in r.cosigned]
        if r.mismatch is not None:
            found.mismatch = found.count + r.mismatch
        found.count += r.count
        found.stop = r.stop
        if found.mismatch is not None or found.stop is not None:
            break
        if progress:
            progress(found.count)
    return found, ranges


def _into_tree(task: tuple[int, int, int]) -> None:
    """Round 2: the `count` leaf hashes parked at `park`, of entries first, first + 1, ..., and the
    nodes above them, written to their place in the levels. Node j of a level covers entries
    j * 2**level ...: the first node here is first / 2**level, rounded up."""
    park, first, count = task
    assert _shared is not None  # set by the pool's initializer
    leaves = _shared.parked[32 * park : 32 * (park + count)]
    for level, hashes in enumerate(build_levels(leaves, first)):
        index = -(-first >> level)
        _shared.levels[level][32 * index : 32 * index + len(hashes)] = hashes


# ---------------------------------------------------------------------------------------------- checkpoints
@dataclass
class Checked:
    number: int  # 1-based, in bundle order
    line: int
    cp: note.Checkpoint
    cosigned: list[Witness] = field(default_factory=list)  # the known witnesses whose cosignature on it verifies


def check_checkpoints(
    bundle: Bundle, log_key: note.VerifierKey, witnesses: list[Witness], now: float
) -> tuple[list[Checked], Checked | None]:
    """Check the checkpoints in order: the log's signature, every cosignature from a known witness key
    (and its date), then the root against the entries. Raises Failed for a bad signature; returns the
    checkpoints whose signatures hold and the first whose root the entries do not give, if any.

    A bad signature after a checkpoint whose root does not match stops the loop instead: the root is
    the first thing wrong, and the caller names it.
    """
    by_id = {(w.key.name, w.key.key_id): w for w in witnesses}
    checked: list[Checked] = []
    first_bad = None
    for number, (line, text) in enumerate(bundle.checkpoints, 1):
        try:
            cp, present = _signed(text, log_key, by_id, now)
            if checked and cp.size < checked[-1].cp.size:
                raise ValueError(
                    f"its size {cp.size} is below that of the one before ({checked[-1].cp.size}): checkpoints must be in order of size"
                )
        except ValueError as e:
            if first_bad:
                break
            raise Failed(f"checkpoint {number} (line {line}): {e}") from None
        for w in present:
            w.newest = max(w.newest or 0, cp.size)
        checked.append(Checked(number, line, cp, present))
        if first_bad is None and (cp.size > bundle.entries or root_at(bundle.levels, cp.size) != cp.root):
            first_bad = checked[-1]
    return checked, first_bad


def _signed(text: str, log_key: note.VerifierKey, by_id: dict, now: float) -> tuple[note.Checkpoint, list[Witness]]:
    """Verify one checkpoint note: -> (checkpoint, the known witnesses that cosigned it). ValueError if not."""
    signers = {(s.name, s.key_id) for s in note.parse_note(text)[1]}
    present = [w for k, w in by_id.items() if k in signers]
    # verify_checkpoint refuses two cosigner keys of one name, but a party may register a new key
    # under its old key's name, and a note may carry the cosignatures of both: such keys are
    # verified in separate calls (the log signature is then checked once per call).
    groups: list[list[Witness]] = []
    for w in present:
        group = next((g for g in groups if all(x.key.name != w.key.name for x in g)), None)
        if group is None:
            groups.append([w])
        else:
            group.append(w)
    for group in groups or [[]]:
        cp, cosigned = note.verify_checkpoint(text, log_key, [w.key for w in group])
        for w in group:
            if cosigned[w.key.name] > now + MAX_SKEW_SECONDS:
                raise ValueError(
                    f"the cosignature of {w.key.name} is dated {_utc(cosigned[w.key.name])}, in the future"
                )
    return cp, present


def _utc(ts: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(min(ts, 253402300799)))


# ---------------------------------------------------------------------------------------------- diagnosis
def out_of_place(path: str) -> str | None:
    """The slow pass, run only when something does not add up: read the entries again, parsing each
    readable one, and name the first whose bytes do not match its leaf hash or whose `seq` is not its
    position. None if there is none (the problem is then in what the checkpoints say)."""
    positions: dict[int, int] = {}  # seq -> the first position that carries it, readable entries only
    problem: tuple[int, str | None, int | None] | None = None
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"entries "):
                break
        for position, line in enumerate(f):
            if not ENTRY_LINE.fullmatch(line):
                break  # the end of the entries, wherever it is
            if len(line) == 65:
                continue  # withheld: nothing to parse
            body = line[65:-1]
            seq = _seq(body)
            if problem is None and merkle.leaf_hash(body) != bytes.fromhex(line[:64].decode()):
                problem = (position, "its bytes do not match the leaf hash the tree recorded", seq)
            elif problem is None and seq is not None and seq != position:
                problem = (position, None, seq)
            if seq is not None:
                positions.setdefault(seq, position)
    if problem is None:
        return None
    position, what, seq = problem
    parts = [what] if what else []
    if seq is not None and seq != position:
        parts.append(_moved(position, seq, positions))
    return f"entry {position}: " + "; ".join(parts)


def _seq(body: bytes) -> int | None:
    try:
        seq = json.loads(body).get("seq")
    except (ValueError, AttributeError, RecursionError):
        return None
    return seq if type(seq) is int else None


def _moved(position: int, seq: int, positions: dict[int, int]) -> str:
    """What an entry carrying `seq` at `position` says about the order of the log."""
    if seq > position:
        if position in positions:
            return (
                f"it carries seq {seq}, and entry {positions[position]} carries seq {position}: entries were reordered"
            )
        missing = (
            f"the entry with seq {position} is"
            if seq == position + 1
            else f"the entries with seq {position}..{seq - 1} are"
        )
        return f"it carries seq {seq}: {missing} missing (deleted)"
    other = positions.get(seq)
    if other is not None and other != position:
        return f"it carries seq {seq}, as entry {other} does: an entry was inserted (or copied) at or before position {position}"
    return (
        f"it carries seq {seq}, which belongs to an earlier position: an entry was inserted before it, or it was moved"
    )


def disagreement(bundle: Bundle, checked: list[Checked], bad: Checked) -> str:
    """What checkpoint `bad`, whose root the entries do not give, says: the entries it covers that
    the bundle lacks, or the range of entries it disagrees about (and a fork, if a later one agrees)."""
    if bad.cp.size > bundle.entries:
        return (
            f"checkpoint {bad.number} (size {bad.cp.size}, line {bad.line}) covers entries the bundle lacks: it holds "
            f"{bundle.entries}, so entries {bundle.entries}..{bad.cp.size - 1} are missing (the log was truncated)"
        )
    # Every checkpoint before `bad` matched (it is the first that does not): the smaller ones bound
    # the range from below.
    good = [c.cp.size for c in checked if c.cp.size < bad.cp.size and c.number < bad.number]
    low = max(good, default=0)
    root = base64.b64encode(root_at(bundle.levels, bad.cp.size)).decode()
    text = (
        f"checkpoint {bad.number} (size {bad.cp.size}, line {bad.line}): its root {base64.b64encode(bad.cp.root).decode()} is not "
        f"the root of the bundle's entries ({root}); "
    )
    text += (
        f"the checkpoints up to size {low} match, so the difference lies in entries {low}..{bad.cp.size - 1}"
        if good
        else f"no smaller checkpoint comes before it, so the difference lies in entries 0..{bad.cp.size - 1}"
    )
    text += " (a withheld entry, or one whose leaf hash was rewritten with its bytes)"
    agree = [
        c
        for c in checked
        if c.cp.size >= bad.cp.size and c.cp.size <= bundle.entries and root_at(bundle.levels, c.cp.size) == c.cp.root
    ]
    if agree:
        c = agree[0]
        text += (
            f"; checkpoint {c.number} (size {c.cp.size}), also signed by the log key, matches the entries: "
            "the log key signed two inconsistent histories (a fork: keep this bundle as evidence)"
        )
    return text


# ---------------------------------------------------------------------------------------------- the run
def load_trusted(path: str) -> tuple[note.VerifierKey, list[note.VerifierKey]]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise Unusable(f"cannot read the trusted keys {path}: {e}") from None
    logs: list[note.VerifierKey] = []
    witnesses: list[note.VerifierKey] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            key = note.parse_verifier_key(line)
        except ValueError as e:
            raise Unusable(f"{path} line {number}: {e}") from None
        if key.alg == note.ED25519:
            logs.append(key)
            continue
        twin = next((k for k in witnesses if k.public == key.public), None)
        if twin == key:
            continue  # the same key twice
        if twin:
            # The cosignature/v1 message does not hold the key's name: one holder's cosignature could
            # be passed off as another witness's.
            raise Unusable(
                f"{path} line {number}: witness keys {twin.name}+{twin.key_id.hex()} and {key.name}+{key.key_id.hex()} share one public key"
            )
        witnesses.append(key)
    if len(logs) != 1:
        raise Unusable(f"{path}: needs exactly one log key (Ed25519, type 0x01), found {len(logs)}")
    return logs[0], witnesses


def verify(
    path: str,
    trust: str | None = None,
    since: str | None = None,
    out=None,
    err=None,
    now: float | None = None,
    *,
    jobs: int | None = None,
    chunk: int | None = None,
    accounts: bool = False,
) -> int:
    """Check the bundle at `path`; print the outcome to `out` (a summary or the first failure). -> exit status.

    `jobs` worker processes share the fast pass (default: one per CPU), in pieces of about `chunk`
    entries (default CHUNK); a bundle of fewer than two pieces is checked in this process alone."""
    out, err = out or sys.stdout, err or sys.stderr
    now = time.time() if now is None else now
    started = time.monotonic()
    trusted = load_trusted(trust) if trust else None
    since_text = _read_since(since) if since else None
    bundle = Bundle(path)
    try:
        f = open(path, "rb")
    except OSError as e:
        raise Unusable(f"cannot read {path}: {e.strerror or e}") from None
    with f:
        if f.read(len(MAGIC)) != MAGIC:
            raise Unusable(f"{path} is not a ceasefire bundle (its first line is not `{MAGIC.decode().strip()}`)")
        lines = Lines(f)
        lines.number = 1
        read_header(lines, bundle)

        shown = 0

        def progress(n):
            nonlocal shown
            if n // PROGRESS_EVERY > shown // PROGRESS_EVERY:
                print(f"verify: {n:,} / {bundle.declared:,} entries", file=err, flush=True)
            shown = n

        def diagnose() -> str | None:
            if bundle.declared >= PROGRESS_EVERY:
                print("verify: something does not match; reading the entries again to name it", file=err, flush=True)
            return out_of_place(path)

        jobs = jobs or os.cpu_count() or 1
        bad = read_entries(lines, bundle, progress if bundle.declared >= PROGRESS_EVERY else None, jobs, chunk or CHUNK)
        if bad:
            # The slow pass names the first entry that is out of place, which may precede the one the
            # fast pass stopped at: a deleted or inserted line leaves the other lines' hashes intact.
            raise Failed(diagnose() or f"entry {bad[0]}: {bad[1]}")
        read_checkpoints(lines, bundle)

    assert bundle.log_key is not None  # the header's log-key line was read
    if bundle.origin != bundle.log_key.name:
        raise Failed(
            f"the header's origin {bundle.origin!r} is not the name of the bundle's log key {bundle.log_key.name!r}"
        )
    if trusted:
        log_key, keys = trusted
        witnesses = [Witness(k) for k in keys]  # their party and retirement: below, once the entries are known good
    else:
        log_key, witnesses = bundle.log_key, bundle.witnesses
    checked, bad_checkpoint = check_checkpoints(bundle, log_key, witnesses, now)
    if bad_checkpoint:
        raise Failed(diagnose() or disagreement(bundle, checked, bad_checkpoint))
    if not checked:
        raise Failed("the bundle holds no checkpoint: nothing signed covers its entries")
    newest = checked[-1].cp.size
    if bundle.entries > newest:
        raise Failed(
            f"entries {newest}..{bundle.entries - 1} lie beyond the newest checkpoint (size {newest}): "
            "nothing the log signed covers them"
        )
    if bundle.audience == "parties" and bundle.withheld:
        first = _first_withheld(path)
        raise Failed(f"entry {first}: withheld, but a bundle for the parties carries every entry")
    registered = registered_keys(bundle)
    check_header_keys(bundle, registered)
    if trusted:
        # Party and retirement come from the registrations in the entries, which the log key and the
        # cosignatures authenticate, not from the header.
        known = {r.vkey: r for r in registered}
        for w in witnesses:
            if str(w.key) in known:
                r = known[str(w.key)]
                w.party, w.registered, w.retired = r.party, r.registered, r.retired
    check_retired(checked, witnesses)
    since_cp = check_since(since_text, since or "", bundle, log_key, witnesses, now) if since_text else None
    # The policy: the log key and every witness that counts (each party's). Those given with --trust,
    # or else the active keys the bundle carries (checked above against the registrations).
    counting = witnesses if trusted else [w for w in witnesses if w.retired is None]
    for w in counting:
        if w.newest is None:
            raise Failed(_vouched_for_by_nothing(w, counting, witnesses))
    check_recorded_cosignatures(bundle, checked, witnesses)
    if accounts and bundle.audience != "parties":
        raise Unusable(
            f"--accounts needs a bundle for the parties: this one is for {bundle.audience}, who read no enrollment"
        )
    opened = check_accounts(path) if accounts else None
    vouched = min((w.newest or 0 for w in counting), default=None)

    readable = bundle.entries - bundle.withheld
    n = bundle.entries
    # The entries recording the newest cosignatures lie, by nature, beyond what those cosign: said so.
    quiet = (
        vouched is not None
        and vouched < n
        and n - vouched <= len(bundle.cosigned)
        and set(range(vouched, n)) <= {s for s, _ in bundle.cosigned}
    )
    if vouched is None:
        print(
            f"OK: {path} verifies, but ONLY THE LOG KEY VOUCHES FOR IT: its entries give the roots of checkpoints the log key signed; no witness cosignature was checked.",
            file=out,
        )
    elif vouched >= n:
        print(
            f"OK: {path} verifies: all {n:,} entries are as the log key signed them and as every witness ({len(counting)}) cosigned them.",
            file=out,
        )
    else:
        print(
            f"OK: {path} verifies: entries 0..{vouched - 1} are as the log key signed them and as every witness ({len(counting)}) cosigned them; "
            f"entries {vouched}..{n - 1} only as the log key signed them."
            if vouched
            else f"OK: {path} verifies: its entries are as the log key signed them; no checkpoint that every witness ({len(counting)}) cosigned covers any entry.",
            file=out,
        )
    print(
        f"  entries: {n:,} ({readable:,} readable, {bundle.withheld:,} withheld as leaf hashes; audience {bundle.audience})",
        file=out,
    )
    if opened is not None:
        print(
            f"  accounts: each of the {opened:,} entries that commit to an account opens to exactly one enrolled account",
            file=out,
        )
    print(
        f"  checkpoints: {len(checked):,}, the newest at size {newest:,} with root {base64.b64encode(checked[-1].cp.root).decode()}, "
        f"each signed by the log key {log_key.name}+{log_key.key_id.hex()}",
        file=out,
    )
    for w in witnesses:
        retired = f", retired at entry {w.retired}" if w.retired is not None else ""
        who = f"  witness {w.label} ({_party(w)}{retired}): "
        if w.newest is None:
            print(who + f"cosigned no checkpoint in the bundle; {n:,} entries not cosigned by it", file=out)
        else:
            print(
                who
                + f"newest cosigned checkpoint at size {w.newest:,}; {n - w.newest:,} entries not yet cosigned by it",
                file=out,
            )
        if trusted and w.party == "?":
            print(
                "    (no witness.key_registered entry in the bundle registers this key: it counts because you trust it)",
                file=out,
            )
    if vouched is None:
        print("verify: WARNING: no witness keys: only the log key vouches for this bundle", file=err)
        where = "you trust none (--trust names only the log key)" if trusted else "the bundle carries none"
        print(
            f"  WARNING: no witness keys: {where}, so ONLY THE LOG KEY VOUCHES FOR THIS BUNDLE. Whoever holds it (the "
            "server's operator) can change any entry, rebuild the tree and sign again, and it would verify the same: "
            "nothing here shows that any party saw these entries.",
            file=out,
        )
    elif vouched < n:
        if quiet:
            print(
                f"  entries 0..{vouched - 1} are vouched for by every witness; entries {vouched}..{n - 1}, signed by the log key only, "
                "only record the witnesses' cosignatures",
                file=out,
            )
        elif vouched:
            print(
                f"  entries 0..{vouched - 1} are vouched for by every witness; entries {vouched}..{n - 1} are signed by the log key only",
                file=out,
            )
        else:
            print(
                f"  no entry is vouched for by every witness; entries 0..{n - 1} are signed by the log key only",
                file=out,
            )
    else:
        print(f"  every entry is vouched for by every witness ({len(counting)}) and the log key", file=out)
    if since_cp:
        print(
            f"  since: the trusted checkpoint at size {since_cp.size:,} is a prefix of this bundle (same root)",
            file=out,
        )
    if trusted:
        print(f"  keys: the trusted keys in {trust}", file=out)
    else:
        print(
            "  keys: TAKEN FROM THE BUNDLE ITSELF. A forged bundle can carry forged keys: compare the log key "
            "and the witness keys above with the ones your party holds, or pass --trust VKEYS_FILE.",
            file=out,
        )
    print(f"  checked in {time.monotonic() - started:.1f} s", file=err)
    return 0


# ---------------------------------------------------------------------------------------------- accounts

ACCOUNT = b'"account":"'  # as canonical JSON writes an entry's commitment to its account (entries of version 4)
ENROLLED = b'"account.enrolled"'


def check_accounts(path: str) -> int:
    """In a bundle for the parties, every entry that commits to an account (`"account"`: hex
    SHA-256("ceasefire account" 0x00 || secret || seq as 8 big-endian bytes)) must open with the
    secret of exactly one earlier account.enrolled entry of the same role (`actor`) and party:
    otherwise the parties could not prove who acted. -> how many entries opened.

    Only lines holding a commitment or an enrollment are parsed; the fast pass has checked every
    line's bytes against its leaf hash already."""
    enrolled: dict[tuple[str, str], list[tuple[str, bytes]]] = {}
    opened = 0
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"entries "):
                break
        for seq, line in enumerate(f):
            if line.startswith(b"checkpoints "):
                break
            if ACCOUNT not in line and ENROLLED not in line:
                continue
            entry = json.loads(line[65:])
            if not isinstance(entry, dict) or entry.get("v", 0) < 4:
                continue
            key = (entry.get("actor") or "", entry.get("party") or "")
            payload = entry["payload"] if isinstance(entry.get("payload"), dict) else {}
            secret = b""
            if entry.get("type") == "account.enrolled":
                try:
                    secret = base64.b64decode(payload.get("secret", ""), validate=True)
                except (ValueError, TypeError):
                    raise Failed(f"entry {seq}: an account.enrolled entry whose secret is not base64") from None
            commitment = entry.get("account")
            if commitment is not None:
                candidates = enrolled.get(key, [])
                if entry.get("type") == "account.enrolled":
                    candidates = [*candidates, (str(payload.get("username")), secret)]
                whose = [
                    u
                    for u, k in candidates
                    if hashlib.sha256(b"ceasefire account\x00" + k + seq.to_bytes(8, "big")).hexdigest() == commitment
                ]
                if len(whose) != 1:
                    found = "no earlier enrollment" if not whose else f"{len(whose)} enrollments ({', '.join(whose)})"
                    raise Failed(
                        f"entry {seq}: its commitment to an account ({key[0] or 'no role'}, party {key[1] or 'none'}) opens to "
                        f"{found}: the parties cannot tell who acted"
                    )
                opened += 1
            if entry.get("type") == "account.enrolled":
                role, party = payload.get("role") or "", payload.get("party") or ""
                enrolled.setdefault((role, party), []).append((str(payload.get("username")), secret))
    return opened


# ---------------------------------------------------------------------------------------------- witness keys
def registered_keys(bundle: Bundle) -> list[Registration]:
    """The witness keys the bundle's witness.key_registered entries register, in order, as bundle.py's
    _witness_keys derives them: payload {"party", "vkey"}; a registration retires the same holder's
    (party's, or the mission's) previous key."""
    keys: list[Registration] = []
    for seq, body in bundle.registrations:
        payload = json.loads(body).get("payload")
        party = payload.get("party") if isinstance(payload, dict) else None
        vkey = payload.get("vkey") if isinstance(payload, dict) else None
        if not isinstance(vkey, str) or not (
            party is None or isinstance(party, str) and re.fullmatch(r"[a-z0-9-]*", party)
        ):
            raise Failed(f"entry {seq}: a witness.key_registered entry without a payload of a party and a vkey")
        try:
            key = note.parse_verifier_key(vkey)
        except ValueError as e:
            raise Failed(f"entry {seq}: the witness key it registers: {e}") from None
        if key.alg != note.COSIGNATURE_V1:
            raise Failed(
                f"entry {seq}: the witness key it registers, {key.name}+{key.key_id.hex()}, is not a cosignature/v1 (type 0x04) key"
            )
        twin = next((k for k in keys if k.key.public == key.public), None)
        if twin:
            raise Failed(
                f"entry {seq}: witness keys {twin.key.name}+{twin.key.key_id.hex()} (entry {twin.registered}) and "
                f"{key.name}+{key.key_id.hex()} share one public key"
            )
        party = party or "-"
        for k in keys:
            if k.party == party and k.retired is None:
                k.retired = seq
        keys.append(Registration(str(key), key, party, seq))
    return keys


def check_recorded_cosignatures(bundle: Bundle, checked: list[Checked], witnesses: list[Witness]) -> None:
    """The log commits to the cosignatures it kept: each `checkpoint.cosigned` entry names a
    checkpoint (size and root) and the cosignature lines it kept for it. For every such cosignature
    by a witness key that counts here, the bundle must carry it, or a later one by the same key (an
    export carries each key's newest), and the root it names must be the entries' root at that size.
    Otherwise a checkpoint or a cosignature was removed from the server, or the log forked."""
    by_id = {(w.key.name, w.key.key_id.hex()): w for w in witnesses}
    carried = {c.cp.size: c for c in checked}
    for seq, body in bundle.cosigned:
        payload = json.loads(body).get("payload")
        try:
            size, root, cosignatures = payload["size"], payload["root"], payload["cosignatures"]
            names = [(c["name"], c["key_id"]) for c in cosignatures]
        except (TypeError, KeyError):
            raise Failed(f"entry {seq}: a checkpoint.cosigned entry without a size, a root and cosignatures") from None
        if type(size) is not int or not 0 <= size <= bundle.entries:
            raise Failed(
                f"entry {seq}: records cosignatures of a checkpoint at size {size!r}, which this bundle's entries cannot give"
            )
        given = base64.b64encode(root_at(bundle.levels, size)).decode()
        if root != given:
            raise Failed(
                f"entry {seq}: records cosignatures of a checkpoint at size {size} with root {root}, but the entries give {given} "
                "at that size (the log signed two histories: a fork)"
            )
        for name, key_id in names:
            w = by_id.get((name, key_id))
            if w is None:
                continue  # a key that does not count here
            c = carried.get(size)
            if c is not None and w not in c.cosigned:
                raise Failed(
                    f"entry {seq} records the cosignature of {_who(w, witnesses)} on checkpoint {c.number} (size {size}, line {c.line}), "
                    "which the bundle's checkpoint lacks: the cosignature was removed"
                )
            if w.newest is None or w.newest < size:
                raise Failed(
                    f"entry {seq} records the cosignature of {_who(w, witnesses)} on the checkpoint at size {size}, but the bundle "
                    f"carries no cosignature of that key on a checkpoint of size {size} or more: the checkpoint or the "
                    "cosignature was removed from the server"
                )


def _fields(party: str, registered: int | None, retired: int | None) -> str:
    return f"party={party} registered={registered} retired={'-' if retired is None else retired}"


def check_header_keys(bundle: Bundle, registered: list[Registration]) -> None:
    """The header's `witness-key` lines must be the keys the entries register, one for one: the same
    keys, parties and seqs. A forger who drops a key from the header does not escape the policy."""
    by_vkey = {r.vkey: r for r in registered}
    for w in bundle.witnesses:
        r = by_vkey.get(str(w.key))
        if r is None:
            raise Failed(
                f"line {w.line}: witness key {w.label} ({_party(w)}) is not registered in the bundle's entries "
                f"(no readable witness.key_registered entry registers it; the header says entry {w.registered})"
            )
        if (w.party, w.registered, w.retired) != (r.party, r.registered, r.retired):
            raise Failed(
                f"line {w.line}: witness key {w.label}: the header says {_fields(w.party, w.registered, w.retired)}, "
                f"but the entries say {_fields(r.party, r.registered, r.retired)}"
            )
    listed = {str(w.key) for w in bundle.witnesses}
    for r in registered:
        if r.vkey not in listed:
            who = "the mission's own" if r.party == "-" else f"party {r.party}"
            raise Failed(
                f"entry {r.registered} registers witness key {r.key.name}+{r.key.key_id.hex()} ({who}), which the header does not list"
            )
    if [str(w.key) for w in bundle.witnesses] != [r.vkey for r in registered]:
        raise Failed("the header's witness-key lines are not in the order of their registration")


def check_retired(checked: list[Checked], witnesses: list[Witness]) -> None:
    """A key retired at entry r (its successor's registration) counts only for checkpoints of size r or
    less: whoever holds an old key no longer speaks for its party."""
    for c in checked:
        for w in c.cosigned:
            if w.retired is not None and c.cp.size > w.retired:
                raise Failed(
                    f"{_who(w, witnesses)} cosigned checkpoint {c.number} after it was retired at entry {w.retired} "
                    f"(line {c.line}, size {c.cp.size}: a retired key counts only for checkpoints of size {w.retired} or less)"
                )


def _who(w: Witness, witnesses: list[Witness]) -> str:
    """A witness key by its name (and key ID, if another key has that name), and its party."""
    same = [x for x in witnesses if x.key.name == w.key.name]
    return f"{w.label if len(same) > 1 else w.key.name} ({_party(w)})"


def _vouched_for_by_nothing(w: Witness, counting: list[Witness], witnesses: list[Witness]) -> str:
    whose = "the mission" if w.party == "-" else "that party"
    text = f"{_who(w, witnesses)} cosigned no checkpoint in this bundle: nothing here is vouched for by {whose}"
    older = [
        x
        for x in witnesses
        if x is not w and x.party == w.party and w.party != "?" and x.retired is not None and x.newest is not None
    ]
    if w.retired is None and older:
        x = max(older, key=lambda x: x.newest or 0)
        text = (
            f"{_who(w, witnesses)} cosigned no checkpoint in this bundle: {whose}'s current key vouches for nothing here "
            f"(its retired key {x.label} cosigned up to size {x.newest}; once the new key cosigns a checkpoint, export again)"
        )
    return text


def _party(w: Witness) -> str:
    return {"-": "the mission's own", "?": "party unknown: not registered in the bundle"}.get(
        w.party, f"party {w.party}"
    )


def _first_withheld(path: str) -> int:
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"entries "):
                break
        for i, line in enumerate(f):
            if len(line) == 65:
                return i
    return -1


def _read_since(path: str) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise Unusable(f"cannot read the checkpoint {path}: {e}") from None


def check_since(text: str, path: str, bundle: Bundle, log_key, witnesses: list[Witness], now: float) -> note.Checkpoint:
    """The trusted checkpoint must be the log's, and a prefix of the bundle's tree."""
    try:
        cp, _ = _signed(text, log_key, {(w.key.name, w.key.key_id): w for w in witnesses}, now)
    except ValueError as e:
        raise Failed(f"the --since checkpoint {path}: {e}") from None
    if cp.size > bundle.entries:
        raise Failed(
            f"fork or rewrite: the trusted checkpoint {path} is at size {cp.size:,}, but the bundle holds only "
            f"{bundle.entries:,} entries: the log lost entries {bundle.entries}..{cp.size - 1} since (rolled back or truncated)"
        )
    if root_at(bundle.levels, cp.size) != cp.root:
        raise Failed(
            f"fork or rewrite: at size {cp.size:,} the bundle's entries give the root "
            f"{base64.b64encode(root_at(bundle.levels, cp.size)).decode()}, but the trusted checkpoint {path} says "
            f"{base64.b64encode(cp.root).decode()}: entries 0..{cp.size - 1} are not the ones the log signed then"
        )
    return cp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ceasefire.record.verify",
        description="Verify an exported bundle of the joint record offline: entries, tree, checkpoints, cosignatures.",
    )
    parser.add_argument("bundle", metavar="BUNDLE", help="the bundle file (ceasefire record export)")
    parser.add_argument(
        "--trust", metavar="VKEYS_FILE", help="use only these verifier keys (one per line), not the bundle's"
    )
    parser.add_argument(
        "--since", metavar="CHECKPOINT_FILE", help="a checkpoint note trusted earlier: the bundle must extend it"
    )
    parser.add_argument(
        "--jobs", metavar="N", type=_positive, help="worker processes for the entries (default: one per CPU; 1: none)"
    )
    parser.add_argument(
        "--accounts",
        action="store_true",
        help="a bundle for the parties: also open every entry's commitment to its account",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse printed the usage
        return 2 if e.code else 0
    try:
        return verify(args.bundle, args.trust, args.since, jobs=args.jobs, accounts=args.accounts)
    except Failed as e:
        print(f"FAILED: {args.bundle}: {e}", file=sys.stderr)
        return 1
    except Unusable as e:
        print(f"verify: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nverify: interrupted", file=sys.stderr)
        return 130


def _positive(text: str) -> int:
    if not re.fullmatch(r"[1-9][0-9]{0,3}", text):
        raise argparse.ArgumentTypeError(f"needs a whole number from 1 to 9999, not {text!r}")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())

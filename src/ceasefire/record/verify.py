"""Verify an exported bundle of the joint record, offline, trusting nothing the server says.

    python -m ceasefire.record.verify BUNDLE [--trust VKEYS_FILE] [--since CHECKPOINT_FILE] [--jobs N]

Needs only the Python standard library and `cryptography`, and two modules of this project that need
nothing more: merkle.py (RFC 9162 tree hashing) and note.py (C2SP signed notes, checkpoints and
cosignatures); and verify_fast.py, the same pass over the entries as here, faster. No Django, no
database: a party's engineer can run it from a copy of src/ceasefire/record/
{verify,verify_fast,merkle,note}.py with the two package __init__.py files (each a docstring), on any
machine.

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
   such entry in one process: not part of the pass over the entries, so asked for.

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

How it runs, and how to read this file: top to bottom, in the order of the check. The header
(read_header); the entry lines, each against its leaf hash, and the tree over them (read_entries,
check_entries, build_levels, root_at); the checkpoints against the tree (check_checkpoints); the
witness keys (registered_keys, check_header_keys, check_retired), the --since checkpoint, the policy
and the recorded cosignatures; --accounts; then the summary. verify() calls them in that order.

check_entries reads the entry lines one at a time, which is the plain way and slow on a large
bundle. The command uses verify_fast.py instead: the same work in batches, about two SHA-256 calls
per entry (its leaf and one interior node), the reading, and a search of each batch for the two entry
types needed here (the few entries that hold one are parsed); on a bundle of 65,536 entries or more,
--jobs N worker processes (default: one per CPU) share it, each taking ranges of whole lines, where
the system can fork them (not on Windows: there one process does it all). It gives the same result
(tests/record/test_verify_plain_and_fast.py runs both, untouched and tampered); verify(..., plain=True)
runs the plain pass. An export carries the newest checkpoint and each witness's newest cosigned
one, unless it was asked for all of them: each checkpoint costs a few signature checks, about as long
as three hundred entries.

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
import os
import re
import sys
import time
from dataclasses import dataclass, field

from ceasefire.record import merkle, note

MAGIC = b"ceasefire-bundle v1\n"
AUDIENCES = ("parties", "observers", "public")  # widest first: "parties" may read every entry
MAX_SKEW_SECONDS = 600  # a cosignature dated further in the future than this is refused
PROGRESS_EVERY = 100_000
MAX_NOTE_BYTES = 64 * 1024  # a checkpoint note with 100 signatures is under 12 KB


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
    """What reading the file learned."""

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


# ---------------------------------------------------------------------------------------------- the run
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
    plain: bool = False,
) -> int:
    """Check the bundle at `path`; print the outcome to `out` (a summary or the first failure). -> exit status.

    The entries are checked by verify_fast: `jobs` worker processes share it (default: one per CPU),
    in pieces of about `chunk` entries (default verify_fast.CHUNK); a bundle of fewer than two pieces
    is checked in this process alone. With `plain`, check_entries here does it instead, one line at
    a time: the same verdict, slower."""
    out, err = out or sys.stdout, err or sys.stderr
    now = time.time() if now is None else now
    started = time.monotonic()
    trusted = load_trusted(trust) if trust else None
    since_text = _read_since(since) if since else None
    bundle = read_bundle(path, err, jobs or os.cpu_count() or 1, chunk, plain)
    check_origin(bundle)
    if trusted:
        log_key, keys = trusted
        witnesses = [Witness(k) for k in keys]  # their party and retirement: below, once the entries are known good
    else:
        assert bundle.log_key is not None  # the header's log-key line was read
        log_key, witnesses = bundle.log_key, bundle.witnesses
    checked, bad_checkpoint = check_checkpoints(bundle, log_key, witnesses, now)
    if bad_checkpoint:
        raise Failed(_diagnose(bundle, err) or disagreement(bundle, checked, bad_checkpoint))
    check_covered(bundle, checked)
    registered = registered_keys(bundle)
    check_header_keys(bundle, registered)
    if trusted:
        take_registrations(witnesses, registered)
    check_retired(checked, witnesses)
    since_cp = check_since(since_text, since or "", bundle, log_key, witnesses, now) if since_text else None
    # The policy: the log key and every witness that counts (each party's). Those given with --trust,
    # or else the active keys the bundle carries (checked above against the registrations).
    counting = witnesses if trusted else [w for w in witnesses if w.retired is None]
    check_policy(counting, witnesses)
    check_recorded_cosignatures(bundle, checked, witnesses)
    if accounts and bundle.audience != "parties":
        raise Unusable(
            f"--accounts needs a bundle for the parties: this one is for {bundle.audience}, who read no enrollment"
        )
    opened = check_accounts(path) if accounts else None
    print_summary(Outcome(bundle, checked, log_key, witnesses, counting, trust, since_cp, opened), out, err)
    print(f"  checked in {time.monotonic() - started:.1f} s", file=err)
    return 0


def read_bundle(path: str, err, jobs: int, chunk: int | None, plain: bool) -> Bundle:
    """Read the file: its header, its entries (checked, and their tree built: read_entries) and its
    checkpoint notes. Raises Unusable if it is no bundle, Failed naming what is wrong otherwise."""
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
        progress = Progress(bundle.declared, err) if bundle.declared >= PROGRESS_EVERY else None
        bad = read_entries(lines, bundle, progress, jobs, chunk, plain)
        if bad:
            # The second pass names the first entry that is out of place, which may precede the one the
            # entries' pass stopped at: a deleted or inserted line leaves the other lines' hashes intact.
            raise Failed(_diagnose(bundle, err) or f"entry {bad[0]}: {bad[1]}")
        read_checkpoints(lines, bundle)
    return bundle


class Progress:
    """Called with the number of entries checked so far: says so on `err` at every PROGRESS_EVERY."""

    def __init__(self, declared: int, err):
        self.declared, self.err, self.shown = declared, err, 0

    def __call__(self, n: int) -> None:
        if n // PROGRESS_EVERY > self.shown // PROGRESS_EVERY:
            print(f"verify: {n:,} / {self.declared:,} entries", file=self.err, flush=True)
        self.shown = n


def _diagnose(bundle: Bundle, err) -> str | None:
    if bundle.declared >= PROGRESS_EVERY:
        print("verify: something does not match; reading the entries again to name it", file=err, flush=True)
    return out_of_place(bundle.path)


def check_origin(bundle: Bundle) -> None:
    assert bundle.log_key is not None  # the header's log-key line was read
    if bundle.origin != bundle.log_key.name:
        raise Failed(
            f"the header's origin {bundle.origin!r} is not the name of the bundle's log key {bundle.log_key.name!r}"
        )


def check_covered(bundle: Bundle, checked: list[Checked]) -> None:
    """Some checkpoint is there, the newest covers every entry, and a bundle for the parties
    withholds none."""
    if not checked:
        raise Failed("the bundle holds no checkpoint: nothing signed covers its entries")
    newest = checked[-1].cp.size
    if bundle.entries > newest:
        raise Failed(
            f"entries {newest}..{bundle.entries - 1} lie beyond the newest checkpoint (size {newest}): "
            "nothing the log signed covers them"
        )
    if bundle.audience == "parties" and bundle.withheld:
        first = _first_withheld(bundle.path)
        raise Failed(f"entry {first}: withheld, but a bundle for the parties carries every entry")


def take_registrations(witnesses: list[Witness], registered: list[Registration]) -> None:
    """Trusted keys take their party and retirement from the registrations in the entries, which the
    log key and the cosignatures authenticate, not from the header."""
    known = {r.vkey: r for r in registered}
    for w in witnesses:
        if str(w.key) in known:
            r = known[str(w.key)]
            w.party, w.registered, w.retired = r.party, r.registered, r.retired


def check_policy(counting: list[Witness], witnesses: list[Witness]) -> None:
    """Every witness key that counts cosigned some checkpoint of the bundle."""
    for w in counting:
        if w.newest is None:
            raise Failed(_vouched_for_by_nothing(w, counting, witnesses))


def _first_withheld(path: str) -> int:
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"entries "):
                break
        for i, line in enumerate(f):
            if len(line) == 65:
                return i
    return -1


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


def _read_since(path: str) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise Unusable(f"cannot read the checkpoint {path}: {e}") from None


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


# ---------------------------------------------------------------------------------------------- the entries
ENTRY_LINE = re.compile(rb"[0-9a-f]{64}(?: [^\n]*)?\n")
WITNESS_KEY_EVENT = "witness.key_registered"
COSIGNED = "checkpoint.cosigned"  # the entry by which the log commits to the cosignatures it kept


@dataclass
class Found:
    """What a pass over entry lines found: `count` lines, from the first on, up to the end of the
    lines read, or to the first line that is not an entry line (at byte `stop`), or to the first
    readable entry whose bytes do not hash to the leaf hash beside them (`mismatch`, counted from the
    first line; the fast pass stops at the end of its batch, so `count` may go past it)."""

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
    # levels[l]: hashes of the complete subtrees of 2**l entries, joined (see build_levels); only
    # when the entries are complete
    levels: list = field(default_factory=list)

    def complete(self, declared: int) -> bool:
        """The lines are the `declared` entries, and every readable one matches its leaf hash."""
        return self.mismatch is None and self.count == declared


def read_entries(
    lines: Lines, bundle: Bundle, progress=None, jobs: int = 1, chunk: int | None = None, plain: bool = False
) -> tuple[int, str] | None:
    """Check the leaf hash of every readable entry and build the tree's levels from all leaf hashes.
    Returns None, or (entry, reason) for the first entry that is wrong. Leaves `lines` at the line
    after the entries.

    With `plain`, check_entries below does it, one line at a time. Otherwise verify_fast does, in
    batches, and with `jobs` worker processes on a bundle of at least two pieces of `chunk` entries:
    the same result, faster (tests/record/test_verify_plain_and_fast.py). `progress(n)` is called
    now and then with the number of entries checked so far.
    """
    start = lines.f.tell()
    if plain:
        found = check_entries(bundle.path, start, bundle.declared, progress)
    else:
        from ceasefire.record import verify_fast  # it needs this module: imported here, not above

        found = verify_fast.check_entries(bundle.path, start, bundle.declared, progress, jobs, chunk)
    bad = _first_problem(found, bundle)
    if not bad:
        bundle.levels = found.levels
        lines.f.seek(bundle.end)
        lines.number += bundle.entries
    return bad


def check_entries(path: str, start: int, declared: int, progress=None) -> Found:
    """The entry lines from byte `start` of the file, one at a time, up to the first that is not an
    entry line or the first whose bytes do not match its leaf hash; and the tree's levels, when they
    are the `declared` entries and all hold.

    No entry is parsed as JSON but the two types the verifier needs (is_of_type): the tree and the
    signatures say all there is to say about an entry's bytes."""
    found, leaves = Found(), []
    with open(path, "rb") as f:
        f.seek(start)
        at = start
        for line in f:
            if not ENTRY_LINE.fullmatch(line):
                found.stop = at
                break
            recorded = bytes.fromhex(line[:64].decode("ascii"))
            if len(line) == 65:  # withheld: its recorded hash is the only one there is
                found.withheld += 1
            else:
                body = line[65:-1]
                if merkle.leaf_hash(body) != recorded:
                    found.mismatch = found.count
                    found.count += 1
                    break
                if is_of_type(body, WITNESS_KEY_EVENT):
                    found.registrations.append((found.count, body))
                if is_of_type(body, COSIGNED):
                    found.cosigned.append((found.count, body))
            leaves.append(recorded)
            found.count += 1
            at += len(line)
            if progress and found.count % PROGRESS_EVERY == 0:
                progress(found.count)
    found.leaves = b"".join(leaves)
    if found.complete(declared):
        found.levels = build_levels(found.leaves)
    return found


def is_of_type(body: bytes, kind: str) -> bool:
    """Whether an entry's bytes are an event of type `kind`. Only bytes that hold the type's name as
    canonical JSON writes it are parsed: a registration encoded otherwise is not seen as one."""
    if json.dumps(kind).encode() not in body:
        return False
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return isinstance(event, dict) and event.get("type") == kind


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
def build_levels(leaves: bytes) -> list[bytes]:
    """Every complete subtree's hash, level by level: levels[0] is the leaf hashes, levels[l+1][j] is
    H(0x01 || levels[l][2j] || levels[l][2j+1]). Each level is one bytes object of 32-byte hashes.

    The root at any size s <= n is then a fold of at most log2(n) of these (root_at): one pass of
    about n hashes gives the roots of all the checkpoints.
    """
    levels = [leaves]
    while len(levels[-1]) >= 64:
        level = levels[-1]
        pairs = range(0, len(level) - 63, 64)
        levels.append(b"".join(merkle.node_hash(level[i : i + 32], level[i + 32 : i + 64]) for i in pairs))
    return levels


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
    """The second pass, run only when something does not add up: read the entries again, parsing each
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


# ---------------------------------------------------------------------------------------------- since
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


# ---------------------------------------------------------------------------------------------- accounts

ACCOUNT = b'"account":"'  # as canonical JSON writes an entry's commitment to its account (entries of version 4)
ENROLLED = b'"account.enrolled"'


def check_accounts(path: str) -> int:
    """In a bundle for the parties, every entry that commits to an account (`"account"`: hex
    SHA-256("ceasefire account" 0x00 || secret || seq as 8 big-endian bytes)) must open with the
    secret of exactly one earlier account.enrolled entry of the same role (`actor`) and party:
    otherwise the parties could not prove who acted. -> how many entries opened.

    Only lines holding a commitment or an enrollment are parsed; the pass over the entries has checked every
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


# ---------------------------------------------------------------------------------------------- the summary
@dataclass
class Outcome:
    """What held, for the summary."""

    bundle: Bundle
    checked: list[Checked]
    log_key: note.VerifierKey
    witnesses: list[Witness]
    counting: list[Witness]  # the witness keys that count (see check_policy)
    trust: str | None  # the --trust file
    since: note.Checkpoint | None  # the --since checkpoint
    opened: int | None  # with --accounts, the entries whose commitment opened

    @property
    def vouched(self) -> int | None:
        """The size every witness that counts vouches for (None: no witness counts)."""
        return min((w.newest or 0 for w in self.counting), default=None)

    @property
    def only_cosignatures_beyond(self) -> bool:
        """The entries no witness vouches for all record cosignatures: those of the newest
        checkpoints lie, by nature, beyond what they cosign."""
        vouched, n, cosigned = self.vouched, self.bundle.entries, self.bundle.cosigned
        return (
            vouched is not None
            and vouched < n
            and n - vouched <= len(cosigned)
            and set(range(vouched, n)) <= {s for s, _ in cosigned}
        )


def print_summary(o: Outcome, out, err) -> None:
    print(_verdict(o), file=out)
    bundle, n = o.bundle, o.bundle.entries
    print(
        f"  entries: {n:,} ({n - bundle.withheld:,} readable, {bundle.withheld:,} withheld as leaf hashes; audience {bundle.audience})",
        file=out,
    )
    if o.opened is not None:
        print(
            f"  accounts: each of the {o.opened:,} entries that commit to an account opens to exactly one enrolled account",
            file=out,
        )
    newest = o.checked[-1].cp
    print(
        f"  checkpoints: {len(o.checked):,}, the newest at size {newest.size:,} with root {base64.b64encode(newest.root).decode()}, "
        f"each signed by the log key {o.log_key.name}+{o.log_key.key_id.hex()}",
        file=out,
    )
    for w in o.witnesses:
        print(_witness_line(w, n), file=out)
        if o.trust and w.party == "?":
            print(
                "    (no witness.key_registered entry in the bundle registers this key: it counts because you trust it)",
                file=out,
            )
    if o.vouched is None:
        print("verify: WARNING: no witness keys: only the log key vouches for this bundle", file=err)
    print(_vouched_line(o), file=out)
    if o.since:
        print(
            f"  since: the trusted checkpoint at size {o.since.size:,} is a prefix of this bundle (same root)",
            file=out,
        )
    if o.trust:
        print(f"  keys: the trusted keys in {o.trust}", file=out)
    else:
        print(
            "  keys: TAKEN FROM THE BUNDLE ITSELF. A forged bundle can carry forged keys: compare the log key "
            "and the witness keys above with the ones your party holds, or pass --trust VKEYS_FILE.",
            file=out,
        )


def _verdict(o: Outcome) -> str:
    path, n, vouched, witnesses = o.bundle.path, o.bundle.entries, o.vouched, len(o.counting)
    if vouched is None:
        return f"OK: {path} verifies, but ONLY THE LOG KEY VOUCHES FOR IT: its entries give the roots of checkpoints the log key signed; no witness cosignature was checked."
    if vouched >= n:
        return f"OK: {path} verifies: all {n:,} entries are as the log key signed them and as every witness ({witnesses}) cosigned them."
    if vouched:
        return (
            f"OK: {path} verifies: entries 0..{vouched - 1} are as the log key signed them and as every witness ({witnesses}) cosigned them; "
            f"entries {vouched}..{n - 1} only as the log key signed them."
        )
    return f"OK: {path} verifies: its entries are as the log key signed them; no checkpoint that every witness ({witnesses}) cosigned covers any entry."


def _witness_line(w: Witness, n: int) -> str:
    retired = f", retired at entry {w.retired}" if w.retired is not None else ""
    who = f"  witness {w.label} ({_party(w)}{retired}): "
    if w.newest is None:
        return who + f"cosigned no checkpoint in the bundle; {n:,} entries not cosigned by it"
    return who + f"newest cosigned checkpoint at size {w.newest:,}; {n - w.newest:,} entries not yet cosigned by it"


def _vouched_line(o: Outcome) -> str:
    n, vouched = o.bundle.entries, o.vouched
    if vouched is None:
        where = "you trust none (--trust names only the log key)" if o.trust else "the bundle carries none"
        return (
            f"  WARNING: no witness keys: {where}, so ONLY THE LOG KEY VOUCHES FOR THIS BUNDLE. Whoever holds it (the "
            "server's operator) can change any entry, rebuild the tree and sign again, and it would verify the same: "
            "nothing here shows that any party saw these entries."
        )
    if vouched >= n:
        return f"  every entry is vouched for by every witness ({len(o.counting)}) and the log key"
    if o.only_cosignatures_beyond:
        return (
            f"  entries 0..{vouched - 1} are vouched for by every witness; entries {vouched}..{n - 1}, signed by the log key only, "
            "only record the witnesses' cosignatures"
        )
    if vouched:
        return f"  entries 0..{vouched - 1} are vouched for by every witness; entries {vouched}..{n - 1} are signed by the log key only"
    return f"  no entry is vouched for by every witness; entries 0..{n - 1} are signed by the log key only"


# ---------------------------------------------------------------------------------------------- the command
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

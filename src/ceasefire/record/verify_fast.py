"""The fast pass over a bundle's entry lines: what verify.check_entries does, in batches, and on a large
bundle shared out among worker processes.

verify.py reads the entry lines one at a time (check_entries); it is the verifier to read. This module
gives the same result, a verify.Found, faster: about two SHA-256 calls per entry (its leaf and one
interior node), the reading, and a search of each batch for the two entry types the verifier needs
(the few entries that hold one are parsed). On a bundle of two pieces of CHUNK entries or more,
--jobs N worker processes share it, each taking ranges of whole lines (check_in_parallel), where the
system can fork them (not on Windows: there one process does it all).

`python -m ceasefire.record.verify` uses this pass; verify(..., plain=True) uses the plain one.
tests/record/test_verify_plain_and_fast.py runs both on the same bundles, untouched and tampered, and
asserts the same verdict and the same words. Standard library only, and verify.py.
"""

from __future__ import annotations

import hashlib
import mmap
import multiprocessing
import os
import signal
from dataclasses import dataclass

from ceasefire.record import verify

# Entry lines are read and checked in batches of about BATCH_BYTES, through a read buffer of that
# size: small enough for a batch to stay in the CPU's cache between the passes over it (4 MB
# batches took a third longer), large enough that the work per batch outweighs its overhead.
BATCH_BYTES = 1 << 18
CHUNK = 1 << 15  # entries in a piece of work for a worker process; a bundle of fewer than two pieces is checked in one

_sha256 = hashlib.sha256
_LEAF = hashlib.sha256(b"\x00")  # a leaf's hash starts with 0x00,
_NODE = hashlib.sha256(b"\x01")  # an interior node's with 0x01 (RFC 9162 §2.1.1)
_HEX_AND_SEPARATORS = b"0123456789abcdef \n"
_MARKS = ((verify.WITNESS_KEY_EVENT, b'"witness.key_registered"'), (verify.COSIGNED, b'"checkpoint.cosigned"'))


def check_entries(
    path: str, start: int, declared: int, progress=None, jobs: int = 1, chunk: int | None = None
) -> verify.Found:
    """verify.check_entries, fast: the entry lines from byte `start` of the file, checked, and the
    tree's levels when they are the `declared` entries and all hold.

    With `jobs` > 1 and a bundle of at least two pieces of `chunk` entries (default CHUNK), the work is
    shared out among that many worker processes (see check_in_parallel), where the system can fork
    them. `progress(n)` is called now and then with the number of entries checked so far.
    """
    size = os.path.getsize(path)
    pieces = min(declared, (size - start) // 65) // (chunk or CHUNK)  # an entry line is at least 65 bytes
    shared = None
    if jobs > 1 and pieces >= 2 and "fork" in multiprocessing.get_all_start_methods():
        shared = Shared.make(declared, size - start)
    if shared:
        return check_in_parallel(path, declared, shared, start, size, pieces, jobs, progress)
    found = check_range(path, start, size, progress)
    if found.complete(declared):
        found.levels = build_levels(found.leaves)
    return found


# ---------------------------------------------------------------------------------------------- in batches
def check_range(path: str, start: int, end: int, progress=None) -> verify.Found:
    """Check the entry lines in bytes [start, end) of the file (both at the start of a line), in
    batches of about BATCH_BYTES: memory stays small however long the range. The pass stops after
    the batch of the first entry whose bytes do not match its leaf hash (`mismatch`)."""
    found, leaves = verify.Found(), []
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
            for kind, mark in _MARKS:
                if mark in joined:  # the few batches that hold a witness-key registration, or record cosignatures
                    typed = entries_of_type(batch[:good], found.count, kind)
                    (found.registrations if kind == verify.WITNESS_KEY_EVENT else found.cosigned).extend(typed)
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
        if not verify.ENTRY_LINE.fullmatch(line):
            return i
    return len(batch) - 1


def entries_of_type(batch: list[bytes], first: int, kind: str) -> list[tuple[int, bytes]]:
    """(entry, bytes) of the readable entries among `batch` (entries first, first + 1, ...) of type
    `kind`, as verify.is_of_type tells."""
    return [
        (first + i, line[65:-1])
        for i, line in enumerate(batch)
        if line[64:65] == b" " and verify.is_of_type(line[65:-1], kind)
    ]


def build_levels(leaves: bytes, first: int = 0) -> list[bytes]:
    """verify.build_levels, with fewer hashing calls' costs; and with `first`, for the leaves of
    entries first, first + 1, ...: only the subtrees that lie wholly among them are hashed, and each
    level starts at node first / 2**l, rounded up."""
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


# ---------------------------------------------------------------------------------------------- in parallel
def check_in_parallel(
    path: str, declared: int, shared: Shared, start: int, size: int, pieces: int, jobs: int, progress
) -> verify.Found:
    """check_entries' work, shared out among `jobs` worker processes, in two rounds.

    1. The bytes from `start` to the end of the file are cut into `pieces` ranges of whole lines,
       and the workers check them (check_range). The first range that ends early (at a line that is
       not an entry line: the `checkpoints` line, normally) marks the end of the entries.
    2. If the entries are the `declared` ones and all hold: knowing now where each range's entries
       sit in the tree, the workers hash every node whose leaves all lie in one range (build_levels).
       This process then hashes the nodes whose leaves straddle two ranges: a few per level.

    The hashes never go through a pipe: the workers write them into `shared` memory (see Shared).
    In round 1 a range's leaf hashes are put aside in `parked`, at entry (offset - start) // 65: a
    line is at least 65 bytes, so no earlier range's can reach there. In round 2 they are copied to
    their place in levels[0], and the nodes to theirs. The workers are forked (they start at once,
    and inherit the shared memory) and ignore Ctrl-C: this process gets it, and leaving the `with`
    block terminates them.
    """
    with open(path, "rb") as f:
        cuts = sorted({start, size, *(_line_start(f, start + (size - start) * k // pieces) for k in range(1, pieces))})
    parks = [(a - start) // 65 for a in cuts[:-1]]
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(shared,)) as pool:
        checked = pool.imap(_check_range, [(path, a, b, park) for a, b, park in zip(cuts, cuts[1:], parks)])
        found, ranges = _joined(checked, progress)
        if not found.complete(declared):
            return found
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
    found.levels = shared.levels
    return found


@dataclass
class Shared:
    """Memory shared by this process and its workers: anonymous mmaps, made before they are forked.
    The system gives it page by page as it is written, so the room reserved costs nothing."""

    parked: mmap.mmap  # the leaf hashes of each range, after round 1
    levels: list[mmap.mmap]  # the tree's levels, as Found.levels

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


def _check_range(task: tuple[str, int, int, int]) -> verify.Found:
    """Round 1: check_range, its leaves parked at entry `park`. -> what it found, but the leaves."""
    path, start, end, park = task
    found = check_range(path, start, end)
    assert _shared is not None  # set by the pool's initializer
    _shared.parked[32 * park : 32 * park + len(found.leaves)] = found.leaves
    found.leaves = b""
    return found


def _joined(checked, progress) -> tuple[verify.Found, list[tuple[int, int]]]:
    """The results of consecutive ranges, as one, up to the first that ends early; and for each of
    those ranges, (its first entry, its number of entries)."""
    found, ranges = verify.Found(), []
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

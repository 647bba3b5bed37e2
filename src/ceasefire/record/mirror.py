"""A witness's own copy of the joint record: every entry its party may read, the leaf hash of the others.

    DIR/entries.pages      the copy in chunks, one after another (append-only): a chunk is the
                           records or lines of one page as the server served it, checked (see below)
    DIR/entries.pages.idx  16 bytes per chunk, in order: the seq one past its last entry and the end
                           of the chunk in `entries.pages` (8 bytes each, big-endian)
    DIR/entries.json       {"audience": ...}: whom the server read the copy as (parties, observers, public)
    DIR/entries.frontier   the tree's frontier at the copy's size (see below), rewritten by each round

A chunk holds one line per entry, as `/record/entries` served the page. As leaves (what the witness
asks for): the byte 0x00 and the entry itself (canonical JSON), or the byte 0x01 and the leaf hash of
an entry its party may not read (base64). As lines (a server that does not know that form): its seq,
a space, then either the entry itself (which begins with `{`), or the leaf hash (base64), or the leaf
hash, a space and the entry (how a server serves every leaf hash). The first byte tells the two
apart, line by line. An entry's leaf hash is computed again from its body when it is read. A page is
written as it came, in one write: the copy of the parties' entries takes their bodies' size and two
bytes an entry (0x00 and the newline), and 16 bytes a page in the index (bench/README.md: compressing
it took more of the witness's time than hashing every entry).

All of them, like every file of the witness's state, are its owner's only (0600).

The index is the truth: its length says how many chunks are held. A crash between the two appends
leaves bytes past the last chunk in `entries.pages` (or a part of a record in the index); opening the
copy cuts them off. A copy in the layout of an earlier version (DIR/entries and DIR/entries.idx
uncompressed, DIR/entries.z and DIR/entries.z.idx compressed) is removed when the copy is opened: the
witness copies the record again, and checks it against the root of the checkpoint it accepted.

The tree's root is kept as its frontier (the roots of the perfect subtrees of the copy, largest
first, as merkle._fold keeps them: 8 bytes of size, then 32 bytes a subtree), so that a round hashes
only the entries it adds; one that does not match the index's size is computed again from the copy.

Standard library only, like witness.py.
"""

from __future__ import annotations

import binascii
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from . import merkle

BODIES, INDEX, META, FRONTIER = "entries.pages", "entries.pages.idx", "entries.json", "entries.frontier"
EARLIER = ("entries", "entries.idx", "entries.z", "entries.z.idx")  # the layouts of earlier versions
_datasync = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync
RECORD = 16  # bytes of one index record: the seq past the chunk's last entry (8) + its end offset (8)


class Mirror:
    def __init__(self, folder: Path):
        self.dir = Path(folder)
        for name in EARLIER:
            try:
                (self.dir / name).unlink()
            except FileNotFoundError:
                pass
        self._bodies = _open_private(self.dir / BODIES)  # held open for the witness's life
        self._index = _open_private(self.dir / INDEX)
        n = os.fstat(self._index.fileno()).st_size // RECORD
        self._index.truncate(n * RECORD)
        raw = os.pread(self._index.fileno(), n * RECORD, 0)
        # (seq past the chunk's last entry, end offset) per chunk; a few thousand for millions of entries
        self._chunks = [
            (int.from_bytes(raw[k : k + 8], "big"), int.from_bytes(raw[k + 8 : k + 16], "big"))
            for k in range(0, len(raw), RECORD)
        ]
        self.size = self._chunks[-1][0] if self._chunks else 0
        self._end = self._chunks[-1][1] if self._chunks else 0
        self._bodies.truncate(self._end)
        self._frontier: list[bytes] | None = None  # computed when first needed
        self._audience: str | None = None
        self._cached: tuple[int, list[bytes]] | None = None  # the chunk read last, as lines

    def close(self) -> None:
        self._bodies.close()
        self._index.close()

    # -- the audience the copy was read as
    @property
    def audience(self) -> str | None:
        if self._audience is None:
            try:
                self._audience = json.loads((self.dir / META).read_text(encoding="utf-8")).get("audience")
            except FileNotFoundError:
                pass
        return self._audience

    def set_audience(self, audience: str, write) -> None:
        """`write(name, text)`: the witness's atomic write."""
        write(META, json.dumps({"audience": audience}) + "\n")
        self._audience = audience

    # -- reading
    def _lines(self, k: int) -> list[bytes]:
        """The lines of chunk k."""
        if self._cached is not None and self._cached[0] == k:
            return self._cached[1]
        start = self._chunks[k - 1][1] if k else 0
        lines = os.pread(self._bodies.fileno(), self._chunks[k][1] - start, start).split(b"\n")[:-1]
        self._cached = (k, lines)
        return lines

    def _first(self, k: int) -> int:
        return self._chunks[k - 1][0] if k else 0

    def read(self, lo: int, hi: int) -> list[tuple[bytes | None, bytes]]:
        """Entries [lo, hi) as (body or None when held by its leaf hash only, leaf hash)."""
        if not 0 <= lo <= hi <= self.size:
            raise ValueError(f"the copy holds entries 0..{self.size - 1}, not [{lo}, {hi})")
        out: list[tuple[bytes | None, bytes]] = []
        k = self._chunk_of(lo)
        while len(out) < hi - lo:
            first = self._first(k)
            lines = self._lines(k)
            out.extend(entry(line) for line in lines[max(lo, first) - first : hi - first])
            k += 1
        return out

    def _chunk_of(self, seq: int) -> int:
        """The chunk holding seq (bisected: the chunks are in order)."""
        lo, hi = 0, len(self._chunks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._chunks[mid][0] <= seq:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def leaf_hashes(self, lo: int, hi: int) -> list[bytes]:
        return [leaf for _body, leaf in self.read(lo, hi)]

    def find(self, leaf_hash: bytes) -> int | None:
        """The first seq the copy holds with this leaf hash (to tell a moved entry from a changed one)."""
        for k in range(len(self._chunks)):
            hashes = self.leaf_hashes(self._first(k), self._chunks[k][0])
            if leaf_hash in hashes:
                return self._first(k) + hashes.index(leaf_hash)
        return None

    # -- the tree
    def root(self, more: Sequence[bytes] = ()) -> bytes:
        """The root of the copy with the leaf hashes `more` appended (the copy itself unchanged)."""
        stack = list(self._stack())
        _extend(stack, self.size, more)
        return _fold(stack)

    def _stack(self) -> list[bytes]:
        if self._frontier is None:
            try:
                saved = (self.dir / FRONTIER).read_bytes()
            except FileNotFoundError:
                saved = b""
            if saved[:8] == self.size.to_bytes(8, "big") and len(saved) == 8 + 32 * self.size.bit_count():
                self._frontier = [saved[k : k + 32] for k in range(8, len(saved), 32)]
                return self._frontier
            stack: list[bytes] = []
            for k in range(len(self._chunks)):
                _extend(stack, self._first(k), self.leaf_hashes(self._first(k), self._chunks[k][0]))
            self._frontier = stack
        return self._frontier

    # -- writing
    def append(self, entries: list[tuple[bytes | None, bytes]]) -> None:
        """Append (body or None, leaf hash) pairs as one chunk; `sync()` makes them durable."""
        if not entries:
            return
        lines = b"".join(
            b"%d %s\n" % (seq, body if body is not None else binascii.b2a_base64(leaf, newline=False))
            for seq, (body, leaf) in enumerate(entries, self.size)
        )
        self.append_chunk(lines, [leaf for _body, leaf in entries])

    def append_chunk(
        self, chunk: bytes | memoryview, leaf_hashes: list[bytes] | None, blocks: list[tuple[int, bytes]] | None = None
    ) -> None:
        """Append a chunk (the lines of a page, checked), of the entries whose leaf hashes are given,
        or whose subtrees `blocks` (merkle_blocks) are; `sync()` makes it durable."""
        count = len(leaf_hashes) if leaf_hashes is not None else sum(1 << level for level, _h in blocks or [])
        if not count:
            return
        stack = self._stack()
        self._bodies.seek(0, os.SEEK_END)
        self._bodies.write(chunk)
        self._bodies.flush()
        # On the disk page by page, while other threads read the next pages: sync() then waits for
        # the last page only, not for the whole copy (tens of megabytes when catching up).
        _datasync(self._bodies.fileno())
        end, size = self._end + len(chunk), self.size + count
        self._index.seek(0, os.SEEK_END)
        self._index.write(size.to_bytes(8, "big") + end.to_bytes(8, "big"))
        self._index.flush()
        if leaf_hashes is not None:
            _extend(stack, self.size, leaf_hashes)
        else:
            _extend_blocks(stack, self.size, blocks)
        self._chunks.append((size, end))
        self.size, self._end = size, end

    def sync(self) -> None:
        """Make what was appended durable (before the checkpoint it was checked against is stored)."""
        os.fsync(self._bodies.fileno())
        os.fsync(self._index.fileno())
        tmp = self.dir / f".{FRONTIER}.{os.getpid()}.tmp"
        with open(private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), "wb") as f:
            f.write(self.size.to_bytes(8, "big") + b"".join(self._stack()))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.dir / FRONTIER)

    def truncate(self, size: int) -> None:
        """Forget the entries from `size` on: those a crash left past the checkpoint last accepted."""
        if size >= self.size:
            return
        k = self._chunk_of(size)  # the first chunk that holds entries from size on
        first = self._first(k)
        kept = self._lines(k)[: size - first] if size > first else []
        self._chunks = self._chunks[:k]
        self.size, self._end = first, (self._chunks[-1][1] if self._chunks else 0)
        self._index.truncate(k * RECORD)
        self._bodies.truncate(self._end)
        self._frontier, self._cached = None, None
        if kept:  # the part of that chunk before `size`
            self.append_chunk(b"".join(line + b"\n" for line in kept), [leaf for _body, leaf in map(entry, kept)])

    def disk_size(self) -> int:
        return sum(os.fstat(f.fileno()).st_size for f in (self._bodies, self._index))


def entry(line: bytes) -> tuple[bytes | None, bytes]:
    """(body or None, leaf hash) of a line of the copy, checked when it was copied: a record of a
    page served as leaves (0x00 and the entry, or 0x01 and the leaf hash), or a line as lines."""
    tag = line[:1]
    if tag == b"\x00":
        return line[1:], hashlib.sha256(line).digest()
    if tag == b"\x01":
        return None, binascii.a2b_base64(line[1:])
    _seq, _sp, rest = line.partition(b" ")
    if rest[:1] == b"{":
        return rest, hashlib.sha256(b"\x00" + rest).digest()
    leaf, _sp, body = rest.partition(b" ")
    return body or None, binascii.a2b_base64(leaf)


def private(path: Path, flags: int = os.O_RDWR | os.O_CREAT | os.O_APPEND) -> int:
    """A descriptor of `path`, created if need be, that only its owner may read: the copy holds the
    parties-only bodies. A file made by an earlier version with a wider mode is narrowed."""
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
    except OSError:
        os.close(fd)
        raise
    return fd


def _open_private(path: Path):
    return open(private(path), "a+b")  # noqa: SIM115 (held open for the witness's life)


def _extend(stack: list[bytes], size: int, leaf_hashes) -> None:
    """Add leaves to the frontier of a tree of `size` leaves: leaf i closes one perfect subtree for
    each trailing 1-bit of i (merkle._fold's loop, kept open between rounds)."""
    node = merkle.node_hash
    for i, h in enumerate(leaf_hashes, size):
        while i & 1:
            h = node(stack.pop(), h)
            i >>= 1
        stack.append(h)


def _extend_blocks(stack: list[bytes], size: int, blocks) -> None:
    """Add perfect subtrees (level, root) to the frontier, in order: as _extend, a subtree of 2^level
    leaves standing for one leaf of the tree `level` levels up (its place is a multiple of its size)."""
    node = merkle.node_hash
    for level, h in blocks:
        i = size >> level
        size += 1 << level
        while i & 1:
            h = node(stack.pop(), h)
            i >>= 1
        stack.append(h)


def merkle_blocks(start: int, leaf_hashes: list[bytes]) -> list[tuple[int, bytes]]:
    """The leaves from `start` on as the largest perfect subtrees of the tree they stand in,
    (level, root) in order: a witness's worker hashes them, and the copy's frontier takes them
    with a few hashes (_extend_blocks) instead of one per leaf."""
    node = hashlib.sha256(b"\x01")  # copied for each node: cheaper than a new hash of joined bytes
    blocks, at, end = [], start, start + len(leaf_hashes)
    while at < end:
        level = (at & -at).bit_length() - 1 if at else 63
        while at + (1 << level) > end:
            level -= 1
        hashes = leaf_hashes[at - start : at - start + (1 << level)]
        while len(hashes) > 1:  # merkle.node_hash, a level at a time
            pairs, hashes = iter(hashes), []
            for left, right in zip(pairs, pairs):
                h = node.copy()
                h.update(left)
                h.update(right)
                hashes.append(h.digest())
        blocks.append((level, hashes[0]))
        at += 1 << level
    return blocks


def _fold(stack: list[bytes]) -> bytes:
    """The root from a frontier: its subtrees folded right to left (RFC 9162 §2.1.2)."""
    if not stack:
        return merkle.EMPTY_ROOT
    h = stack[-1]
    for left in reversed(stack[:-1]):
        h = merkle.node_hash(left, h)
    return h

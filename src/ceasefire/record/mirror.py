"""A witness's own copy of the joint record: every entry its party may read, the leaf hash of the others.

    DIR/entries       the bodies, one after another, exactly as served (append-only)
    DIR/entries.idx   40 bytes per entry, in order: the end offset of its body in `entries` (8 bytes,
                      big-endian) and its RFC 9162 leaf hash (32 bytes). An entry held by its leaf hash
                      only (the party may not read it) has an empty body: no entry of the record is empty.
    DIR/entries.json  {"audience": ...}: whom the server read the copy as (parties, observers, public)
    DIR/entries.frontier  the tree's frontier at the copy's size (see below), rewritten by each round

All of them, like every file of the witness's state, are its owner's only (0600).

The index is the truth: its length says how many entries are held. A crash between the two appends
leaves bytes past the last offset in `entries` (or a part of a record in the index); opening the copy
cuts them off. What the copy adds beside the bodies is 40 bytes an entry.

The tree's root is kept as its frontier (the roots of the perfect subtrees of the copy, largest
first, as merkle._fold keeps them: 8 bytes of size, then 32 bytes a subtree), so that a round hashes
only the entries it adds; one that does not match the index's size is computed again from it.

Standard library only, like witness.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from . import merkle

BODIES, INDEX, META, FRONTIER = "entries", "entries.idx", "entries.json", "entries.frontier"
RECORD = 40  # bytes of one index record: end offset (8) + leaf hash (32)


class Mirror:
    def __init__(self, folder: Path):
        self.dir = Path(folder)
        self._bodies = _open_private(self.dir / BODIES)  # held open for the witness's life
        self._index = _open_private(self.dir / INDEX)
        n = os.fstat(self._index.fileno()).st_size // RECORD
        self._index.truncate(n * RECORD)
        self.size = n
        self._end = self._offset(n - 1) if n else 0
        self._bodies.truncate(self._end)
        self._frontier: list[bytes] | None = None  # computed when first needed
        self._audience: str | None = None

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
    def _offset(self, i: int) -> int:
        return int.from_bytes(os.pread(self._index.fileno(), 8, i * RECORD), "big")

    def read(self, lo: int, hi: int) -> list[tuple[bytes | None, bytes]]:
        """Entries [lo, hi) as (body or None when held by its leaf hash only, leaf hash)."""
        if not 0 <= lo <= hi <= self.size:
            raise ValueError(f"the copy holds entries 0..{self.size - 1}, not [{lo}, {hi})")
        if lo == hi:
            return []
        index = os.pread(self._index.fileno(), (hi - lo) * RECORD, lo * RECORD)
        start = self._offset(lo - 1) if lo else 0
        end = int.from_bytes(index[-RECORD : -RECORD + 8], "big")
        data = os.pread(self._bodies.fileno(), end - start, start)
        out, at = [], start
        for k in range(0, len(index), RECORD):
            stop = int.from_bytes(index[k : k + 8], "big")
            out.append((data[at - start : stop - start] or None, index[k + 8 : k + RECORD]))
            at = stop
        return out

    def leaf_hashes(self, lo: int, hi: int) -> list[bytes]:
        index = os.pread(self._index.fileno(), (hi - lo) * RECORD, lo * RECORD)
        return [index[k + 8 : k + RECORD] for k in range(0, len(index), RECORD)]

    def find(self, leaf_hash: bytes) -> int | None:
        """The first seq the copy holds with this leaf hash (to tell a moved entry from a changed one)."""
        step = 1 << 16
        for lo in range(0, self.size, step):
            hashes = self.leaf_hashes(lo, min(self.size, lo + step))
            if leaf_hash in hashes:
                return lo + hashes.index(leaf_hash)
        return None

    # -- the tree
    def root(self, more: list[bytes] = ()) -> bytes:
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
            step = 1 << 16
            for lo in range(0, self.size, step):
                _extend(stack, lo, self.leaf_hashes(lo, min(self.size, lo + step)))
            self._frontier = stack
        return self._frontier

    # -- writing
    def append(self, entries: list[tuple[bytes | None, bytes]]) -> None:
        """Append (body or None, leaf hash) pairs, bodies first; `sync()` makes them durable."""
        if not entries:
            return
        stack = self._stack()
        bodies, index, end = [], [], self._end
        for body, leaf in entries:
            if body:
                bodies.append(body)
                end += len(body)
            index.append(end.to_bytes(8, "big") + leaf)
        self._bodies.seek(0, os.SEEK_END)
        self._bodies.write(b"".join(bodies))
        self._bodies.flush()
        self._index.seek(0, os.SEEK_END)
        self._index.write(b"".join(index))
        self._index.flush()
        _extend(stack, self.size, [leaf for _body, leaf in entries])
        self.size += len(entries)
        self._end = end

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
        self._end = self._offset(size - 1) if size else 0
        self._index.truncate(size * RECORD)
        self._bodies.truncate(self._end)
        self.size, self._frontier = size, None

    def disk_size(self) -> int:
        return sum(os.fstat(f.fileno()).st_size for f in (self._bodies, self._index))


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


def _fold(stack: list[bytes]) -> bytes:
    """The root from a frontier: its subtrees folded right to left (RFC 9162 §2.1.2)."""
    if not stack:
        return merkle.EMPTY_ROOT
    h = stack[-1]
    for left in reversed(stack[:-1]):
        h = merkle.node_hash(left, h)
    return h

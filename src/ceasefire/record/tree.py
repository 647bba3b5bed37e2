"""The record's Merkle tree, kept in the database so that a root or a proof costs O(log n) reads.

The tree is RFC 9162's over the events' canonical bytes: leaf i is `Event.body` of event seq i.
`TreeNode` stores every *complete* subtree: node (level, index) is MTH of the entries
[index·2^level, (index+1)·2^level). A tree of n leaves has fewer than 2n of them.

- Appending leaf i writes (0, i) and, for each trailing 1-bit of i, the parent that leaf
  completes: about two rows per entry, after one read of the left siblings it needs.
- Any range that RFC 9162's PATH and PROOF ask the hash of, [0, size) included, starts at a
  multiple of a power of two at least as large as the range; it is therefore tiled by one complete
  subtree per 1-bit of its length, largest first, and its MTH is those tiles folded right to left.
  `root`, `inclusion_proof` and `consistency_proof` list the tiles they need (O(log n) of them),
  read them in ONE query, and fold. They reuse merkle.py's PATH and PROOF walks, so the proofs are
  those of merkle.py by construction.

Writers must be serialised by the caller (log's commands and batches hold the record's lock); the
primary key (level, index) refuses a second node at one place even so. Nodes are written once and never changed.
`check()` recomputes every node from the bodies in one pass and names the first one that is wrong.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Q

from . import merkle
from .models import Event, Head, TreeNode

Key = tuple[int, int]  # (level, index)
Node = tuple[int, int, bytes]  # (level, index, hash)

# Nodes are written with plain SQL: Django's bulk_create builds a model instance and its SQL per
# row and ran at a tenth of the speed (36,000 rows/s on SQLite against 500,000). On SQLite,
# multi-row INSERTs of 333 rows x 3 columns, within the 999 parameters Django assumes SQLite
# allows. On PostgreSQL, one INSERT ... SELECT FROM unnest(arrays) per chunk, the hashes sent
# as one bytea (psycopg parses a long statement anew on every call, and escapes each bytes of
# an array apart: multi-row VALUES ran at 35,000 rows/s there, a bytea[] at 80,000, this at 160,000).
_ROWS_PER_INSERT = 333
_CHUNK_LEAVES = 10_000  # append_leaves writes as it goes, holding this many leaves' nodes at most
CHECK_BATCH = 10_000  # check() compares this many leaves' nodes per query


def _nothing_pending() -> None:
    pass


# Called before every read of the stored tree. log.batch() defers writing its events' leaves to
# the end of the batch and sets this to its flush, so that a read inside a batch sees them all.
before_read: Callable[[], None] = _nothing_pending


def append_leaf(index: int, body: bytes) -> int:
    """Add leaf `index` (the body of event seq `index`) to a tree of `index` leaves; return the new size.

    Two queries: one read (the left siblings it completes, and the checks that the tree has
    exactly `index` leaves), one insert. Run it in the transaction that writes the event.
    """
    return append_leaves(index, [body])


def append_leaves(start: int, bodies: Iterable[bytes]) -> int:
    """Add the leaves `bodies` at start, start+1, ... to a tree of `start` leaves; return the new size.

    One read for the existing subtrees the new leaves join, then multi-row inserts as it goes:
    `bodies` may be a stream of any length. All or nothing: inside a transaction it joins it,
    outside it opens one.
    """
    _require_uint("start", start)
    # The complete subtrees tiling [0, start), largest first: the stack of merkle._fold after
    # `start` leaves. Each new leaf merges with them as it closes subtrees.
    frontier = [(b, (start >> b) - 1) for b in reversed(range(start.bit_length())) if start >> b & 1]
    stored = _fetch({*frontier, (0, start)} | ({(0, start - 1)} if start else set()))
    if (0, start) in stored:
        raise ValueError(f"leaf {start} is already in the tree")
    if start and (0, start - 1) not in stored:
        raise ValueError(f"the tree has fewer than {start} leaves: cannot append at {start}")
    _require_all(frontier, stored)
    stack = [stored[k] for k in frontier]
    # Refusals above leave the caller's transaction usable; from here on a failure rolls back
    # the rows written so far, with the caller's transaction if there is one (no savepoint:
    # the append path stays at two queries).
    with transaction.atomic(savepoint=False):
        rows: list[Node] = []
        i = start
        for body in bodies:
            _add_leaf(stack, i, body, rows)
            i += 1
            if len(rows) >= 2 * _CHUNK_LEAVES:
                _insert(rows)
                rows = []
        _insert(rows)
    return i


def size() -> int:
    """The number of leaves in the stored tree. One indexed read."""
    before_read()
    last = TreeNode.objects.filter(level=0).order_by("-index").values_list("index", flat=True).first()
    return 0 if last is None else last + 1


def root(size: int) -> bytes:
    """MTH of the first `size` leaves; 0 <= size <= the stored size. One query (none for size 0)."""
    _require_uint("size", size)
    if size == 0:
        return merkle.EMPTY_ROOT
    return _range_hashes([(0, size)], size)[0]


def inclusion_proof(index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]), leaf side first, as merkle.inclusion_proof gives it. One query."""
    _require_uint("index", index)
    _require_uint("size", size)
    if index >= size:
        raise ValueError(f"index must be in [0, {size}), got {index}")
    return _range_hashes(merkle._inclusion_path(index, size, _as_range), size)


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) as merkle.consistency_proof gives it; 0 < old_size <= new_size."""
    _require_uint("old_size", old_size)
    _require_uint("new_size", new_size)
    if not 0 < old_size <= new_size:
        raise ValueError(f"old_size must be in [1, {new_size}], got {old_size}")
    return _range_hashes(merkle._consistency_path(old_size, new_size, _as_range), new_size)


def check(progress: Callable[[int], None] | None = None) -> str | None:
    """Recompute every node from the events' bodies, in one streaming pass; None if all are right.

    Otherwise a sentence naming the first node (in the order appends write them) that is missing,
    differs from the record, or lies beyond it. `progress(n)` is called every CHECK_BATCH leaves.
    """
    before_read()
    stack: list[bytes] = []
    expected: list[Node] = []
    done = 0  # leaves whose nodes are compared already

    def compare(upto: int) -> str | None:
        stored = _fetch_leaf_span(done, upto)
        for level, index, h in expected:
            if (level, index) not in stored:
                return f"tree: node {_name(level, index)} is missing"
            if stored[level, index] != h:
                return f"tree: node {_name(level, index)} does not match the record"
        return None

    n = 0
    for seq, body in Event.objects.order_by("seq").values_list("seq", "body").iterator(chunk_size=2000):
        if seq != n:
            return f"record: event {seq} where {n} was expected; the tree cannot be checked"
        _add_leaf(stack, n, body, expected)
        n += 1
        if n - done == CHECK_BATCH:
            if problem := compare(n):
                return problem
            expected, done = [], n
            if progress:
                progress(n)
    if problem := compare(n):
        return problem
    # Nodes that no event accounts for. Read the head again: events appended during the check
    # carry nodes of their own.
    end = max(n, Head.objects.get(id=1).size)
    beyond = Q(level__gt=end.bit_length())
    for level in range(end.bit_length() + 1):
        beyond |= Q(level=level, index__gte=end >> level)
    extra = TreeNode.objects.filter(beyond).order_by("level", "index").values_list("level", "index").first()
    if extra:
        return f"tree: node {_name(*extra)} lies beyond the record's {end} entries"
    return None


def _add_leaf(stack: list[bytes], i: int, body: bytes | memoryview, out: list[Node]) -> None:
    """Append to `out` leaf i and the nodes it completes, one per trailing 1-bit of i.

    The streaming form of RFC 9162 §2.1.2, as merkle._fold: `stack` holds the hashes of the
    complete subtrees tiling [0, i), largest first, and is left holding those of [0, i + 1).
    """
    h = merkle.leaf_hash(bytes(body))
    out.append((0, i, h))
    level = 0
    while i & 1:
        h = merkle.node_hash(stack.pop(), h)
        i >>= 1
        level += 1
        out.append((level, i, h))
    stack.append(h)


# Reading and writing nodes.


def _fetch(keys: Iterable[Key]) -> dict[Key, bytes]:
    """The stored hashes of `keys` (those that exist), in one query on the primary key.

    Plain SQL: building this OR of IN lists through the ORM took 3 ms, ten times the query itself.
    """
    by_level: dict[int, list[int]] = defaultdict(list)
    for level, index in keys:
        by_level[level].append(index)
    if not by_level:
        return {}
    q = connection.ops.quote_name
    where, params = [], []
    for level, indexes in sorted(by_level.items()):
        where.append(f"({q('level')} = %s AND {q('index')} IN ({', '.join(['%s'] * len(indexes))}))")
        params += [level, *sorted(indexes)]
    sql = f"SELECT {q('level')}, {q('index')}, {q('hash')} FROM {q(TreeNode._meta.db_table)} WHERE {' OR '.join(where)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(level, index): bytes(h) for level, index, h in cursor.fetchall()}


def _fetch_leaf_span(lo: int, hi: int) -> dict[Key, bytes]:
    """Every stored node completed by one of the leaves [lo, hi), i.e. whose last leaf is in it.

    Node (level, j) ends at leaf (j+1)·2^level - 1, which is in [lo, hi) iff lo>>level <= j < hi>>level.
    """
    if lo >= hi:
        return {}
    where = Q()
    for level in range(hi.bit_length()):
        if lo >> level < hi >> level:
            where |= Q(level=level, index__gte=lo >> level, index__lt=hi >> level)
    rows = TreeNode.objects.filter(where).values_list("level", "index", "hash")
    return {(level, index): bytes(h) for level, index, h in rows}


def _insert(rows: list[Node]) -> None:
    if not rows:
        return
    q = connection.ops.quote_name
    head = f"INSERT INTO {q(TreeNode._meta.db_table)} ({q('level')}, {q('index')}, {q('hash')}) "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one short statement for any number of rows
            levels, indexes, hashes = zip(*rows, strict=True)
            sql = head + (
                f"SELECT {q('level')}, {q('index')}, substring(%s::bytea FROM (32 * n - 31)::int FOR 32) "
                f"FROM unnest(%s::smallint[], %s::bigint[]) WITH ORDINALITY AS node({q('level')}, {q('index')}, n)"
            )
            cursor.execute(sql, [b"".join(hashes), list(levels), list(indexes)])
            return
        for s in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[s : s + _ROWS_PER_INSERT]
            cursor.execute(
                head + "VALUES " + ", ".join(["(%s, %s, %s)"] * len(chunk)), [v for row in chunk for v in row]
            )


# Ranges of leaves as complete subtrees.


def _as_range(lo: int, hi: int) -> tuple[int, int]:
    """The `mth` callback that records which range merkle's PATH/PROOF walk asks for."""
    return lo, hi


def _tiles(lo: int, hi: int) -> list[Key]:
    """The complete subtrees tiling [lo, hi), largest first: one per 1-bit of hi - lo.

    Their right-to-left fold is MTH(D[lo:hi]) when lo is a multiple of the smallest power of two
    >= hi - lo, as for every range of a PATH or PROOF walk (a node of the tree [0, size)): the
    RFC's split k is then the first tile, and the rest is again such a range.
    """
    n = hi - lo
    if n <= 0 or lo % (1 << (n - 1).bit_length()):
        raise AssertionError(f"[{lo}, {hi}) is not a node of a tree starting at 0")
    tiles = []
    for b in reversed(range(n.bit_length())):
        if n >> b & 1:
            tiles.append((b, lo >> b))
            lo += 1 << b
    return tiles


def _range_hashes(ranges: list[tuple[int, int]], size: int) -> list[bytes]:
    """MTH of each range of the tree [0, size), reading every tile they need in one query.

    Leaf size - 1 is read too: its absence means the caller asked about more leaves than the
    tree holds (nodes are written in order, so the tree has no gaps).
    """
    before_read()
    tiles = [_tiles(lo, hi) for lo, hi in ranges]
    last = (0, size - 1)
    stored = _fetch({last}.union(*tiles))
    if last not in stored:
        raise ValueError(f"size {size} exceeds the tree's size")
    out = []
    for keys in tiles:
        _require_all(keys, stored)
        h = stored[keys[-1]]
        for k in reversed(keys[:-1]):
            h = merkle.node_hash(stored[k], h)
        out.append(h)
    return out


def _require_all(keys: Iterable[Key], stored: dict[Key, bytes]) -> None:
    for k in keys:
        if k not in stored:
            raise RuntimeError(f"tree node {_name(*k)} is missing: the stored tree is damaged (see tree.check)")


def _require_uint(name: str, n: object) -> None:
    if not merkle._is_uint(n):
        raise ValueError(f"{name} must be an int in [0, 2**64), got {n!r}")


def _name(level: int, index: int) -> str:
    first = index << level
    return f"(level {level}, index {index}; entries {first}..{first + (1 << level) - 1})"

"""The stored Merkle tree: how fast it grows, and what a proof costs at a million leaves.

    python bench/tree.py [--leaves N] [--rounds R] [--batch B] [--queries Q] [--postgres URL]

1. Growth. The N leaves are appended in R rounds; each round appends N/R synthetic entries with
   `tree.append_leaves` in batches of B (one transaction per batch), and hashes the same entries
   with bare hashlib SHA-256 (the baseline: the hashing no tree can avoid). Prints the medians in
   leaves/s and their ratio.
2. Proofs. At N leaves, Q inclusion proofs (random index) and Q consistency proofs (random old
   size) against the whole tree, and Q roots of random sizes, each read from the database and
   timed alone; every proof is then verified with merkle.py. The baseline is a single-row read of
   one random leaf hash by primary key, through the same connection. Prints medians and ratios.

SQLite in WAL mode in a temporary folder by default; with --postgres, a database of its own on
that server (its URL's database name is ignored), dropped afterwards.
"""

import argparse
import hashlib
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

SEED = 9162
PAD = random.Random(SEED).randbytes(512)


def entry(i: int) -> bytes:
    """Synthetic entry i: 150 to 405 bytes, like the record's canonical JSON events."""
    return b'{"seq":%d,"pad":"' % i + PAD[: 150 + (i * 7919) % 256] + b'"}'


class Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def check(self, what: str) -> None:
        if time.monotonic() > self.deadline:
            sys.exit(f"time limit reached during {what}; try fewer --leaves or a larger --time-limit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10_000, help="leaves per append_leaves call")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL server instead of SQLite")
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds; the run stops past it")
    args = parser.parse_args()
    if args.leaves < args.rounds or args.leaves < 2:
        parser.error("--leaves must be at least --rounds and 2")

    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-"))
    os.environ.update(CEASEFIRE_DATA_DIR=str(tmp), SECRET_KEY="bench", DJANGO_SETTINGS_MODULE="ceasefire.settings")
    pg_name = None
    if args.postgres:
        import dj_database_url

        server = dj_database_url.parse(args.postgres)
        pg_name = f"ceasefire_bench_{uuid.uuid4().hex[:10]}"
        _pg_admin(server, f'CREATE DATABASE "{pg_name}"')
        auth = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
        os.environ["DATABASE_URL"] = (
            f"postgres://{auth}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{pg_name}"
        )
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    try:
        run(args)
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            _pg_admin(server, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def _pg_admin(server: dict, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=server["HOST"] or "localhost",
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ceasefire.record import merkle, tree

    budget = Budget(args.time_limit)
    call_command("migrate", verbosity=0)
    with connection.cursor() as c:
        c.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        engine = f"{connection.vendor} {c.fetchone()[0]}"
    print(f"# bench/tree.py: {engine}, Python {platform.python_version()}, Django {django.get_version()}")
    print(
        f"# {args.leaves:,} leaves in {args.rounds} rounds, batches of {args.batch:,}; {args.queries} queries of each kind"
    )

    # 1. Growth.
    per_round = args.leaves // args.rounds
    tree_rates, hash_rates = [], []
    start = 0
    for r in range(args.rounds):
        count = per_round if r < args.rounds - 1 else args.leaves - start
        entries = [entry(i) for i in range(start, start + count)]
        began = time.perf_counter()
        for s in range(0, count, args.batch):
            with transaction.atomic():
                tree.append_leaves(start + s, entries[s : s + args.batch])
            budget.check("growth")
        tree_rates.append(count / (time.perf_counter() - began))
        sha256 = hashlib.sha256
        began = time.perf_counter()
        for e in entries:
            sha256(e).digest()
        hash_rates.append(count / (time.perf_counter() - began))
        start += count
        print(
            f"round {r + 1}/{args.rounds}: tree {tree_rates[-1]:,.0f} leaves/s, hashlib {hash_rates[-1]:,.0f} hashes/s (size now {start:,})",
            file=sys.stderr,
        )
    n = tree.size()
    assert n == args.leaves, (n, args.leaves)
    grow, base = statistics.median(tree_rates), statistics.median(hash_rates)
    print(
        f"append_leaves: median {grow:,.0f} leaves/s ({args.rounds} rounds of {per_round:,}, batches of {args.batch:,})"
    )
    print(f"baseline, hashlib SHA-256 of the same entries: median {base:,.0f} hashes/s")
    print(f"ratio tree / hashlib: {grow / base:.3f}")

    # 2. Proofs at n leaves.
    rng = random.Random(SEED)
    root = tree.root(n)

    def timed(fn, *a):
        began = time.perf_counter()
        out = fn(*a)
        return time.perf_counter() - began, out

    def read_one(i):
        with connection.cursor() as c:
            c.execute(
                f"SELECT {connection.ops.quote_name('hash')} FROM record_treenode WHERE level = %s AND {connection.ops.quote_name('index')} = %s",
                [0, i],
            )
            return bytes(c.fetchone()[0])

    times = {"inclusion": [], "consistency": [], "root": [], "lookup": []}
    for q in range(args.queries):
        index, old, size = rng.randrange(n), rng.randint(1, n), rng.randint(1, n)
        t, leaf = timed(read_one, index)
        times["lookup"].append(t)
        t, proof = timed(tree.inclusion_proof, index, n)
        times["inclusion"].append(t)
        assert merkle.verify_inclusion(leaf, index, n, proof, root), index
        assert leaf == merkle.leaf_hash(entry(index))
        t, proof = timed(tree.consistency_proof, old, n)
        times["consistency"].append(t)
        assert merkle.verify_consistency(old, n, tree.root(old), root, proof), old
        times["root"].append(timed(tree.root, size)[0])
        if q % 50 == 0:
            budget.check("proofs")
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"at {n:,} leaves, {args.queries} random queries each, every proof verified:")
    for kind in ("inclusion", "consistency", "root"):
        print(
            f"  {kind:<12} median {med[kind]:.3f} ms (max {max(times[kind]) * 1000:.3f} ms); ratio to one row read: {med[kind] / med['lookup']:.2f}"
        )
    print(f"baseline, one leaf hash read by primary key: median {med['lookup']:.3f} ms")


if __name__ == "__main__":
    main()

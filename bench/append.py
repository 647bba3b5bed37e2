"""Appending to the record through the full command path, one by one and in batches, against raw SQLite inserts.

    python bench/append.py [--events N] [--rounds R] [--batch B ...] [--time-limit S]

The command is `add_action_item`, the cheapest one the committee runs in bulk (a meeting's action
items): it checks the actor, reads the meeting and the owning party, validates the text, and
appends one event whose projector writes the item; it returns the item as read back.

Each round times, on a SQLite file in WAL mode (the project's settings):
- one by one: N commands, each its own transaction (lock, validation, canonical JSON, event row,
  tree leaf, head, projection, checkpoint rule, commit);
- batched: N commands in `log.batch()` blocks of B (one transaction and one lock per block, the
  tree and the head written once per block), for each B given;
and, beside each, the baseline: raw inserts of the same event bytes into a bare table
(seq, body) in another SQLite file with the same pragmas, grouped in transactions the same way
(one per event, or one per B events). It prints the medians over the rounds and their ratios; the
machines are shared, so only medians and ratios mean anything.
"""

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000, help="events per round and per mode")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, nargs="+", default=[100, 1000], help="batch sizes to time")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds; the run stops past it")
    args = parser.parse_args()
    if args.events < 1 or args.rounds < 1 or min(args.batch) < 1:
        parser.error("--events, --rounds and --batch must be at least 1")

    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        CEASEFIRE_DATA_DIR=str(tmp),
        SECRET_KEY="bench",
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from ceasefire.mechanism import commands
    from ceasefire.record import log, tree
    from ceasefire.record.log import Actor
    from ceasefire.record.models import Event

    deadline = time.monotonic() + args.time_limit
    facilitator = Actor("facilitator", role="facilitator")
    call_command("migrate", verbosity=0)
    commands.establish(
        facilitator,
        {
            "name": "Bench",
            "parties": [{"code": "west", "name": "W", "seats": 5}, {"code": "east", "name": "E", "seats": 5}],
        },
    )
    meeting = commands.record_meeting(
        facilitator, {"title": "Bench round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    )

    raw = sqlite3.connect(tmp / "raw.sqlite3", isolation_level=None)
    raw.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE event (seq INTEGER PRIMARY KEY, body BLOB NOT NULL);"
    )
    raw_seq = 0

    def add(i: int) -> None:
        commands.add_action_item(
            facilitator,
            meeting.id,
            {
                "text": f"Withdraw the forces of sector {i} to their bases",
                "owner_party": "west" if i % 2 else "east",
                "deadline": "2021-03-01",
            },
        )

    def one_by_one() -> None:
        for i in range(args.events):
            add(i)

    def batched(size: int):
        def run() -> None:
            for start in range(0, args.events, size):
                with log.batch():
                    for i in range(start, min(start + size, args.events)):
                        add(i)

        return run

    def timed(fn) -> tuple[float, float]:
        """Events per second of wall time, and per second of this process's CPU time. SQLite runs
        in the process, so the second is all the work and the less disturbed by other load."""
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        return args.events / (time.perf_counter() - wall), args.events / (time.process_time() - cpu)

    def raw_inserts(bodies: list[bytes], size: int) -> None:
        nonlocal raw_seq
        for start in range(0, len(bodies), size):
            raw.execute("BEGIN IMMEDIATE")
            for body in bodies[start : start + size]:
                raw.execute("INSERT INTO event (seq, body) VALUES (?, ?)", (raw_seq, body))
                raw_seq += 1
            raw.execute("COMMIT")

    modes = [("one by one", 1, one_by_one)] + [(f"batches of {b}", b, batched(b)) for b in args.batch]
    rates: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in modes}
    bases: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in modes}
    for r in range(args.rounds):
        for name, size, run in modes:  # every mode in every round: they share the machine's moods
            rates[name].append(timed(run))
            bodies = [bytes(b) for b in Event.objects.order_by("-seq").values_list("body", flat=True)[: args.events]][
                ::-1
            ]
            bases[name].append(timed(lambda: raw_inserts(bodies, size)))  # noqa: B023 (called at once)
            print(
                f"round {r + 1}/{args.rounds}, {name}: command path {rates[name][-1][0]:,.0f} events/s, raw SQLite {bases[name][-1][0]:,.0f} inserts/s",
                file=sys.stderr,
            )
            if time.monotonic() > deadline:
                sys.exit(f"time limit reached in round {r + 1}; try fewer --events or --rounds")

    assert tree.check() is None  # the tree written in batches is the record's
    total = Event.objects.count()
    print(
        f"# bench/append.py: SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL), Python {platform.python_version()}, Django {django.get_version()}"
    )
    print(
        f"# command: add_action_item; {args.events:,} events per mode and round, {args.rounds} rounds; record at {total:,} events, tree checked"
    )
    print("# medians; per second of wall time, then [per second of the process's CPU time]")
    for name, _, _ in modes:
        cmd = [statistics.median(r[k] for r in rates[name]) for k in (0, 1)]
        base = [statistics.median(r[k] for r in bases[name]) for k in (0, 1)]
        print(
            f"{name:<16} command path {cmd[0]:7,.0f} events/s [{cmd[1]:7,.0f}] | "
            f"raw insert of the same bytes, same transactions {base[0]:9,.0f} inserts/s [{base[1]:9,.0f}] | "
            f"ratio {cmd[0] / base[0]:.4f} [{cmd[1] / base[1]:.4f}]"
        )


if __name__ == "__main__":
    main()

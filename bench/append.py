"""Appending to the record through the full command path, against raw SQLite inserts.

    python bench/append.py [--events N] [--rounds R]

Each round times N `record_meeting` commands (validation, lock, canonical JSON, event row,
projection, commit: one transaction each) on a SQLite file in WAL mode, and N raw inserts of the
same event bytes into a bare table with the same pragmas, one transaction each. It prints the
medians and their ratio; the machines are shared, so only medians and ratios mean anything.
"""

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

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
    from ceasefire.record.log import Actor
    from ceasefire.record.models import Event

    facilitator = Actor("facilitator", role="facilitator")
    call_command("migrate", verbosity=0)
    commands.establish(facilitator, {"name": "Bench", "parties": [{"code": "west", "name": "W", "seats": 5}, {"code": "east", "name": "E", "seats": 5}]})

    raw = sqlite3.connect(tmp / "raw.sqlite3", isolation_level=None)
    raw.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE event (seq INTEGER PRIMARY KEY, body BLOB NOT NULL);")

    meeting = {"title": "Bench round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    command_rates, raw_rates = [], []
    for r in range(args.rounds):
        start = time.perf_counter()
        for _ in range(args.events):
            commands.record_meeting(facilitator, meeting)
        command_rates.append(args.events / (time.perf_counter() - start))

        bodies = [bytes(b) for b in Event.objects.order_by("-seq").values_list("body", flat=True)[: args.events]]
        offset = r * args.events
        start = time.perf_counter()
        for i, body in enumerate(bodies):
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO event (seq, body) VALUES (?, ?)", (offset + i, body))
            raw.execute("COMMIT")
        raw_rates.append(args.events / (time.perf_counter() - start))
        print(f"round {r + 1}/{args.rounds}: command path {command_rates[-1]:,.0f} events/s, raw SQLite {raw_rates[-1]:,.0f} inserts/s", file=sys.stderr)

    cmd, base = statistics.median(command_rates), statistics.median(raw_rates)
    print(f"Python {sys.version.split()[0]}, Django {django.get_version()}, SQLite {sqlite3.sqlite_version} (WAL)")
    print(f"append through the command path: median {cmd:,.0f} events/s ({args.rounds} rounds of {args.events})")
    print(f"baseline, raw SQLite insert of the same bytes, one transaction each: median {base:,.0f} inserts/s")
    print(f"ratio command path / raw insert: {cmd / base:.3f}")


if __name__ == "__main__":
    main()

"""Importing N ACLED-like rows (`ceasefire import acled`) against a bare executemany of the same rows.

    python bench/import.py [--rows N] [--batch B] [--seed S] [--postgres URL] [--time-limit S]

The data: an ACLED CSV file of N rows (1,000,000 by default) written from a fixed seed: ACLED's
current columns, the event types and sub-event types of the default typology's categories, dates in
2019 to 2021, places around Libya's towns with coordinates (a tenth of them without), actors that
name a party or a unit, fatalities, notes of some 100 characters.

In the same run, on the same database:
- the baseline: the same file read with `csv.reader` and its rows inserted with the driver's
  `executemany` into a bare table of as many text columns (no index, no constraint), 1,000 rows
  per call, in one transaction; measured before and after the import, the median taken;
- the import: `ceasefire import acled FILE --as facilitator` through `call_command` (each row
  checked, mapped, filed through `commands.import_report` as a report from a dataset: one event
  in the record each, with its projection, its leaf in the Merkle tree, checkpoints as the rule
  says), all or nothing by default, or `--batch B`;
- the same import run again: every row found imported before and skipped (how fast an interrupted
  import resumed gets to where it stopped).
It prints rows/s of each, the ratio import/baseline (issue 12 asks for at least 0.02) and the
process's peak resident size (ru_maxrss; issue 12: under 500 MB), which the import sets: the
baseline streams its rows 1,000 at a time.

SQLite in WAL mode in a temporary folder, or with --postgres URL (or a PostgreSQL DATABASE_URL) a
database of its own on that server, dropped afterwards.
"""

import argparse
import csv
import io
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reports as data  # bench/reports.py: the PostgreSQL helpers and the time budget

HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Strategic developments", "Headquarters or base established"),
    ("Strategic developments", "Change to group/activity"),
]
TOWNS = [
    ("Sirte", "Surt", 31.205, 16.588), ("Misrata", "Misrata", 32.375, 15.092), ("Tripoli", "Tripoli", 32.887, 13.191),
    ("Benghazi", "Benghazi", 32.116, 20.068), ("Al Jufra", "Al Jufrah", 29.117, 15.95), ("Sabha", "Sabha", 27.037, 14.426),
    ("Ajdabiya", "Al Wahat", 30.756, 20.225), ("Gharyan", "Al Jabal al Gharbi", 32.172, 13.02),
]  # fmt: skip
ACTORS = ["west", "east", "Brigade 128", "Unidentified armed group", "Military Forces of Libya (2014-)", ""]
WORDS = "shells fell near the checkpoint patrol positions reported clashes witnesses said the road was closed".split()


def write_rows(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(1, n + 1):
            event_type, sub = TYPES[rng.randrange(len(TYPES))]
            town, admin1, lat, lon = TOWNS[rng.randrange(len(TOWNS))]
            located = rng.random() > 0.1
            day = f"{rng.randint(2019, 2021)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            notes = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 20)))
            writer.writerow(
                [
                    f"LBY{i}", day, day[:4], rng.choice("123"), "Political violence", event_type, sub,
                    rng.choice(ACTORS), "", "1", rng.choice(ACTORS), "", "2", "12", "", "434", "Northern Africa",
                    "Libya", admin1, "", "", town, f"{lat + rng.uniform(-0.2, 0.2):.4f}" if located else "",
                    f"{lon + rng.uniform(-0.2, 0.2):.4f}" if located else "", rng.choice("12") if located else "",
                    "Libya Observer", "National", notes, str(rng.choice([0, 0, 0, 1, 2, 5])), "", "1700000000",
                ]
            )  # fmt: skip


def baseline(path: Path) -> int:
    """The file's rows into a bare table with executemany, 1,000 rows a call, in one transaction."""
    from django.db import connection, transaction

    columns = ", ".join(f"c{i} TEXT" for i in range(len(HEADER)))
    marks = ", ".join(["%s"] * len(HEADER))
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_rows")
        c.execute(f"CREATE TABLE bench_rows ({columns})")
    n = 0
    with open(path, encoding="utf-8", newline="") as f, transaction.atomic(), connection.cursor() as c:
        reader = csv.reader(f)
        next(reader)
        chunk = []
        for row in reader:
            chunk.append(row)
            if len(chunk) == 1000:
                c.executemany(f"INSERT INTO bench_rows VALUES ({marks})", chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            c.executemany(f"INSERT INTO bench_rows VALUES ({marks})", chunk)
            n += len(chunk)
    return n


def importing(path: Path, batch: int | None) -> str:
    from django.core.management import call_command
    from django.utils import translation

    out = io.StringIO()
    with translation.override("en"):  # the summary read below, whatever the settings' language
        call_command(
            "importdata",
            "acled",
            str(path),
            "--as",
            "facilitator",
            *(["--batch", str(batch)] if batch else []),
            stdout=out,
        )
    return out.getvalue().strip()


def timed(fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, help="commit every B rows (default: all or nothing)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--time-limit", type=float, default=4 * 3600, help="seconds; the run stops past it")
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    url = args.postgres or (
        os.environ.get("DATABASE_URL") if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    )
    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-import-"))
    os.environ.update(
        CEASEFIRE_DATA_DIR=str(tmp), SECRET_KEY="bench", DJANGO_SETTINGS_MODULE="ceasefire.settings", ALLOWED_HOSTS="localhost"
    )  # fmt: skip
    pg_name = None
    if url:
        import dj_database_url

        server = dj_database_url.parse(url)
        pg_name = f"ceasefire_bench_{uuid.uuid4().hex[:10]}"
        data._pg_admin(server, f'CREATE DATABASE "{pg_name}"')
        auth = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
        os.environ["DATABASE_URL"] = (
            f"postgres://{auth}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{pg_name}"
        )
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'import.sqlite3'}"
    try:
        run(args, tmp)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            data._pg_admin(server, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ceasefire.incidents import commands
    from ceasefire.incidents.models import Report
    from ceasefire.mechanism import commands as mechanism
    from ceasefire.mechanism.accounts import create_account
    from ceasefire.record.log import Actor

    budget = data.Budget(args.time_limit)
    call_command("migrate", verbosity=0)
    facilitator = Actor("facilitator", role="facilitator")
    mechanism.establish(
        facilitator,
        {
            "name": "Bench",
            "parties": [{"code": "west", "name": "W", "seats": 5}, {"code": "east", "name": "E", "seats": 5}],
        },
    )
    commands.adopt_default_typology(facilitator)
    create_account("facilitator", None, "facilitator", "")
    path = tmp / "acled.csv"
    began = time.perf_counter()
    write_rows(path, args.rows, args.seed)
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("SELECT sqlite_version()")
            engine = f"SQLite {c.fetchone()[0]} (WAL)"
        else:
            c.execute("SHOW server_version")
            engine = f"PostgreSQL {c.fetchone()[0]}"
    print(
        f"ceasefire bench/import.py: {args.rows:,} ACLED-like rows from seed {args.seed} "
        f"({path.stat().st_size / 1e6:.0f} MB, written in {time.perf_counter() - began:.0f} s), "
        + (f"batches of {args.batch:,}" if args.batch else "all or nothing")
    )
    print(
        f"{engine}; Python {platform.python_version()}, Django {django.get_version()}; {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    base = [timed(baseline, path)]
    print(f"  executemany: {base[-1][0]:.2f} s wall ({base[-1][1]:.2f} s CPU)", file=sys.stderr)
    budget.check("the baseline")
    before = peak_mb()
    wall, cpu, said = timed(importing, path, args.batch)
    peak = peak_mb()
    print(f"  import: {wall:.1f} s wall ({cpu:.1f} s CPU): {said}", file=sys.stderr)
    assert Report.objects.count() == args.rows, said
    budget.check("the import")
    base.append(timed(baseline, path))
    print(f"  executemany: {base[-1][0]:.2f} s wall ({base[-1][1]:.2f} s CPU)", file=sys.stderr)
    again_wall, again_cpu, again = timed(importing, path, args.batch)
    assert f"0 reports filed, {args.rows:,} rows imported before" in again, again
    bw, bc = statistics.median(b[0] for b in base), statistics.median(b[1] for b in base)
    print(f"executemany into a bare table: {args.rows / bw:,.0f} rows/s ({bw:.2f} s wall, {bc:.2f} s CPU)")
    print(
        f"import: {args.rows / wall:,.0f} rows/s ({wall:.1f} s wall, {cpu:.1f} s CPU); "
        f"ratio import/executemany wall {bw / wall:.4f}, CPU {bc / cpu:.4f}"
    )
    print(
        f"the same import again, every row imported before: {args.rows / again_wall:,.0f} rows/s ({again_wall:.1f} s)"
    )
    print(f"peak resident size of the process: {peak:.0f} MB (before the import {before:.0f} MB)")


if __name__ == "__main__":
    main()

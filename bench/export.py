"""Exporting N reports (ceasefire.incidents.exchange) against a bare csv.writer writing as many rows.

    python bench/export.py [--reports N] [--rounds R] [--format F ...] [--filed F] [--seed S]
                           [--postgres URL] [--memory] [--time-limit S]

The data: bench/reports.py's N reports (100,000 by default) from its fixed seed, the first F (100
by default) filed through `commands.file_report`, the rest written by `bulk_create` as the projector
writes them (bench/reports.py says how, and checks one against the other).

Each round, for each format (acled by default; --format may be repeated: acled, ucdp, hxl,
geojson, xlsx), in alternating order:
- the export: `exchange.export` for a delegate (every report, no filter), as the API, the list page
  and `ceasefire export` run it: one snapshot, the record's size and root, the reports read in
  chunks with a server-side cursor, their casualties and findings per chunk, each row written by the
  format's writer, every piece written to a file in the temporary folder;
- the baseline: a bare `csv.writer` writing N rows to a file in the same folder, the rows cycled from
  the export's own first 1,000 rows (parsed back), so the same columns and the same texts.
It prints the medians of wall time and of this process's CPU time (SQLite runs in the process; on
PostgreSQL the server's CPU is not counted) and their ratio baseline/export: 1.0 would be an export
as fast as writing the CSV alone (issue 12 asks for at least 0.5).

--memory adds one more export of each format under tracemalloc, at N and at N/10 reports: the
peak of Python's allocations, which stays flat when the export streams (the database driver's own
buffers are not counted; the process's peak resident size is printed too).

SQLite in WAL mode in a temporary folder, or with --postgres URL (or a PostgreSQL DATABASE_URL) a
database of its own on that server, dropped afterwards.
"""

import argparse
import csv
import itertools
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reports as data  # bench/reports.py: the same reports, the same loader

FORMATS = ("acled", "ucdp", "hxl", "geojson", "xlsx")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--format", action="append", choices=FORMATS, help="acled unless given; may be repeated")
    parser.add_argument(
        "--filed", type=int, default=100, help="reports filed through commands.file_report; the rest by bulk_create"
    )
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument(
        "--memory", action="store_true", help="also the peak of Python's allocations at N and N/10 reports"
    )
    parser.add_argument("--time-limit", type=float, default=3600, help="seconds; the run stops past it")
    args = parser.parse_args()
    if args.reports < 1000 or args.rounds < 1 or not 0 <= args.filed <= args.reports:
        parser.error("--reports must be at least 1000, --rounds at least 1, --filed between 0 and --reports")
    args.format = args.format or ["acled"]
    url = args.postgres or (
        os.environ.get("DATABASE_URL") if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    )

    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-export-"))
    os.environ.update(
        CEASEFIRE_DATA_DIR=str(tmp),
        SECRET_KEY="bench",
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        ALLOWED_HOSTS="localhost",
    )
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
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'export.sqlite3'}"
    try:
        run(args, tmp)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            data._pg_admin(server, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def export(actor, fmt: str, out: Path, limit: int | None = None) -> int:
    """Write the export to `out`; its size in bytes."""
    from ceasefire.incidents import exchange, queries

    filters = queries.Filters()
    if limit is not None:  # the newest `limit` reports: a date range that holds about that many
        from ceasefire.incidents.models import Report

        day = Report.objects.order_by("-occurred_at").values_list("occurred_at", flat=True)[limit - 1]
        filters = queries.Filters(occurred_from=day.date())
    _checkpoint, pieces = exchange.export(actor, filters, fmt)
    with open(out, "wb") if fmt in exchange.BINARY else open(out, "w", encoding="utf-8", newline="") as f:
        for piece in pieces:
            f.write(piece)
    return out.stat().st_size


def sample_rows(path: Path, fmt: str) -> tuple[list, list]:
    """The header and the first 1,000 rows of an export (for GeoJSON: its features' properties as rows)."""
    if (
        fmt == "geojson"
    ):  # the first features only, decoded one by one: the whole file would take gigabytes at a million
        import json

        with open(path, encoding="utf-8") as f:
            text = f.read(8 << 20)
        decoder, at, features = json.JSONDecoder(), text.index('"features":[') + len('"features":['), []
        while len(features) < 1000 and text[at] != "]":
            feature, at = decoder.raw_decode(text, at)
            features.append(feature)
            at += text[at] == ","
        header = list(features[0]["properties"])
        return header, [[f["properties"][k] for k in header] for f in features]
    if fmt == "xlsx":  # the sheet's first rows, under its header and its row of hashtags
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        rows = book["reports"].iter_rows(values_only=True)
        header, _tags = next(rows), next(rows)
        sample = [["" if v is None else str(v) for v in row] for row in itertools.islice(rows, 1000)]
        book.close()
        return list(header), sample
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(itertools.islice(reader, 1000))


def baseline(header: list, sample: list, n: int, out: Path) -> int:
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(itertools.islice(itertools.cycle(sample), n))
    return out.stat().st_size


def timed(fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


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
    create_account("west-member", None, "member", "west")
    began = time.perf_counter()
    made = data.fill(args, budget)
    loading = time.perf_counter() - began
    assert Report.objects.count() == args.reports
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("SELECT sqlite_version()")
            engine = f"SQLite {c.fetchone()[0]} (WAL)"
        else:
            c.execute("SHOW server_version")
            engine = f"PostgreSQL {c.fetchone()[0]}"
    delegate = Actor("west-member", party="west", role="member")

    print(
        f"ceasefire bench/export.py: {args.reports:,} reports ({made['filed']:,} filed through file_report, "
        f"{made['bulk']:,} by bulk_create, loaded in {loading:.0f} s), {args.rounds} rounds, formats {', '.join(args.format)}"
    )
    print(
        f"{engine}; Python {platform.python_version()}, Django {django.get_version()}; {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    for fmt in args.format:
        exported, written = tmp / f"export.{fmt}", tmp / "baseline.csv"
        export(delegate, fmt, exported)  # warm-up: the database's pages in the cache, and the sample
        header, sample = sample_rows(exported, fmt)
        walls, cpus, base_walls, base_cpus = [], [], [], []
        for i in range(args.rounds):
            order = [
                ("export", export, (delegate, fmt, exported)),
                ("baseline", baseline, (header, sample, args.reports, written)),
            ]
            for name, fn, fargs in order if i % 2 == 0 else reversed(order):
                wall, cpu, size = timed(fn, *fargs)
                (walls if name == "export" else base_walls).append(wall)
                (cpus if name == "export" else base_cpus).append(cpu)
                if name == "export":
                    export_size = size
                else:
                    base_size = size
            budget.check(f"round {i + 1} of {fmt}")
            print(
                f"  {fmt} round {i + 1}: export {walls[-1]:.2f} s wall ({cpus[-1]:.2f} s CPU), "
                f"csv.writer {base_walls[-1]:.2f} s ({base_cpus[-1]:.2f} s CPU)",
                file=sys.stderr,
            )
        w, c, bw, bc = (statistics.median(x) for x in (walls, cpus, base_walls, base_cpus))
        print(
            f"{fmt}: export {w:.3f} s wall, {c:.3f} s CPU ({args.reports / w:,.0f} reports/s; {export_size / 1e6:.1f} MB); "
            f"csv.writer of {args.reports:,} rows {bw:.3f} s wall, {bc:.3f} s CPU ({base_size / 1e6:.1f} MB); "
            f"ratio baseline/export wall {bw / w:.3f}, CPU {bc / c:.3f}"
        )
        if args.memory:
            peaks = []
            for n in (args.reports // 10, args.reports):
                tracemalloc.start()
                export(delegate, fmt, exported, limit=n)
                peaks.append((n, tracemalloc.get_traced_memory()[1]))
                tracemalloc.stop()
            print(
                f"{fmt}: peak of Python's allocations "
                + ", ".join(f"{p / 1e6:.1f} MB for about {n:,} reports" for n, p in peaks)
                + f"; the process's peak resident size so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
            )


if __name__ == "__main__":
    main()

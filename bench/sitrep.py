"""A month's situation report over 10,000 reports, against the PDF engine alone rendering its final HTML.

    python bench/sitrep.py [--reports N] [--rounds R] [--filed F] [--seed S] [--postgres URL] [--lang ar|en ...]

The data: bench/reports.py's reports from its fixed seed (categories, parties, places, statuses,
sharing), received over three weeks so that nearly all of them occurred in November 2026; the first
F (200 by default) filed through `commands.file_report`, the others written as its projector writes
them (bench/reports.py checks the two agree).

Measured, in each of R rounds (3 by default) and for each language asked (both by default):
- the build: `sitrep.build.build("parties", 2026-11, lang)`: the record's lock and a checkpoint, every
  figure through the one aggregation (incidents/stats.py), the chart and the map, the template, and
  the PDF with its attached figures;
- the baseline: `sitrep.build.render_pdf` of that build's final HTML with the same attachment, the
  PDF engine (WeasyPrint) alone.
It prints the medians and their ratio (target: the build at most 3x the engine alone).

SQLite in WAL mode in a temporary folder by default; --postgres URL (or a PostgreSQL DATABASE_URL):
a database of its own on that server, dropped afterwards.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reports as source  # noqa: E402  (bench/reports.py: the reports and how they are written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--filed", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--lang", action="append", choices=("ar", "en"))
    args = parser.parse_args()
    args.time_limit = 3600
    url = args.postgres or (
        os.environ.get("DATABASE_URL") if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    )
    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-sitrep-"))
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
        source._pg_admin(server, f'CREATE DATABASE "{pg_name}"')
        auth = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
        os.environ["DATABASE_URL"] = (
            f"postgres://{auth}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{pg_name}"
        )
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'sitrep.sqlite3'}"
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            source._pg_admin(server, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ceasefire.incidents import commands
    from ceasefire.mechanism import commands as mechanism
    from ceasefire.mechanism.accounts import create_account
    from ceasefire.record.log import Actor
    from ceasefire.sitrep import build
    from ceasefire.sitrep.figures import parse_period

    # received from 10 to 30 November: occurred (up to ten days before) in November, or the last days of October
    source.START = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    source.END = dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC)
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
    made = source.fill(args, source.Budget(args.time_limit))
    print(f"{args.reports:,} reports on {connection.vendor} ({json.dumps(made)})", file=sys.stderr)

    period = parse_period("2026-11")
    languages = args.lang or ["ar", "en"]
    build.engine()
    build.build("parties", period, languages[0])  # warm-up: fonts, templates, the geography
    whole, alone = {lang: [] for lang in languages}, {lang: [] for lang in languages}
    figures = 0
    for r in range(args.rounds):
        for lang in languages:
            t = time.perf_counter()
            built = build.build("parties", period, lang)
            whole[lang].append(time.perf_counter() - t)
            attachment = json.dumps(
                build.metadata(built.sitrep, lang), sort_keys=True, ensure_ascii=False, indent=1
            ).encode()
            t = time.perf_counter()
            build.render_pdf(built.html, {build.ATTACHMENT: attachment})
            alone[lang].append(time.perf_counter() - t)
            figures = len(built.sitrep.figures)
            print(
                f"round {r + 1} {lang}: build {whole[lang][-1]:.2f} s, engine alone {alone[lang][-1]:.2f} s "
                f"({built.sitrep.figures['reports']:,} reports in the month, {len(built.pdf):,} bytes)",
                file=sys.stderr,
            )
    print(
        f"situation report 2026-11 over {args.reports:,} reports ({connection.vendor}, {figures} figures), medians of {args.rounds} rounds:"
    )
    worst = 0.0
    for lang in languages:
        b, e = statistics.median(whole[lang]), statistics.median(alone[lang])
        worst = max(worst, b / e)
        print(
            f"  {lang}: build {b:.2f} s, PDF engine alone on the final HTML {e:.2f} s: ratio {b / e:.2f} (target <= 3)"
        )
    print(f"worst ratio {worst:.2f}: {'OK' if worst <= 3 else 'MISSES the target of 3'}")


if __name__ == "__main__":
    main()

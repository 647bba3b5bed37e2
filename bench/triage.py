"""The triage queue with its duplicate candidates: 300 reports of 6 events awaiting triage among thousands.

    python bench/triage.py [--reports N] [--pending P] [--events E] [--rounds R] [--filed F] [--seed S] [--postgres URL]

The data: bench/reports.py's N reports (5,000 by default) from its fixed seed, all received within
three weeks of November 2026 (so that the time windows hold as many as they can), the first F (200)
filed through `commands.file_report`, the others written as its projector writes them. All are then
taken past triage but the last P (300) received, which are made E (6) events: each event's reports
share a category, lie within a few kilometres of one of the places and a few hours of one time, and
tell it in their own words (Arabic or English, spelt variously).

Measured, in each of R rounds (5 by default):
- `duplicates.awaiting_triage(facilitator)`: the queue, each report with its candidates and why;
- the page, GET /reports/triage/ end to end through Django's test client, signed in as the facilitator;
- the baseline: the function's own two reads alone (the pending reports and the pool of reports
  that may be candidates, rows fetched as the function fetches them), in the same run.
It prints the medians, their ratios to the baseline, and how well the candidates find the event:
of each report's event-mates, the share among its candidates (recall, out of at most
duplicates.MOST), and of its candidates, the share that are event-mates (precision).

SQLite in WAL mode in a temporary folder by default; --postgres URL (or a PostgreSQL DATABASE_URL):
a database of its own on that server, dropped afterwards.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reports as source  # noqa: E402  (bench/reports.py: the reports and how they are written)

# Each event's words, in both languages; each report of it takes some of them, spelt its own way.
WORDS_AR = "قصف مدفعي إطلاق نار قذائف على البوابة الشرقية قرب المعسكر فجرا أصيب مدنيان وتضررت سيارة".split()
VARIANTS_AR = {"إطلاق": "اطلاق", "البوابة": "البوابه", "الشرقية": "الشرقيه", "فجرا": "فجراً"}
WORDS_EN = "shelling artillery rounds fired at the eastern gate near the camp at dawn two civilians injured car damaged".split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=5_000)
    parser.add_argument("--pending", type=int, default=300)
    parser.add_argument("--events", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--filed", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    args.time_limit = 3600
    if not 0 < args.pending <= args.reports or not 0 < args.events <= len(source.PLACES):
        parser.error("--pending must be between 1 and --reports, --events between 1 and the bench's places")
    url = args.postgres or (
        os.environ.get("DATABASE_URL") if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    )
    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-triage-"))
    os.environ.update(
        CEASEFIRE_DATA_DIR=str(tmp),
        SECRET_KEY="bench",
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        ALLOWED_HOSTS="localhost,testserver",
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
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'triage.sqlite3'}"
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name:
            source._pg_admin(server, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def events(args, pending: list) -> dict[int, int]:
    """Make the pending reports `args.events` events; -> report id -> its event."""
    from ceasefire.incidents.models import Report

    rng = random.Random(args.seed)
    codes = list(source.CATEGORY_WEIGHTS)
    base = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)
    of = {}
    for i, r in enumerate(pending):
        k = i % args.events
        place = source.PLACES[k]
        r.category_id = codes[k % len(codes)]
        r.latitude = place[3] + rng.uniform(-0.03, 0.03)  # within about 3 km
        r.longitude = place[2] + rng.uniform(-0.03, 0.03)
        r.geo_precision = rng.choice((1, 1, 1, 2))
        r.occurred_at = base + dt.timedelta(hours=7 * k, minutes=rng.randrange(-180, 180))
        r.time_known, r.time_precision = True, 1
        if rng.random() < 0.6:
            words = rng.sample(WORDS_AR, 9)
            words = [VARIANTS_AR.get(w, w) if rng.random() < 0.5 else w for w in words]
            r.title_ar, r.narrative_ar, r.title_en, r.narrative_en = " ".join(words[:4]), " ".join(words), "", ""
        else:
            words = rng.sample(WORDS_EN, 9)
            r.title_en, r.narrative_en, r.title_ar, r.narrative_ar = (
                " ".join(words[:4]).title(),
                " ".join(words),
                "",
                "",
            )
        of[r.id] = k
    fields = ["category_id", "latitude", "longitude", "geo_precision", "occurred_at", "time_known", "time_precision"]
    Report.objects.bulk_update(pending, fields + ["title_ar", "title_en", "narrative_ar", "narrative_en"])
    return of


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ceasefire.incidents import chain, commands, duplicates
    from ceasefire.incidents.models import Report
    from ceasefire.mechanism import commands as mechanism
    from ceasefire.mechanism.accounts import create_account
    from ceasefire.record.log import Actor

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
    user = create_account("facilitator", "bench password for the facilitator 7", "facilitator")
    source.fill(args, source.Budget(args.time_limit))
    ordered = list(Report.objects.order_by("received_at", "id"))
    Report.objects.filter(id__in=[r.id for r in ordered[: -args.pending]], status=chain.RECEIVED).update(
        status=chain.INQUIRY
    )
    pending = ordered[-args.pending :]
    Report.objects.filter(id__in=[r.id for r in pending]).update(status=chain.RECEIVED)
    event_of = events(args, pending)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")

    from tests.helpers import signed_in  # the session the sign-in pages leave, second factor included

    client = signed_in(Client(HTTP_ACCEPT_LANGUAGE="ar"), user)

    def reads():
        waiting = list(
            Report.objects.filter(status=chain.RECEIVED)
            .select_related("category")
            .order_by("received_at", "id")
            .only(*duplicates.FIELDS, "category__name_ar", "category__name_en")
        )
        return len(list(duplicates._pool(facilitator, waiting)))

    def page():
        response = client.get("/reports/triage/")
        assert response.status_code == 200, response.status_code
        return len(response.content)

    queue = duplicates.awaiting_triage(facilitator)  # warm-up: the gazetteer, the templates
    size, pool = page(), reads()
    timed = {"function": [], "page": [], "reads": []}
    for r in range(args.rounds):
        for name, call in (
            ("reads", reads),
            ("function", lambda: duplicates.awaiting_triage(facilitator)),
            ("page", page),
        ):
            t = time.perf_counter()
            call()
            timed[name].append(time.perf_counter() - t)
        print(
            f"round {r + 1}: function {timed['function'][-1]:.3f} s, page {timed['page'][-1]:.3f} s, "
            f"reads alone {timed['reads'][-1]:.3f} s",
            file=sys.stderr,
        )

    recall, precision = [], []
    for report, found in queue:
        mates = {i for i, k in event_of.items() if k == event_of[report.id] and i != report.id}
        got = {c.report.id for c in found}
        recall.append(len(got & mates) / min(len(mates), duplicates.MOST) if mates else 1.0)
        precision.append(len(got & mates) / len(got) if got else 0.0)
    base = statistics.median(timed["reads"])
    print(
        f"{args.pending} reports of {args.events} events awaiting triage among {args.reports:,} ({connection.vendor}), "
        f"a pool of {pool:,} reports that may be candidates; medians of {args.rounds} rounds:"
    )
    print(f"  reads alone (the baseline): {base:.3f} s")
    for name in ("function", "page"):
        m = statistics.median(timed[name])
        print(f"  {name}: {m:.3f} s, ratio {m / base:.1f} to the reads alone")
    print(f"  the page: {size:,} bytes")
    print(
        f"  candidates: recall {statistics.mean(recall):.3f}, precision {statistics.mean(precision):.3f} "
        f"({sum(len(f) for _r, f in queue):,} candidates shown)"
    )


if __name__ == "__main__":
    main()

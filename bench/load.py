"""Every read endpoint and page, and filing a report, under 8 clients at once against `ceasefire
serve`: p99 per endpoint and errors, against a static file served by the same server in the same run.

    python bench/load.py [--clients C] [--requests R] [--writes W] [--postgres URL] [--only TEXT]

The record. The history of the audience leak walk (tests/test_audience_leaks.py, `build`): every
event type the record knows, every kind of row, seven accounts (both delegations, the facilitator,
a monitor, an observer). Built through the commands in a temporary data folder, on SQLite in WAL
mode, or on PostgreSQL in a database of its own that --postgres names (dropped at the end).

The load. `ceasefire serve` (its own default of workers and threads) on a free port of 127.0.0.1,
read as the western delegation's member: the API with its bearer token, the pages with a session
signed in with every factor it owes. Every GET operation of the OpenAPI schema and every page of
web/urls.py, filled with every real row as the leak walk fills them, grouped by endpoint (its route,
whatever the ids): for each endpoint, C client threads (8) each on one keep-alive connection send R
requests (13) back to back, cycling through the endpoint's paths. Then the writes: C clients each
file W reports (5) through `POST /api/v1/reports` as the member. The baseline: `/static/web/favicon.svg`,
which whitenoise serves from memory, through the same server, clients and middleware.

The API's rate limit is raised for the run (CEASEFIRE_API_RATE_AUTHENTICATED): it is what the bench
would otherwise measure. Prints each endpoint's p50, p95, p99, errors and requests per second as a
ratio to the static file's, the slowest first; then how many meet the targets (reads p99 <= 100 ms,
writes p99 <= 250 ms, 0 errors).
"""

import argparse
import atexit
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path[:0] = [str(SRC), str(ROOT), str(ROOT / "bench")]

from crowd import free_port, load, percentile, wait_for  # noqa: E402

READ_MS, WRITE_MS = 100, 250
STATIC = "/static/web/favicon.svg"
READER = "west-member"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=13, help="requests per client and endpoint (default 13)")
    parser.add_argument("--writes", type=int, default=5, help="reports filed per client (default 5)")
    parser.add_argument(
        "--postgres", help="a PostgreSQL server's URL: the record is built in a database of its own there"
    )
    parser.add_argument("--only", help="only the endpoints whose route holds TEXT")
    args = parser.parse_args()
    if args.clients < 1 or args.requests < 1 or args.writes < 0:
        parser.error("--clients and --requests must be at least 1, --writes at least 0")

    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-load-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CEASEFIRE_DEMO")}
    env.update(
        CEASEFIRE_DATA_DIR=str(tmp / "data"),
        SECRET_KEY="bench",
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CEASEFIRE_API_RATE_AUTHENTICATED="1000000/min",
        PYTHONPATH=f"{SRC}{os.pathsep}{ROOT}",
    )
    database = None
    if args.postgres:
        import psycopg

        database = f"ceasefire_bench_load_{os.getpid()}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {database}")
        atexit.register(_drop, args.postgres, database)
        env["DATABASE_URL"] = args.postgres.rsplit("/", 1)[0] + "/" + database
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    endpoints, credentials, category = _build()
    connection.close()
    print(f"record: the leak walk's history, built in {time.monotonic() - started:.0f} s; {len(endpoints)} endpoints")
    if args.only:
        endpoints = {name: paths for name, paths in endpoints.items() if args.only in name}
    _measure(args, env, tmp, endpoints, credentials, category)


def _drop(url: str, database: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _build():
    """The history, the endpoints (route -> its filled paths) and the reader's credentials."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import resolve

    from ceasefire.api.tokens import create_token
    from ceasefire.incidents.models import Category
    from tests.helpers import signed_in
    from tests.test_audience_leaks import Planted, api_paths, build, page_paths

    build(Planted())
    user = get_user_model().objects.get(username=_username(READER))
    token = create_token(user, "bench")
    session = signed_in(Client(), user).cookies["sessionid"].value
    endpoints: dict[str, list[str]] = defaultdict(list)
    for path in api_paths():
        route = resolve(path.split("?")[0]).route
        endpoints[f"GET /{route}"].append(path)
    for path in page_paths():
        route = resolve(path.split("?")[0]).route
        endpoints[f"page /{route}"].append(path)
    category = Category.objects.filter(retired=False).values_list("code", flat=True).first()
    return dict(endpoints), {"token": token, "session": session}, category


def _username(who: str) -> str:
    from tests.test_audience_leaks import ACCOUNTS

    return ACCOUNTS[who][2]


def answered(status: int) -> bool:
    return status < 500


def _measure(args, env, tmp, endpoints, credentials, category):
    import django

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from ceasefire.cli import main; sys.exit(main())", "serve"]
        + ["--data-dir", env["CEASEFIRE_DATA_DIR"], "--port", str(port)],
        env=env,
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    headers = {
        "Authorization": f"Bearer {credentials['token']}",
        "Cookie": f"sessionid={credentials['session']}",
        "Accept-Language": "ar",
    }
    rows = []
    try:
        wait_for(port, server)
        load_before = os.getloadavg()
        static = load(port, args.clients, 4 * args.requests, [STATIC], headers)
        for name, paths in sorted(endpoints.items()):
            # each path once before it is measured (a worker's first rendering); an answer other than
            # 200 (a page this reader may not use, a 409) is the endpoint's answer: only 5xx is an error
            load(port, 1, len(paths), paths, headers, ok=answered)
            latencies, errors, wall = load(port, args.clients, args.requests, paths, headers, ok=answered)
            rows.append((name, latencies, errors, wall, READ_MS))
        if args.writes and category:
            body = json.dumps(
                {
                    "category": category,
                    "occurred_at": "2026-11-20",
                    "title_en": "Gunfire heard near the coastal road",
                    "narrative_en": "Witnesses heard gunfire for an hour.",
                    "place_en": "Sirte",
                    "alleged_party": "east",
                }
            )
            written = load(
                port,
                args.clients,
                args.writes,
                ["/api/v1/reports"],
                {**headers, "Content-Type": "application/json"},
                method="POST",
                body=body.encode(),
                ok=lambda status: status == 201,
            )
            rows.append(("POST /api/v1/reports (file a report)", *written, WRITE_MS))
        static_after = load(port, args.clients, 4 * args.requests, [STATIC], headers)
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)

    base = static[0] + static_after[0]
    base_rate = len(base) / (static[2] + static_after[2])
    print()
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{'PostgreSQL' if args.postgres else 'SQLite ' + __import__('sqlite3').sqlite_version}; "
        f"{os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
        f"{args.clients} clients x {args.requests} requests per endpoint"
    )
    print(
        f"baseline, a static file ({STATIC}): p50 {percentile(base, 50) * 1000:.1f} ms, "
        f"p99 {percentile(base, 99) * 1000:.1f} ms, {base_rate:.0f} requests/s"
    )
    print("endpoint: p50 / p95 / p99 ms, errors, requests/s and their ratio to the static file's; slowest p99 first")
    met = 0
    for name, latencies, errors, wall, target in sorted(rows, key=lambda r: -percentile(r[1], 99) if r[1] else 0):
        if not latencies:
            print(f"  {name}: no answer, {errors} errors")
            continue
        p50, p95, p99 = (percentile(latencies, p) * 1000 for p in (50, 95, 99))
        rate = len(latencies) / wall
        ok = p99 <= target and errors == 0
        met += ok
        print(
            f"  {'  ' if ok else '✗ '}{name}: {p50:.1f} / {p95:.1f} / {p99:.1f} ms, {errors} errors, "
            f"{rate:.0f}/s = {rate / base_rate:.3f} x the static file"
        )
    print(
        f"targets (reads p99 <= {READ_MS} ms, writes p99 <= {WRITE_MS} ms, 0 errors): met by {met} of {len(rows)} endpoints"
    )


if __name__ == "__main__":
    main()

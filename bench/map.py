"""The map's clusters at a million reports, as GET /api/v1/map/clusters answers them, against a raw
SQL GROUP BY of the same cells.

    python bench/map.py [--reports N] [--queries Q] [--zooms 3-14] [--seed S] [--postgres URL]
                        [--observer] [--explain] [--data-dir DIR]

The data. N reports (1,000,000 by default) spread over Libya from a fixed seed: four in five
around one of the gazetteer's 982 places (towns weigh more than villages; a spread of some 15 km),
one in five anywhere within 100 km of one; categories of the default typology, statuses, alleged
parties, visibility (seven in ten kept with the parties, two shared with observers, one
published), geo precision (1, 2 or 3), happened from 2020-01-01 to 2026-06-30. They are written in
bulk straight into the tables as the projector writes them (incident, report with its map cell):
it is a benchmark of reading. Building a million takes minutes on a quiet machine.

The queries. For each zoom, Q viewports of 1280 × 800 pixels centred on random reports' places,
each asked twice, in alternating order:
- the API: GET /api/v1/map/clusters?bbox=…&zoom=… through Django's test client with a delegate's
  bearer token (every report readable: the most to count; --observer: an observer's, whose
  visibility filter the index also serves), end to end: authentication, the list's filters,
  incidents/mapping.py's GROUP BY, the JSON answer;
- the baseline: the same cells counted by a raw GROUP BY of the reports (the cell shifted and the
  category, with the count and the sums of the coordinates; not the precision the API also
  counts) through the driver on the same database, with the same WHERE (the box's ranges of cells).
Both must count the same reports, or the run stops. It prints, per zoom, the p50, p95 and max of
both, their ratio, the answer's largest size and the most cells answered, and which zooms miss
p95 ≤ 100 ms or an answer ≤ 200 KB.

SQLite in WAL mode in a temporary folder by default; with --postgres URL (or a PostgreSQL
DATABASE_URL), a database of its own on that server, vacuumed and analysed after loading, dropped
at the end. --data-dir DIR keeps the database (SQLite's file in DIR, or the PostgreSQL database DIR
names): a later run with the same DIR, --reports and --seed migrates it and counts its tallies
again, without writing the reports again.
"""

import argparse
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reports import _pg_admin, pct  # noqa: E402  (bench/reports.py's helpers)

TARGET_MS = 100
TARGET_BYTES = 200 * 1024
START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 6, 30, tzinfo=dt.UTC)
VIEW_W, VIEW_H = 1280, 800
CHUNK = 20_000
WEIGHT = {"city": 30, "town": 8, "village": 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=20, help="viewports per zoom")
    parser.add_argument("--zooms", default="3-14", help="first-last")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--observer", action="store_true", help="ask as an observer instead of a delegate")
    parser.add_argument("--explain", action="store_true", help="print the plan of one query per zoom")
    parser.add_argument("--data-dir", help="build the database in DIR and keep it; a later run reuses it")
    args = parser.parse_args()
    first, _, last = args.zooms.partition("-")
    args.zoom_list = list(range(int(first), int(last or first) + 1))
    url = args.postgres or (
        os.environ.get("DATABASE_URL") if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    )
    tmp = Path(args.data_dir).resolve() if args.data_dir else Path(tempfile.mkdtemp(prefix="ceasefire-bench-map-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        CEASEFIRE_DATA_DIR=str(tmp),
        SECRET_KEY="bench",
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        ALLOWED_HOSTS="localhost",
    )
    pg_name = server = None
    if url:
        import dj_database_url

        server = dj_database_url.parse(url)
        if args.data_dir:  # kept between runs, one per folder
            pg_name = f"ceasefire_bench_map_kept_{hashlib.sha256(str(tmp).encode()).hexdigest()[:10]}"
            if not _pg_admin(server, "SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]):
                (tmp / "map.json").unlink(missing_ok=True)  # describes a database that is gone
                _pg_admin(server, f'CREATE DATABASE "{pg_name}"')
        else:
            pg_name = f"ceasefire_bench_map_{uuid.uuid4().hex[:10]}"
            _pg_admin(server, f'CREATE DATABASE "{pg_name}"')
        auth = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
        os.environ["DATABASE_URL"] = (
            f"postgres://{auth}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{pg_name}"
        )
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'map.sqlite3'}"
    try:
        run(args, tmp)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.data_dir:
            if pg_name:
                _pg_admin(server, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            shutil.rmtree(tmp, ignore_errors=True)


def fill(n: int, seed: int) -> None:
    from django.db import connection, transaction

    from ceasefire.incidents.models import Category, Incident, Report
    from ceasefire.places import grid
    from ceasefire.places.gazetteer import gazetteer

    rng = random.Random(seed)
    places = gazetteer().places
    cumulative = list(itertools.accumulate(WEIGHT.get(p.kind, 2) for p in places))
    categories = list(Category.objects.values_list("code", flat=True))
    statuses = ["received", "inquiry", "tasked", "investigated", "findings", "concluded", "disputed", "closed"]
    span = (END - START).total_seconds()
    # The report's indexes (and SQLite's text-index triggers) are set aside while the rows are
    # written and made again after: building an index over sorted rows once is far cheaper than
    # keeping six of them up to date row by row.
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'incidents_report' "
                "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
            )
            kept = c.fetchall()
            for kind, name, _sql in kept:
                c.execute(f'DROP {kind.upper()} "{name}"')
            remade = [sql for _k, _n, sql in kept]
        else:
            c.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'incidents_report' "
                "AND indexname NOT LIKE '%%pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
            )
            kept = c.fetchall()
            for name, _sql in kept:
                c.execute(f'DROP INDEX "{name}"')
            remade = [sql for _n, sql in kept]
    started = time.perf_counter()
    done = 0
    adapt = connection.ops.adapt_datetimefield_value

    def table(model, rows: list[dict]) -> None:
        """Rows straight into the model's table, every column given (its default where not named)."""
        fields = model._meta.concrete_fields
        defaults = {f.attname: f.get_default() for f in fields}
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        dates = {f.attname for f in fields if f.get_internal_type() == "DateTimeField"}
        values = [
            tuple(
                adapt(row[f.attname])
                if f.attname in dates and row.get(f.attname)
                else row.get(f.attname, defaults[f.attname])
                for f in fields
            )
            for row in rows
        ]
        with connection.cursor() as c:
            c.executemany(f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})", values)

    while done < n:
        size = min(CHUNK, n - done)
        incidents, reports = [], []
        for i in range(done + 1, done + size + 1):
            p = rng.choices(places, cum_weights=cumulative)[0]
            spread = 0.15 if rng.random() < 0.8 else 0.9
            lat = round(min(33.2, max(19.5, rng.gauss(p.latitude, spread))), 5)
            lon = round(min(25.2, max(9.3, rng.gauss(p.longitude, spread))), 5)
            when = START + dt.timedelta(seconds=rng.random() * span)
            vis = rng.random()
            incidents.append({"id": i, "year": when.year, "number": i, "title_en": f"Report {i}", "opened_at": when})
            reports.append(
                {
                    "id": i,
                    "year": when.year,
                    "number": i,
                    "incident_id": i,
                    "title_en": f"Report {i}",
                    "category_id": rng.choice(categories),
                    "source_type": "media",
                    "submitted_by": "west-member",
                    "received_at": when,
                    "occurred_at": when - dt.timedelta(hours=rng.randint(0, 72)),
                    "time_precision": 1,
                    "latitude": lat,
                    "longitude": lon,
                    "geo_precision": rng.choices((1, 2, 3), cum_weights=(6, 9, 10))[0],
                    "alleged_party_id": rng.choice(("west", "east", None)),
                    "status": rng.choice(statuses),
                    "stage_since": when,
                    "visibility": "parties" if vis < 0.7 else "observers" if vis < 0.9 else "public",
                    "map_cell": grid.cell(lat, lon),
                }
            )
        with transaction.atomic():
            table(Incident, incidents)
            table(Report, reports)
        done += size
        rate = done / (time.perf_counter() - started)
        print(f"  {done:,} reports written ({rate:,.0f}/s)", end="\r", flush=True)
    print()
    with connection.cursor() as c:
        for sql in remade:
            c.execute(sql)
        if connection.vendor == "sqlite":  # the text index, for the rows written without its triggers
            c.execute("INSERT INTO report_text(report_text) VALUES ('rebuild')")
    tallies()
    print(f"  indexes and tallies made in {time.perf_counter() - started:.0f} s in all")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE incidents_report")


def tallies() -> None:
    """The tallies of the reports, counted afresh, as the projector counts each report in (mapping.tally)."""
    from django.db import connection

    from ceasefire.incidents import mapping
    from ceasefire.places import grid

    with connection.cursor() as c:
        c.execute("DELETE FROM incidents_maptally")
        for zoom in mapping.TALLIED:
            shift = grid.shift(zoom)
            c.execute(
                "INSERT INTO incidents_maptally (key, zoom, cell, visibility, category, count, latitude_sum, longitude_sum, "
                "near, district) "
                f"SELECT '{zoom}:' || (map_cell >> {shift}) || ':' || visibility || ':' || category_id, {zoom}, "
                f"map_cell >> {shift}, visibility, category_id, COUNT(*), SUM(latitude), SUM(longitude), "
                "COUNT(CASE WHEN geo_precision = 2 THEN 1 END), COUNT(CASE WHEN geo_precision = 3 THEN 1 END) "
                f"FROM incidents_report WHERE map_cell IS NOT NULL GROUP BY map_cell >> {shift}, visibility, category_id"
            )
        if connection.vendor == "postgresql":
            c.execute("VACUUM ANALYZE incidents_maptally")


def viewport(rng: random.Random, zoom: int, places) -> tuple[float, float, float, float]:
    """A 1280 × 800 pixel view at the zoom, centred near a random place."""
    from ceasefire.places import grid

    p = rng.choice(places)
    lat, lon = p.latitude + rng.uniform(-0.05, 0.05), p.longitude + rng.uniform(-0.05, 0.05)
    level = zoom + 8  # 256 pixels a tile
    x, y = grid.tile(lat, lon, level)
    x0, x1, y0, y1 = x - VIEW_W / 2, x + VIEW_W / 2, y - VIEW_H / 2, y + VIEW_H / 2
    size = 1 << level
    x0, x1, y0, y1 = max(x0, 0), min(x1, size - 1), max(y0, 0), min(y1, size - 1)
    return (
        max(-180.0, grid.lon_of(x0, level)),
        max(-85.0, grid.lat_of(y1, level)),
        min(180.0, grid.lon_of(x1, level)),
        min(85.0, grid.lat_of(y0, level)),
    )


def raw_sql(box, zoom: int, observer: bool) -> tuple[str, list]:
    from ceasefire.places import grid

    shift = grid.shift(zoom)
    ranges = grid.ranges(box)
    where = " OR ".join("(map_cell >= %s AND map_cell <= %s)" for _ in ranges)
    params: list = [v for r in ranges for v in r]
    sql = (
        f"SELECT map_cell >> {shift}, category_id, COUNT(*), SUM(latitude), SUM(longitude) "
        f"FROM incidents_report WHERE ({where})"
    )
    if observer:
        sql += " AND visibility IN (%s, %s)"
        params += ["observers", "public"]
    return sql + f" GROUP BY map_cell >> {shift}, category_id", params


def in_span(rows, box, zoom: int) -> list:
    """The raw rows of the cells the box touches (the ranges hold a few more), as the API keeps them."""
    from ceasefire.places import grid

    x0, y0, x1, y1 = grid.span(box, grid.level(zoom))
    out = []
    for row in rows:
        x, y = grid.deinterleave(row[0])
        if x0 <= x <= x1 and y0 <= y <= y1:
            out.append(row)
    return out


def run(args, tmp: Path) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ceasefire.api.tokens import create_token
    from ceasefire.incidents import commands
    from ceasefire.incidents.models import Report
    from ceasefire.mechanism import commands as mechanism
    from ceasefire.mechanism.accounts import create_account
    from ceasefire.places.gazetteer import gazetteer
    from ceasefire.record.log import Actor

    call_command("migrate", verbosity=0)
    marker = tmp / "map.json"
    wanted = {"reports": args.reports, "seed": args.seed}
    reuse = marker.exists() and json.loads(marker.read_text()).get("made") == wanted
    t = time.perf_counter()
    if reuse:
        tallies()  # the tallied zooms may have changed since
        built = json.loads(marker.read_text())["seconds"]
        print(f"  reused {tmp}: tallies counted again in {time.perf_counter() - t:.0f} s")
    else:
        if Report.objects.exists():
            sys.exit(
                f"{tmp} holds another run's database ({marker.name} differs): remove it or choose another --data-dir"
            )
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
        create_account("observer", None, "observer")
        fill(args.reports, args.seed)
        built = time.perf_counter() - t
        if args.data_dir:
            marker.write_text(json.dumps({"made": wanted, "seconds": round(built)}))

    if connection.vendor == "sqlite":
        s = connection.settings_dict
        raw = sqlite3.connect(s["NAME"])
        engine = f"SQLite {sqlite3.sqlite_version}"

        def run_raw(sql, params):
            return raw.execute(sql.replace("%s", "?"), params).fetchall()

        def explain(sql, params):
            return [r[-1] for r in raw.execute("EXPLAIN QUERY PLAN " + sql.replace("%s", "?"), params).fetchall()]
    else:
        import psycopg

        s = connection.settings_dict
        raw = psycopg.connect(
            host=s["HOST"] or "localhost", port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"], autocommit=True
        )
        engine = "PostgreSQL " + raw.execute("SHOW server_version").fetchone()[0]

        def run_raw(sql, params):
            return raw.execute(sql, params).fetchall()

        def explain(sql, params):
            return [r[0] for r in raw.execute("EXPLAIN " + sql, params).fetchall()]

    who = "observer" if args.observer else "west-member"
    user = get_user_model().objects.get(username=who)
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'bench')}")
    places = gazetteer().places
    rng = random.Random(args.seed + 1)
    print(
        f"{engine}; {args.reports:,} reports built in {built:.0f} s; as {'an observer' if args.observer else 'a delegate'}"
    )
    print(
        f"{'zoom':>4} {'api p50':>8} {'api p95':>8} {'api max':>8} {'raw p50':>8} {'raw p95':>8} {'ratio p95':>9} {'max KB':>7} {'cells':>6} {'reports':>10}"
    )
    missed = []
    for zoom in args.zoom_list:
        api_ms, raw_ms, sizes, cells, counted = [], [], [], [], []
        boxes = [viewport(rng, zoom, places) for _ in range(args.queries)]
        # a warm-up: the first query of a zoom reads pages the others find cached
        warm = ",".join(f"{v:.5f}" for v in boxes[0])
        client.get("/api/v1/map/clusters", {"bbox": warm, "zoom": zoom})
        for i, box in enumerate(boxes):
            bbox = ",".join(f"{v:.5f}" for v in box)
            box = tuple(float(v) for v in bbox.split(","))
            sql, params = raw_sql(box, zoom, args.observer)

            def api_call():
                t0 = time.perf_counter()
                r = client.get("/api/v1/map/clusters", {"bbox": bbox, "zoom": zoom})
                api_ms.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, r.content[:300]
                return r

            def raw_call():
                t0 = time.perf_counter()
                rows = in_span(run_raw(sql, params), box, zoom)
                raw_ms.append((time.perf_counter() - t0) * 1000)
                return rows

            if i % 2:
                rows, r = raw_call(), api_call()
            else:
                r, rows = api_call(), raw_call()
            body = r.json()
            total = sum(row[2] for row in rows)
            assert body["count"] == total, (zoom, bbox, body["count"], total)
            sizes.append(len(r.content))
            cells.append(len(body["clusters"]))
            counted.append(total)
        if args.explain:
            print("\n".join("      " + line for line in explain(*raw_sql(boxes[0], zoom, args.observer))))
        a95, r95 = pct(api_ms, 95), pct(raw_ms, 95)
        print(
            f"{zoom:>4} {pct(api_ms, 50):>8.1f} {a95:>8.1f} {max(api_ms):>8.1f} {pct(raw_ms, 50):>8.1f} {r95:>8.1f} "
            f"{a95 / r95 if r95 else math.inf:>9.2f} {max(sizes) / 1024:>7.1f} {max(cells):>6} {max(counted):>10,}"
        )
        if a95 > TARGET_MS or max(sizes) > TARGET_BYTES:
            missed.append(zoom)
    print(f"targets (p95 ≤ {TARGET_MS} ms, answer ≤ {TARGET_BYTES // 1024} KB) missed at zooms: {missed or 'none'}")


if __name__ == "__main__":
    main()

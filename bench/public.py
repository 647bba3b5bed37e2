"""The public page under a crowd: 8 clients at once against `ceasefire serve`, p99 and errors, against a
trivial static file served by the same server in the same run.

    python bench/public.py [--reports N] [--clients C] [--requests R] [--rounds K] [--workers W]
                           [--threads T] [--data-dir DIR]

The record. A committee of two parties, the default typology, N published reports (200 by default,
from a fixed seed: each filed, closed by triage and published by the facilitator, through the
commands), an agreement of 10 provisions, both parties' witnesses cosigning the newest checkpoint,
and a situation report issued for the public. SQLite in WAL mode in a temporary folder (or DIR,
kept and reused when --reports matches).

The load. `ceasefire serve` (gunicorn, gthread; its own default of workers and threads unless
--workers/--threads say) on a free port of 127.0.0.1. C client threads (8 by default) each keep one
HTTP/1.1 connection and send R requests (200 by default) one after the other, as fast as answers
come, in K rounds (3 by default):
- the public page, `/public/`, in Arabic and English alternately (`?lang=ar`, `?lang=en`);
- every public page in turn (the first page, the list, a report, the situation report, the record);
- the baseline: `/static/web/favicon.svg`, which whitenoise serves from memory, through the same
  server and middleware.
Before measuring, each page is fetched once in each language (the first rendering after a
checkpoint, timed and printed apart: the pages are cached per checkpoint, so the crowd meets the
cache). It prints p50, p95, p99 and the maximum of each load over every request of every round, the
errors (a status other than 200, or no answer), requests per second, and p99 against the baseline's.
Target: p99 <= 100 ms for the public page, 0 errors.
"""

import argparse
import atexit
import http.client
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from crowd import free_port, load, percentile, wait_for  # noqa: E402

ARABIC = {"Accept-Language": "ar"}
TARGET_MS = 100
STATIC = "/static/web/favicon.svg"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=200, help="published reports (default 200)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="requests per client and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: ceasefire serve's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: ceasefire serve's)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--data-dir", help="build the record in DIR and keep it; a later run reuses it")
    args = parser.parse_args()
    if args.reports < 1 or args.clients < 1 or args.requests < 1 or args.rounds < 1:
        parser.error("--reports, --clients, --requests and --rounds must be at least 1")

    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-public-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    data = Path(args.data_dir).resolve() if args.data_dir else tmp / "data"
    kept = data / "bench-public.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CEASEFIRE_DEMO")}
    env.update(
        CEASEFIRE_DATA_DIR=str(data),
        SECRET_KEY="bench",
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(SRC),
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    started = time.monotonic()
    before = json.loads(kept.read_text()) if kept.exists() else None
    if before is not None and before["reports"] != args.reports:
        sys.exit(
            f"{data} holds {before['reports']} published reports: give --reports {before['reports']} or another --data-dir"
        )
    report = before["report"] if before else _build(args, kept)
    connection.close()
    print(
        f"record: {args.reports} published reports, {'read from ' + str(data) if before else 'built'} in {time.monotonic() - started:.0f} s"
    )
    _measure(args, env, tmp, data, report)


def _build(args, kept) -> str:
    import base64

    from django.core.management import call_command

    from ceasefire.agreements import commands as agreements
    from ceasefire.incidents import commands as incidents
    from ceasefire.mechanism import commands
    from ceasefire.mechanism.accounts import actor_for, create_account
    from ceasefire.record import checkpoints, log, note
    from ceasefire.record.log import Actor
    from ceasefire.sitrep import commands as sitrep
    from ceasefire.sitrep import store

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    fac = Actor("facilitator", role="facilitator")
    commands.establish(
        fac,
        {
            "name_en": "Joint Military Commission (bench)",
            "name_ar": "اللجنة العسكرية المشتركة",
            "parties": [
                {"code": "west", "name_en": "Western region", "name_ar": "المنطقة الغربية", "seats": 5},
                {"code": "east", "name_en": "Eastern region", "name_ar": "المنطقة الشرقية", "seats": 5},
            ],
        },
    )
    heads = {p: actor_for(create_account(f"{p}-head", None, "head", p)) for p in ("west", "east")}
    member = actor_for(create_account("west-member", None, "member", "west"))
    incidents.adopt_default_typology(fac)
    places = [("Sirte", "سرت", 16.59, 31.21), ("Abu Qurayn", "أبو قرين", 15.25, 31.45), ("Jufra", "الجفرة", 16.0, 29.1)]
    last = None
    with log.batch():
        for i in range(args.reports):
            en, ar, lon, lat = rng.choice(places)
            day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
            r = incidents.file_report(
                member,
                {
                    "category": rng.choice(["shelling", "firing", "air-strike", "road-blocked"]),
                    "occurred_at": day,
                    "title_en": f"Report {i} near {en}",
                    "title_ar": f"بلاغ {i} قرب {ar}",
                    "narrative_en": "Witnesses heard gunfire for an hour.",
                    "place_en": en,
                    "place_ar": ar,
                    "latitude": lat + rng.uniform(-0.1, 0.1),
                    "longitude": lon + rng.uniform(-0.1, 0.1),
                    "geo_precision": 2,
                    "alleged_party": rng.choice(["east", "west"]),
                },
            )
            incidents.triage(fac, r.id, {"decision": "outside_mandate", "reason": "not a violation of the agreement"})
            last = incidents.set_visibility(fac, r.id, {"visibility": "public"})
    agreement = agreements.record_agreement(
        fac, {"title_en": "Ceasefire agreement", "title_ar": "اتفاق وقف إطلاق النار", "signed_on": "2020-10-23"}
    )
    for n in range(1, 11):
        agreements.add_provision(fac, agreement.id, {"number": str(n), "text": f"Provision {n}.", "deadline_months": n})
    keys = []
    for party, head in heads.items():
        skey, vkey = note.generate_cosigner_key(f"bench-{party}-witness")
        commands.register_witness_key(head, {"party": party, "vkey": vkey})
        keys.append((skey, vkey))
    signed = checkpoints.sign_now()
    sitrep.issue(
        fac,
        {
            "period": "2026-11",
            "language": "ar",
            "audience": "public",
            "size": signed.size,
            "root": base64.b64encode(bytes(signed.root)).decode(),
            "sha256": store.keep(b"%PDF-1.4\n% bench: not a real report\n%%EOF\n"),
        },
    )
    cp = checkpoints.sign_now()
    for skey, vkey in keys:
        line = note.cosign(note.parse_note(cp.note)[0], skey, int(time.time()))
        checkpoints.add_cosignatures(note.add_signatures(cp.note, [line]), [vkey])
    kept.write_text(json.dumps({"reports": args.reports, "report": last.reference}))
    return last.reference


def _measure(args, env, tmp, data, report):
    import django

    port = free_port()
    command = [
        sys.executable,
        "-c",
        "import sys; from ceasefire.cli import main; sys.exit(main())",
        "serve",
        "--data-dir",
        str(data),
        "--port",
        str(port),
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    server = subprocess.Popen(
        command, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    loads = {
        "the public page (/public/, ar and en)": ["/public/?lang=ar", "/public/?lang=en"],
        "every public page": [
            f"{p}?lang={lang}"
            for p in (
                "/public/",
                "/public/reports/",
                f"/public/reports/{report}/",
                "/public/sitrep/",
                "/public/record/",
            )
            for lang in ("ar", "en")
        ],
        f"baseline: a static file ({STATIC})": [STATIC],
    }
    try:
        wait_for(port, server)
        load_before = os.getloadavg()
        # the first rendering after the checkpoint, in each worker that answers it (not measured below)
        first = []
        for path in loads["every public page"]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            t = time.perf_counter()
            conn.request("GET", path)
            answer = conn.getresponse()
            answer.read()
            first.append((time.perf_counter() - t, path, answer.status))
            conn.close()
        for _ in range(3):  # let every worker render each page once
            load(port, args.clients, 4 * len(loads["every public page"]), loads["every public page"], ARABIC)
        results = {name: ([], 0, 0.0) for name in loads}
        for k in range(args.rounds):
            for name, paths in loads.items():
                lat, err, wall = load(port, args.clients, args.requests, paths, ARABIC)
                got = results[name]
                results[name] = (got[0] + lat, got[1] + err, got[2] + wall)
                print(
                    f"round {k + 1}: {name}: p99 {percentile(lat, 99) * 1000:.1f} ms, {err} errors, {len(lat) / wall:.0f} requests/s"
                )
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)

    print()
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {__import__('sqlite3').sqlite_version}; "
        f"{os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
        f"{args.clients} clients x {args.requests} requests x {args.rounds} rounds per load"
    )
    print("first rendering after the checkpoint (uncached):")
    for t, path, status in first:
        print(f"  {path}: {t * 1000:.0f} ms ({status})")
    base99 = percentile(results[f"baseline: a static file ({STATIC})"][0], 99)
    for name, (lat, err, wall) in results.items():
        p50, p95, p99 = (percentile(lat, p) for p in (50, 95, 99))
        print(
            f"{name}: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {max(lat) * 1000:.1f} ms; "
            f"{err} errors; {len(lat) / wall:.0f} requests/s; p99 ratio to the static file {p99 / base99:.2f}"
        )
    lat, err, _wall = results["the public page (/public/, ar and en)"]
    p99 = percentile(lat, 99) * 1000
    ok = p99 <= TARGET_MS and err == 0
    print(
        f"target: the public page p99 <= {TARGET_MS} ms and 0 errors: {'met' if ok else 'MISSED'} (p99 {p99:.1f} ms, {err} errors)"
    )
    print(f"median latency of the public page: {statistics.median(lat) * 1000:.1f} ms")


if __name__ == "__main__":
    main()

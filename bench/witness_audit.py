"""The auditing witness catching up on a record, against bare hashing of the same entries.

    python bench/witness_audit.py [--entries N] [--rounds R] [--page P ...] [--jobs J] [--data-dir DIR] [--time-limit S]

Builds a record of N entries (100,000 by default) through the command path, in a temporary data
folder on SQLite: the committee, a western head with an API token and a witness key registered in
the record, a meeting and N action items appended in `log.batch()` blocks of 1,000; then one
checkpoint of the whole record. Serves it with `ceasefire serve` (gunicorn, one worker, its own
process) on a free port of 127.0.0.1.

Then, R times: the western witness (witness.Witness, in this process, exactly as `ceasefire witness
--token-file F` runs it) with an empty state folder does one round over HTTP: it pins the log key,
fetches the checkpoint, fetches all N entries in pages of P (witness.PAGE, 8,192, by default; with
several --page, one witness round of each in every round, so that they compare under the same load;
the server answers at most MAX_LINES entries a request), several pages at once in J threads
(witness.JOBS unless --jobs says) that each fetch a page and hash its entries, writes each page to its
copy as served, computes the root, and sends its cosignature. With --data-dir, the record is built there once and
kept: a later run with the same folder and --entries reads it again instead of building it.
Beside it, the baseline: bare hashlib SHA-256 of the same N entry bodies, one call each, in this
process (as bench/verify.py and bench/tree.py). Prints the medians of wall time (and of the
witness's own CPU time) in entries/s, their ratio (the issue's target: at least 0.3 in wall time),
and the size of the witness's copy against the entries it holds (the issue's bound: it adds at most
their size) and against the server's database.
"""

import argparse
import atexit
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path[:0] = [str(SRC), str(Path(__file__).resolve().parent)]

from crowd import free_port, wait_for  # noqa: E402

BATCH = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000, help="entries in the record (default 100,000)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--page",
        type=int,
        action="append",
        help="entries per request of the witness (default witness.PAGE); repeat to compare",
    )
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds; the run stops past it")
    parser.add_argument("--jobs", type=int, help="the witness's threads reading pages (default witness.JOBS, 2)")
    parser.add_argument(
        "--data-dir", help="build the record in DIR and keep it; a later run with the same DIR and --entries reuses it"
    )
    args = parser.parse_args()
    if args.entries < 10 or args.rounds < 1:
        parser.error("--entries must be at least 10 and --rounds at least 1")
    deadline = time.monotonic() + args.time_limit

    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-witness-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # also when the run stops early (time limit, error)
    data = Path(args.data_dir).resolve() if args.data_dir else tmp / "data"
    kept = data / "bench-witness.json"  # what a kept record was built with
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CEASEFIRE_DEMO")}
    env.update(
        CEASEFIRE_DATA_DIR=str(data),
        SECRET_KEY="bench",
        DJANGO_SETTINGS_MODULE="ceasefire.settings",
        CEASEFIRE_CHECKPOINT_EVERY_EVENTS=str(10 * args.entries),  # one checkpoint, signed below
        CEASEFIRE_CHECKPOINT_EVERY_SECONDS="100000000",
        PYTHONPATH=str(SRC),
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from ceasefire.record import checkpoints
    from ceasefire.record.models import Event

    started = time.monotonic()
    built_before = json.loads(kept.read_text()) if args.data_dir and kept.exists() else None
    if built_before is not None and built_before["entries"] != args.entries:
        sys.exit(
            f"{data} holds a record of {built_before['entries']} entries: give --entries {built_before['entries']} or another --data-dir"
        )
    if built_before is not None:
        token, skey = built_before["token"], built_before["skey"]
        cp = checkpoints.latest()
    else:
        token, skey, cp = _build(args, deadline, data, kept)
    bodies = [bytes(b) for b in Event.objects.filter(seq__lt=cp.size).order_by("seq").values_list("body", flat=True)]
    connection.close()
    built = time.monotonic() - started
    print(
        f"record: {cp.size} entries, {sum(map(len, bodies))} bytes of bodies, {'read from ' + str(data) if built_before else 'built'} in {built:.0f} s"
    )
    _measure(args, deadline, env, tmp, data, token, skey, cp, bodies)


def _build(args, deadline, data, kept):
    from django.core.management import call_command

    from ceasefire.api.tokens import create_token
    from ceasefire.mechanism import commands
    from ceasefire.mechanism.accounts import actor_for, create_account
    from ceasefire.record import checkpoints, log, note
    from ceasefire.record.log import Actor
    from ceasefire.record.models import Event

    call_command("migrate", verbosity=0)
    facilitator = Actor("facilitator", role="facilitator")
    commands.establish(
        facilitator,
        {
            "name": "Bench",
            "parties": [{"code": "west", "name": "W", "seats": 5}, {"code": "east", "name": "E", "seats": 5}],
        },
    )
    head = create_account("west-head", None, "head", "west")
    token = create_token(head, "bench witness")
    skey, vkey = note.generate_cosigner_key("bench-west-witness")
    commands.register_witness_key(actor_for(head), {"party": "west", "vkey": vkey})
    meeting = commands.record_meeting(
        facilitator, {"title": "Bench round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    )
    n = log.size() if hasattr(log, "size") else Event.objects.count()
    for start in range(n, args.entries, BATCH):
        if time.monotonic() > deadline:
            sys.exit("time limit reached while building the record")
        with log.batch():
            for i in range(start, min(start + BATCH, args.entries)):
                commands.add_action_item(
                    facilitator,
                    meeting.id,
                    {
                        "text": f"Withdraw the forces of sector {i} to their bases",
                        "owner_party": "west" if i % 2 else "east",
                        "deadline": "2021-03-01",
                    },
                )
    cp = checkpoints.sign_now()
    if args.data_dir:
        kept.write_text(json.dumps({"entries": args.entries, "token": token, "skey": skey}))
    return token, skey, cp


def _measure(args, deadline, env, tmp, data, token, skey, cp, bodies):
    import django

    from ceasefire.api.routers.record import MAX_LINES
    from ceasefire.record import note, witness

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from ceasefire.cli import main; sys.exit(main())",
            "serve",
            "--data-dir",
            str(data),
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(port, server)
        url = f"http://127.0.0.1:{port}"
        key = note.parse_signer_key(skey)
        load_before = os.getloadavg()
        pages = args.page or [witness.PAGE]
        witness.JOBS = args.jobs or getattr(witness, "JOBS", 1)
        if not all(0 < p <= MAX_LINES for p in pages):
            sys.exit(f"--page must be between 1 and the server's MAX_LINES ({MAX_LINES})")
        walls, cpus, servers, copies = ({p: [] for p in pages} for _ in range(4))
        bases, base_cpus = [], []
        for r in range(args.rounds):
            if time.monotonic() > deadline:
                print(f"time limit reached after {r} rounds")
                break
            for page in pages:
                state = tmp / f"witness-{r}-{page}"
                witness.PAGE = page
                w = witness.Witness(
                    witness.Server(url, token), key, witness.State(state), say=lambda m: None, warn=lambda m: None
                )
                t, c, sc = time.perf_counter(), _own_cpu(), _session_cpu(server.pid)
                outcome = w.run()
                walls[page].append(time.perf_counter() - t)
                cpus[page].append(_own_cpu() - c)
                servers[page].append(_session_cpu(server.pid) - sc)
                assert (
                    outcome.copied == cp.size
                    and outcome.root == cp.root
                    and "bench-west-witness" in outcome.cosigned_by
                ), outcome
                copies[page].append(sum(f.stat().st_size for f in state.glob("entries*")))
                shutil.rmtree(state)
            sha256 = hashlib.sha256
            t, c = time.perf_counter(), time.process_time()
            for body in bodies:
                sha256(body).digest()
            bases.append(time.perf_counter() - t)
            base_cpus.append(time.process_time() - c)
            said = ", ".join(
                f"pages of {p}: {walls[p][-1]:.3f} s wall ({cpus[p][-1]:.3f} s CPU, the server's {servers[p][-1]:.3f} s), ratio {bases[-1] / walls[p][-1]:.3f}"
                for p in pages
            )
            print(f"round {r + 1}: hashlib {bases[-1]:.3f} s; witness {said}")
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        database = sum(p.stat().st_size for p in data.glob("*.sqlite3*"))
        shutil.rmtree(tmp, ignore_errors=True)
        if not args.data_dir:
            shutil.rmtree(data, ignore_errors=True)

    base = statistics.median(bases)
    size = cp.size
    print()
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {__import__('sqlite3').sqlite_version}; {len(bases)} rounds"
    )
    print(f"the witness's threads reading pages: {getattr(witness, 'JOBS', 0)}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} CPUs)")
    base_cpu = statistics.median(base_cpus)
    print(
        f"hashlib SHA-256 of the same entries, one call each: {size / base:,.0f} entries/s (median {base:.3f} s wall, {base_cpu:.3f} s CPU)"
    )
    for page in pages:
        wall, cpu, served = (
            statistics.median(walls[page]),
            statistics.median(cpus[page]),
            statistics.median(servers[page]),
        )
        print(
            f"witness catching up on {size} entries over HTTP, pages of {page}: {size / wall:,.0f} entries/s wall (median {wall:.3f} s), {size / cpu:,.0f} entries/s of its own CPU"
        )
        print(f"  CPU: the witness {cpu:.3f} s, the server {served:.3f} s ({served / size * 1e6:.2f} us an entry)")
        print(
            f"  ratio (wall): {base / wall:.3f}   [target >= 0.3]   ratio (CPU, the witness's): {base_cpu / cpu:.3f}   (CPU, the witness's and the server's): {base_cpu / (cpu + served):.3f}"
        )
    copy, entries = statistics.median(copies[pages[0]]), sum(map(len, bodies))
    print(
        f"the witness's copy (its files entries*): {copy:,.0f} bytes for {entries:,} bytes of entries: {copy / entries:.4f} x the entries' size"
        f" ({copy - entries:+,} bytes, {(copy - entries) / size:.2f} an entry), {copy / database:.3f} x the server's database ({database:,} bytes)"
    )


def _own_cpu() -> float:
    """CPU seconds of this process, the witness's threads included (not the server's, a process of its own)."""
    return time.process_time()


def _session_cpu(sid: int) -> float:
    """CPU seconds used so far by the processes of session `sid` (the server: gunicorn and its worker), from /proc."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if int(fields[3]) == sid:  # fields after the name: state ppid pgrp session ... utime(11) stime(12)
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()

"""The offline verifier: how fast it checks a bundle, against bare hashing of the same entries.

    python bench/verify.py [--events N] [--rounds R] [--jobs J] [--checkpoint-every E] [--withheld F]

Writes a bundle of N synthetic events (1,000,000 by default) straight in the bundle format, without a
database: entries of 150 to 405 bytes shaped like the record's canonical JSON, from a fixed seed; a
log key and two witness keys derived from fixed seeds, registered by entries 0 and 1 (the verifier
checks the header's witness keys against those entries); a checkpoint signed every E entries and at N,
each cosigned by both witnesses. A fraction F of the entries is withheld (leaf hash only), as in a
bundle for a narrower audience.

Then, R times: verify.verify() on the bundle (called from this process, output discarded; it forks J
worker processes, one per CPU by default), and the baseline, bare hashlib SHA-256 of the same entry
bytes in this process, one call each as bench/tree.py does. Prints the medians in entries/s and their
ratio (target: at least 0.5) in wall time, the requirement, and in CPU time (the verifier's counts its
workers too). The load average before and after is printed: on a shared machine the wall times swing
with the neighbours' load, and when the machine is busy the workers get no more CPU between them
than one process would (Linux shares CPU time fairly between sessions, not processes), so the wall
ratio falls towards the CPU ratio.

Where the time goes: the verifier makes two hashlib calls per entry (its leaf hash, and one interior
node of the tree), and on OpenSSL 3 a call's fixed cost exceeds that of hashing a few hundred bytes,
so the tree alone costs about as much as the baseline; reading the lines and checking their hex adds
about as much again. In CPU time one process cannot reach 0.5; the workers share that work. With a
checkpoint every E entries, each checkpoint adds three Ed25519 verifications (the log and two
witnesses).
"""

import argparse
import base64
import hashlib
import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ceasefire.record import merkle, note, verify, verify_fast  # noqa: E402  (the path above first)

SEED = 9162
PAD = random.Random(SEED).randbytes(256).hex().encode()  # JSON-safe filler
ORIGIN = "bench.example/record"
TIME = 1_767_225_600  # 2026-01-01, the cosignatures' timestamp
CHUNK = 1 << 16


def entry(i: int) -> bytes:
    """Synthetic entry i: 150 to 405 bytes of canonical-JSON-shaped text, like the record's events.
    Entries 0 and 1 register the two witnesses' keys, as the header says (the verifier checks it)."""
    if i < len(PARTIES):
        return (
            b'{"actor":"%s-head","party":"%s","payload":{"party":"%s","vkey":"%s"},"seq":%d,'
            b'"time":"2026-01-01T00:00:00.000000Z","type":"witness.key_registered","v":1}'
        ) % (PARTIES[i].encode(), PARTIES[i].encode(), PARTIES[i].encode(), str(WITNESSES[i].verifier).encode(), i)
    head = b'{"actor":"facilitator","party":null,"payload":{"pad":"'
    tail = b'"},"seq":%d,"time":"2026-01-01T00:00:00.000000Z","type":"meeting.recorded","v":1}' % i
    return head + PAD[: max(0, 150 + (i * 7919) % 256 - len(head) - len(tail))] + tail


def key(name: str, alg: int, seed_text: str) -> note.SignerKey:
    """A signer key derived from a fixed seed, so that every run writes the same bundle."""
    seed = hashlib.sha256(seed_text.encode()).digest()
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    key_id = hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public).digest()[:4]
    raw = base64.b64encode(bytes([alg]) + seed).decode()
    return note.parse_signer_key(f"PRIVATE+KEY+{name}+{key_id.hex()}+{raw}")


PARTIES = ("west", "east")
WITNESSES = [key(f"bench-{p}-witness", note.COSIGNATURE_V1, f"bench {p} witness") for p in PARTIES]


def write_bundle(path: Path, n: int, every: int, withheld: float) -> int:
    """-> the number of checkpoints written."""
    log = key(ORIGIN, note.ED25519, "bench log key")
    witnesses = WITNESSES
    rng = random.Random(SEED)
    sizes = sorted({*range(every, n, every), n}) if every else [n]
    roots, stack = {}, []  # the streaming fold of merkle._fold, read at every checkpoint size
    with open(path, "wb") as out:
        out.write(b"ceasefire-bundle v1\n")
        out.write(
            f"origin {ORIGIN}\naudience {'public' if withheld else 'parties'}\ncreated 2026-01-01T00:00:00Z\n".encode()
        )
        out.write(f"log-key {log.verifier}\n".encode())
        for seq, (w, party) in enumerate(zip(witnesses[:n], PARTIES)):
            out.write(f"witness-key {w.verifier} party={party} registered={seq} retired=-\n".encode())
        out.write(f"entries {n}\n".encode())
        want = iter(sizes)
        next_size = next(want)
        for i in range(n):
            body = entry(i)
            leaf = merkle.leaf_hash(body)
            if rng.random() < withheld and i >= len(PARTIES):  # the registrations are public
                out.write(b"%s\n" % leaf.hex().encode())
            else:
                out.write(b"%s %s\n" % (leaf.hex().encode(), body))
            h, j = leaf, i
            while j & 1:
                h = merkle.node_hash(stack.pop(), h)
                j >>= 1
            stack.append(h)
            if i + 1 == next_size:
                r = stack[-1]
                for s in reversed(stack[:-1]):
                    r = merkle.node_hash(s, r)
                roots[i + 1] = r
                next_size = next(want, None)
        out.write(b"checkpoints %d\n" % len(sizes))
        for size in sizes:
            body = note.Checkpoint(ORIGIN, size, roots[size]).body()
            text = note.add_signatures(note.sign(body, log), [note.cosign(body, w, TIME) for w in witnesses])
            out.write(b"note %d\n%s" % (len(text.encode()), text.encode()))
        out.write(b"end\n")
    return len(sizes)


def clock() -> tuple[float, float, float]:
    children = os.times()
    return time.perf_counter(), time.process_time(), children.children_user + children.children_system


def since(began: tuple[float, float, float]) -> tuple[float, float]:
    """(wall, CPU) seconds since `began`. CPU time counts what this process and its finished children
    (the verifier's workers) ran: on a shared machine, time spent waiting for a core inflates wall
    times at random, CPU times much less."""
    now = clock()
    return now[0] - began[0], (now[1] - began[1]) + (now[2] - began[2])


def baseline(n: int) -> tuple[float, float]:
    """(wall, CPU) seconds to hash the same entry bytes with bare hashlib SHA-256, one call each
    (bench/tree.py's baseline). Entries are made in batches outside the timed loop: memory stays small."""
    sha256, wall, cpu = hashlib.sha256, 0.0, 0.0
    for lo in range(0, n, CHUNK):
        entries = [entry(i) for i in range(lo, min(lo + CHUNK, n))]
        began = clock()
        for e in entries:
            sha256(e).digest()
        w, c = since(began)
        wall, cpu = wall + w, cpu + c
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="the verifier's worker processes (default: one per CPU)"
    )
    parser.add_argument(
        "--checkpoint-every",
        type=int,
        default=0,
        metavar="E",
        help="a checkpoint every E entries (0: only at N); the server's default is 100",
    )
    parser.add_argument(
        "--withheld", type=float, default=0.0, metavar="F", help="fraction of entries carried as leaf hashes only"
    )
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds; the run stops past it")
    args = parser.parse_args()
    if args.events < 1 or args.rounds < 1 or args.jobs < 1 or not 0 <= args.withheld < 1:
        parser.error("--events, --rounds and --jobs must be at least 1, --withheld in [0, 1)")
    deadline = time.monotonic() + args.time_limit

    tmp = Path(tempfile.mkdtemp(prefix="ceasefire-bench-"))
    path = tmp / "bench.bundle"
    try:
        began = time.perf_counter()
        k = write_bundle(path, args.events, args.checkpoint_every, args.withheld)
        print(f"# bench/verify.py: Python {platform.python_version()}, {hashlib.sha256.__name__} ({_openssl()})")
        print(
            f"# bundle: {args.events:,} entries ({args.withheld:.0%} withheld), {k:,} checkpoints cosigned by 2 witnesses, "
            f"{path.stat().st_size / 1e6:,.0f} MB, written in {time.perf_counter() - began:.1f} s; {args.rounds} rounds"
        )
        used = args.jobs if args.events >= 2 * verify_fast.CHUNK else 1
        print(
            f"# verify: --jobs {args.jobs} ({used} process{'es' if used > 1 else ''} check the entries); os.cpu_count() = {os.cpu_count()}"
        )
        print(f"# load average before: {_load()}")
        runs, bases = [], []
        for r in range(args.rounds):
            began = clock()
            code = verify.verify(str(path), out=io.StringIO(), err=io.StringIO(), jobs=args.jobs)
            runs.append(since(began))
            assert code == 0
            bases.append(baseline(args.events))
            print(
                f"round {r + 1}/{args.rounds}: verify {runs[-1][0]:.2f} s wall, {runs[-1][1]:.2f} s CPU; "
                f"hashlib {bases[-1][0]:.2f} s wall, {bases[-1][1]:.2f} s CPU; ratio {bases[-1][0] / runs[-1][0]:.3f} (wall)",
                file=sys.stderr,
            )
            if time.monotonic() > deadline:
                sys.exit("time limit reached; try fewer --events or a larger --time-limit")
        print(f"# load average after: {_load()}")
        for i, kind in ((0, "wall time"), (1, "CPU time")):
            v, b = statistics.median(t[i] for t in runs), statistics.median(t[i] for t in bases)
            print(
                f"{kind}: verify median {v:.2f} s ({args.events / v:,.0f} entries/s); "
                f"baseline, hashlib SHA-256 of the same entries, median {b:.2f} s ({args.events / b:,.0f} hashes/s); "
                f"ratio (speed) {b / v:.3f}"
            )
        print("target: wall-time ratio >= 0.5")
    finally:
        path.unlink(missing_ok=True)
        os.rmdir(tmp)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"
    except OSError:
        return "unknown"


def _openssl() -> str:
    import ssl

    return ssl.OPENSSL_VERSION


if __name__ == "__main__":
    main()

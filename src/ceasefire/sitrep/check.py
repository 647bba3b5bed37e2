"""`ceasefire sitrep verify REPORT.pdf BUNDLE`: recompute every figure of a situation report from a
bundle of the record.

1. The PDF's attached `sitrep.json` gives its figures, the audience, period, language and instant
   they were computed for, and the checkpoint (size, root hash) they were computed from.
2. The bundle is verified as `ceasefire record verify` does (record/verify.py: every entry against
   its leaf hash, the tree against the signed checkpoints, the witnesses' cosignatures).
3. The bundle's first `size` entries must give the stated root: the bundle holds the very record
   the report was built from (a later bundle holds it as its prefix).
4. Those entries are replayed into a scratch database in another process (`recompute.py`), exactly
   as `replay --check` does, and `figures.compute` runs there for the stated audience, period and
   instant: the same code that computed the printed figures.
5. Every figure must be the same; the first that is not is named, with both values.

A bundle that withholds any of those entries cannot recompute them: counts need the reports'
entries, which only the parties' bundle carries in full. That is said, not guessed around.

Exit status: 0 every figure recomputes; 1 something does not hold (named); 2 the files cannot be
used (not a report, not a bundle, a bundle that withholds entries).
"""

import base64
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ceasefire.record import merkle
from ceasefire.record import verify as bundle_verify

from .build import ATTACHMENT, FORMAT


class Failed(Exception):
    pass


class Unusable(Exception):
    pass


def read_report(path: str) -> dict:
    """The figures and checkpoint a report PDF carries (its attached sitrep.json)."""
    try:
        from pypdf import PdfReader

        attachments = PdfReader(path).attachments
    except FileNotFoundError:
        raise Unusable(f"cannot read {path}: no such file") from None
    except Exception as e:  # pypdf raises many kinds on a file that is not a PDF
        raise Unusable(f"{path} is not a readable PDF ({type(e).__name__}: {e})") from None
    if ATTACHMENT not in attachments:
        raise Unusable(f"{path} carries no {ATTACHMENT}: it is not a situation report of this software")
    try:
        meta = json.loads(attachments[ATTACHMENT][-1])
    except ValueError as e:
        raise Failed(f"{path}: its {ATTACHMENT} is not JSON ({e})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise Unusable(f"{path}: its {ATTACHMENT} is not of the format {FORMAT!r}")
    for key in ("period", "audience", "language", "as_of", "checkpoint", "figures"):
        if key not in meta:
            raise Failed(f"{path}: its {ATTACHMENT} lacks {key!r}")
    return meta


def _entries(path: str, size: int) -> tuple[list[bytes], list[bytes]]:
    """The leaf hashes and bodies of the bundle's first `size` entries (a withheld one: b"")."""
    leaves, bodies = [], []
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"entries "):
                break
        for _i in range(size):
            line = f.readline().rstrip(b"\n")
            leaf, _sep, body = line.partition(b" ")
            leaves.append(bytes.fromhex(leaf.decode()))
            bodies.append(body)
    return leaves, bodies


def _scratch_database(folder: str) -> str:
    """The URL of the empty SQLite database in `folder` that the entries are replayed into (the
    tests give a copy of one migrated once per run: tests/scratch.py)."""
    return f"sqlite:///{Path(folder, 'scratch.sqlite3')}"


def verify(pdf: str, bundle: str, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    meta = read_report(pdf)
    size, root = int(meta["checkpoint"]["size"]), meta["checkpoint"]["root"]
    said = io.StringIO()
    try:
        bundle_verify.verify(bundle, out=said, err=io.StringIO())
    except bundle_verify.Unusable as e:
        raise Unusable(f"the bundle: {e}") from None
    except bundle_verify.Failed as e:
        raise Failed(f"the bundle does not verify: {e}") from None
    print(said.getvalue().splitlines()[0], file=out)
    with open(bundle, "rb") as f:
        header = f.read(4096).decode(errors="replace")
    held = next((int(line.split()[1]) for line in header.splitlines() if line.startswith("entries ")), 0)
    if held < size:
        raise Unusable(f"the report was built from {size:,} entries; the bundle holds {held:,}: export a newer bundle")
    leaves, bodies = _entries(bundle, size)
    if base64.b64encode(merkle.subtree_root(leaves, 0, size)).decode() != root:
        raise Failed(
            f"the bundle's first {size:,} entries do not give the root the report states ({root}): it was built from another record"
        )
    withheld = sum(1 for b in bodies if not b)
    if withheld:
        raise Unusable(
            f"the bundle withholds {withheld:,} of the {size:,} entries the report was built from (its audience may not read them): "
            "the figures are counted from those entries; verify with a bundle that carries them (`ceasefire record export OUT --audience parties`)"
        )
    print(f"checkpoint: the bundle's first {size:,} entries give the root the report states ({root})", file=out)
    with tempfile.TemporaryDirectory(prefix="ceasefire-sitrep-") as tmp:
        events = Path(tmp, "events.jsonl")
        with events.open("w") as f:
            for body in bodies:
                f.write(base64.b64encode(body).decode() + "\n")
        meta_path, result = Path(tmp, "report.json"), Path(tmp, "figures.json")
        meta_path.write_text(json.dumps(meta))
        env = dict(
            os.environ,
            DATABASE_URL=_scratch_database(tmp),
            CEASEFIRE_DATA_DIR=tmp,
            SECRET_KEY="sitrep-scratch",
        )
        print(f"replaying {size:,} entries into a scratch database", file=err, flush=True)
        run = subprocess.run(
            [sys.executable, "-m", "ceasefire.sitrep.recompute", str(events), str(meta_path), str(result)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if run.returncode != 0:
            raise Failed(
                f"the bundle's entries could not be replayed: {run.stdout.strip() or run.stderr.strip()[-2000:]}"
            )
        recomputed = json.loads(result.read_text())
    stated = meta["figures"]
    for key in sorted(set(stated) | set(recomputed)):
        if stated.get(key) != recomputed.get(key):
            raise Failed(
                f"figure {key}: the report says {_show(stated.get(key))}, the record gives {_show(recomputed.get(key))}"
            )
    print(
        f"OK: {pdf}: all {len(stated):,} figures ({meta['audience']}, {meta['period']}, as of {meta['as_of']}) "
        f"recompute from the bundle's first {size:,} entries",
        file=out,
    )
    return 0


def _show(value) -> str:
    return "nothing" if value is None else repr(value)

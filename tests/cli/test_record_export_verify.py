"""`ceasefire record export` writes a bundle of the demo's record (never over an existing file) and
`ceasefire record verify` checks it: exit 0 when it holds, 1 naming the first bad entry, 2 for a
file that cannot be used. `ceasefire record checkpoint` signs and prints one."""

import sqlite3
import subprocess
import sys

import pytest

from ceasefire.record import note

from .helpers import ceasefire, environment, no_traceback


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):
    return demo.copy(tmp_path_factory.mktemp("record") / "data")


@pytest.fixture(scope="module")
def exported(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundles") / "demo.bundle"
    run = ceasefire("record", "export", out, "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    return out, run


def events(data) -> int:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return db.execute("select count(*) from record_event").fetchone()[0]


def signed(data) -> int:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return db.execute("select count(*) from record_checkpoint").fetchone()[0]


def test_export_writes_a_public_bundle_and_says_so(data, exported):
    out, run = exported
    no_traceback(run)
    assert f"exporting the record for the audience 'public' to {out}" in run.stderr
    assert f"wrote {out}: {events(data):,} entries" in run.stdout
    assert out.read_bytes().startswith(b"ceasefire-bundle v1\norigin ")
    assert b"\naudience public\n" in out.read_bytes()
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]  # no temporary file left


def test_verify_passes_on_the_exported_bundle(data, exported):
    out, _ = exported
    run = ceasefire("record", "verify", out, "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith(f"OK: {out} verifies")
    assert "TAKEN FROM THE BUNDLE ITSELF" in run.stdout


def test_the_same_bundle_verifies_with_python_m_and_no_data_folder(exported, tmp_path):
    out, _ = exported
    run = subprocess.run(
        [sys.executable, "-m", "ceasefire.record.verify", str(out)],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert not list(tmp_path.iterdir())  # it wrote nothing, made no data folder


def test_export_never_overwrites(data, exported):
    out, _ = exported
    before = out.read_bytes()
    run = ceasefire("record", "export", out, "--audience", "parties", "--data-dir", data)
    assert run.returncode == 2
    no_traceback(run)
    assert (
        run.stderr.strip()
        == f"ceasefire record: {out} exists already; choose another name (a bundle is never overwritten)"
    )
    assert out.read_bytes() == before


def test_a_tampered_bundle_fails_with_the_entry_named(data, exported, tmp_path):
    out, _ = exported
    lines = out.read_bytes().split(b"\n")
    first = lines.index(next(line for line in lines if line.startswith(b"entries "))) + 1
    i = next(i for i in range(first, len(lines)) if b'"type":"meeting.recorded"' in lines[i])
    lines[i] = lines[i].replace(b'"meeting.recorded"', b'"meeting.cancelled"')
    tampered = tmp_path / "tampered.bundle"
    tampered.write_bytes(b"\n".join(lines))
    run = ceasefire("record", "verify", tampered, "--data-dir", data)
    assert run.returncode == 1, run.stdout + run.stderr
    no_traceback(run)
    assert (
        f"FAILED: {tampered}: entry {i - first}: its bytes do not match the leaf hash the tree recorded" in run.stderr
    )


def test_verify_with_trusted_keys_and_a_checkpoint_from_before(data, exported, tmp_path):
    out, _ = exported
    lines = out.read_text(encoding="utf-8").split("\n")
    log_key = next(line for line in lines if line.startswith("log-key ")).split(" ", 1)[1]
    trust = tmp_path / "keys"
    trust.write_text(f"# the committee's log key\n{log_key}\n")
    # The checkpoint a witness would hold: the one `record checkpoint` prints (nothing appended since).
    signed = ceasefire("record", "checkpoint", "--data-dir", data)
    assert signed.returncode == 0, signed.stderr
    note.parse_checkpoint(note.parse_note(signed.stdout)[0])
    since = tmp_path / "since"
    since.write_text(signed.stdout)
    run = ceasefire("record", "verify", out, "--trust", trust, "--since", since, "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"keys: the trusted keys in {trust}" in run.stdout and "since: the trusted checkpoint" in run.stdout


def test_export_with_all_checkpoints_carries_every_one(data, exported, tmp_path):
    out, first = exported
    every = tmp_path / "every.bundle"
    run = ceasefire("record", "export", every, "--all-checkpoints", "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    count = signed(data)  # nothing was appended since the first export: it signed no new checkpoint
    assert f", {count:,} checkpoints, " in run.stdout
    carried = int(first.stdout.split(" checkpoints, ")[0].rsplit(" ", 1)[1])
    assert 1 <= carried <= count
    verified = ceasefire("record", "verify", every, "--jobs", "2", "--data-dir", data)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"checkpoints: {count:,}," in verified.stdout


def test_unusable_files_exit_2(data, tmp_path):
    run = ceasefire("record", "verify", tmp_path / "missing.bundle", "--data-dir", data)
    assert run.returncode == 2 and "cannot read" in run.stderr
    no_traceback(run)
    run = ceasefire("record", "export", tmp_path / "no-such-folder" / "x.bundle", "--data-dir", data)
    assert run.returncode == 2 and run.stderr.strip().startswith("ceasefire record: no folder ")
    run = ceasefire("record", "export", tmp_path / "y.bundle", "--audience", "everyone", "--data-dir", data)
    assert run.returncode == 2 and "invalid choice" in run.stderr
    run = ceasefire("record", "verify", tmp_path / "z.bundle", "--jobs", "0", "--data-dir", data)
    assert run.returncode == 2 and "--jobs" in run.stderr
    no_traceback(run)

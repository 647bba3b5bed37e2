"""The fast pass shared out among worker processes (--jobs) gives what one process gives: the same
tree, the same summary, the same first failure; and Ctrl-C still ends it cleanly. The bundles here are
small: a tiny `chunk` makes the verifier use its workers all the same."""

import multiprocessing
import os
import signal

import pytest

from ceasefire.record import merkle, note, verify, verify_fast

from .test_bundle_helpers import Edit, export, failure, record, run  # noqa: F401 (fixture)

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the workers are forked")

ORIGIN = "example.org/log"


def synthetic(path, n: int, withheld: set[int], every: int):
    """A bundle of n made-up entries (no database), a checkpoint every `every` entries and at n."""
    skey, vkey = note.generate_key(ORIGIN)
    bodies = [b'{"pad":"%s","seq":%d}' % (b"x" * (i * 37 % 300), i) for i in range(n)]
    leaves = [merkle.leaf_hash(body) for body in bodies]
    lines = [
        leaf.hex().encode() + (b"" if i in withheld else b" " + body)
        for i, (leaf, body) in enumerate(zip(leaves, bodies))
    ]
    notes = [
        note.sign(note.Checkpoint(ORIGIN, size, merkle.subtree_root(leaves, 0, size)).body(), skey).encode()
        for size in sorted({*range(every, n, every), n})
    ]
    header = [b"ceasefire-bundle v1", b"origin " + ORIGIN.encode(), b"audience public", b"created 2026-01-01T00:00:00Z"]
    header += [b"log-key " + vkey.encode(), b"entries %d" % n]
    tail = b"checkpoints %d\n" % len(notes) + b"".join(b"note %d\n%s" % (len(text), text) for text in notes) + b"end\n"
    path.write_bytes(b"\n".join(header + lines) + b"\n" + tail)
    return path, leaves


def levels(path, jobs: int, chunk: int, plain: bool = False) -> list[bytes]:
    bundle = verify.Bundle(str(path))
    with open(path, "rb") as f:
        f.read(len(verify.MAGIC))
        lines = verify.Lines(f)
        verify.read_header(lines, bundle)
        assert verify.read_entries(lines, bundle, None, jobs, chunk, plain) is None
        assert f.readline().startswith(b"checkpoints ")  # left at the line after the entries
    return [bytes(level) for level in bundle.levels]


@pytest.mark.parametrize(("n", "chunk"), [(2, 1), (9, 2), (64, 4), (97, 4), (97, 16), (130, 8)])
def test_the_workers_build_the_tree_one_process_builds(tmp_path, n, chunk):
    path, leaves = synthetic(tmp_path / "b", n, withheld={1, n // 2}, every=7)
    alone = levels(path, 1, chunk)
    assert alone == verify.build_levels(b"".join(leaves)) == verify_fast.build_levels(b"".join(leaves))
    assert levels(path, 1, chunk, plain=True) == alone
    for jobs in (2, 3):
        assert levels(path, jobs, chunk) == alone, jobs
    assert all(verify.root_at(alone, size) == merkle.subtree_root(leaves, 0, size) for size in range(1, n + 1))
    one, shared = run(path, jobs=1), run(path, jobs=2, chunk=chunk)
    assert one.code == shared.code == 0 and one.out == shared.out


def test_the_same_summary_for_a_record(record, tmp_path):
    path = export(tmp_path, "public", all_checkpoints=True)
    one, shared = run(path, jobs=1), run(path, jobs=2, chunk=4)
    assert one.code == shared.code == 0, (one, shared)
    assert one.out == shared.out


def tampered(path, how: str):
    edit = Edit.read(path)
    fix_count = True
    if how == "byte":
        edit.entries[len(edit.entries) // 2] = edit.entries[len(edit.entries) // 2].replace(b'"Sirte"', b'"Sirtf"')
    elif how == "last byte":
        last = edit.entries[-1]
        edit.entries[-1] = last[:-2] + bytes([last[-2] ^ 0x01]) + last[-1:]  # the schema version's digit, changed
    elif how == "deleted":
        del edit.entries[12]
    elif how == "deleted, count kept":
        del edit.entries[12]
        fix_count = False
    elif how == "reordered":
        edit.entries[21], edit.entries[22] = edit.entries[22], edit.entries[21]
    elif how == "inserted":
        edit.entries.insert(19, edit.entries[3])
    elif how == "one more":
        edit.entries.append(edit.entries[-1])
        fix_count = False
    elif how == "leaf hash":
        edit.entries[17] = merkle.leaf_hash(b"{}").hex().encode() + edit.entries[17][64:]
    elif how == "malformed":
        edit.entries[9] = edit.entries[9][:64].upper() + edit.entries[9][64:]
    elif how == "withheld":
        edit.entries[-3] = edit.entries[-3][:64]
    elif how == "no checkpoints":
        edit.tail = b"end\n"
    return edit.write(path, fix_count=fix_count)


@pytest.mark.parametrize(
    "how",
    [
        "byte",
        "last byte",
        "deleted",
        "deleted, count kept",
        "reordered",
        "inserted",
        "one more",
        "leaf hash",
        "malformed",
        "withheld",
        "no checkpoints",
    ],
)
def test_the_same_failure_for_a_tampered_record(record, tmp_path, how):
    path = tampered(export(tmp_path, all_checkpoints=True), how)
    alone = failure(path, jobs=1)
    assert failure(path, jobs=2, chunk=4) == alone
    assert failure(path, jobs=3, chunk=2) == alone


def test_a_truncated_file_fails_the_same(record, tmp_path):
    path = export(tmp_path)
    data = path.read_bytes()
    for cut in (len(data) - 30, data.index(b"\ncheckpoints ") - 100, data.index(b"\ncheckpoints ") + 1):
        path.write_bytes(data[:cut])
        assert failure(path, jobs=2, chunk=4) == failure(path, jobs=1), cut


def test_a_header_announcing_far_more_entries_than_the_file_holds_fails_at_once(record, tmp_path):
    path = export(tmp_path)
    edit = Edit.read(path)
    n = len(edit.entries)
    edit.header[-1] = b"entries 999999999999999999"
    edit.write(path, fix_count=False)
    alone = failure(path, jobs=1)
    assert failure(path, jobs=2, chunk=1) == alone
    assert alone.endswith(
        f"FAILED: entry {n}: missing: the bundle holds {n} entries, but its header announces 999999999999999999"
    )


def test_without_memory_to_share_one_process_does_it_all(record, tmp_path, monkeypatch):
    path = export(tmp_path)
    alone = run(path, jobs=1)

    def refused(*args, **kwargs):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(verify_fast.mmap, "mmap", refused)
    monkeypatch.setattr(verify_fast, "check_in_parallel", None)  # not called
    shared = run(path, jobs=2, chunk=4)
    assert shared.code == alone.code == 0 and shared.out == alone.out


def test_progress_from_the_workers(record, tmp_path, monkeypatch, capsys):
    path = export(tmp_path)
    monkeypatch.setattr(verify, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(verify_fast, "CHUNK", 4)
    assert verify.main([str(path), "--jobs", "2"]) == 0
    captured = capsys.readouterr()
    progress = [line for line in captured.err.splitlines() if line.startswith("verify: ")]
    assert len(progress) >= 2 and all(line.endswith(" entries") for line in progress)
    assert captured.out.startswith("OK: ")


def test_the_workers_leave_ctrl_c_to_the_parent(record, tmp_path, monkeypatch, capsys):
    path = export(tmp_path)
    monkeypatch.setattr(verify_fast, "CHUNK", 4)
    joined = verify_fast._joined

    def interrupted_workers(ranges, progress):
        # Ctrl-C in a terminal reaches every process of the group; here, the workers only.
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGINT)
        return joined(ranges, progress)

    monkeypatch.setattr(verify_fast, "_joined", interrupted_workers)
    assert verify.main([str(path), "--jobs", "2"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_ctrl_c_stops_the_workers_and_exits_130(record, tmp_path, monkeypatch, capsys):
    path = export(tmp_path)
    monkeypatch.setattr(verify_fast, "CHUNK", 4)
    seen = []

    def interrupted(ranges, progress):
        seen.extend(multiprocessing.active_children())
        raise KeyboardInterrupt

    monkeypatch.setattr(verify_fast, "_joined", interrupted)
    assert verify.main([str(path), "--jobs", "2"]) == 130
    captured = capsys.readouterr()
    assert captured.err.strip() == "verify: interrupted" and captured.out == ""
    assert len(seen) == 2 and not any(p.is_alive() for p in seen) and not multiprocessing.active_children()


def test_jobs_must_be_a_positive_number(tmp_path, capsys):
    assert verify.main([str(tmp_path / "b"), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err

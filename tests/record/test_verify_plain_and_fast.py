"""The plain verifier (verify.check_entries: one entry line at a time) and the fast pass the command
runs (verify_fast: in batches, and shared among worker processes) give the same verdict on the same
bundle, word for word: untouched and tampered, every way the tests tamper with one, and, on small
bundles made without a database, every line changed in every way below and the file cut at every byte.

(Every run of the other verifier tests, through test_bundle_helpers.run, compares the two as well.)"""

import pytest

from ceasefire.record import merkle, verify_fast

from .test_bundle_helpers import Edit, export, record, run_once, said  # noqa: F401 (fixture)
from .test_verify_parallel import synthetic, tampered

# The fast pass, as the command runs it (one process, or workers sharing pieces of a few entries).
FAST = ({"jobs": 1}, {"jobs": 2, "chunk": 4}, {"jobs": 3, "chunk": 2})
TAMPERINGS = (
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
)


def same_verdict(path, fast=FAST, **options) -> tuple[int, str, str]:
    """What the plain verifier says of `path`, after asserting that the fast pass says the same."""
    plain = said(run_once(path, plain=True, **options))
    for how in fast:
        assert said(run_once(path, **options, **how)) == plain, how
    return plain


@pytest.mark.parametrize("audience", ["parties", "observers", "public"])
def test_an_untouched_record_verifies_the_same(record, tmp_path, audience):
    path = export(tmp_path, audience, all_checkpoints=True)
    code, out, _ = same_verdict(path)
    assert code == 0 and out.startswith("OK: ")
    assert same_verdict(export(tmp_path, audience, name="newest.bundle"))[0] == 0


@pytest.mark.parametrize("how", TAMPERINGS)
def test_a_tampered_record_fails_the_same(record, tmp_path, how):
    path = tampered(export(tmp_path, all_checkpoints=True), how)
    code, _, err = same_verdict(path)
    assert code == 1 and err.startswith("FAILED: "), err


def test_with_the_accounts_opened_the_same(record, tmp_path):
    path = export(tmp_path)
    assert same_verdict(path, accounts=True)[0] == 0
    assert same_verdict(export(tmp_path, "public", name="public.bundle"), accounts=True)[0] == 2


def changed(lines: list[bytes], i: int, how: str) -> list[bytes]:
    """The entry lines (each ending in a newline) with line i changed `how`."""
    line, lines = lines[i], list(lines)
    if how == "body byte":
        lines[i] = line[:-2] + bytes([line[-2] ^ 0x01]) + b"\n" if len(line) > 66 else line[:64] + b" x\n"
    elif how == "hex digit":
        lines[i] = bytes([line[0] ^ 0x01]) + line[1:]
    elif how == "upper case hex":
        lines[i] = line[:64].upper() + line[64:]
    elif how == "deleted":
        del lines[i]
    elif how == "copied":
        lines.insert(i, line)
    elif how == "swapped":
        lines[i - 1], lines[i] = line, lines[i - 1]
    elif how == "withheld":
        lines[i] = line[:64] + b"\n"
    elif how == "leaf hash rewritten":
        body = line[65:-1] + b" "
        lines[i] = merkle.leaf_hash(body).hex().encode() + b" " + body + b"\n"
    elif how == "no newline":
        lines[i] = line[:-1]
    elif how == "blank line before":
        lines.insert(i, b"\n")
    elif how == "space, no entry":
        lines[i] = line[:64] + b" \n" if len(line) == 65 else line[:65] + b"\n"
    return lines


CHANGES = (
    "body byte",
    "hex digit",
    "upper case hex",
    "deleted",
    "copied",
    "swapped",
    "withheld",
    "leaf hash rewritten",
    "no newline",
    "blank line before",
    "space, no entry",
)


def test_every_line_changed_every_way_fails_the_same(tmp_path, monkeypatch):
    n = 23
    path, _ = synthetic(tmp_path / "b", n, withheld={3, 11}, every=5)
    data = path.read_bytes()
    head, rest = data.split(b"\nentries %d\n" % n)
    head += b"\nentries %d\n" % n
    lines = rest.splitlines(True)
    entries, tail = lines[:n], b"".join(lines[n:])
    assert same_verdict(path)[0] == 0
    monkeypatch.setattr(verify_fast, "BATCH_BYTES", 700)  # a few lines a batch: changes meet batch borders
    verdicts = set()
    for how in CHANGES:
        for i in range(1, n):
            path.write_bytes(head + b"".join(changed(entries, i, how)) + tail)
            # workers on a sample: each run forks a pool from this (threaded) test process, and a
            # CI run once hung in one of the 242; the single-process pass checks every case
            fast = ({"jobs": 1}, {"jobs": 2, "chunk": 3}) if i % 5 == 0 else ({"jobs": 1},)
            verdict = same_verdict(path, fast=fast)
            verdicts.add(verdict)
            assert verdict[0] in (0, 1), (how, i, verdict)
    assert len(verdicts) > n * 2  # the messages name the line: they differ


def test_the_file_cut_at_every_byte_fails_the_same(tmp_path):
    path, _ = synthetic(tmp_path / "b", 9, withheld={4}, every=4)
    data = path.read_bytes()
    for cut in range(data.index(b"\nentries ") + 1, len(data)):
        path.write_bytes(data[:cut])
        fast = ({"jobs": 1}, {"jobs": 2, "chunk": 2}) if cut % 17 == 0 else ({"jobs": 1},)
        assert same_verdict(path, fast=fast)[0] == 1, cut

"""The auditing witness against the real API (through the test client, on the test's database):
it copies every entry its party may read and the leaf hash of the others, catches up in pages,
holds exactly what the record holds, and refuses, keeping the evidence, when an entry it copied is
later served changed, missing, reordered or with another inserted before it."""

import json

import pytest

from ceasefire.api.tokens import create_token
from ceasefire.record import checkpoints, log, merkle, witness
from ceasefire.record.mirror import Mirror
from ceasefire.record.models import Event

from .test_bundle_helpers import meetings, record  # noqa: F401 (fixture)
from .witness_client import audit, delete, edit_body, insert, swap


@pytest.fixture
def west(record, accounts):
    """The western witness's signer key and a token of the western head's account."""
    return record["west"], create_token(accounts["west-head"], "witness")


def held(state) -> list[tuple[bytes | None, bytes]]:
    mirror = Mirror(state)
    try:
        return mirror.read(0, mirror.size)
    finally:
        mirror.close()


def bodies(n: int) -> list[bytes]:
    return [bytes(b) for b in Event.objects.filter(seq__lt=n).order_by("seq").values_list("body", flat=True)]


def test_it_catches_up_on_every_entry_in_pages(west, tmp_path, monkeypatch):
    monkeypatch.setattr(witness, "PAGE", 7)
    size = checkpoints.latest().size
    done = audit(tmp_path, *west)
    assert done.code == 0, done.err
    assert f"{size} new entries copied" in done.out and f"cosigned checkpoint {size}" in done.out
    pages = [r for r in done.server.requests if "/record/entries" in r]
    assert len(pages) == -(-size // 7) and pages[0].endswith("start=0&end=7&format=lines&leaf_hashes=withheld")
    meetings(10)
    bigger = checkpoints.sign_now().size
    again = audit(tmp_path, *west)
    assert again.code == 0, again.err
    assert f"{bigger - size} new entries copied" in again.out and f"{size} older entries compared" in again.out
    assert len(held(tmp_path)) == bigger


def test_the_copy_is_the_record(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    copy = held(tmp_path)
    assert [body for body, _ in copy] == bodies(len(copy))
    assert [leaf for _, leaf in copy] == [merkle.leaf_hash(b) for b in bodies(len(copy))]
    assert len(copy) == checkpoints.latest().size
    # The copy is the pages as served: each body, a byte before it (0x00 as leaves, its seq as lines)
    # and its newline; and 16 bytes of index a page.
    pages = -(-len(copy) // witness.PAGE)
    index = (tmp_path / "entries.pages.idx").stat().st_size
    assert index == 16 * pages
    served = (tmp_path / "entries.pages").read_bytes()
    lines = [b"\x00" + body for body in bodies(len(copy))]
    assert served in (
        b"".join(line + b"\n" for line in lines),
        b"".join(b"%d %s\n" % (k, line[1:]) for k, line in enumerate(lines)),
    )


def test_as_a_party_it_reads_the_parties_entries(west, tmp_path):
    done = audit(tmp_path, *west)
    assert "read as parties" in done.out and "no token" not in done.err
    types = [json.loads(b)["type"] for b in bodies(len(held(tmp_path)))]
    assert "meeting.minutes_recorded" in types or any(not log.readable(t, "public") for t in types)
    assert all(body is not None for body, _ in held(tmp_path))


def test_as_anonymous_it_holds_the_public_entries_and_the_leaf_hashes_of_the_others(record, tmp_path):
    done = audit(tmp_path, record["east"])
    assert done.code == 0, done.err
    assert "read as public" in done.out and "no token" in done.err
    copy = held(tmp_path)
    for (body, leaf), real in zip(copy, bodies(len(copy)), strict=True):
        readable = log.readable(json.loads(real)["type"], "public")
        assert body == (real if readable else None)
        assert leaf == merkle.leaf_hash(real)
    assert any(body is None for body, _ in copy) and any(body is not None for body, _ in copy)


def refused(done, what: str) -> dict:
    assert done.code == 1, (done.out, done.err)
    assert "REFUSED, nothing cosigned" in done.err
    folder = done.evidence
    assert folder.name.endswith("-" + what), folder
    assert {"reason.txt", "offered.note", "accepted.note"} <= {p.name for p in folder.iterdir()}
    return {p.name: p.read_text() for p in folder.iterdir()}


def sirte(seq_from: int = 0) -> int:
    """A public meeting entry (it names Sirte) at or after seq_from."""
    return next(e.seq for e in Event.objects.filter(seq__gte=seq_from).order_by("seq") if b'"Sirte"' in bytes(e.body))


def test_a_body_edited_after_the_witness_copied_it_is_caught_with_audit_all(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    seq = sirte(5)
    edit_body(seq, b'"Sirte"', b'"Sirtf"')
    assert audit(tmp_path, *west, sample=0).code == 0  # not looked at: the sample was empty
    done = audit(tmp_path, *west, audit_all=True)
    evidence = refused(done, "changed")
    assert (
        f"CHANGED: what the server serves differs from this witness's copy of the record: seq {seq}: the body served differs from the body held"
        in done.err
    )
    [difference] = json.loads(evidence["differences.json"])
    assert (
        difference["seq"] == seq
        and '"Sirte"' in difference["held"]["entry"]
        and '"Sirtf"' in difference["served"]["entry"]
    )


def test_a_deleted_entry_is_refused(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    delete(9)
    done = audit(tmp_path, *west, audit_all=True)
    refused(done, "missing")
    assert "MISSING: seq 9 is not served (deleted?): the server serves seq 10 in its place" in done.err


def test_two_reordered_entries_are_refused(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    swap(11, 12)
    done = audit(tmp_path, *west, audit_all=True)
    evidence = refused(done, "reordered")
    assert "seq 11: the server serves here the entry this witness holds at seq 12" in done.err
    assert "seq 12: the server serves here the entry this witness holds at seq 11" in done.err
    assert [d["seq"] for d in json.loads(evidence["differences.json"])] == [11, 12]


def test_an_inserted_entry_is_refused(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    insert(14, like=sirte(5))
    done = audit(tmp_path, *west, audit_all=True)
    refused(done, "inserted")
    assert (
        "INSERTED" in done.err and "seq 15: the server serves here the entry this witness holds at seq 14" in done.err
    )


def test_an_edit_among_the_new_entries_is_named_by_the_root(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    size = checkpoints.latest().size
    meetings(6)
    bigger = checkpoints.sign_now().size
    seq = sirte(size)
    edit_body(seq, b'"Sirte"', b'"Sirtf"')
    done = audit(tmp_path, *west)
    evidence = refused(done, "root")
    assert f"ROOT: the entries {size}..{bigger - 1} served do not hash" in done.err
    assert f"seq {seq} served is not the entry the log's tree holds at seq {seq}" in done.err
    assert '"Sirtf"' in json.loads(evidence["served.json"])["entry"]
    assert len(held(tmp_path)) == size  # nothing of it copied


def test_without_a_token_it_runs_and_says_so_once(record, tmp_path):
    first = audit(tmp_path, record["west"])
    assert first.code == 0 and first.err.count("no token") == 1


def test_a_copy_read_as_another_audience_is_not_mixed(west, tmp_path):
    assert audit(tmp_path, west[0]).code == 0  # as the public
    done = audit(tmp_path, *west)  # then with the party's token
    assert done.code == 2 and "was read as public, and the server now reads this witness as parties" in done.err


def test_a_wrong_token_is_exit_2(record, tmp_path):
    done = audit(tmp_path, record["west"], token="cf_not-a-token")
    assert done.code == 2 and "HTTP 401" in done.err


def test_a_state_folder_without_a_copy_gets_one_checked_against_the_root(west, tmp_path):
    """A witness that kept only the checkpoint (before it audited) copies the whole record; the
    copy must hash to the root of the checkpoint it offers, consistent with the one it holds."""
    assert audit(tmp_path, *west).code == 0
    for name in ("entries.pages", "entries.pages.idx", "entries.json"):
        (tmp_path / name).unlink()
    seq = sirte(5)
    edit_body(seq, b'"Sirte"', b'"Sirtf"')
    done = audit(tmp_path, *west)
    refused(done, "root")
    assert f"seq {seq} served is not the entry the log's tree holds at seq {seq}" in done.err


def test_a_sample_is_windows_of_the_copy_at_random_places():
    w = witness.Witness.__new__(witness.Witness)
    w.audit_all, w.sample = False, 250
    ranges = w._older(10**12)  # overlapping windows (merged) would make the sample smaller: unlikely here
    assert all(0 <= lo < hi <= 10**12 for lo, hi in ranges) and sum(hi - lo for lo, hi in ranges) == 300
    assert ranges == sorted(ranges) and all(a[1] < b[0] for a, b in zip(ranges, ranges[1:]))
    assert w._older(200) == [(0, 200)]  # a copy smaller than the sample is compared whole
    w.audit_all = True
    assert w._older(10_000) == [(0, 10_000)]


def test_the_copy_keeps_the_root_of_the_tree_between_rounds(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    root = checkpoints.latest().root
    assert (tmp_path / "entries.frontier").exists()
    assert Mirror(tmp_path).root() == bytes(root)
    (tmp_path / "entries.frontier").unlink()  # computed again from the index
    assert Mirror(tmp_path).root() == bytes(root)


@pytest.mark.parametrize("reader", [None, "observer", "west-head"])
def test_the_entries_as_lines_are_the_json_answer(record, accounts, client, reader):
    """What the witness reads (`format=lines`) is the JSON answer of the same reader, line by line."""
    headers = {"Authorization": f"Bearer {create_token(accounts[reader], 'x')}"} if reader else {}
    size = checkpoints.latest().size
    answer = client.get(f"/api/v1/record/entries?start=2&end={size}", headers=headers).json()
    lines = client.get(f"/api/v1/record/entries?start=2&end={size}&format=lines", headers=headers)
    assert lines["Content-Type"] == "text/plain; charset=utf-8"
    first, *rest, last = lines.content.decode().split("\n")
    assert first == f"2 {size} {answer['size']} {answer['audience']}" and last == ""
    assert rest == [
        " ".join([str(e["index"]), e["leaf_hash"], *([e["entry"]] if "entry" in e else [])]) for e in answer["entries"]
    ]

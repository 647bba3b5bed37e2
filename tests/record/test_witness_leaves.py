"""The entries as leaves (`application/vnd.ceasefire.leaves`), the form the witness asks for in
Accept: the server answers it as the JSON and lines answers say, and the witness reading it is as
strict as reading lines. Every test of test_witness_tampering.py and test_witness_audits.py runs
here again with the pages served as leaves (their own modules read lines: the test client sends no
Accept of its own), and the answers made to mislead a witness are made again in this form."""

import base64
import hashlib

import pytest

from ceasefire.api.tokens import create_token
from ceasefire.record import checkpoints, merkle, witness
from ceasefire.record.mirror import Mirror, entry

from .test_bundle_helpers import meetings, record  # noqa: F401 (fixture)
from .test_witness_audits import *  # noqa: F403 (the same tests, as leaves)
from .test_witness_audits import held
from .test_witness_tampering import *  # noqa: F403
from .witness_client import ClientServer, audit

ACCEPT = f"{witness.LEAVES}, text/plain;q=0.9, application/json;q=0.8"


@pytest.fixture(autouse=True)
def as_leaves(monkeypatch):
    """Every witness of this module asks for leaves as witness.Server does, and is answered so."""
    plain, fetch = ClientServer._credentials, ClientServer._fetch
    served: list[str] = []

    def credentials(self, method):
        return {**plain(self, method), **({"Accept": ACCEPT} if method == "GET" else {})}

    def fetching(self, method, path, *args, **kwargs):
        raw, kind = fetch(self, method, path, *args, **kwargs)
        if path == "/record/entries" and not isinstance(self, AsLines):
            served.append(kind)
        return raw, kind

    monkeypatch.setattr(ClientServer, "_credentials", credentials)
    monkeypatch.setattr(ClientServer, "_fetch", fetching)
    yield
    assert set(served) <= {witness.LEAVES}, served


@pytest.fixture
def west_token(record, accounts):
    return record["west"], create_token(accounts["west-head"], "witness", read_only=True)


class AsLines(ClientServer):
    """A witness that asks for no form: the server answers lines."""

    _credentials = witness.Server._credentials


class Rewriting(ClientServer):
    """Serves each page of entries rewritten by `rewrite(records, start)`: the records after the
    first line, and the seq of the first of them."""

    @staticmethod
    def rewrite(records: list[bytes], start: int) -> list[bytes]:
        return records

    def _fetch(self, method, path, *args, **kwargs):
        raw, kind = super()._fetch(method, path, *args, **kwargs)
        if path == "/record/entries":
            assert kind == witness.LEAVES
            head, *records, last = raw.split(b"\n")
            assert last == b""
            raw = b"\n".join([head, *type(self).rewrite(records, int(head.split(b" ")[0])), b""])
        return raw, kind


def serving(rewrite):
    return type("Served", (Rewriting,), {"rewrite": staticmethod(rewrite)})


def leaf_hash_only(record: bytes) -> bytes:
    return b"\x01" + base64.b64encode(hashlib.sha256(record).digest()) if record[:1] == b"\x00" else record


def test_a_page_of_leaves_is_the_lines_answer_as_records(record, accounts, client):
    for reader in (None, "observer", "west-head"):
        headers = {"Authorization": f"Bearer {create_token(accounts[reader], 'x')}"} if reader else {}
        size = checkpoints.latest().size
        lines = client.get(f"/api/v1/record/entries?start=2&end={size}&format=lines", headers=headers)
        leaves = client.get(f"/api/v1/record/entries?start=2&end={size}&format=leaves", headers=headers)
        assert leaves["Content-Type"] == witness.LEAVES
        first, *rest = lines.content.split(b"\n")
        head, *records = leaves.content.split(b"\n")
        assert head == first and records[-1] == b"" and len(records) == len(rest)
        expected = []
        for line in rest[:-1]:
            fields = line.split(b" ", 2)  # index, leaf hash, and the entry when the reader may read it
            expected.append(b"\x00" + fields[2] if len(fields) == 3 else b"\x01" + fields[1])
        assert records[:-1] == expected, reader
        assert any(r[:1] == b"\x00" for r in expected)
        # the parties read every entry in full; the others the leaf hashes of the parties' entries
        assert all(r[:1] == b"\x00" for r in expected) == (reader == "west-head")


def test_leaves_are_asked_for_in_accept_and_lines_stay_lines_without_it(record, accounts, client):
    headers = {"Authorization": f"Bearer {create_token(accounts['west-head'], 'x')}"}
    url = "/api/v1/record/entries?start=0&end=5&format=lines&leaf_hashes=withheld"
    lines = client.get(url, headers=headers)
    asked = client.get(url, headers={**headers, "Accept": ACCEPT})
    refused = client.get(url, headers={**headers, "Accept": f"{witness.LEAVES};q=0, text/plain"})
    every_hash = client.get(url.replace("withheld", "all"), headers={**headers, "Accept": ACCEPT})
    assert lines["Content-Type"].startswith("text/plain") and refused["Content-Type"].startswith("text/plain")
    assert every_hash["Content-Type"].startswith("text/plain")  # a leaf hash beside an entry is no record
    assert asked["Content-Type"] == witness.LEAVES
    assert asked.content == client.get(url.replace("lines", "leaves"), headers=headers).content
    assert all("Accept" in [v.strip() for v in r["Vary"].split(",")] for r in (lines, asked))
    records = asked.content.split(b"\n")[1:-1]
    assert [b"\x00" + line.split(b" ", 1)[1] for line in lines.content.split(b"\n")[1:-1]] == records


def test_leaves_pages_are_as_long_as_lines_pages(record, client):
    size = checkpoints.latest().size
    from ceasefire.api.routers.record import MAX_ENTRIES, MAX_LINES

    assert MAX_LINES > MAX_ENTRIES
    answer = client.get(f"/api/v1/record/entries?start=0&end={size}&format=leaves")
    assert answer.status_code == 200 and len(answer.content.split(b"\n")) == size + 2
    too_many = client.get(f"/api/v1/record/entries?start=0&end={MAX_LINES + 1}&format=leaves")
    assert too_many.status_code == 422 and "end" in too_many.content.decode()


def test_the_copy_holds_leaves_and_reads_back_as_the_record(west_token, tmp_path):
    assert audit(tmp_path, *west_token).code == 0
    mirror = Mirror(tmp_path)
    try:
        lines = mirror._lines(0)
    finally:
        mirror.close()
    assert all(line[:1] == b"\x00" for line in lines)
    assert [entry(line) for line in lines] == held(tmp_path)[: len(lines)]


def test_a_copy_made_of_lines_is_audited_as_leaves(record, accounts, tmp_path):
    key, token = record["west"], create_token(accounts["west-head"], "witness")
    assert audit(tmp_path, key, token, serve=AsLines).code == 0
    size = checkpoints.latest().size
    meetings(3)
    bigger = checkpoints.sign_now().size
    done = audit(tmp_path, key, token, audit_all=True)
    assert done.code == 0, done.err
    assert f"{size} older entries compared" in done.out and f"{bigger - size} new entries copied" in done.out
    copy = held(tmp_path)
    mirror = Mirror(tmp_path)
    try:
        forms = {mirror._lines(k)[0][:1] for k in range(len(mirror._chunks))}
    finally:
        mirror.close()
    assert b"\x00" in forms and any(form.isdigit() for form in forms)  # both forms in one copy
    assert [leaf for _, leaf in copy] == [merkle.leaf_hash(body) for body, _ in copy]


def test_bodies_withheld_from_a_parties_witness_are_refused(west_token, tmp_path):
    done = audit(tmp_path, *west_token, serve=serving(lambda records, start: [leaf_hash_only(r) for r in records]))
    assert done.code == 1 and "WITHHELD" in done.err and "seq 0 first" in done.err, done.err
    assert done.evidence.name.endswith("-withheld")
    assert (done.evidence / "served.txt").read_text().startswith("0 ")
    assert not any(r.startswith("POST") for r in done.server.requests) and held(tmp_path) == []


def test_a_body_withheld_among_the_new_entries_is_refused(west_token, tmp_path):
    assert audit(tmp_path, *west_token).code == 0
    size = checkpoints.latest().size
    meetings(2)
    checkpoints.sign_now()
    withhold = size + 1

    def rewrite(records, start):
        return [leaf_hash_only(r) if seq == withhold else r for seq, r in enumerate(records, start)]

    done = audit(tmp_path, *west_token, serve=serving(rewrite))
    assert done.code == 1 and f"seq {size + 1} first" in done.err, done.err
    assert len(held(tmp_path)) == size


def test_a_record_neither_entry_nor_leaf_hash_is_malformed(west_token, tmp_path):
    for bad in (b"\x02" + b"A" * 44, b"\x01" + b"not base64!", b"\x01" + base64.b64encode(b"short"), b""):
        done = audit(
            tmp_path, *west_token, serve=serving(lambda records, start, bad=bad: [*records[:3], bad, *records[4:]])
        )
        assert done.code == 1 and "seq 3: the entry served is malformed" in done.err, (bad, done.err)
        assert held(tmp_path) == []


def test_an_entry_left_out_is_named_as_lines_name_it(west_token, tmp_path):
    done = audit(tmp_path, *west_token, serve=serving(lambda records, start: [*records[:4], *records[5:]]))
    assert (
        done.code == 1 and "MISSING: seq 4 is not served (deleted?): the server serves seq 5 in its place" in done.err
    )
    cut = audit(tmp_path, *west_token, serve=serving(lambda records, start: records[:-1]))
    last = checkpoints.latest().size - 1
    assert cut.code == 1 and f"MISSING: seq {last} is not served (deleted?)" in cut.err, cut.err


def test_an_entry_served_twice_is_refused(west_token, tmp_path):
    done = audit(tmp_path, *west_token, serve=serving(lambda records, start: [*records[:4], records[4], *records[4:]]))
    assert done.code == 1 and done.evidence.name.endswith(("-inserted", "-reordered")), done.err


def test_an_entry_split_by_a_newline_is_refused(west_token, tmp_path):
    def split(records, start):
        body = records[2]
        cut = body.index(b",")
        return [*records[:2], body[:cut], body[cut:], *records[3:]]

    done = audit(tmp_path, *west_token, serve=serving(split))
    assert done.code == 1 and "INSERTED: the server serves" in done.err, done.err
    assert held(tmp_path) == []


def test_an_edited_new_entry_is_named_by_the_root(west_token, tmp_path):
    def edit(records, start):
        return [*records[:5], records[5].replace(b'"seq":5', b'"seq":5 '), *records[6:]]

    done = audit(tmp_path, *west_token, serve=serving(edit))
    assert done.code == 1 and "seq 5 served is not the entry the log's tree holds at seq 5" in done.err, done.err


def test_an_answer_that_is_not_leaves_is_exit_2(west_token, tmp_path):
    class Headless(ClientServer):
        def _fetch(self, method, path, *args, **kwargs):
            raw, kind = super()._fetch(method, path, *args, **kwargs)
            return (raw[:-1], kind) if path == "/record/entries" else (raw, kind)  # cut short

    done = audit(tmp_path, *west_token, serve=Headless)
    assert done.code == 2 and "did not answer entries as leaves" in done.err, done.err

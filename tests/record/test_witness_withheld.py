"""A witness reading as the parties may read every entry: an entry the server serves it as its leaf
hash only is withheld from it, and it refuses (WITHHELD, evidence kept), cosigning nothing, instead
of copying leaf hashes where the record's bodies belong. Reading as the public, leaf hashes only
are what it is owed for the parties' entries, and it cosigns."""

import base64
import hashlib

import pytest

from ceasefire.api.tokens import create_token
from ceasefire.record import checkpoints

from .test_bundle_helpers import meetings, record  # noqa: F401 (fixture)
from .test_witness_audits import held
from .witness_client import ClientServer, audit


class Stripping(ClientServer):
    """Serves the entries from seq `start` on as their leaf hashes only, while saying the reader is
    of the parties."""

    start = 0

    def _fetch(self, method, path, *args, **kwargs):
        raw, kind = super()._fetch(method, path, *args, **kwargs)
        if path == "/record/entries":
            head, *lines = raw.split(b"\n")
            lines = [
                leaf_hash_only(line) if line and int(line.split(b" ", 1)[0]) >= self.start else line for line in lines
            ]
            raw = b"\n".join([head, *lines])
        return raw, kind


def leaf_hash_only(line: bytes) -> bytes:
    """`seq entry` (or `seq leaf-hash entry`) as `seq leaf-hash`: how an entry the reader may not read is served."""
    seq, _sp, rest = line.partition(b" ")
    if not rest.startswith(b"{"):
        return b" ".join(line.split(b" ", 2)[:2])
    return seq + b" " + base64.b64encode(hashlib.sha256(b"\x00" + rest).digest())


@pytest.fixture
def west(record, accounts):
    return record["west"], create_token(accounts["west-head"], "witness", read_only=True)


def test_bodies_withheld_from_a_parties_witness_are_refused(west, tmp_path):
    done = audit(tmp_path, *west, serve=Stripping)
    assert done.code == 1, (done.out, done.err)
    assert "WITHHELD" in done.err and "seq 0 first" in done.err, done.err
    assert done.evidence.name.endswith("-withheld")
    assert (done.evidence / "served.txt").read_text().startswith("0 ")
    assert not any(r.startswith("POST") for r in done.server.requests)  # nothing cosigned
    assert held(tmp_path) == []  # and nothing copied


def test_a_body_withheld_among_the_new_entries_is_refused(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    size = checkpoints.latest().size
    meetings(2)
    checkpoints.sign_now()
    Stripping.start = size + 1
    try:
        done = audit(tmp_path, *west, serve=Stripping)
    finally:
        Stripping.start = 0
    assert done.code == 1 and f"seq {size + 1} first" in done.err, done.err
    assert len(held(tmp_path)) == size  # the copy as it was


def test_reading_as_the_public_leaf_hashes_are_what_it_is_owed(record, tmp_path):
    done = audit(tmp_path, record["east"])
    assert done.code == 0, done.err
    assert "read as public" in done.out
    assert any(body is None for body, _ in held(tmp_path))

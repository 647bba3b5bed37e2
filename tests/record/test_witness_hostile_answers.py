"""Answers made to crash the witness do not: JSON nested deeper than the parser goes is not JSON
(exit 2, one line), an entry nested so deep does not stop the refusal that names it, and whatever
else goes wrong in a round is exit 2 with one line, never a traceback read as a refusal (1)."""

import base64
import hashlib

import pytest

from ceasefire.api.tokens import create_token
from ceasefire.record import checkpoints, witness

from .test_bundle_helpers import meetings, record  # noqa: F401 (fixture)
from .witness_client import ClientServer, audit


@pytest.fixture
def west(record, accounts):
    return record["west"], create_token(accounts["west-head"], "witness", read_only=True)


class NestedProof(ClientServer):
    def _fetch(self, method, path, *args, **kwargs):
        if path == "/record/proof/consistency":
            return b"[" * 200_000, "application/json"
        return super()._fetch(method, path, *args, **kwargs)


class NestedEntry(ClientServer):
    """Serves the last entry as a body nested 100,000 deep, with its own (true) leaf hash."""

    def _fetch(self, method, path, *args, **kwargs):
        raw, kind = super()._fetch(method, path, *args, **kwargs)
        if path == "/record/entries":
            lines = raw.split(b"\n")
            evil = b"[" * 100_000
            leaf = base64.b64encode(hashlib.sha256(b"\x00" + evil).digest())
            lines[-2] = lines[-2].split(b" ", 1)[0] + b" " + leaf + b" " + evil
            raw = b"\n".join(lines)
        return raw, kind


def test_a_proof_nested_too_deep_is_not_json(west, tmp_path):
    assert audit(tmp_path, *west).code == 0
    meetings(1)
    checkpoints.sign_now()
    done = audit(tmp_path, *west, serve=NestedProof)
    assert done.code == 2, done.err
    assert done.err == "/api/v1/record/proof/consistency did not answer JSON (application/json)"


def test_an_entry_nested_too_deep_is_named_by_the_refusal(west, tmp_path):
    done = audit(tmp_path, *west, serve=NestedEntry)
    last = checkpoints.latest().size - 1
    assert done.code == 1, done.err
    assert (
        f"ROOT: the entries 0..{last} served do not hash" in done.err
        and f"seq {last} served is not the entry" in done.err
    )
    assert (done.evidence / "served.json").read_text().count("[") == 100_000


def test_what_is_too_deep_to_write_out_does_not_stop_the_evidence():
    """A proof the parser took may still be too deep for the indenting encoder, from deeper in the
    stack: the evidence says so instead of the refusal failing."""
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert witness._dump({"hashes": deep}) == '"(nested too deep to be written out)"\n'
    assert witness._dump({"first": 1}) == '{\n "first": 1\n}\n'


def test_anything_unexpected_is_exit_2_in_one_line(west, tmp_path, monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(witness.Mirror, "root", broken)
    done = audit(tmp_path, *west)
    assert done.code == 2
    assert (
        done.err
        == "could not check this round (nothing cosigned): unexpected ZeroDivisionError: division by zero second line"
    )

"""A server must not dodge the audit by failing only the page that would show an edit: a window of
the audit that could not be read is kept in the state folder (unread.json), read first next round,
and nothing is cosigned until it has been compared; the same window unserved 3 rounds running is a
refusal (UNREAD), with what the server said each round as evidence."""

import json

import pytest

from ceasefire.api.tokens import create_token
from ceasefire.record import checkpoints, witness

from .test_bundle_helpers import record  # noqa: F401 (fixture)
from .witness_client import ClientServer, audit, edit_body

SEQ = 3  # the entry edited, whose page the server fails


class Evasive(ClientServer):
    """Answers 503 (or `status`) for any page of entries that covers SEQ, and honestly otherwise."""

    status = 503
    seq = SEQ

    def _fetch(self, method, path, params=None, *args, **kwargs):
        if path == "/record/entries" and params and int(params["start"]) <= self.seq < int(params["end"]):
            raise witness.ServerSaid(self.status, f"HTTP {self.status}: busy")
        return super()._fetch(method, path, params, *args, **kwargs)


class AsAnotherAudience(ClientServer):
    """Serves the page that covers SEQ as read by the public, the others as read by the parties."""

    def _fetch(self, method, path, params=None, *args, **kwargs):
        raw, kind = super()._fetch(method, path, params, *args, **kwargs)
        if path == "/record/entries" and int(params["start"]) <= SEQ < int(params["end"]):
            head, rest = raw.split(b"\n", 1)
            raw = head.rsplit(b" ", 1)[0] + b" public\n" + rest
        return raw, kind


@pytest.fixture
def west(record, accounts, tmp_path):
    """West's witness copied the record; then SEQ's body was edited on the server."""
    key, token = record["west"], create_token(accounts["west-head"], "witness", read_only=True)
    assert audit(tmp_path, key, token).code == 0
    edit_body(SEQ, b'"salt":"', b'"salt":"x')
    return key, token


def cosigned(done) -> bool:
    return any(r.startswith("POST") for r in done.server.requests)


@pytest.mark.parametrize("server", [Evasive, AsAnotherAudience])
def test_the_same_window_unserved_three_rounds_running_is_refused(west, tmp_path, server):
    rounds = [audit(tmp_path, *west, audit_all=True, serve=server) for _ in range(3)]
    assert [r.code for r in rounds] == [2, 2, 1], [r.err for r in rounds]
    assert not any(cosigned(r) for r in rounds)
    last = checkpoints.latest().size - 1  # audit_all: the whole copy is one page
    assert (
        f"nothing cosigned: the entries 0..{last} could not be read for the audit (1 of 3 rounds running"
        in rounds[0].err
    )
    assert "(2 of 3 rounds running" in rounds[1].err
    refused = rounds[2]
    assert f"UNREAD: the server has not served the entries 0..{last} to the audit for 3 rounds running" in refused.err
    assert ("HTTP 503: busy" if server is Evasive else "served as read by public, not parties") in refused.err
    assert refused.evidence.name.endswith("-unread")
    assert len((refused.evidence / "unread.txt").read_text().splitlines()) == 3


def test_an_unread_window_is_read_first_next_round_even_without_a_sample(west, tmp_path):
    assert audit(tmp_path, *west, audit_all=True, serve=Evasive).code == 2
    # The server serves it again: the window is compared although this round samples nothing.
    done = audit(tmp_path, *west, sample=0)
    assert done.code == 1 and "CHANGED" in done.err and f"seq {SEQ}" in done.err, done.err


def test_a_window_served_again_is_compared_and_forgotten(record, accounts, tmp_path):
    key, token = record["west"], create_token(accounts["west-head"], "witness", read_only=True)
    assert audit(tmp_path, key, token).code == 0
    Evasive.status = 401
    try:
        assert audit(tmp_path, key, token, audit_all=True, serve=Evasive).code == 2
    finally:
        Evasive.status = 503
    done = audit(tmp_path, key, token, sample=0)
    assert done.code == 0, done.err
    assert "older entries compared" in done.out and json.loads((tmp_path / "unread.json").read_text()) == []
    # And a failure then counts from one again.
    again = audit(tmp_path, key, token, audit_all=True, serve=Evasive)
    assert again.code == 2 and "(1 of 3 rounds running" in again.err


class EvasiveAtTheFirst(Evasive):
    seq = 0


def test_failing_the_first_entry_too_is_refused(record, accounts, tmp_path):
    """The round reads the first entry first, to learn its audience: failing it is no way out."""
    west = record["west"], create_token(accounts["west-head"], "witness", read_only=True)
    assert audit(tmp_path, *west).code == 0
    edit_body(0, b'"salt":"', b'"salt":"x')
    rounds = [audit(tmp_path, *west, sample=5, serve=EvasiveAtTheFirst) for _ in range(3)]
    assert [r.code for r in rounds] == [2, 2, 1], [r.err for r in rounds]
    assert "UNREAD: the server has not served the entries 0..0 to the audit for 3 rounds running" in rounds[2].err

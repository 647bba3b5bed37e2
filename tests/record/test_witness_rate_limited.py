"""The witness under the server's rate limit (api/throttling.py): a 429 is waited out as its
Retry-After says and the request sent again, so that a catch-up in pages is slowed, never failed;
and a server that keeps answering 429 stops the round with code 2, never a refusal (being told to
slow down is no statement about the record: no evidence kept; a window of the audit left unread
is read first next round, by the audit's own rule).

First against the small fake log of test_witness.py, whose answers the tests set; then against the
real API with a low limit, its clock moved on by the witness's own waits."""

import time

import pytest
from django.test import override_settings

from ceasefire.api.tokens import create_token
from ceasefire.record import checkpoints, witness

from .test_bundle_helpers import meetings, record  # noqa: F401 (fixture)
from .test_witness import accepted, evidence, log, party, run  # noqa: F401 (fixtures)
from .witness_client import audit


@pytest.fixture
def waits(monkeypatch):
    """The seconds the witness waited, instead of waiting them (pages read one after another in
    this thread, so that their requests and waits are counted in order)."""
    waited: list[float] = []
    monkeypatch.setattr(witness.Server, "pause", staticmethod(waited.append))
    monkeypatch.setattr(witness.Server, "concurrent", False)
    return waited


def test_a_catch_up_told_to_wait_waits_and_is_cosigned(log, party, waits, monkeypatch):
    monkeypatch.setattr(witness, "PAGE", 4)
    log.add(20)
    log.throttled = {"/api/v1/record/entries": 3, "/api/v1/record/checkpoint": 1}
    code, out, err = run(log, party)
    assert code == 0, err
    assert accepted(party).size == 20 and len(log.cosignatures) == 1
    assert waits == [2.0] * 4
    assert log.requests.count("GET /api/v1/record/entries") == 5 + 3  # five pages, three asked again


def test_without_retry_after_it_waits_a_second(log, party, waits):
    log.add(3)
    log.retry_after = ""
    log.throttled = {"/api/v1/record/checkpoint": 2}
    code, _out, err = run(log, party)
    assert code == 0, err
    assert waits == [1.0, 1.0]


def test_a_cosignature_told_to_wait_is_sent_again(log, party, waits):
    log.add(3)
    log.throttled = {"/api/v1/record/checkpoint/cosignatures": 1}
    code, _out, err = run(log, party)
    assert code == 0, err
    assert len(log.cosignatures) == 1 and waits == [2.0]


@pytest.mark.parametrize("path", ["/api/v1/record/entries", "/api/v1/record/proof/consistency"])
def test_a_server_that_keeps_answering_429_is_code_2_never_a_refusal(log, party, waits, path):
    log.add(5)
    assert run(log, party)[0] == 0
    log.add(5)
    log.throttled = {path: 100}
    code, _out, err = run(log, party)
    assert code == 2, err
    assert "too many requests (429) 6 times running" in err and "nothing cosigned" in err
    assert evidence(party) == [] and accepted(party).size == 5
    assert waits[: witness.RETRIES] == [2.0] * witness.RETRIES
    log.throttled = {}
    assert run(log, party)[0] == 0 and accepted(party).size == 10  # the next round catches up


def test_an_audit_window_that_keeps_answering_429_is_read_next_round(log, party, waits, monkeypatch):
    """The audit's own rule for a window not served (unread.json, refused only after 3 rounds)."""
    log.add(8)
    assert run(log, party)[0] == 0
    log.add(2)
    requests = {"n": 0}
    answer = log.answer

    def first_window_throttled(method, path, query, body):
        if path == "/api/v1/record/entries" and query["start"] == ["0"] and requests["n"] < 100:
            requests["n"] += 1
            return 429, "application/json", '{"detail": [{"field": null, "message": "slow down"}]}'
        return answer(method, path, query, body)

    monkeypatch.setattr(log, "answer", first_window_throttled)
    code, _out, err = run(log, party, "--audit-all")
    assert code == 2 and "nothing cosigned" in err and evidence(party) == []
    assert (party.state / witness.UNREAD_FILE).exists()


def test_a_wait_longer_than_five_minutes_is_not_waited(log, party, waits):
    log.add(3)
    log.retry_after = str(witness.MAX_RETRY_AFTER + 1)
    log.throttled = {"/api/v1/record/checkpoint": 1}
    code, _out, err = run(log, party)
    assert code == 2 and f"asks to wait {witness.MAX_RETRY_AFTER + 1} seconds more" in err
    assert waits == []


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        (" 0 ", 0.0),
        ("", None),
        (None, None),
        ("soon", None),
        ("-3", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_retry_after_is_read_as_rfc_9110_writes_it(value, seconds):
    assert witness.retry_after(value) == seconds


def test_retry_after_as_a_date_ahead():
    ahead = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 90))
    assert 85 <= witness.retry_after(ahead) <= 90


# ------------------------------------------------------------------ the real API, a low limit
def test_against_the_real_rate_limit_a_round_waits_and_cosigns(record, accounts, tmp_path, monkeypatch):
    """Five requests a minute for the west's token, with a round that needs more (the pages of
    entries, 3 entries each): each 429 says how long, the witness waits that long (the limit's
    clock moved on by as much), and the round ends cosigned."""
    from ceasefire.api import throttling

    clock = [1_000_000.0]
    monkeypatch.setattr(throttling.SimpleRateThrottle, "timer", staticmethod(lambda: clock[0]))
    waited: list[float] = []

    def pause(seconds):
        waited.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(witness.Server, "pause", staticmethod(pause))
    monkeypatch.setattr(witness, "PAGE", 3)
    meetings(4)
    size = checkpoints.sign_now().size
    token = create_token(accounts["west-head"], "witness", read_only=True)
    throttling.caches[throttling.CACHE].clear()
    with override_settings(NINJA_DEFAULT_THROTTLE_RATES={"anon": "5/min", "auth": "5/min"}):
        done = audit(tmp_path, record["west"], token)
    throttling.caches[throttling.CACHE].clear()
    assert done.code == 0, done.err
    assert f"cosigned checkpoint {size}" in done.out
    pages = [r for r in done.server.requests if "/record/entries" in r]
    assert len(pages) > 5 and waited and all(0 < w <= 60 for w in waited)

"""The witness (record/witness.py) against a small in-process log server whose story the tests
control: it cosigns a first checkpoint and every consistent successor, and refuses a rollback, a
fork, a failed consistency proof, a bad log signature and a size-0 checkpoint with another root,
keeping the evidence and cosigning nothing. The live server is tests/record/test_witness_rollback.py;
the audit of the entries against the real server is tests/record/test_witness_audits.py."""

import base64
import io
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ceasefire.record import keyfile, merkle, note, witness

ORIGIN = "fake.example/log"


class FakeLog:
    """What a log server answers, as the tests set it: entries, an offered note, a proof, statuses."""

    def __init__(self):
        self.skey, self.vkey = note.generate_key(ORIGIN)
        self.leaves: list[bytes] = []
        self.offer: str | None = None  # the checkpoint note to serve instead of the true one
        self.proof: dict | None = None  # the consistency answer to serve instead of the true one
        self.fail: dict[str, int] = {}  # path -> status to answer
        self.witness_vkeys: list[str] = []
        self.cosignatures: list[str] = []  # notes POSTed
        self.requests: list[str] = []
        self.authorization: list[tuple[str, str | None]] = []  # each request's method and Authorization header
        self.withheld: set[int] = set()  # entries served as their leaf hash only
        self.throttled: dict[str, int] = {}  # path -> how many more requests to answer 429
        self.retry_after = "2"  # the Retry-After of those answers ("" for none)

    def add(self, n: int, tag: str = "e") -> None:
        for _ in range(n):
            self.leaves.append(f"{tag}{len(self.leaves)}".encode())

    def note(self, size: int | None = None, root: bytes | None = None, key=None) -> str:
        size = len(self.leaves) if size is None else size
        root = merkle.root_hash(self.leaves[:size]) if root is None else root
        return note.sign(note.Checkpoint(ORIGIN, size, root).body(), key or self.skey)

    def served(self) -> str:
        """The true checkpoint, with the cosignatures kept for it, as the real server serves it."""
        text = self.note()
        body = note.parse_note(text)[0]
        lines = [
            s.line
            for sent in self.cosignatures
            for s in note.parse_note(sent)[1]
            if s.name != ORIGIN and note.parse_note(sent)[0] == body
        ]
        return note.add_signatures(text, sorted(set(lines))[-1:]) if lines else text

    def answer(self, method: str, path: str, query: dict, body: str) -> tuple[int, str, str]:
        self.requests.append(f"{method} {path}")
        if self.throttled.get(path):
            self.throttled[path] -= 1
            return (
                429,
                "application/json",
                json.dumps({"detail": [{"field": None, "message": "Too many requests: try again in 2 seconds."}]}),
            )
        if path in self.fail:
            return (
                self.fail[path],
                "application/json",
                json.dumps({"detail": [{"field": None, "message": "failing on purpose"}]}),
            )
        if path == "/api/v1/record/log-key":
            return 200, "text/plain; charset=utf-8", self.vkey + "\n"
        if path == "/api/v1/record/checkpoint":
            return 200, "text/plain; charset=utf-8", self.offer or self.served()
        if path == "/api/v1/record/proof/consistency":
            first, second = int(query["first"][0]), int(query["second"][0])
            if self.proof is not None:
                return 200, "application/json", json.dumps(self.proof)
            if second > len(self.leaves):
                return 422, "application/json", json.dumps({"detail": [{"field": "second", "message": "too big"}]})
            hashes = merkle.consistency_proof(self.leaves[:second], first)
            return (
                200,
                "application/json",
                json.dumps(
                    {"first": first, "second": second, "hashes": [base64.b64encode(h).decode() for h in hashes]}
                ),
            )
        if path == "/api/v1/record/entries":
            start, end = int(query["start"][0]), int(query["end"][0])
            assert query["format"] == ["lines"]
            lines = [
                f"{i} {base64.b64encode(merkle.leaf_hash(leaf)).decode()}"
                + ("" if i in self.withheld else f" {leaf.decode()}")
                for i, leaf in enumerate(self.leaves[start:end], start)
            ]
            return (
                200,
                "text/plain; charset=utf-8",
                "".join(f"{line}\n" for line in [f"{start} {end} {len(self.leaves)} public", *lines]),
            )
        if path == "/api/v1/record/proof/inclusion":
            index, size = int(query["index"][0]), int(query["size"][0])
            hashes = merkle.inclusion_proof(self.leaves[:size], index)
            return (
                200,
                "application/json",
                json.dumps({"index": index, "size": size, "hashes": [base64.b64encode(h).decode() for h in hashes]}),
            )
        if path == "/api/v1/record/checkpoint/cosignatures" and method == "POST":
            try:
                cp, cosigners = note.verify_checkpoint(body, self.vkey, self.witness_vkeys)
            except ValueError as e:
                return 422, "application/json", json.dumps({"detail": [{"field": "checkpoint", "message": str(e)}]})
            if not cosigners:
                return (
                    422,
                    "application/json",
                    json.dumps(
                        {"detail": [{"field": "checkpoint", "message": "no cosignature from a registered witness key"}]}
                    ),
                )
            self.cosignatures.append(body)
            return (
                200,
                "application/json",
                json.dumps({"size": cp.size, "added": list(cosigners), "cosigned_by": sorted(cosigners)}),
            )
        return 404, "application/json", json.dumps({"detail": [{"field": None, "message": "no such endpoint"}]})


@pytest.fixture
def log():
    fake = FakeLog()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self, method):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            fake.authorization.append((method, self.headers.get("Authorization")))
            status, kind, text = fake.answer(method, parts.path, parse_qs(parts.query), body)
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            if status == 429 and fake.retry_after:
                self.send_header("Retry-After", fake.retry_after)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def party(tmp_path, log):
    """A party's witness: its key file (registered with the fake log) and its state folder."""
    skey, vkey = note.generate_cosigner_key("west-witness")
    key = tmp_path / "west.key"
    keyfile.write(key, skey)
    log.witness_vkeys.append(vkey)
    return type("Party", (), {"key": key, "vkey": vkey, "state": tmp_path / "state"})


def run(log, party, *extra):
    out, err = io.StringIO(), io.StringIO()
    code = witness.main(
        ["--server", log.url, "--key", str(party.key), "--state", str(party.state), *extra], out=out, err=err
    )
    return code, out.getvalue(), err.getvalue()


def until(condition, timeout: float = 10) -> bool:
    """Whether `condition()` holds within `timeout` seconds, polled."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def evidence(party) -> list[Path]:
    folder = party.state / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


def accepted(party) -> note.Checkpoint:
    return note.parse_checkpoint(note.parse_note((party.state / "checkpoint").read_text())[0])


def test_first_use_trusts_the_log_key_says_so_and_cosigns(log, party):
    log.add(5)
    code, out, err = run(log, party)
    assert code == 0, err
    assert f"trusting log key {log.vkey} on first use; compare it with the committee's published key" in out
    assert "cosigned checkpoint 5" in out and "west-witness" in out
    assert (party.state / "log.vkey").read_text() == log.vkey + "\n"
    assert accepted(party).size == 5
    [sent] = log.cosignatures
    cp, cosigners = note.verify_checkpoint(sent, log.vkey, [party.vkey])
    assert cp.size == 5 and abs(cosigners["west-witness"] - time.time()) < 60
    assert evidence(party) == []


def test_a_consistent_successor_is_cosigned_after_checking_the_proof(log, party):
    log.add(3)
    assert run(log, party)[0] == 0
    log.add(4)
    code, out, err = run(log, party)
    assert code == 0, err
    assert "GET /api/v1/record/proof/consistency" in log.requests
    assert accepted(party).size == 7 and len(log.cosignatures) == 2
    assert "trusting" not in out  # pinned since the first round


def test_from_the_empty_tree_no_proof_is_needed(log, party):
    assert run(log, party)[0] == 0  # size 0, the empty root
    assert accepted(party).size == 0
    log.add(2)
    assert run(log, party)[0] == 0
    assert "GET /api/v1/record/proof/consistency" not in log.requests
    assert accepted(party).size == 2


def test_the_same_checkpoint_is_cosigned_again(log, party):
    log.add(4)
    run(log, party)
    code, out, err = run(log, party)
    assert code == 0, err
    assert "unchanged; cosigned again" in out and len(log.cosignatures) == 2


def test_the_sent_note_carries_the_log_signature_and_ours_only(log, party):
    log.add(4)
    other, _ = note.generate_cosigner_key("east-witness")
    body = note.parse_note(log.note())[0]
    log.offer = note.add_signatures(log.note(), [note.cosign(body, other, 1)])  # served with the other's cosignature
    assert run(log, party)[0] == 0
    names = [s.name for s in note.parse_note(log.cosignatures[0])[1]]
    assert names == [ORIGIN, "west-witness"]


def refused(log, party, what):
    code, out, err = run(log, party)
    assert code == 1, (out, err)
    assert "REFUSED, nothing cosigned" in err
    [folder] = evidence(party)
    assert folder.name.endswith(what) and folder.name[:8].isdigit()
    assert str(folder) in err
    assert (folder / "reason.txt").read_text().strip()
    return folder, err


def test_a_rollback_is_refused_with_evidence(log, party):
    log.add(6)
    run(log, party)
    before = (party.state / "checkpoint").read_text()
    log.leaves = log.leaves[:4]
    folder, err = refused(log, party, "rollback")
    assert "ROLLBACK" in err and "size 4" in err and "size 6" in err
    assert (folder / "offered.note").read_text() == log.note()
    assert (folder / "accepted.note").read_text() == before
    assert (party.state / "checkpoint").read_text() == before  # nothing stored
    assert len(log.cosignatures) == 1  # nothing cosigned


def test_a_fork_at_the_same_size_is_refused(log, party):
    log.add(5)
    run(log, party)
    log.leaves = []
    log.add(5, tag="other")
    folder, err = refused(log, party, "fork")
    assert "FORK" in err and note.verify_checkpoint((folder / "offered.note").read_text(), log.vkey)[0].size == 5
    assert len(log.cosignatures) == 1


def test_an_inconsistent_successor_is_refused_with_the_proof(log, party):
    log.add(5)
    run(log, party)
    log.leaves = []
    log.add(9, tag="other")  # a bigger tree that does not extend the one accepted
    folder, err = refused(log, party, "inconsistent")
    assert "INCONSISTENT" in err
    proof = json.loads((folder / "consistency-proof.json").read_text())
    assert (proof["first"], proof["second"]) == (5, 9)
    assert accepted(party).size == 5 and len(log.cosignatures) == 1


@pytest.mark.parametrize(
    "proof",
    [
        {"first": 3, "second": 6, "hashes": []},
        {"first": 3, "second": 6, "hashes": ["not base64!"]},
        {"first": 3, "second": 6, "hashes": [base64.b64encode(bytes(31)).decode()]},
        {"first": 2, "second": 6, "hashes": []},  # a proof of other sizes
        {"first": 3, "second": 6},
    ],
)
def test_a_bad_proof_is_refused(log, party, proof):
    log.add(3)
    run(log, party)
    log.add(3)
    log.proof = proof
    refused(log, party, "inconsistent")
    assert accepted(party).size == 3


def test_no_proof_at_all_is_refused(log, party):
    log.add(3)
    run(log, party)
    log.add(3)
    log.fail["/api/v1/record/proof/consistency"] = 404
    folder, err = refused(log, party, "no-proof")
    assert "HTTP 404" in err


def test_a_checkpoint_the_log_key_did_not_sign_is_refused(log, party):
    log.add(3)
    run(log, party)
    impostor, _ = note.generate_key(ORIGIN)
    log.add(1)
    log.offer = log.note(key=impostor)
    refused(log, party, "unverified")


def test_a_size_0_checkpoint_must_carry_the_empty_root(log, party):
    log.offer = log.note(size=0, root=bytes(32))
    refused(log, party, "empty-root")
    assert not (party.state / "checkpoint").exists()


def test_the_log_key_given_is_pinned_and_a_different_one_refused(log, party):
    log.add(2)
    code, out, _ = run(log, party, "--log-key", log.vkey)
    assert code == 0 and "trusting" not in out
    assert "GET /api/v1/record/log-key" not in log.requests
    other = note.generate_key(ORIGIN)[1]
    code, _, err = run(log, party, "--log-key", other)
    assert code == 2 and "is not the log key pinned" in err


def test_a_log_key_given_that_the_server_does_not_sign_with(log, party):
    log.add(2)
    other = note.generate_key(ORIGIN)[1]
    code, _, err = run(log, party, "--log-key", other)
    assert code == 1 and "does not verify with the log key" in err


def test_the_log_key_may_be_given_in_a_file(log, party, tmp_path):
    log.add(1)
    (tmp_path / "log.vkey").write_text(log.vkey + "\n")
    assert run(log, party, "--log-key", str(tmp_path / "log.vkey"))[0] == 0


def test_an_unreachable_server_is_exit_2_in_one_line(party, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    port = _free_port()
    code = witness.main(
        ["--server", f"http://127.0.0.1:{port}", "--key", str(party.key), "--state", str(party.state)], out=out, err=err
    )
    assert code == 2
    assert err.getvalue().count("\n") == 1 and "cannot reach" in err.getvalue()
    assert not (party.state / "evidence").exists()


def test_a_server_error_is_exit_2(log, party):
    log.add(1)
    log.fail["/api/v1/record/checkpoint"] = 500
    code, _, err = run(log, party)
    assert code == 2 and "HTTP 500" in err


def test_an_empty_record_is_exit_2(log, party):
    log.fail["/api/v1/record/checkpoint"] = 404
    code, _, err = run(log, party)
    assert code == 2 and "HTTP 404" in err


def test_a_cosignature_the_server_does_not_keep_is_exit_2(log, party):
    log.add(2)
    log.witness_vkeys.clear()  # the key is not registered
    code, _, err = run(log, party)
    assert code == 2 and "did not keep the cosignature" in err and "registered" in err
    assert accepted(party).size == 2  # checked and stored: the next round sends it again


def test_every_keeps_trying_through_network_errors_and_stops_at_a_refusal(log, party):
    log.add(3)
    log.fail["/api/v1/record/checkpoint"] = 503
    result = {}

    def go():
        result["run"] = run(log, party, "--every", "0.05")

    thread = threading.Thread(target=go)
    thread.start()
    # refused twice: it has kept trying through an error (a condition, not a fixed wait)
    assert until(lambda: log.requests.count("GET /api/v1/record/checkpoint") >= 2)
    del log.fail["/api/v1/record/checkpoint"]  # the server is back
    assert until(lambda: log.cosignatures)
    log.leaves = log.leaves[:1]  # then rolls back
    thread.join(10)
    assert not thread.is_alive()
    code, out, err = result["run"]
    assert code == 1 and "HTTP 503" in err and "ROLLBACK" in err and "cosigned checkpoint 3" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--server", "ftp://x"], "--server"),
        (["--key", "/nonexistent/key"], "no such file"),
        (["--every", "0"], "--every"),
    ],
)
def test_bad_arguments_are_exit_2_naming_them(log, party, args, message):
    base = {"--server": log.url, "--key": str(party.key), "--state": str(party.state)}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    out, err = io.StringIO(), io.StringIO()
    code = witness.main([x for kv in base.items() for x in kv], out=out, err=err)
    assert code == 2 and message in err.getvalue()


def test_a_log_key_file_is_not_a_witness_key(log, party, tmp_path):
    path = tmp_path / "log.key"
    keyfile.write(path, note.generate_key("x")[0])
    party.key = path
    code, _, err = run(log, party)
    assert code == 2 and "cosignature/v1" in err


def test_a_key_file_others_may_read_is_refused(log, party):
    os.chmod(party.key, 0o644)
    code, _, err = run(log, party)
    assert code == 2 and str(party.key) in err and "chmod 600" in err


def test_check_and_store_is_atomic_under_the_lock(log, party, monkeypatch):
    """Two witness processes on one state folder: each round holds DIR/lock from reading the stored
    checkpoint to storing the new one, so the second always sees what the first stored."""
    log.add(3)
    state = witness.State(party.state)
    flock, asked = witness.fcntl.flock, threading.Event()

    def noted(fd, operation):
        if operation == witness.fcntl.LOCK_EX and threading.current_thread() is not threading.main_thread():
            asked.set()  # the second round asks for the lock: whatever it did before, it has done
        return flock(fd, operation)

    monkeypatch.setattr(witness.fcntl, "flock", noted)
    with state.locked():
        code = {}
        thread = threading.Thread(target=lambda: code.setdefault("run", run(log, party)))
        thread.start()
        assert asked.wait(10)
        assert thread.is_alive() and not log.cosignatures  # waits for the lock
    thread.join(10)
    assert code["run"][0] == 0 and len(log.cosignatures) == 1
    assert not list(party.state.glob(".*.tmp"))  # no temporary file left behind


def test_the_stored_checkpoint_is_replaced_by_rename(log, party, monkeypatch):
    log.add(3)
    run(log, party)
    renames = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (renames.append((Path(a).name, Path(b).name)), real(a, b))[1])
    log.add(2)
    run(log, party)
    assert (f".checkpoint.{os.getpid()}.tmp", "checkpoint") in renames


def test_the_command_runs_without_django_or_a_data_folder(log, party, tmp_path):
    """`ceasefire witness` as a party runs it: a process of its own, in an empty folder."""
    log.add(2)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    code = (
        "import sys; from ceasefire.cli import main; rc = main(sys.argv[1:]); "
        "assert 'django' not in sys.modules, 'django was imported'; sys.exit(rc)"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CEASEFIRE_DATA_DIR")
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "witness",
            "--server",
            log.url,
            "--key",
            str(party.key),
            "--state",
            str(party.state),
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "cosigned checkpoint 2" in done.stdout
    assert list(cwd.iterdir()) == []  # no ceasefire-data, nothing


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_token_is_sent_as_a_bearer_from_the_file_or_the_environment(log, party, tmp_path, monkeypatch):
    """... with each read, never with the cosignature (its own credential: the token only reads)."""
    log.add(2)
    monkeypatch.delenv(witness.TOKEN_VARIABLE, raising=False)
    assert run(log, party)[0] == 0
    assert {sent for _method, sent in log.authorization} == {None}
    (tmp_path / "token").write_text("API token for west-head; shown only now:\ncf_from-the-file\n")
    log.authorization.clear()
    assert run(log, party, "--token-file", str(tmp_path / "token"))[0] == 0
    assert set(log.authorization) == {("GET", "Bearer cf_from-the-file"), ("POST", None)}
    monkeypatch.setenv(witness.TOKEN_VARIABLE, "cf_from-the-environment")
    log.authorization.clear()
    assert run(log, party)[0] == 0
    assert set(log.authorization) == {("GET", "Bearer cf_from-the-environment"), ("POST", None)}


def test_without_a_token_it_warns_that_it_reads_as_the_public(log, party, monkeypatch):
    monkeypatch.delenv(witness.TOKEN_VARIABLE, raising=False)
    log.add(2)
    code, out, err = run(log, party)
    assert code == 0 and "no token (--token-file or CEASEFIRE_WITNESS_TOKEN): reading the record as the public" in err


def test_a_missing_token_file_is_exit_2(log, party, tmp_path):
    code, _, err = run(log, party, "--token-file", str(tmp_path / "nope"))
    assert code == 2 and "--token-file" in err


def test_pages_are_read_by_threads_and_copied_in_order(log, party, monkeypatch):
    """Over real HTTP the pages are read several at once by the witness's threads: the copy holds
    them in the record's order, as served, and its root is the checkpoint's."""
    from ceasefire.record.mirror import Mirror

    monkeypatch.setattr(witness, "PAGE", 4)
    log.add(30)
    log.withheld = {5, 17}
    code, _out, err = run(log, party)
    assert code == 0, err
    assert accepted(party).size == 30 and log.requests.count("GET /api/v1/record/entries") == 8
    copy = Mirror(party.state)
    try:
        held = copy.read(0, 30)
        assert copy.root() == merkle.root_hash(log.leaves)
    finally:
        copy.close()
    expected = [(None if i in log.withheld else leaf, merkle.leaf_hash(leaf)) for i, leaf in enumerate(log.leaves)]
    assert held == expected


def test_a_page_a_thread_finds_wrong_is_a_refusal_with_evidence(log, party, monkeypatch):
    monkeypatch.setattr(witness, "PAGE", 4)
    log.add(30)
    log.fail = {"/api/v1/record/entries": 404}
    folder, err = refused(log, party, "missing")
    assert "MISSING" in err and "the entries 0..3" in err
    assert not log.cosignatures and not (party.state / "checkpoint").exists()

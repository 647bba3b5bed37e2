"""The acceptance test of the witnesses: a server rolled back is caught by both parties.

Two witness processes, the west's and the east's, each with its own key registered in the record,
cosign a LIVE server's checkpoints (`ceasefire serve`, a process of its own). The server's database
is then put back to an earlier copy, as whoever controls the server could do to make the record
forget, and new events are appended. Both witnesses refuse what the server says next: first a
smaller tree than the one they cosigned (a rollback), then a larger one that does not extend it
(the consistency proof fails). Each keeps the evidence, cosigns nothing and exits 1.

Runs on the database the suite runs on: SQLite in the server's data folder, or, when DATABASE_URL
names a PostgreSQL server, a database of its own there (test_witness_live_*, its copy made with
CREATE DATABASE ... TEMPLATE), dropped afterwards.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

import ceasefire
from ceasefire.record import note
from ceasefire.record.mirror import Mirror
from tests.cli.helpers import COMMAND, free_port
from tests.cli.helpers import environment as _environment

# The processes run the code under test, wherever the interpreter's own install points.
CODE = {
    "PYTHONPATH": os.pathsep.join(
        [str(Path(ceasefire.__file__).resolve().parents[1]), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
}


def environment(**extra) -> dict:
    return _environment(**CODE, **extra)


EVENTS_EVERY = {"CEASEFIRE_CHECKPOINT_EVERY_EVENTS": "1", "CEASEFIRE_CHECKPOINT_EVERY_SECONDS": "3600"}

SETUP = textwrap.dedent(
    """
    import json, os, sys
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from ceasefire.api.tokens import create_token
    from ceasefire.mechanism import commands
    from ceasefire.mechanism.accounts import actor_for, create_account
    from ceasefire.record.log import Actor
    commands.establish(Actor("facilitator", role="facilitator"), {
        "name_en": "Joint Military Commission (witness test)",
        "name_ar": "اللجنة العسكرية المشتركة",
        "parties": [
            {"code": "west", "name_en": "Western region", "name_ar": "المنطقة الغربية", "seats": 5},
            {"code": "east", "name_en": "Eastern region", "name_ar": "المنطقة الشرقية", "seats": 5},
        ],
    })
    tokens = {}
    for name, role, party in [("facilitator", "facilitator", ""), ("west-head", "head", "west"), ("east-head", "head", "east")]:
        tokens[name] = create_token(create_account(name, None, role, party), "witness test")
    vkeys = json.loads(sys.argv[1])
    for party in ("west", "east"):  # each party's speaker registers its witness's key in the record
        user = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model().objects.get(username=party + "-head")
        commands.register_witness_key(actor_for(user), {"party": party, "vkey": vkeys[party]})
    print(json.dumps(tokens))
    """
)


class Database:
    """Where the server keeps its record, and how to copy it and put the copy back."""

    def __init__(self, data: Path):
        self.data = data
        self.url = _postgres_server()
        if self.url:
            import psycopg

            try:
                self.admin = psycopg.connect(f"{self.url}/postgres", autocommit=True, connect_timeout=3)
            except psycopg.OperationalError as e:
                pytest.skip(f"no PostgreSQL at {self.url}: {str(e).strip().splitlines()[0]}")
            tag = uuid.uuid4().hex[:10]
            self.live, self.copy = f"test_witness_live_{tag}", f"test_witness_snap_{tag}"
            self.admin.execute(f'CREATE DATABASE "{self.live}"')

    @property
    def env(self) -> dict:
        return {"DATABASE_URL": f"{self.url}/{self.live}"} if self.url else {}

    def snapshot(self) -> None:
        """Copy the database while nothing uses it."""
        if self.url:
            self.admin.execute(f'CREATE DATABASE "{self.copy}" TEMPLATE "{self.live}"')
        else:
            with (
                sqlite3.connect(self.data / "ceasefire.sqlite3") as live,
                sqlite3.connect(self.data / "snapshot.sqlite3") as copy,
            ):
                live.backup(copy)

    def roll_back(self) -> None:
        """Put the copy in the database's place (the server stopped)."""
        if self.url:
            self.admin.execute(f'DROP DATABASE "{self.live}" WITH (FORCE)')
            self.admin.execute(f'CREATE DATABASE "{self.live}" TEMPLATE "{self.copy}"')
        else:
            for suffix in ("", "-wal", "-shm"):
                (self.data / f"ceasefire.sqlite3{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.data / "snapshot.sqlite3", self.data / "ceasefire.sqlite3")

    def drop(self) -> None:
        if self.url:
            for name in (self.live, self.copy):
                self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.admin.close()


def _postgres_server() -> str | None:
    """The PostgreSQL server the suite runs on, if it does (as tests/cli/test_postgresql.py reads it)."""
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] if url.startswith(("postgres://", "postgresql://")) else None


class LiveServer:
    """`ceasefire serve` on a free port, in the background."""

    def __init__(self, data: Path, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [*COMMAND, "serve", "--data-dir", str(data), "--port", str(self.port), "--workers", "1", "--threads", "4"],
            env=env,
            cwd=data.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=lambda: [self.lines.append(line) for line in self.process.stdout], daemon=True).start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with {self.process.returncode}:\n{''.join(self.lines)}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"nothing listens on {self.port}:\n{''.join(self.lines)}")

    def stop(self) -> None:
        """Killed outright, gunicorn's worker with it (its own process group): the test is about what
        the database says after, and a graceful stop costs seconds."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        assert "Traceback" not in "".join(self.lines), "".join(self.lines)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + "/api/v1" + path, timeout=20) as r:
            return r.read().decode()

    def post(self, path: str, body: dict, token: str) -> dict:
        request = urllib.request.Request(
            self.url + "/api/v1" + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=20) as r:
            return json.loads(r.read())


def run_witnesses(server: LiveServer, parties: dict, cwd: Path) -> dict:
    """Both witnesses at once, each a `ceasefire witness` process of its own; -> party -> result."""
    env = environment()
    running = {
        party: subprocess.Popen(
            [
                *COMMAND,
                "witness",
                "--server",
                server.url,
                "--key",
                str(p["key"]),
                "--state",
                str(p["state"]),
                *p.get("options", []),
            ],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for party, p in parties.items()
    }
    results = {}
    for party, process in running.items():
        out, err = process.communicate(timeout=60)
        results[party] = (process.returncode, out, err)
    return results


def test_both_witnesses_refuse_a_rolled_back_server(tmp_path):
    data = tmp_path / "server" / "data"
    data.mkdir(parents=True)
    work = tmp_path / "parties"  # where the parties run their commands: nothing may appear there
    work.mkdir()
    db = Database(data)
    servers = []
    try:
        # Each party makes its key on its own machine; its speaker registers the verifier key.
        parties = {}
        for party in ("west", "east"):
            key = work / f"{party}.key"
            made = subprocess.run(
                [*COMMAND, "keys", "generate", "--name", f"jmc-{party}-witness", "--out", str(key)],
                env=environment(),
                cwd=work,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert made.returncode == 0, made.stderr
            parties[party] = {"key": key, "vkey": made.stdout.strip(), "state": work / f"{party}-witness"}
        env = environment(
            CEASEFIRE_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="ceasefire.settings", **EVENTS_EVERY, **db.env
        )
        setup = subprocess.run(
            [sys.executable, "-c", SETUP, json.dumps({p: v["vkey"] for p, v in parties.items()})],
            env=env,
            cwd=data.parent,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert setup.returncode == 0, setup.stderr
        tokens = json.loads(setup.stdout.strip().splitlines()[-1])
        db.snapshot()  # the record at 6 entries: established, three accounts enrolled, two witness keys
        # West's witness reads as its party, with its head's token; east's runs without one.
        (work / "west.token").write_text(tokens["west-head"] + "\n")
        parties["west"]["options"] = ["--token-file", str(work / "west.token"), "--audit-all"]

        servers.append(LiveServer(data, env))
        server = servers[-1]
        results = run_witnesses(server, parties, work)
        for result in results.values():
            assert result[0] == 0, result
            assert "cosigned checkpoint 6" in result[1]
        assert "read as parties" in results["west"][1] and "no token" not in results["west"][2]
        assert "read as public" in results["east"][1] and "no token" in results["east"][2]
        # Each kept cosignature is itself an entry (public, checkpoint.cosigned): 8 entries now,
        # and the checkpoint stays at 6 (an entry that only records cosignatures makes none).
        meeting = {"starts_on": "2020-10-19", "city": "Geneva", "country": "Switzerland"}
        for title in ("Fourth round", "Fifth round"):
            server.post("/meetings", {**meeting, "title": title}, tokens["facilitator"])
        results = run_witnesses(server, parties, work)
        for code, out, err in results.values():
            assert code == 0, (out, err)
            assert "cosigned checkpoint 10" in out
        log_vkey = server.get("/record/log-key").strip()
        vkeys = [p["vkey"] for p in parties.values()]
        cp, cosigners = note.verify_checkpoint(server.get("/record/checkpoint"), log_vkey, vkeys)
        assert cp.size == 10 and set(cosigners) == {"jmc-west-witness", "jmc-east-witness"}
        server.stop()

        # Whoever controls the server puts the database back to 6 entries, and the record goes on.
        db.roll_back()
        servers.append(LiveServer(data, env))
        server = servers[-1]
        server.post("/meetings", {**meeting, "title": "Another fourth round"}, tokens["facilitator"])
        offered = server.get("/record/checkpoint")
        assert note.verify_checkpoint(offered, log_vkey)[0].size == 7  # validly signed by the log key
        for party, (code, out, err) in run_witnesses(server, parties, work).items():
            assert code == 1, (party, out, err)
            assert "REFUSED, nothing cosigned" in err and "ROLLBACK" in err and "size 7" in err and "size 10" in err
        # The tree grows past what the witnesses hold: it still does not extend it.
        for title in ("Another fifth round", "Sixth round", "Seventh round", "Eighth round"):
            server.post("/meetings", {**meeting, "title": title}, tokens["facilitator"])
        for party, (code, out, err) in run_witnesses(server, parties, work).items():
            assert code == 1, (party, out, err)
            assert "INCONSISTENT" in err and "size 11" in err and "size 10" in err

        for party, p in parties.items():
            folders = sorted((p["state"] / "evidence").iterdir())
            assert [f.name.split("-", 1)[1] for f in folders] == ["rollback", "inconsistent"], folders
            rollback, inconsistent = folders
            assert note.verify_checkpoint((rollback / "offered.note").read_text(), log_vkey)[0].size == 7
            held = note.verify_checkpoint((rollback / "accepted.note").read_text(), log_vkey)[0]
            assert held == cp  # the checkpoint both cosigned before the rollback
            assert note.verify_checkpoint((inconsistent / "offered.note").read_text(), log_vkey)[0].size == 11
            proof = json.loads((inconsistent / "consistency-proof.json").read_text())
            assert (proof["first"], proof["second"]) == (10, 11)
            # What the witness holds is still the checkpoint of size 10.
            stored = note.parse_checkpoint(note.parse_note((p["state"] / "checkpoint").read_text())[0])
            assert (stored.size, stored.root) == (10, cp.root)
        # The server kept no cosignature of the forked tree.
        _, cosigners = note.verify_checkpoint(server.get("/record/checkpoint"), log_vkey, vkeys)
        assert cosigners == {}
        assert sorted(p.name for p in work.iterdir()) == [
            "east-witness",
            "east.key",
            "west-witness",
            "west.key",
            "west.token",
        ]
        # Each holds the record as far as it cosigned it: 10 entries, the bodies its party may read.
        for p in parties.values():
            held = Mirror(p["state"])
            assert held.size == 10
            held.close()
    finally:
        for s in servers:
            s.stop()
        db.drop()

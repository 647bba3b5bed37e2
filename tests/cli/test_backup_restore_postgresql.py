"""`ceasefire backup` and `ceasefire restore` on PostgreSQL (pg_dump and pg_restore), each database
one of its own on the server that test_postgresql.py uses, dropped afterwards: a round trip, a
changed dump refused by name, a target database that is not empty refused, and a backup taken while
a writer appends that loses no acknowledged event."""

import hashlib
import json
import re
import shutil
import uuid

import pytest

from .backup_writer import Writer
from .helpers import ceasefire, environment, no_traceback
from .helpers import postgresql_server as server_url

psycopg = pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def new_database():
    """Makes an empty database on the server and returns its URL; all are dropped at the end."""
    base = server_url()
    try:
        admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        pytest.skip(f"no PostgreSQL at {base}: {str(e).strip().splitlines()[0]}")
    made = []

    def make() -> str:
        name = f"ceasefire_backup_{uuid.uuid4().hex[:12]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{base}/{name}"

    try:
        yield make
    finally:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run_ok(*args, url, data):
    done = ceasefire(*args, "--data-dir", data, env=environment(DATABASE_URL=url))
    assert done.returncode == 0, done.stdout + done.stderr
    no_traceback(done)
    return done


@pytest.fixture(scope="module")
def source(new_database, tmp_path_factory):
    url, data = new_database(), tmp_path_factory.mktemp("pg-source") / "data"
    run_ok("migrate", "-v", "0", url=url, data=data)
    run_ok("scenario", "load", "libya-2020", url=url, data=data)
    return url, data


@pytest.fixture(scope="module")
def backup(source, tmp_path_factory):
    url, data = source
    out = tmp_path_factory.mktemp("pg-backup") / "jmc-backup"
    run_ok("backup", out, url=url, data=data)
    return out


def bodies(url) -> list[bytes]:
    with psycopg.connect(url) as db:
        return [bytes(b) for (b,) in db.execute("select body from record_event order by seq")]


def test_round_trip(backup, source, new_database, tmp_path):
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database.pgdump", "keys/log.key", "keys/secret_key"}
    assert manifest["database"]["vendor"] == "postgresql"
    assert re.fullmatch(r"PostgreSQL \d+\.\d+.*", manifest["versions"]["database"])
    assert manifest["versions"]["pg_dump"].startswith("pg_dump (PostgreSQL)")
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((backup / name).read_bytes()).hexdigest() == entry["sha256"]
    url, data = source
    assert manifest["record"]["size"] == len(bodies(url))

    target_url, target = new_database(), tmp_path / "data"
    run = run_ok("restore", backup, url=target_url, data=target)

    assert "OK: replay --check" in run.stdout
    assert "record verify: OK: the restored record verifies" in run.stdout
    assert bodies(target_url) == bodies(url)
    assert (target / "log.key").read_bytes() == (data / "log.key").read_bytes()


def test_a_changed_dump_is_refused_naming_it(backup, new_database, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(backup, copy)
    raw = bytearray((copy / "database.pgdump").read_bytes())
    raw[len(raw) // 2] ^= 0x01
    (copy / "database.pgdump").write_bytes(bytes(raw))
    target_url = new_database()

    run = ceasefire("restore", copy, "--data-dir", tmp_path / "data", env=environment(DATABASE_URL=target_url))

    assert run.returncode == 2, run.stdout + run.stderr
    assert "ceasefire restore: database.pgdump: its SHA-256 is" in run.stderr and "refused" in run.stderr
    with psycopg.connect(target_url) as db:
        assert db.execute("select count(*) from pg_tables where schemaname = 'public'").fetchone()[0] == 0


def test_restore_refuses_a_database_that_is_not_empty(backup, source, tmp_path):
    url, _ = source
    before = bodies(url)
    run = ceasefire("restore", backup, "--data-dir", tmp_path / "data", env=environment(DATABASE_URL=url))
    assert run.returncode == 2, run.stdout + run.stderr
    no_traceback(run)
    assert "the target is not empty" in run.stderr and "tables" in run.stderr
    assert bodies(url) == before


def test_a_backup_taken_during_writes_keeps_every_acknowledged_event(source, new_database, tmp_path):
    url, data = source
    writer = Writer(environment(DATABASE_URL=url, CEASEFIRE_DATA_DIR=str(data)))
    try:
        writer.wait_for(3)
        acknowledged = list(writer.acknowledged)  # committed before the backup began
        run = ceasefire("backup", tmp_path / "backup", "--data-dir", data, env=environment(DATABASE_URL=url))
        during = len(writer.acknowledged) - len(acknowledged)
    finally:
        writer.stop()
    assert run.returncode == 0, run.stdout + run.stderr
    assert during > 0  # the writer went on appending while the backup was taken

    target_url = new_database()
    restore = run_ok("restore", tmp_path / "backup", url=target_url, data=tmp_path / "restored")

    assert "OK: replay --check" in restore.stdout and "record verify: OK" in restore.stdout
    with psycopg.connect(target_url) as db:
        meetings = set(db.execute("select id, title_en from mechanism_meeting").fetchall())
    assert set(acknowledged) <= meetings
    written = sorted(m for m in meetings if m[1].startswith("written during a backup"))
    assert written == writer.acknowledged[: len(written)]

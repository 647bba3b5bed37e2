"""On PostgreSQL the server can connect as a role that may read the record and append to it and
nothing more: the database itself refuses that role UPDATE, DELETE and TRUNCATE of the record's
tables, and dropping or disabling the guard. The tables' owner migrates and runs `ceasefire db
grant ROLE`; `ceasefire check` says which kind of role it connects as.

Runs whenever a PostgreSQL server is reachable, like test_postgresql.py (whatever database the rest
of the suite uses), with a database and roles of its own (the tables' owner, the server's, and a
group role), all dropped afterwards.
"""

import json
import re
import secrets
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import Server, ceasefire, environment, no_traceback, postgresql_server

psycopg = pytest.importorskip("psycopg")
from psycopg import errors  # noqa: E402  (after the import that may skip)

# The record's append-only tables, each with a column to try to rewrite.
APPEND_ONLY = {
    "record_event": "actor",
    "record_treenode": "hash",
    "record_checkpoint": "note",
    "record_cosignature": "name",
}


@dataclass
class Deployment:
    data: Path
    superuser: str
    superuser_url: str
    owner: str  # the role that ran the migrations: the tables are its own
    owner_url: str
    server: str  # the role the server connects as
    server_url: str
    group: str  # a role the server's role may be made a member of; none at first

    def run(self, *args, url: str, ok: bool = True):
        done = ceasefire(*args, "--data-dir", self.data, env=environment(DATABASE_URL=url))
        no_traceback(done)
        if ok:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    def as_owner(self, *args, ok: bool = True):
        return self.run(*args, url=self.owner_url, ok=ok)

    def as_server(self, *args, ok: bool = True):
        return self.run(*args, url=self.server_url, ok=ok)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A database migrated by a role of its own that owns it (not a superuser), and a role for the
    server that nothing has been granted to yet."""
    base = postgresql_server()
    try:
        admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        pytest.skip(f"no PostgreSQL at {base}: {str(e).strip().splitlines()[0]}")
    tag = uuid.uuid4().hex[:12]
    database, owner, server, group = f"ceasefire_role_{tag}", f"cf_owner_{tag}", f"cf_server_{tag}", f"cf_group_{tag}"
    passwords = {owner: secrets.token_urlsafe(16), server: secrets.token_urlsafe(16)}
    where = urlsplit(base)
    host = f"{where.hostname}:{where.port or 5432}"
    try:
        for role, password in passwords.items():
            admin.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'")
        admin.execute(f'CREATE DATABASE "{database}" OWNER "{owner}"')
        if admin.info.server_version < 150000:  # before 15, every role may create in schema public
            with psycopg.connect(f"{base}/{database}", autocommit=True) as db:
                db.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
                db.execute(f'GRANT CREATE ON SCHEMA public TO "{owner}"')
        superuser = admin.execute("SELECT rolname FROM pg_roles WHERE rolsuper ORDER BY oid LIMIT 1").fetchone()[0]
        found = Deployment(
            superuser=superuser,
            superuser_url=f"{base}/{database}",
            data=tmp_path_factory.mktemp("role") / "data",
            owner=owner,
            owner_url=f"postgres://{owner}:{passwords[owner]}@{host}/{database}",
            server=server,
            server_url=f"postgres://{server}:{passwords[server]}@{host}/{database}",
            group=group,
        )
        found.as_owner("migrate", "-v", "0")
        yield found
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        for role in (group, server, owner):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()


def check_item(run, name: str) -> tuple[str, str]:
    """(level, text) of one item of `ceasefire check`."""
    found = re.search(rf"^\s+(ok|warning|PROBLEM)\s+{re.escape(name)}\s+(.*)$", run.stdout, re.MULTILINE)
    assert found, run.stdout
    return found[1], found[2]


def refused(db, sql: str, error=errors.InsufficientPrivilege) -> str:
    """Run `sql` as the connection's role and return the database's refusal."""
    with pytest.raises(error) as refusal:
        db.execute(sql)
    return str(refusal.value)


def test_the_server_role_reads_and_appends_and_the_database_refuses_it_any_rewrite(deployment):
    d = deployment

    # Before the grant: check, as the server's role, names what it lacks and the command that
    # gives it. `--print` shows the statements and applies none of them.
    printed = d.as_owner("db", "grant", d.server, "--print").stdout
    assert (
        f'GRANT SELECT, INSERT ON "record_event", "record_treenode", "record_checkpoint", "record_cosignature" TO "{d.server}";'
        in printed
    )
    assert f'GRANT UPDATE ("size") ON "record_head" TO "{d.server}";' in printed
    assert f'GRANT SELECT ON "django_migrations" TO "{d.server}";' in printed
    assert re.search(
        rf'GRANT SELECT, INSERT, UPDATE, DELETE ON [^;]*"mechanism_meeting"[^;]* TO "{d.server}";', printed
    )
    assert re.search(rf'GRANT USAGE ON SEQUENCE [^;]*record_cosignature_id_seq[^;]* TO "{d.server}";', printed)
    before = d.as_server("check", ok=False)
    level, text = check_item(before, "database-role")
    assert level == "PROBLEM", before.stdout
    assert "lacks what the server needs: CONNECT" not in text  # PUBLIC may connect
    assert "SELECT on record_event" in text and f"`ceasefire db grant {d.server}`" in text

    granted = d.as_owner("db", "grant", d.server)
    assert f"Granted to {d.server!r}" in granted.stdout
    assert "run this again after each `ceasefire migrate`" in granted.stdout

    # As the server's role, the commands append (events, tree nodes, the head moved, a checkpoint)
    # and write what is not the record (an account, its tokens) ...
    loaded = d.as_server("scenario", "load", "libya-2020")
    n = int(re.search(r"(\d+) events appended", loaded.stdout).group(1))
    d.as_server("user", "create", "facilitator", "--role", "facilitator")
    writer = d.as_server("token", "create", "facilitator").stdout.splitlines()[-1]
    reader = d.as_server("token", "create", "facilitator", "--name", "witness", "--read-only").stdout.splitlines()[-1]
    # ... and the server serves as that role: a write through the API appends, and a witness's
    # cosignature is kept (a row of record_cosignature, its key from the table's sequence, and an entry).
    key, state, token_file = d.data.parent / "mission.key", d.data.parent / "mission", d.data.parent / "mission.token"
    vkey = ceasefire("keys", "generate", "--name", "mission-witness", "--out", key).stdout.strip()
    token_file.write_text(reader + "\n")
    server = Server(
        d.data, "--workers", "1", "--threads", "2", command="serve", env=environment(DATABASE_URL=d.server_url)
    )
    try:
        server.wait_until_listening()
        request = urllib.request.Request(
            server.url + "api/v1/mechanism/witness-keys",
            data=json.dumps({"party": None, "vkey": vkey}).encode(),
            headers={"Authorization": f"Bearer {writer}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 201
        round_ = ceasefire(
            "witness", "--server", server.url, "--key", key, "--state", state, "--token-file", token_file
        )
        assert round_.returncode == 0, round_.stdout + round_.stderr + server.output
        assert "cosigned checkpoint" in round_.stdout + round_.stderr
    finally:
        server.interrupt()
    assert "database-role" not in server.output  # serve warns only of what is not ok
    assert "Traceback" not in server.output

    with psycopg.connect(d.server_url, autocommit=True) as db:
        assert db.execute("SELECT name FROM record_cosignature").fetchall() == [("mission-witness",)]
        n = db.execute("SELECT size FROM record_head").fetchone()[0]
        assert n == db.execute("SELECT count(*) FROM record_event").fetchone()[0]

        # What would change or remove the record is refused by the database itself, before any
        # trigger, with permission denied.
        for table, column in APPEND_ONLY.items():
            for sql in (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}", f"TRUNCATE {table}"):
                assert f"permission denied for table {table}" in refused(db, sql), sql
        for sql in (
            "DELETE FROM record_head",
            "TRUNCATE record_head",
            "INSERT INTO record_head (id, size) VALUES (2, 0)",
        ):
            assert "permission denied for table record_head" in refused(db, sql), sql
        assert "permission denied" in refused(
            db,
            "INSERT INTO record_event SELECT seq, type, time, actor, party, body FROM record_event WHERE seq = 0 "
            "ON CONFLICT (seq) DO UPDATE SET actor = 'rewritten'",
        )
        # The head's size it may set, and the guard (which it cannot drop) lets it move forward only.
        assert "only moves forward" in refused(
            db, "UPDATE record_head SET size = 0", errors.IntegrityConstraintViolation
        )
        assert "permission denied" in refused(db, "UPDATE record_head SET id = 2")  # only its size
        # The guard stays: dropping, disabling or replacing it needs the owner; turning every
        # trigger off needs a superuser.
        assert "must be owner" in refused(db, "DROP TRIGGER record_event_no_update ON record_event")
        assert "must be owner" in refused(db, "ALTER TABLE record_event DISABLE TRIGGER ALL")
        refused(
            db,
            "CREATE OR REPLACE FUNCTION record_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
        )
        assert "session_replication_role" in refused(db, "SET session_replication_role = replica")
        assert db.execute("SELECT count(*) FROM record_event").fetchone()[0] == n  # nothing changed

    # check says so, for the server's role; for the owner it warns, saying what to do.
    level, text = check_item(d.as_server("check", ok=False), "database-role")
    assert level == "ok", text
    assert "the database refuses it UPDATE, DELETE and TRUNCATE of the record" in text
    level, text = check_item(d.as_owner("check", ok=False), "database-role")
    assert level == "warning", text
    assert f"{d.owner!r} owns, or may act as the owner of, record_checkpoint" in text
    assert "may drop the guard's triggers and rewrite the record" in text
    assert "`ceasefire db grant ROLE` as the tables' owner" in text

    # replay rebuilds only projections, which the server's role may write; replay --check needs a
    # scratch database, which it may not create: refused, saying which role may.
    rebuilt = d.as_server("replay")
    assert f"Rebuilt the projections from {n} events" in rebuilt.stdout
    scratch = d.as_server("replay", "--check", ok=False)
    assert scratch.returncode == 2
    assert "permission denied to create database" in scratch.stderr
    assert f"the database role {d.server!r} may not do this" in scratch.stderr
    assert "a role that may create databases for `replay --check`" in scratch.stderr


def test_db_grant_refuses_a_role_that_could_rewrite_the_record_or_does_not_exist(deployment):
    d = deployment
    superuser = d.as_owner("db", "grant", d.superuser, ok=False)
    assert superuser.returncode == 2
    assert "is a superuser: it may do anything to the record" in superuser.stderr

    itself = d.as_owner("db", "grant", d.owner, ok=False)
    assert itself.returncode == 2
    assert f"{d.owner!r} owns, or may act as the owner of, record_checkpoint" in itself.stderr

    missing = d.as_owner("db", "grant", f"{d.server}_absent", ok=False)
    assert missing.returncode == 2
    assert f"there is no role '{d.server}_absent' on this server" in missing.stderr
    assert f'CREATE ROLE "{d.server}_absent" LOGIN PASSWORD' in missing.stderr


def test_db_grant_takes_away_what_more_the_role_holds_and_refuses_what_it_cannot_take_away(deployment):
    d = deployment
    d.as_owner("db", "grant", d.server)
    may = f"SELECT has_any_column_privilege('{d.server}', 'record_event', 'UPDATE'), has_table_privilege('{d.server}', 'mechanism_meeting', 'INSERT')"

    # One column of the record granted beyond what the server needs: check warns, naming it, and
    # db grant takes it away.
    with psycopg.connect(d.owner_url, autocommit=True) as db:
        db.execute(f'GRANT UPDATE ("actor") ON record_event TO "{d.server}"')
    level, text = check_item(d.as_server("check", ok=False), "database-role")
    assert level == "warning", text
    assert "holds privileges that would let it change them: UPDATE of record_event" in text
    assert f"`ceasefire db grant {d.server}`" in text
    d.as_owner("db", "grant", d.server)
    with psycopg.connect(d.owner_url, autocommit=True) as db:
        assert db.execute(may).fetchone() == (False, True)

        # Held through another role, a privilege stays whatever is revoked from the role itself:
        # db grant refuses, and changes nothing (the INSERT taken away here is not given back).
        db.execute(f'REVOKE INSERT ON mechanism_meeting FROM "{d.server}"')
        with psycopg.connect(d.superuser_url, autocommit=True) as admin:
            admin.execute(f'CREATE ROLE "{d.group}" NOLOGIN')
            admin.execute(f'GRANT UPDATE ON record_event TO "{d.group}"')
            admin.execute(f'GRANT "{d.group}" TO "{d.server}"')
        refused = d.as_owner("db", "grant", d.server, ok=False)
        assert refused.returncode == 2
        assert f"nothing granted to {d.server!r}: it still holds UPDATE of record_event" in refused.stderr
        assert db.execute(may).fetchone() == (True, False)
        with psycopg.connect(d.superuser_url, autocommit=True) as admin:
            admin.execute(f'REVOKE "{d.group}" FROM "{d.server}"')

"""The commands on PostgreSQL, chosen by DATABASE_URL: migrate, load a scenario, make an account
and a token, and replay --check (which replays into a scratch PostgreSQL database of its own).

Runs whenever a PostgreSQL server is reachable (DATABASE_URL, else 127.0.0.1:5432 as postgres),
whatever database the rest of the suite uses, in a database of its own that it drops afterwards.
"""

import re
import uuid

import pytest

from .helpers import ceasefire, environment, postgresql_server

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def database_url():
    base = postgresql_server()
    try:
        admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        pytest.skip(f"no PostgreSQL at {base}: {str(e).strip().splitlines()[0]}")
    name = f"ceasefire_cli_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_commands_on_postgresql(database_url, tmp_path):
    env = environment(DATABASE_URL=database_url)
    data = tmp_path / "data"

    def run(*args, **kwargs):
        done = ceasefire(*args, "--data-dir", data, env=env, **kwargs)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    run("migrate", "-v", "0")
    loaded = run("scenario", "load", "libya-2020")
    n = int(re.search(r"(\d+) events appended", loaded.stdout).group(1))
    run("user", "create", "west-head", "--role", "head", "--party", "west")
    token = run("token", "create", "west-head").stdout.splitlines()[-1]
    assert token.startswith("cf_")

    checked = run("replay", "--check")
    assert f"{n + 1} events checked" in checked.stdout  # and the enrollment of the account made since
    run("replay")

    check = ceasefire("check", "--data-dir", data, env=env)
    assert re.search(r"ok\s+DATABASE_URL", check.stdout), check.stdout
    # The command connected as a role that may create databases, and the tables are its own: it
    # could drop the guard, and check says so, with the way out (test_postgresql_role.py).
    assert re.search(r"warning\s+database-role\s+'[^']+' (is a superuser|owns)", check.stdout), check.stdout
    assert "`ceasefire db grant ROLE`" in check.stdout
    # Nothing of the database went into the data folder: only the generated secret key, the log key
    # generated to sign the first checkpoint, and the API's rate-limit counts that the server's
    # workers share (api/throttling.py).
    assert sorted(p.name for p in data.iterdir()) == ["log.key", "secret_key", "throttle"]

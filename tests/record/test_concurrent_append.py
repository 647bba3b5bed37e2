"""Several processes append at once: the record stays dense, with no two events at one index."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

WORKERS, EACH = 4, 25
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shared_database(tmp_path, db):
    """A real database that separate processes can reach: a file for SQLite, a fresh PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    name = f"ceasefire_concurrency_{uuid.uuid4().hex[:10]}"
    with connection._nodb_cursor() as c:
        c.execute(f'CREATE DATABASE "{name}"')
    s = connection.settings_dict
    try:
        yield f"postgres://{s['USER']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"
    finally:
        with connection._nodb_cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worker(url, tmp_path, *args, wait=True):
    env = dict(os.environ, DATABASE_URL=url, CEASEFIRE_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "tests.record.append_worker", *args]
    if wait:
        return subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)


def test_concurrent_writers_never_share_or_skip_an_index(shared_database, tmp_path):
    worker(shared_database, tmp_path, "setup")
    procs = [worker(shared_database, tmp_path, "append", str(EACH), wait=False) for _ in range(WORKERS)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    report = json.loads(worker(shared_database, tmp_path, "report"))
    total = 1 + WORKERS * EACH
    assert report["seqs"] == list(range(total))
    assert report["head"] == total
    assert report["numbers"] == list(range(1, WORKERS * EACH + 1))

"""Several processes append at once: the record stays dense, with no two events at one index."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests import scratch

WORKERS, EACH = 4, 25
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shared_database(tmp_path, db):
    """A real database that separate processes can reach: a file for SQLite, a fresh PostgreSQL
    database. Each is a copy of the empty migrated one of tests/scratch.py (the workers' `setup`
    still runs `migrate`, which finds nothing to do): what is tested is the writers, not migrating."""
    template = scratch.TEMPLATE.get()
    if connection.vendor == "sqlite":
        shutil.copyfile(scratch.TEMPLATE.url.removeprefix("sqlite:///"), tmp_path / "shared.sqlite3")
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    name = f"ceasefire_concurrency_{uuid.uuid4().hex[:10]}"
    with connection._nodb_cursor() as c:
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.name}"')
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


@pytest.mark.parametrize("batches", [False, True], ids=["one by one", "batches beside single commands"])
def test_concurrent_writers_never_share_or_skip_an_index(shared_database, tmp_path, batches):
    """Writers appending one by one, or some in batches (of 10, the last of 5) beside others one by
    one: each batch holds the lock for all its commands, and the record, its numbering and its
    tree stay whole."""
    worker(shared_database, tmp_path, "setup")
    sizes = ["10" if batches and w % 2 else "1" for w in range(WORKERS)]
    procs = [worker(shared_database, tmp_path, "append", str(EACH), size, wait=False) for size in sizes]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    report = json.loads(worker(shared_database, tmp_path, "report"))
    total = 2 + WORKERS * EACH  # the facilitator's enrollment and the establishment, then the appends
    assert report["seqs"] == list(range(total))
    assert report["head"] == total
    assert report["numbers"] == list(range(1, WORKERS * EACH + 1))
    root = json.loads(worker(shared_database, tmp_path, "root"))
    assert root["size"] == total and root["root"] == root["expected"] and root["check"] is None

"""`replay.check` in the tests: its scratch database is copied from one migrated once per run.

`replay --check` (record/replay.py) replays the record into a fresh empty database that its scratch
process migrates first; the tests call it some sixty times per run, and migrating an empty database
cost most of each call (some 5 s of CPU). Here the first check of the run makes that empty migrated
database exactly as the real check does (the scratch process, with no events), keeps it, and every
check after starts from a copy of it: the file on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.
The scratch process still runs `migrate` (finding nothing to do), replays every event and dumps the
tables, as before. `ceasefire replay --check` itself (tests/cli) runs in a process of its own,
unchanged. `sitrep verify` (sitrep/check.py) replays into an empty SQLite database whatever the
run's database is (some 6 s of CPU to migrate it): it gets a copy of one migrated SQLite file.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.db import connection

from ceasefire.record import replay

_Scratch = replay._scratch_database


class Template:
    """The empty migrated database, made when first asked for; dropped by `close`."""

    def __init__(self):
        self.folder: str | None = None
        self.made: _Scratch | None = None  # the real scratch database it is, on PostgreSQL its name
        self.url: str | None = None

    def get(self) -> _Scratch:
        if self.made is None:
            self.folder = tempfile.mkdtemp(prefix="ceasefire-replay-template-")
            made = _Scratch(self.folder)
            url = made.__enter__()
            events = Path(self.folder, "none.jsonl")
            events.write_text("")
            env = dict(os.environ, DATABASE_URL=url, CEASEFIRE_DATA_DIR=self.folder, SECRET_KEY="replay-scratch")
            run = subprocess.run(
                [sys.executable, "-m", "ceasefire.record.scratch", str(events), str(Path(self.folder, "dump.json"))],
                env=env,
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                made.__exit__(None, None, None)
                raise RuntimeError(f"cannot make the scratch template: {run.stdout}{run.stderr}")
            if url.startswith("sqlite:///"):
                # Everything into the file itself (it is in WAL mode), so that copying the file copies it all.
                with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.made, self.url = made, url
        return self.made

    def close(self) -> None:
        if self.made is not None:
            self.made.__exit__(None, None, None)
            self.made = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


TEMPLATE = Template()


class SQLiteTemplate:
    """An empty migrated SQLite file, whatever database the run is on: `sitrep verify` replays into
    one (sitrep/check.py). On SQLite it is TEMPLATE's; on PostgreSQL one made the same way."""

    def __init__(self):
        self.folder: str | None = None
        self.path: Path | None = None

    def get(self) -> Path:
        if self.path is None:
            if connection.vendor == "sqlite":
                TEMPLATE.get()
                self.path = Path(TEMPLATE.url.removeprefix("sqlite:///"))
                return self.path
            self.folder = tempfile.mkdtemp(prefix="ceasefire-sitrep-template-")
            path = Path(self.folder, "scratch.sqlite3")
            events = Path(self.folder, "none.jsonl")
            events.write_text("")
            env = dict(
                os.environ,
                DATABASE_URL=f"sqlite:///{path}",
                CEASEFIRE_DATA_DIR=self.folder,
                SECRET_KEY="sitrep-scratch",
            )
            run = subprocess.run(
                [sys.executable, "-m", "ceasefire.record.scratch", str(events), str(Path(self.folder, "dump.json"))],
                env=env,
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise RuntimeError(f"cannot make the SQLite scratch template: {run.stdout}{run.stderr}")
            with contextlib.closing(sqlite3.connect(path)) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.path = path
        return self.path

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        self.path = None


SQLITE_TEMPLATE = SQLiteTemplate()


def sitrep_scratch_database(folder: str) -> str:
    """sitrep/check.py's scratch database: a copy of SQLITE_TEMPLATE in `folder`."""
    path = Path(folder, "scratch.sqlite3")
    shutil.copyfile(SQLITE_TEMPLATE.get(), path)
    return f"sqlite:///{path}"


class FromTemplate(_Scratch):
    """The scratch database of replay.check, a copy of TEMPLATE's."""

    def __enter__(self) -> str:
        template = TEMPLATE.get()
        url = super().__enter__()  # on PostgreSQL an empty database, made again below from the template
        if connection.vendor == "sqlite":
            shutil.copyfile(TEMPLATE.url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        else:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{self.name}"')
                cursor.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{template.name}"')
        return url

"""Backup and restore: a consistent copy of the database taken while the server runs, with the key
files the record needs, the evidence files and a manifest of their SHA-256; and its restore into an
empty target, checked before (every file against the manifest) and after (`replay --check` and the
record's own verification).

A backup is a folder (mode 0700, every file in it mode 0600):

    manifest.json        what the backup holds: each file's SHA-256 and size, which files are secret,
                         the record's size and root, the versions and the migrations applied
    database.sqlite3     on SQLite: a copy made with SQLite's backup API, in one read transaction
    database.pgdump      on PostgreSQL: `pg_dump --format=custom` of one snapshot
    keys/log.key         the log key, which signs the checkpoints (secret)
    keys/secret_key      the generated SECRET_KEY, unless SECRET_KEY is set in the environment (secret)
    evidence/ab/ab12...  the evidence files, by their SHA-256 (as in the evidence store)

Consistency. The size and root the manifest gives are read from the copy itself: on SQLite from the
copied file, on PostgreSQL in the REPEATABLE READ transaction whose snapshot pg_dump is handed
(`--snapshot`). An append is acknowledged once its transaction committed, so every event
acknowledged before the backup began is in the copy. Evidence files are copied after the snapshot,
and a file is in the store before the event that names it commits, so every file the copied record
names is copied (later uploads may come along; the store is addressed by content, so they harm nothing).

The manifest guards against damage and careless edits, not against someone who rewrites it with the
files: that the restored record is the one the parties' witnesses cosigned is for the record's own
verification to show, after the restore.
"""

import base64
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections, transaction

from . import keyfile, merkle, note, tree

FORMAT = "ceasefire-backup 1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
LOG_KEY = "keys/log.key"
SECRET_KEY = "keys/secret_key"
EVIDENCE = "evidence"
CHUNK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")
# The libpq connection keywords a DATABASE_URL's query may carry that pg_dump and pg_restore must be
# given too; Django's own OPTIONS (pool, server_side_binding ...) are not libpq's.
_LIBPQ = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "sslpassword",
    "channel_binding",
    "gssencmode",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
    "service",
    "passfile",
}

Say = Callable[[str], None]


class Refused(Exception):
    """What stops a backup or a restore before it changed anything, said in one sentence."""


@dataclass(frozen=True)
class Facts:
    """What a database holds, read in one snapshot: the record's size and root (base64, as in a
    checkpoint), the newest checkpoint's size and note, the migrations applied."""

    size: int
    root: str
    checkpoint: int | None
    checkpoint_note: str | None
    migrations: dict[str, list[str]]


def facts(cursor) -> Facts:
    """Read Facts through a DB-API cursor: a sqlite3 cursor on a copy, or Django's on the live
    database. Plain SQL with no parameters, so that one text serves both (the numbers are ours)."""
    cursor.execute('SELECT "size" FROM "record_head" WHERE "id" = 1')
    row = cursor.fetchone()
    if row is None:
        raise Refused("the record's head row is missing: the database is not a migrated ceasefire database")
    size = row[0]
    root = merkle.EMPTY_ROOT
    if size:
        # The complete subtrees tiling [0, size), as tree.root reads them, folded right to left.
        tiles = tree._tiles(0, size)
        where = " OR ".join(f'("level" = {level} AND "index" = {index})' for level, index in tiles)
        cursor.execute(f'SELECT "level", "index", "hash" FROM "record_treenode" WHERE {where}')
        stored = {(level, index): bytes(h) for level, index, h in cursor.fetchall()}
        missing = [t for t in tiles if t not in stored]
        if missing:
            raise Refused(
                f"the record's stored tree lacks node {tree._name(*missing[0])}: it is damaged; "
                "run `ceasefire replay --check` to see what changed"
            )
        root = stored[tiles[-1]]
        for key in reversed(tiles[:-1]):
            root = merkle.node_hash(stored[key], root)
    cursor.execute('SELECT "size", "note" FROM "record_checkpoint" ORDER BY "size" DESC LIMIT 1')
    cp = cursor.fetchone()
    cursor.execute('SELECT "app", "name" FROM "django_migrations" ORDER BY "app", "name"')
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return Facts(
        size=size,
        root=_b64(root),
        checkpoint=cp[0] if cp else None,
        checkpoint_note=cp[1] if cp else None,
        migrations=migrations,
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# ---------------------------------------------------------------------------------------------- backup


@dataclass(frozen=True)
class Taken:
    out: Path
    facts: Facts
    files: int
    evidence: int
    secrets: list[str]
    manifest_sha256: str
    warnings: list[str]


def take(out: Path, say: Say) -> Taken:
    """Write a backup of the configured database, the key files and the evidence to the new folder `out`.

    Written under a temporary name beside `out` and renamed at the end: an interrupted backup leaves
    no half folder that someone might take for a backup. Refused if `out` exists."""
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise Refused(f"{out} exists already; choose another name (a backup is never written over anything)")
    if not out.parent.is_dir():
        raise Refused(f"no folder {out.parent} to write {out.name} in")
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))  # mode 0700
    try:
        taken = _take_into(tmp, say)
        if out.exists() or out.is_symlink():
            raise Refused(f"{out} appeared while the backup was taken; the backup was not kept")
        os.rename(tmp, out)
    except OSError as e:
        raise Refused(f"cannot write the backup in {out.parent}: {e.strerror or e}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return Taken(out=out, **taken)


def _take_into(folder: Path, say: Say) -> dict:
    files: dict[str, dict] = {}
    warnings: list[str] = []
    versions = {
        "ceasefire": _version("ceasefire"),
        "django": _version("django"),
        "python": platform.python_version(),
    }
    if connection.vendor == "sqlite":
        say(f"copying the SQLite database {connection.settings_dict['NAME']} (SQLite's backup API, one snapshot) …")
        db_file = SQLITE_FILE
        found = _copy_sqlite(Path(connection.settings_dict["NAME"]), folder / SQLITE_FILE)
        versions["database"] = f"SQLite {sqlite3.sqlite_version}"
    elif connection.vendor == "postgresql":
        say(f"dumping the PostgreSQL database {connection.settings_dict['NAME']!r} (pg_dump, one snapshot) …")
        db_file = PG_FILE
        found, server, dumper = _dump_postgresql(folder / PG_FILE)
        versions["database"] = f"PostgreSQL {server}"
        versions["pg_dump"] = dumper
    else:
        raise Refused(f"backup supports SQLite and PostgreSQL, not {connection.vendor}")
    files[db_file] = _entry(folder / db_file)
    say(f"  {files[db_file]['bytes']:,} bytes; the record holds {found.size:,} entries, root {found.root}")

    secrets = []
    key_path = Path(settings.LOG_KEY_FILE)
    if key_path.exists():
        try:
            key = keyfile.read(key_path)  # refuses a key others may read, as the server would
        except ValueError as e:
            raise Refused(str(e)) from None
        if found.checkpoint_note is not None:
            try:
                note.verify(found.checkpoint_note, [key.verifier])
            except ValueError:
                raise Refused(
                    f"the log key {key_path} did not sign the record's newest checkpoint (size {found.checkpoint}): "
                    "a server restored with it could not continue the record's checkpoints; find the key that did "
                    "(CEASEFIRE_LOG_KEY_FILE)"
                ) from None
        _write_secret(folder / LOG_KEY, key_path.read_bytes())
        files[LOG_KEY] = _entry(folder / LOG_KEY)
        secrets.append(LOG_KEY)
        log_vkey = str(key.verifier)
    elif found.checkpoint is not None:
        raise Refused(
            f"the record has checkpoints, but the log key that signs them is not at {key_path}: a server "
            "restored without it could not continue them; set CEASEFIRE_LOG_KEY_FILE to where it is"
        )
    else:
        log_vkey = None
    secret_key_path = Path(settings.DATA_DIR) / "secret_key"
    if not os.environ.get("SECRET_KEY") and secret_key_path.exists():
        _write_secret(folder / SECRET_KEY, secret_key_path.read_bytes())
        files[SECRET_KEY] = _entry(folder / SECRET_KEY)
        secrets.append(SECRET_KEY)
    say(f"copied the key files (mode 600): {', '.join(secrets) or 'none'}")

    evidence = 0
    store = Path(settings.EVIDENCE_DIR)
    if store.is_dir():
        for path in sorted(store.rglob("*")):
            rel = path.relative_to(store)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file() or path.is_symlink():
                continue  # an upload in progress (.upload-*), a folder
            name = f"{EVIDENCE}/{rel.as_posix()}"
            if len(rel.parts) != 2 or not _SHA256.fullmatch(rel.name) or rel.parts[0] != rel.name[:2]:
                warnings.append(f"{path}: not an evidence file of the store (named by its SHA-256); not copied")
                continue
            files[name] = _copy(path, folder / name)
            if files[name]["sha256"] != rel.name:
                warnings.append(
                    f"{path}: its content no longer matches its SHA-256 (changed or damaged in the store); copied as it is"
                )
            evidence += 1
    say(f"copied {evidence:,} evidence files")

    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versions": versions,
        "database": {"vendor": connection.vendor, "file": db_file, "migrations": found.migrations},
        "record": {"size": found.size, "root": found.root, "checkpoint": found.checkpoint, "log_key": log_vkey},
        "secret_key": "in this backup"
        if SECRET_KEY in files
        else "SECRET_KEY from the environment: not in this backup",
        "secrets": secrets,
        "files": files,
    }
    raw = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    _write_secret(folder / MANIFEST, raw)
    _fsync_tree(folder)
    return {
        "facts": found,
        "files": len(files),
        "evidence": evidence,
        "secrets": secrets,
        "manifest_sha256": hashlib.sha256(raw).hexdigest(),
        "warnings": warnings,
    }


def _copy_sqlite(source: Path, dest: Path) -> Facts:
    """Copy the live SQLite database with the backup API in ONE step, i.e. one read transaction:
    a consistent snapshot, while writers go on (WAL mode). The copy is made a self-contained
    rollback-journal file, checked (integrity_check) and its facts read from it."""
    if not source.exists():
        raise Refused(f"no database at {source}: nothing to back up (run `ceasefire migrate` first)")
    live = sqlite3.connect(source, timeout=60)
    try:
        copy = sqlite3.connect(dest)
        try:
            live.backup(copy)  # pages=-1: every page in one step
            copy.execute("PRAGMA journal_mode=DELETE")
            ok = copy.execute("PRAGMA integrity_check").fetchall()
            if ok != [("ok",)]:
                raise Refused(f"the copy of the database fails SQLite's integrity check: {ok[0][0]}")
            return facts(copy.cursor())
        finally:
            copy.close()
    finally:
        live.close()
        if dest.exists():
            dest.chmod(0o600)


def _dump_postgresql(dest: Path) -> tuple[Facts, str, str]:
    """pg_dump of the configured database, of the snapshot in which the facts are read: this
    transaction exports its snapshot and stays open until pg_dump, which imports it, is done."""
    pg_dump = _client("pg_dump")
    dumper = _run([pg_dump, "--version"]).stdout.strip()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server = cursor.fetchone()
            found = facts(cursor)
        run = _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}", f"--dbname={_conninfo()}"],
            env=_pg_env(),
        )
    if dest.exists():
        dest.chmod(0o600)
    if run.returncode != 0:
        raise Refused(f"pg_dump failed: {_first_line(run.stderr)}")
    listed = _run([_client("pg_restore"), "--list", str(dest)])
    if listed.returncode != 0:
        raise Refused(f"pg_restore cannot read the dump pg_dump wrote: {_first_line(listed.stderr)}")
    return found, server, dumper


# ---------------------------------------------------------------------------------------------- checking a backup


@dataclass(frozen=True)
class Checked:
    manifest: dict
    manifest_sha256: str


def check(src: Path, say: Say) -> Checked:
    """Read the backup's manifest and check every file against it: present, its size and its
    SHA-256, and no file it does not list. Refused, naming the first file that differs."""
    src = Path(src)
    if not src.is_dir():
        raise Refused(
            f"{src} is not a folder: a backup is the folder `ceasefire backup` writes"
            + (" (unpack it first)" if src.is_file() else "")
        )
    path = src / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise Refused(f"{src} holds no {MANIFEST}: it is not a backup that `ceasefire backup` wrote") from None
    except OSError as e:
        raise Refused(f"cannot read {path}: {e.strerror or e}") from None
    try:
        manifest = json.loads(raw)
    except (ValueError, RecursionError):
        raise Refused(f"{MANIFEST}: not JSON (the file was changed or damaged); this backup is refused") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise Refused(f"{MANIFEST}: its format is {found!r}, not {FORMAT!r}; this backup is refused")
    files = manifest.get("files")
    db = manifest.get("database")
    record = manifest.get("record")
    if not (isinstance(files, dict) and isinstance(db, dict) and isinstance(record, dict)):
        raise Refused(f"{MANIFEST}: it lacks its files, database or record; this backup is refused")
    if db.get("file") not in files:
        raise Refused(
            f"{MANIFEST}: the database file {db.get('file')!r} is not among its files; this backup is refused"
        )
    if not isinstance(manifest.get("secrets"), list) or not set(manifest["secrets"]) <= set(files):
        raise Refused(f"{MANIFEST}: it names secret files it does not list; this backup is refused")
    migrations = db.get("migrations")
    if not (
        isinstance(record.get("size"), int)
        and isinstance(record.get("root"), str)
        and isinstance(migrations, dict)
        and all(isinstance(names, list) and all(isinstance(n, str) for n in names) for names in migrations.values())
    ):
        raise Refused(
            f"{MANIFEST}: its record size and root or its migrations are not what a backup writes; this backup is refused"
        )
    say(f"checking {len(files):,} files of {src} against {MANIFEST} …")
    for name in sorted(files):
        entry = files[name]
        if not _safe_name(name) or not isinstance(entry, dict):
            raise Refused(f"{MANIFEST}: {name!r} is not a file of a backup; this backup is refused")
        file = src / name
        if file.is_symlink() or not file.is_file():
            raise Refused(f"{name}: missing from {src}, which its manifest lists; this backup is refused")
        sha, size = _hash(file)
        if sha != entry.get("sha256") or size != entry.get("bytes"):
            raise Refused(
                f"{name}: its SHA-256 is {sha}, but the manifest says {entry.get('sha256')} (the file was changed "
                "or damaged since the backup); this backup is refused"
            )
    for file in sorted(src.rglob("*")):
        rel = file.relative_to(src).as_posix()
        if (file.is_file() or file.is_symlink()) and rel != MANIFEST and rel not in files:
            raise Refused(f"{rel}: in {src}, but its manifest does not list it; this backup is refused")
    return Checked(manifest, hashlib.sha256(raw).hexdigest())


def _safe_name(name) -> bool:
    p = PurePosixPath(name) if isinstance(name, str) else None
    return p is not None and not p.is_absolute() and name == p.as_posix() and ".." not in p.parts and name != MANIFEST


# ---------------------------------------------------------------------------------------------- restore


@dataclass(frozen=True)
class Restored:
    manifest: dict
    set_aside: list[str]
    migrated: int
    notes: list[str]


def existing() -> list[str]:
    """What the target already holds that a restore would write over: the database's tables, the
    log key, evidence files. (The secret key is not listed: settings generate one into an empty data
    folder before any command runs; with an empty database nothing it signed can remain.)"""
    found = []
    tables = _target_tables()
    if tables:
        found.append(f"the database ({_where()}) holds {tables} tables")
    if Path(settings.LOG_KEY_FILE).exists():
        found.append(f"the log key {settings.LOG_KEY_FILE} exists")
    store = Path(settings.EVIDENCE_DIR)
    if _holds_files(store):
        found.append(f"the evidence store {store} holds files")
    return found


def restore(src: Path, checked: Checked, replace: bool, say: Say) -> Restored:
    """Restore the checked backup at `src` into the configured database and folders.

    Refused (changing nothing) when the backup's database is of another kind, holds migrations this
    installation does not know, or the target is not empty and `replace` is not given. With
    `replace`, what would be written over is set aside first (NAME.before-restore-TIME) on SQLite
    and in the folders; on PostgreSQL the objects the dump holds are dropped and made again."""
    from django.core.management import call_command
    from django.db.migrations.loader import MigrationLoader

    from .management.base import unapplied_migrations

    manifest = checked.manifest
    vendor = manifest["database"].get("vendor")
    if vendor != connection.vendor:
        hint = (
            "unset DATABASE_URL to restore it into the data folder"
            if vendor == "sqlite"
            else "set DATABASE_URL to an empty PostgreSQL database"
        )
        raise Refused(
            f"the backup holds a {vendor} database, and the configured one is {connection.vendor} ({_where()}): {hint}"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    migrations = manifest["database"].get("migrations") or {}
    unknown = sorted((app, name) for app, names in migrations.items() for name in names if (app, name) not in known)
    if unknown:
        made_by = manifest.get("versions", {}).get("ceasefire", "?")
        raise Refused(
            f"the backup's database has migrations this installation lacks ({unknown[0][0]}.{unknown[0][1]} "
            f"and {len(unknown) - 1} more): restore it with ceasefire {made_by} or later"
        )
    if manifest["record"].get("checkpoint") is not None and LOG_KEY not in manifest["files"]:
        raise Refused("the backup's record has checkpoints, but the backup holds no log key to continue them")
    there = existing()
    if there and not replace:
        raise Refused(
            f"the target is not empty: {'; '.join(there)}. Restore into an empty data folder (--data-dir) and "
            "database, or pass --replace to set aside what is there (stop the server first)"
        )

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside: list[str] = []
    notes: list[str] = []
    connections.close_all()  # nothing of ours holds the target open while it is written
    files = manifest["files"]
    say(f"restoring the database into {_where()} …")
    if connection.vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        if there and _target_tables():
            kept = target.with_name(f"{target.name}.before-restore-{stamp}")
            _sqlite_copy(target, kept)
            aside.append(str(kept))
        _sqlite_copy(Path(src, manifest["database"]["file"]), target, source_read_only=True)
    else:
        _pg_restore(Path(src, manifest["database"]["file"]), clean=bool(there))

    key_path = Path(settings.LOG_KEY_FILE)
    if LOG_KEY in files:
        aside += _set_aside(key_path, stamp)
        _place(src / LOG_KEY, key_path, files[LOG_KEY]["sha256"])
        say(f"restored the log key to {key_path} (mode 600)")
    secret_path = Path(settings.DATA_DIR) / "secret_key"
    if SECRET_KEY in files:
        if there:
            aside += _set_aside(secret_path, stamp)
        _place(src / SECRET_KEY, secret_path, files[SECRET_KEY]["sha256"])
        say(f"restored the secret key to {secret_path} (mode 600)")
        if os.environ.get("SECRET_KEY"):
            notes.append(f"SECRET_KEY is set in the environment: it is used, not the restored {secret_path}")
    else:
        notes.append(
            "the backed-up server took SECRET_KEY from its environment: set it to the same value, or sessions "
            "and remembered devices start over"
        )
    store = Path(settings.EVIDENCE_DIR)
    evidence = sorted(name for name in files if name.startswith(f"{EVIDENCE}/"))
    if _holds_files(store):  # only with --replace: an empty target holds none
        aside += _set_aside(store, stamp)
    for name in evidence:
        _place(src / name, store / PurePosixPath(name).relative_to(EVIDENCE), files[name]["sha256"])
    say(f"restored {len(evidence):,} evidence files to {store}")

    pending = unapplied_migrations()
    if pending:
        say(f"applying the {pending} migrations the backup predates …")
        call_command("migrate", verbosity=0, interactive=False)
    return Restored(manifest, aside, pending, notes)


def _holds_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() and not p.name.startswith(".") for p in folder.rglob("*"))


def _target_tables() -> int:
    """How many tables the configured database holds, without making it (an absent SQLite file
    stays absent) nor setting it up (Django's connection would turn on WAL)."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if not path.exists():
            return 0
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            db.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"
        )
        return cursor.fetchone()[0]


def _sqlite_copy(source: Path, dest: Path, source_read_only: bool = False) -> None:
    """Copy one SQLite database over another with the backup API: whatever journal mode the
    destination is in (WAL included), it ends holding the source's pages, in one write transaction."""
    src = (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) if source_read_only else sqlite3.connect(source, timeout=60)
    )
    try:
        dst = sqlite3.connect(dest, timeout=60)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _pg_restore(dump: Path, clean: bool) -> None:
    """pg_restore into the configured database, in one transaction: on any error nothing is restored.
    The objects become the configured role's (--no-owner); grants are not restored (--no-privileges)."""
    argv = [_client("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if clean:
        argv += ["--clean", "--if-exists"]
    run = _run([*argv, f"--dbname={_conninfo()}", str(dump)], env=_pg_env())
    if run.returncode != 0:
        raise Refused(f"pg_restore failed, nothing was restored: {_first_line(run.stderr)}")


def _set_aside(path: Path, stamp: str) -> list[str]:
    if not (path.exists() or path.is_symlink()):
        return []
    kept = path.with_name(f"{path.name}.before-restore-{stamp}")
    os.rename(path, kept)
    return [str(kept)]


def _place(source: Path, dest: Path, sha256: str) -> None:
    """Copy a file of the backup to `dest` (mode 0600), under a temporary name first; its bytes are
    hashed again as they are copied, so that a file changed since the check is never placed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".restoring")
    tmp: str | None = tmp_name  # None once it is in place
    try:
        digest = hashlib.sha256()
        with open(source, "rb") as f, os.fdopen(fd, "wb") as out:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise Refused(f"{source}: changed since the backup was checked; not restored")
        os.replace(tmp_name, dest)
        tmp = None
    finally:
        if tmp is not None:
            os.unlink(tmp)


# ---------------------------------------------------------------------------------------------- after a restore


@dataclass(frozen=True)
class Verdict:
    ok: bool
    lines: list[str]


def verify_restored(manifest: dict, say: Say) -> Verdict:
    """The checks a restore ends with: the record's size and root as the backup took them, the
    database guard in place, `replay --check`, and the record's own verification (a bundle for the
    parties exported from the restored record and verified as `record verify` does)."""
    import io

    from . import bundle, guard, replay, verify

    lines: list[str] = []
    ok = True
    with connection.cursor() as cursor:
        now = facts(cursor)
    want = manifest["record"]
    if (now.size, now.root) != (want.get("size"), want.get("root")):
        ok = False
        lines.append(
            f"DIFFERENT: the restored record holds {now.size:,} entries with root {now.root}; the backup took "
            f"{want.get('size')} entries with root {want.get('root')}"
        )
    else:
        lines.append(f"OK: the record holds {now.size:,} entries with root {now.root}, as the backup took it")

    missing = guard.missing()
    if missing:
        ok = False
        lines.append(
            f"PROBLEM: the record's guard is missing for {', '.join(missing)} (ceasefire check says how to put it back)"
        )

    say(f"replay --check: replaying {now.size:,} events into a scratch database and comparing …")
    result = replay.check()
    if result.ok:
        lines.append(
            f"OK: replay --check: {result.events:,} events checked; the Merkle tree and the projections match the record"
        )
    else:
        ok = False
        lines.append(
            f"DIFFERENT: replay --check: {result.events:,} events checked; first difference: {result.difference}"
        )

    if now.size == 0:
        lines.append("record verify: the record is empty, nothing to verify")
        return Verdict(ok, lines)
    say("record verify: exporting the record for the parties and verifying it …")
    with tempfile.TemporaryDirectory(prefix="ceasefire-restore-") as tmp:
        path = Path(tmp, "record.bundle")
        try:
            bundle.export(path, "parties")
            out, err = io.StringIO(), io.StringIO()
            verify.verify(str(path), out=out, err=err)
            said = out.getvalue().strip().splitlines()
            lines.append("record verify: " + said[0].replace(f"{path}", "the restored record"))
            lines += [f"  {line.strip()}" for line in said[1:]]
        except (verify.Failed, verify.Unusable, ValueError, RuntimeError) as e:
            ok = False
            lines.append(f"FAILED: record verify: {str(e).replace(str(path), 'the restored record')}")
    return Verdict(ok, lines)


# ---------------------------------------------------------------------------------------------- small helpers


def _hash(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _entry(path: Path) -> dict:
    sha, size = _hash(path)
    return {"sha256": sha, "bytes": size}


def _copy(source: Path, dest: Path) -> dict:
    """Copy a file into the backup (mode 0600), hashing it as it goes."""
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(source, "rb") as f, os.fdopen(fd, "wb") as out:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _fsync_tree(folder: Path) -> None:
    """Every file and folder of the backup on disk before it is given its name."""
    for path in sorted(folder.rglob("*"), reverse=True):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def _where() -> str:
    from .management.base import database_description

    return database_description()


def _client(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Refused(
            f"{name} is not installed: install the PostgreSQL client (Debian: apt-get install postgresql-client)"
        )
    return found


def _run(argv: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=False)


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def _conninfo() -> str:
    """The configured PostgreSQL database as a libpq connection string, without its password
    (given in PGPASSWORD, so that it is not on a command line others may read)."""
    s = connection.settings_dict
    parts = {"dbname": s["NAME"], "user": s.get("USER"), "host": s.get("HOST"), "port": s.get("PORT")}
    parts.update({k: v for k, v in (s.get("OPTIONS") or {}).items() if k in _LIBPQ and isinstance(v, str | int)})

    def quoted(value) -> str:
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{k}={quoted(v)}" for k, v in parts.items() if v not in (None, ""))


def _pg_env() -> dict:
    env = dict(os.environ)
    password = connection.settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    return env

"""`ceasefire backup OUT` and `ceasefire restore IN` on SQLite: the backup holds the database, the
key files (mode 600), the evidence and a manifest of hashes; restore refuses a backup that does not
verify, naming the file, and a target that is not empty, and ends with replay --check and the
record's own verification; a backup taken while a writer appends loses no acknowledged event."""

import hashlib
import json
import shutil
import sqlite3
import stat
import subprocess
import sys

import pytest

from .backup_writer import Writer
from .helpers import ceasefire, environment, no_traceback

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
EVIDENCE = """
import django, sys
django.setup()
from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.mechanism.accounts import actor_for
from django.contrib.auth import get_user_model
actor = actor_for(get_user_model().objects.get(username="west-member"))
report = Report.objects.order_by("id").first()
commands.add_evidence(actor, report.id, [sys.stdin.buffer.read()], "crater.png", "image/png")
"""


@pytest.fixture(scope="module")
def source(demo, tmp_path_factory):
    """A copy of the demo's data folder, with an evidence file filed."""
    data = demo.copy(tmp_path_factory.mktemp("backup-source") / "data")
    env = environment(CEASEFIRE_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="ceasefire.settings")
    run = subprocess.run([sys.executable, "-c", EVIDENCE], input=PNG, env=env, capture_output=True, check=False)
    assert run.returncode == 0, run.stderr.decode()
    return data


@pytest.fixture(scope="module")
def backup(source, tmp_path_factory):
    out = tmp_path_factory.mktemp("backup") / "jmc-backup"
    run = ceasefire("backup", out, "--data-dir", source)
    assert run.returncode == 0, run.stdout + run.stderr
    no_traceback(run)
    return out, run


@pytest.fixture(scope="module")
def restored(backup, tmp_path_factory):
    target = tmp_path_factory.mktemp("restored") / "data"
    run = ceasefire("restore", backup[0], "--data-dir", target)
    return target, run


def bodies(data) -> list[bytes]:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return [bytes(b) for (b,) in db.execute("select body from record_event order by seq")]


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_backup_holds_the_database_the_keys_the_evidence_and_their_hashes(backup, source):
    out, run = backup
    manifest = json.loads((out / "manifest.json").read_text())
    evidence = f"evidence/{hashlib.sha256(PNG).hexdigest()[:2]}/{hashlib.sha256(PNG).hexdigest()}"
    assert set(manifest["files"]) == {"database.sqlite3", "keys/log.key", "keys/secret_key", evidence}
    assert manifest["secrets"] == ["keys/log.key", "keys/secret_key"]
    for name, entry in manifest["files"].items():
        assert sha256(out / name) == entry["sha256"] and (out / name).stat().st_size == entry["bytes"], name
    # Nothing else in the folder (no -wal or -journal beside the copy), all of it readable by its owner only.
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == {*manifest["files"], "manifest.json"}
    assert mode(out) == 0o700
    assert {mode(p) for p in out.rglob("*") if p.is_file()} == {0o600}
    assert (out / "keys/log.key").read_bytes() == (source / "log.key").read_bytes()
    assert (out / "keys/secret_key").read_bytes() == (source / "secret_key").read_bytes()
    assert (out / evidence).read_bytes() == PNG
    assert manifest["record"]["size"] == len(bodies(source))
    assert manifest["record"]["log_key"].startswith("ceasefire.local/record+")
    assert manifest["database"]["vendor"] == "sqlite" and "0001_initial" in manifest["database"]["migrations"]["record"]
    assert set(manifest["versions"]) >= {"ceasefire", "django", "python", "database"}
    assert f"the record's {manifest['record']['size']:,} entries" in run.stdout
    assert hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest() in run.stdout


def test_restore_brings_back_the_record_keys_and_evidence_and_checks_them(restored, backup, source):
    target, run = restored
    assert run.returncode == 0, run.stdout + run.stderr
    no_traceback(run)
    assert "OK: replay --check" in run.stdout
    assert "record verify: OK: the restored record verifies" in run.stdout
    assert bodies(target) == bodies(source)
    for name in ("log.key", "secret_key"):
        assert (target / name).read_bytes() == (source / name).read_bytes()
        assert mode(target / name) == 0o600
    stored = target / "evidence" / hashlib.sha256(PNG).hexdigest()[:2] / hashlib.sha256(PNG).hexdigest()
    assert stored.read_bytes() == PNG and mode(stored) == 0o600
    again = ceasefire("replay", "--check", "--data-dir", target)
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.parametrize("name", ["database.sqlite3", "keys/log.key", "evidence"])
def test_a_changed_file_is_refused_naming_it(backup, tmp_path, name):
    copy = tmp_path / "copy"
    shutil.copytree(backup[0], copy)
    changed = next(
        p for p in sorted(copy.rglob("*")) if p.is_file() and p.relative_to(copy).as_posix().startswith(name)
    )
    raw = bytearray(changed.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    changed.write_bytes(bytes(raw))
    target = tmp_path / "target"

    run = ceasefire("restore", copy, "--data-dir", target)

    assert run.returncode == 2, run.stdout + run.stderr
    no_traceback(run)
    assert f"ceasefire restore: {changed.relative_to(copy).as_posix()}: its SHA-256 is" in run.stderr
    assert "this backup is refused" in run.stderr
    assert not (target / "ceasefire.sqlite3").exists() and not (target / "log.key").exists()


def test_a_file_the_manifest_does_not_list_is_refused(backup, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(backup[0], copy)
    (copy / "keys" / "extra.key").write_text("slipped in\n")
    run = ceasefire("restore", copy, "--check-only")
    assert run.returncode == 2
    assert "keys/extra.key: in" in run.stderr and "does not list it" in run.stderr


def test_restore_refuses_a_target_that_is_not_empty_unless_told_to_replace(backup, demo, tmp_path):
    target = demo.copy(tmp_path / "data")
    other = b"evidence of the record restored over\n"
    digest = hashlib.sha256(other).hexdigest()
    (target / "evidence" / digest[:2]).mkdir(parents=True)
    (target / "evidence" / digest[:2] / digest).write_bytes(other)
    before = sha256(target / "ceasefire.sqlite3"), (target / "log.key").read_bytes()

    run = ceasefire("restore", backup[0], "--data-dir", target)

    assert run.returncode == 2, run.stdout + run.stderr
    no_traceback(run)
    assert "the target is not empty" in run.stderr and "--replace" in run.stderr
    assert (sha256(target / "ceasefire.sqlite3"), (target / "log.key").read_bytes()) == before

    replaced = ceasefire("restore", backup[0], "--data-dir", target, "--replace")
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    aside = {p.name.split(".before-restore-")[0] for p in target.iterdir() if ".before-restore-" in p.name}
    assert aside == {"ceasefire.sqlite3", "log.key", "secret_key", "evidence"}
    kept = next(target.glob("log.key.before-restore-*"))
    assert kept.read_bytes() == before[1]
    assert sha256(next(target.glob("ceasefire.sqlite3.before-restore-*"))) != sha256(target / "ceasefire.sqlite3")
    assert (next(target.glob("evidence.before-restore-*")) / digest[:2] / digest).read_bytes() == other
    assert {p.name for p in (target / "evidence").rglob("*") if p.is_file()} == {hashlib.sha256(PNG).hexdigest()}
    assert (target / "log.key").read_bytes() == (backup[0] / "keys/log.key").read_bytes()


def test_a_backup_taken_during_writes_keeps_every_acknowledged_event(demo, tmp_path):
    data = demo.copy(tmp_path / "data")
    writer = Writer(environment(CEASEFIRE_DATA_DIR=str(data)))
    try:
        writer.wait_for(3)
        acknowledged = list(writer.acknowledged)  # committed before the backup began
        run = ceasefire("backup", tmp_path / "backup", "--data-dir", data)
        during = len(writer.acknowledged) - len(acknowledged)
    finally:
        writer.stop()
    assert run.returncode == 0, run.stdout + run.stderr
    assert during > 0  # the writer went on appending while the backup was taken

    target = tmp_path / "restored"
    restore = ceasefire("restore", tmp_path / "backup", "--data-dir", target)

    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "OK: replay --check" in restore.stdout and "record verify: OK" in restore.stdout
    with sqlite3.connect(target / "ceasefire.sqlite3") as db:
        meetings = set(db.execute("select id, title_en from mechanism_meeting"))
    assert set(acknowledged) <= meetings
    # What was restored is what the writer wrote, in its order: no acknowledged event is missing
    # between the first and the last one the backup holds.
    written = [m for m in meetings if m[1].startswith("written during a backup")]
    assert sorted(written) == writer.acknowledged[: len(written)]


def test_a_restore_whose_record_is_not_the_one_backed_up_exits_1(backup, tmp_path):
    """The manifest guards the files, not itself: a record size and root changed in it pass the
    check of the hashes, and the restore, which compares the restored record with them, says so."""
    copy = tmp_path / "copy"
    shutil.copytree(backup[0], copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["record"]["size"] -= 1
    (copy / "manifest.json").write_text(json.dumps(manifest))

    run = ceasefire("restore", copy, "--data-dir", tmp_path / "target")

    assert run.returncode == 1, run.stdout + run.stderr
    no_traceback(run)
    assert f"DIFFERENT: the restored record holds {manifest['record']['size'] + 1:,} entries" in run.stdout
    assert "did not all pass: do not serve it" in run.stderr


def test_backup_refuses_a_folder_that_exists_and_restore_one_that_is_no_backup(source, tmp_path):
    (tmp_path / "taken").mkdir()
    run = ceasefire("backup", tmp_path / "taken", "--data-dir", source)
    assert run.returncode == 2
    assert "exists already" in run.stderr and list((tmp_path / "taken").iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no temporary folder left behind

    not_one = ceasefire("restore", source, "--check-only")
    assert not_one.returncode == 2
    assert "holds no manifest.json" in not_one.stderr

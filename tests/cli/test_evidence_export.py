"""`ceasefire evidence export REF OUT --as USERNAME` copies a report's evidence files into a new
folder with a SHA256SUMS manifest that sha256sum checks, and records each export in the file's
chain of custody; it refuses an existing folder, an unknown report or account, and a stored file
that no longer matches its SHA-256."""

import hashlib
import sqlite3
import subprocess
import sys

import pytest

from .helpers import ceasefire, environment, no_traceback

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
ADD = """
import django, sys
django.setup()
from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.mechanism.accounts import actor_for
from django.contrib.auth import get_user_model
actor = actor_for(get_user_model().objects.get(username="west-member"))
report = Report.objects.order_by("id").first()
commands.add_evidence(actor, report.id, [sys.stdin.buffer.read()], "crater.png", "image/png")
commands.add_evidence(actor, report.id, [b"Witness notes, typed.\\n"], "notes.txt", "text/plain")
print(report.reference)
"""


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):
    data = demo.copy(tmp_path_factory.mktemp("evidence") / "data")
    env = environment(CEASEFIRE_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="ceasefire.settings")
    run = subprocess.run([sys.executable, "-c", ADD], input=PNG, env=env, capture_output=True, check=False)
    assert run.returncode == 0, run.stderr.decode()
    return data, run.stdout.decode().strip()


def custody(data) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return db.execute("select username, action from incidents_evidenceaccess order by id").fetchall()


def test_export_copies_the_files_with_a_manifest_sha256sum_checks(data, tmp_path):
    data, ref = data
    out = tmp_path / "out"
    run = ceasefire("evidence", "export", ref, out, "--as", "facilitator", "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    no_traceback(run)
    assert f"2 evidence file(s) of {ref} exported to {out}" in run.stdout
    manifest = (out / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1].split("-", 1)[1] for line in manifest] == ["crater.png", "notes.txt"]
    assert manifest[0].split("  ")[0] == hashlib.sha256(PNG).hexdigest()
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True, check=False)
    assert check.returncode == 0 and check.stdout.count(": OK") == 2, check.stdout + check.stderr
    assert custody(data)[-2:] == [("facilitator", "export"), ("facilitator", "export")]


def test_refusals_write_nothing(data, tmp_path):
    data, ref = data
    before = custody(data)
    existing = tmp_path / "exists"
    existing.mkdir()
    cases = [
        (("evidence", "export", ref, existing, "--as", "facilitator"), "exists already"),
        (("evidence", "export", "R-1999-0001", tmp_path / "a", "--as", "facilitator"), "no report 'R-1999-0001'"),
        (("evidence", "export", ref, tmp_path / "b", "--as", "nobody"), "no account on the committee named 'nobody'"),
        (("evidence", "export", ref, tmp_path / "c", "--as", "observer"), "Evidence files are for the parties"),
    ]
    for args, message in cases:
        run = ceasefire(*args, "--data-dir", data)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert message in run.stderr, run.stderr
        no_traceback(run)
    assert not (tmp_path / "c").exists()  # the observer's refusal removed the copies it began
    assert custody(data) == before


def test_a_stored_file_that_changed_is_refused(data, tmp_path):
    data, ref = data
    stored = data / "evidence" / hashlib.sha256(PNG).hexdigest()[:2] / hashlib.sha256(PNG).hexdigest()
    stored.chmod(0o600)
    stored.write_bytes(PNG + b"tampered")
    run = ceasefire("evidence", "export", ref, tmp_path / "out", "--as", "facilitator", "--data-dir", data)
    assert run.returncode == 2
    assert "no longer matches the SHA-256 in the record" in run.stderr
    assert not (tmp_path / "out").exists()

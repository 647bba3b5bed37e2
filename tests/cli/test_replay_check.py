"""`ceasefire replay --check` exits 0 when the projections match the record and names the first
difference otherwise; `ceasefire replay` rebuilds them from the record."""

import re
import sqlite3

import pytest

from .helpers import ceasefire, no_traceback


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):
    return demo.copy(tmp_path_factory.mktemp("replay") / "data")


def events(data) -> int:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return db.execute("select count(*) from record_event").fetchone()[0]


def test_check_passes_after_the_demo_load(data):
    run = ceasefire("replay", "--check", "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(rf"\b{events(data)} events checked", run.stdout), run.stdout


def test_a_tampered_projection_is_named(data):
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        db.execute("update mechanism_party set seats = 4 where code = 'east'")

    run = ceasefire("replay", "--check", "--data-dir", data)

    assert run.returncode == 1, run.stdout + run.stderr
    no_traceback(run)
    assert f"{events(data)} events checked" in run.stderr
    assert "mechanism.Party" in run.stderr
    assert "seats: live 4, replayed 5" in run.stderr


def test_replay_rebuilds_the_projections_from_the_record(data):
    before = events(data)
    run = ceasefire("replay", "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"from {before} events" in run.stdout
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        assert db.execute("select seats from mechanism_party where code = 'east'").fetchone()[0] == 5
    assert events(data) == before  # the record itself is never touched
    assert ceasefire("replay", "--check", "--data-dir", data).returncode == 0

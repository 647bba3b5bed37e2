"""`ceasefire liaison export --to niger --out FILE --as USERNAME` writes what the committee shares
with a neighbour's liaison committee and records it (its hash, recipient and checkpoint); anyone but
the facilitator is refused, and a bad recipient named, with nothing written."""

import hashlib
import json
import sqlite3

import pytest

from .helpers import ceasefire


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):
    return demo.copy(tmp_path_factory.mktemp("liaison") / "data")


def shared(data) -> list:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return [json.loads(r[0]) for r in db.execute("select body from record_event where type = 'routes.data_shared'")]


def test_the_facilitator_exports_and_the_record_names_the_files_hash(data, tmp_path):
    out = tmp_path / "niger.json"
    r = ceasefire("liaison", "export", "--to", "niger", "--out", out, "--as", "facilitator", "--data-dir", data)
    assert r.returncode == 0, r.stderr
    body = out.read_bytes()
    assert json.loads(body)["recipient"] == "niger"
    [entry] = shared(data)
    assert entry["payload"]["sha256"] == hashlib.sha256(body).hexdigest() and entry["payload"]["recipient"] == "niger"
    assert entry["payload"]["sha256"] in r.stdout


def test_others_and_bad_recipients_are_refused_with_nothing_written(data, tmp_path):
    before = len(shared(data))
    r = ceasefire(
        "liaison", "export", "--to", "chad", "--out", tmp_path / "a.csv", "--as", "observer", "--data-dir", data
    )
    assert r.returncode != 0 and not (tmp_path / "a.csv").exists()
    r = ceasefire(
        "liaison", "export", "--to", "egypt", "--out", tmp_path / "b.csv", "--as", "facilitator", "--data-dir", data
    )
    assert r.returncode != 0 and "recipient" in r.stderr and not (tmp_path / "b.csv").exists()
    assert len(shared(data)) == before

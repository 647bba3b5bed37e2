"""`ceasefire layer import FILE --as USERNAME` puts forward a GeoJSON file as a version of a layer,
refusing invalid geometry with the place of the fault and writing nothing; `layer export` writes a
version back as GeoJSON, which imports again unchanged; `replay --check` agrees afterwards. The
demo's own layers are exercises, named so."""

import json
import sqlite3

import pytest

from .helpers import ceasefire, no_traceback


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):
    return demo.copy(tmp_path_factory.mktemp("layer") / "data")


def size(data) -> int:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return db.execute("select count(*) from record_event").fetchone()[0]


def test_the_demos_layers_are_exercises_and_export_as_geojson(data, tmp_path):
    out = tmp_path / "road.geojson"
    r = ceasefire("layer", "export", "coastal-road", "--as", "observer", "--out", out, "--data-dir", data)
    assert r.returncode == 0, r.stderr
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and fc["binding"] is True and fc["version"] == 1
    assert fc["name_en"].startswith("EXERCISE — ") and fc["features"][0]["geometry"]["type"] == "LineString"


def test_a_file_imports_as_a_new_version_and_bad_geometry_writes_nothing(data, tmp_path):
    exported = tmp_path / "area.geojson"
    assert (
        ceasefire(
            "layer", "export", "sirte-jufra", "--as", "west-head", "--out", exported, "--data-dir", data
        ).returncode
        == 0
    )
    before = size(data)
    r = ceasefire("layer", "import", exported, "--as", "east-head", "--data-dir", data)
    assert r.returncode == 0, r.stderr
    assert "sirte-jufra: version 2 put forward" in r.stdout
    assert size(data) > before

    bad = json.loads(exported.read_text(encoding="utf-8"))
    bad["features"][0]["geometry"]["coordinates"][0].pop()  # the ring no longer closes
    broken = tmp_path / "broken.geojson"
    broken.write_text(json.dumps(bad), encoding="utf-8")
    not_json = tmp_path / "not.geojson"
    not_json.write_text('{"type": "FeatureCollection", ', encoding="utf-8")
    deep = tmp_path / "deep.geojson"
    deep.write_text('{"type": "GeometryCollection", "geometries": [' * 900 + "]}" * 900, encoding="utf-8")
    long_number = tmp_path / "long.geojson"
    long_number.write_text('{"type": "Point", "coordinates": [1' + "0" * 5000 + ", 31]}", encoding="utf-8")
    before = size(data)
    for path, expected in (
        (broken, "geojson.features[0].geometry.coordinates[0]: the ring is not closed"),
        (not_json, "geojson: is not valid JSON"),
        (deep, "geojson: is nested too deeply"),
        (long_number, "geojson: holds a number too long"),
    ):
        r = ceasefire("layer", "import", path, "--layer", "sirte-jufra", "--as", "west-head", "--data-dir", data)
        assert r.returncode == 2 and expected in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        no_traceback(r)
    assert ceasefire("layer", "import", exported, "--as", "observer", "--data-dir", data).returncode == 2
    assert size(data) == before
    check = ceasefire("replay", "--check", "--data-dir", data)
    assert check.returncode == 0, check.stdout + check.stderr

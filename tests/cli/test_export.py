"""`ceasefire export --format F --out FILE --as USERNAME [filters]` writes the reports USERNAME may
read, names the state of the record on stderr with its progress, and refuses a bad value with a
one-line message naming it, writing nothing."""

import csv
import json
import sqlite3
import subprocess

import pytest

from .helpers import COMMAND, ceasefire, environment, no_traceback


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):
    """The demo after a first start: two exercise reports, kept with the parties."""
    return demo.copy(tmp_path_factory.mktemp("export") / "data")


def references(data) -> list[str]:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        rows = db.execute("select year, number from incidents_report order by received_at desc, id desc").fetchall()
    return [f"R-{y}-{n:04d}" for y, n in rows]


def size(data) -> int:
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return db.execute("select count(*) from record_event").fetchone()[0]


def test_acled_for_a_delegate(data, tmp_path):
    out = tmp_path / "reports.csv"
    run = ceasefire("export", "--format", "acled", "--out", out, "--as", "west-member", "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    no_traceback(run)
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["event_id_cnty"] for r in rows] == references(data) and len(rows) == 2
    assert all(r["attribution"] == "alleged" for r in rows)
    assert f"checkpoint size={size(data)} root=" in run.stderr
    assert "2 of 2 reports" in run.stderr  # progress, with its rate
    assert "exported as acled in" in run.stdout and str(out) in run.stdout
    assert not list(tmp_path.glob(".*partial"))


def test_geojson_to_stdout_with_a_filter(data):
    run = ceasefire(
        "export",
        "--format",
        "geojson",
        "--out",
        "-",
        "--as",
        "facilitator",
        "--category",
        "shelling",
        "--data-dir",
        data,
    )
    assert run.returncode == 0, run.stderr
    collection = json.loads(run.stdout)
    assert collection["type"] == "FeatureCollection" and collection["checkpoint"]["size"] == size(data)
    assert [f["properties"]["category"] for f in collection["features"]] == ["shelling"]
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_xlsx_to_a_file_and_to_stdout_then_imported_through_a_mapping(data, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "reports.xlsx"
    run = ceasefire("export", "--format", "xlsx", "--out", out, "--as", "west-member", "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    book = load_workbook(out, read_only=True)
    _header, tags, *rows = list(book["reports"].iter_rows(values_only=True))
    assert tags[0] == "#event+id" and [r[0] for r in rows] == references(data)
    assert book.properties.description.startswith(f"checkpoint size={size(data)} root=")
    book.close()
    piped = subprocess.run(
        [*COMMAND, "export", "--format", "xlsx", "--out", "-", "--as", "west-member", "--data-dir", str(data)],
        env=environment(),
        capture_output=True,
        timeout=120,
    )
    assert piped.returncode == 0 and piped.stdout[:2] == b"PK"  # a zip archive, written as bytes
    mapping = tmp_path / "map.json"
    columns = {"external_id": "Reference", "date": "Date", "category": "Category", "place": "Location",
               "latitude": "Latitude", "longitude": "Longitude", "geo_precision": "Location precision"}  # fmt: skip
    mapping.write_text(json.dumps({"dataset": "ours", "columns": columns}))
    args = (
        "import",
        "xlsx",
        out,
        "--mapping",
        mapping,
        "--as",
        "facilitator",
        "--dry-run",
        "--progress",
        "--data-dir",
        data,
    )
    dry = ceasefire(*args)
    assert dry.returncode == 0, dry.stderr
    assert "dry run, nothing written: 2 reports would be filed" in dry.stdout and "100%" in dry.stderr
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(out.read_bytes()[:500])  # cut short
    refused = ceasefire("import", "xlsx", bad, "--mapping", mapping, "--as", "facilitator", "--data-dir", data,
                        env=environment(LANG="ar_LY.UTF-8", LC_ALL="ar_LY.UTF-8"))  # fmt: skip
    assert refused.returncode == 2 and "bad.xlsx: السطر 1: الملف ليس مصنّف XLSX" in refused.stderr, refused.stderr
    no_traceback(refused)


def test_an_observer_gets_only_what_was_shared(data, tmp_path):
    out = tmp_path / "observer.csv"
    run = ceasefire("export", "--format", "hxl", "--out", out, "--as", "observer", "--data-dir", data)
    assert run.returncode == 0, run.stderr
    header, tags, *rows = list(csv.reader(open(out, newline="", encoding="utf-8")))
    assert rows == [] and tags[0] == "#event+id"  # nothing of the demo's reports is shared yet


@pytest.mark.parametrize(
    "args, message",
    [
        (("--format", "acled", "--as", "nobody"), "no account on the committee named 'nobody'"),
        (("--format", "acled", "--as", "west-member", "--status", "closed"), "status:"),
        (("--format", "acled", "--as", "west-member", "--occurred-from", "2021-02-30"), "occurred_from:"),
        (("--format", "acled", "--as", "west-member", "--bbox", "1,2"), "bbox:"),
        (("--format", "xls", "--as", "west-member"), "--format"),
    ],
)
def test_a_bad_value_is_named_and_nothing_written(data, tmp_path, args, message):
    out = tmp_path / "never.csv"
    run = ceasefire("export", "--out", out, *args, "--data-dir", data)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr, run.stderr
    no_traceback(run)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_an_existing_file_is_refused(data, tmp_path):
    out = tmp_path / "exists.csv"
    out.write_text("keep me")
    run = ceasefire("export", "--format", "ucdp", "--out", out, "--as", "west-member", "--data-dir", data)
    assert run.returncode == 2 and "exists already" in run.stderr
    assert out.read_text() == "keep me"


def test_import_acled_then_again_changes_nothing(data, tmp_path):
    """`ceasefire import acled FILE --as facilitator`: the rows filed once, a second run files none,
    a bad row names its line and writes nothing, a delegate is refused."""
    from ceasefire.incidents.exchange import ACLED_COLUMNS

    good = {
        "event_id_cnty": "LBY500",
        "event_date": "2021-04-01",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Eastern region",
        "location": "Sirte",
        "latitude": "31.2",
        "longitude": "16.59",
        "geo_precision": "1",
        "source": "Reuters",
        "notes": "Clashes.",
        "fatalities": "0",
    }
    path = tmp_path / "acled.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ACLED_COLUMNS)
        writer.writeheader()
        writer.writerow(good)
        writer.writerow({**good, "event_id_cnty": "LBY501"})
    before = size(data)
    run = ceasefire("import", "acled", path, "--as", "facilitator", "--progress", "--data-dir", data)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 reports filed, 0 rows imported before" in run.stdout and "rows/s" in run.stderr
    assert size(data) == before + 2
    again = ceasefire("import", "acled", path, "--as", "facilitator", "--data-dir", data)
    assert again.returncode == 0 and "0 reports filed, 2 rows imported before" in again.stdout
    assert size(data) == before + 2
    bad = tmp_path / "bad.csv"
    bad.write_text(path.read_text() + "LBY502,2021-13-01\n", encoding="utf-8")
    refused = ceasefire("import", "acled", bad, "--as", "facilitator", "--data-dir", data)
    assert refused.returncode == 2 and "line 4: 2 fields where the header has 31" in refused.stderr
    assert "nothing imported" in refused.stderr
    no_traceback(refused)
    delegate = ceasefire("import", "acled", path, "--as", "west-head", "--data-dir", data)
    assert delegate.returncode == 2 and "facilitator" in delegate.stderr
    assert size(data) == before + 2

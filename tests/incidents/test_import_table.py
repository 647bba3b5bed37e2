"""Importing any CSV file or XLSX workbook through a column mapping (`ceasefire import csv|xlsx FILE
--mapping MAP.json --as USERNAME`): the same pipeline and guarantees as ACLED and UCDP (claims of a
dataset, idempotent by the row's id, each problem named by its line and the file's column, all or
nothing), and our own XLSX export read back through a mapping. The rows are invented."""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from ceasefire.incidents import exchange, queries
from ceasefire.incidents.models import Casualty, Finding, Report
from ceasefire.record import log
from ceasefire.record.models import Event

pytestmark = pytest.mark.django_db

MAPPING = {
    "dataset": "monitors-log",
    "columns": {
        "external_id": "Ref",
        "date": "When",
        "category": "Type",
        "place": "Town",
        "latitude": "Lat",
        "longitude": "Lon",
        "description": "What happened",
        "killed": "Dead",
        "alleged": "By",
    },
    "categories": {"Artillery": "shelling"},
    "date_format": "%d/%m/%Y",
}
HEADER = ["Ref", "When", "Type", "Town", "Lat", "Lon", "What happened", "Dead", "By", "Ignored"]
GOOD = [
    ["ML-1", "02/03/2021", "Artillery", "Invented Oasis", "31.2", "16.5", "Shells fell short of the camp.", "1", "east", "x"],
    ["ML-2", "2021-03-04", "firing", "Invented Wells", "", "", "Shots at a patrol.", "", "Brigade 9", ""],
]  # fmt: skip


def csv_text(rows, header=HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def ready(actors, typology):
    with translation.override("en"):
        yield actors


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "map.json"
    path.write_text(json.dumps(MAPPING))
    return path


def run(kind, path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("importdata", kind, str(path), "--as", "facilitator", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(kind, path, *args) -> str:
    """The problems printed (or the command's one line) of an import that writes nothing."""
    before = (Event.objects.count(), log.size())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("importdata", kind, str(path), "--as", "facilitator", *args, stdout=out, stderr=err)
    assert (Event.objects.count(), log.size()) == before
    assert not Report.objects.filter(source_type="dataset").exists()
    return err.getvalue() + str(caught.value)


def test_csv_rows_become_reports_through_the_mapping(ready, tmp_path, mapping):
    path = tmp_path / "log.csv"
    path.write_text(csv_text(GOOD))
    out, err = run("csv", path, "--mapping", str(mapping), "--progress")
    assert "2 reports filed, 0 rows imported before, 0 refused" in out and "rows/s" in err
    one = Report.objects.get(external_id="monitors-log:ML-1")
    assert (one.source_type, one.category_id, one.alleged_party_id, one.status) == (
        "dataset",
        "shelling",
        "east",
        "received",
    )
    assert (one.latitude, one.longitude, one.geo_precision, one.time_precision) == (31.2, 16.5, 1, 1)
    assert one.occurred_at.date() == dt.date(2021, 3, 2) and one.place_en == "Invented Oasis"
    assert one.narrative_en == "Shells fell short of the camp." and one.source_en == "monitors-log ML-1"
    assert [(c.kind, c.group, c.count) for c in Casualty.objects.filter(report=one)] == [("killed", "unknown", 1)]
    two = Report.objects.get(external_id="monitors-log:ML-2")
    assert (two.category_id, two.alleged_party_id, two.alleged_unit, two.latitude) == (
        "firing",
        None,
        "Brigade 9",
        None,
    )
    assert not Finding.objects.exists()
    size = log.size()
    again, _ = run("csv", path, "--mapping", str(mapping))
    assert "0 reports filed, 2 rows imported before" in again and log.size() == size


def test_the_mapping_on_the_command_line(ready, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(csv_text([["A1", "2021-03-04", "Shelling", "Invented Wells"]], ["id", "day", "kind", "where"]))
    columns = ("external_id=id", "date=day", "category=kind", "place=where")
    out, _ = run("csv", path, "--dataset", "notes", *(x for c in columns for x in ("--column", c)))
    assert "1 reports filed" in out
    assert Report.objects.get(external_id="notes:A1").category_id == "shelling"  # a category's name


@pytest.mark.parametrize(
    "mapping, message",
    [
        ("{", "map.json: mapping: not JSON"),
        ({**MAPPING, "dataset": "Bad Name"}, "map.json: dataset: name the dataset"),
        ({**MAPPING, "columns": {**MAPPING["columns"], "colour": "C"}}, "map.json: columns: colour: not a field"),
        ({**MAPPING, "columns": {"external_id": "Ref", "date": "When", "place": "Town"}}, "columns: map the field(s) category"),
        ({**MAPPING, "columns": {"external_id": "Ref", "date": "When", "category": "Type"}}, "map place, or latitude and longitude"),
        ({**MAPPING, "sheet": 2}, "map.json: sheet: must be the name of one of the workbook's sheets"),
        ({**MAPPING, "tab": "log"}, "map.json: mapping: unknown key(s): tab"),
    ],
)  # fmt: skip
def test_a_bad_mapping_is_refused_before_reading(ready, tmp_path, mapping, message):
    path = tmp_path / "log.csv"
    path.write_text(csv_text(GOOD))
    (tmp_path / "map.json").write_text(mapping if isinstance(mapping, str) else json.dumps(mapping))
    assert message in refused("csv", path, "--mapping", str(tmp_path / "map.json"))


@pytest.mark.parametrize(
    "text, message",
    [
        (csv_text(GOOD, HEADER[:2] + ["Kind"] + HEADER[3:]), "line 1: the header lacks the column(s) Type that the mapping names"),
        ("", "line 1: the file is empty"),
        (csv_text(GOOD) + "ML-3,2021-03-0", "line 4: 2 fields where the header has 10"),
        (csv_text(GOOD) + '"ML-3,2021-03-05\n', "cannot be read as CSV"),
        (csv_text([GOOD[0][:1] + ["31/02/2021"] + GOOD[0][2:]]), "line 2: When: '31/02/2021' is not a date"),
        (csv_text([GOOD[0][:4] + ["91"] + GOOD[0][5:]]), "line 2: Lat: 91 is out of range (-90 to 90)"),
        (csv_text([GOOD[0][:5] + [""] + GOOD[0][6:]]), "line 2: Lon: give both latitude and longitude, or neither"),
        (csv_text([GOOD[0], GOOD[1], GOOD[0]]), "line 4: Ref: ML-1 again: it was on line 2 already"),
        (csv_text([GOOD[0][:2] + ["Fireworks"] + GOOD[0][3:]]), "line 2: Type: 'Fireworks' is not a category of the typology"),
        (csv_text([GOOD[0][:7] + ["two"] + GOOD[0][8:]]), "line 2: Dead: 'two' is not a whole number"),
        (csv_text([[""] + GOOD[0][1:]]), "line 2: Ref: is empty"),
    ],
)  # fmt: skip
def test_a_malformed_csv_is_named_by_line_and_column_and_writes_nothing(ready, tmp_path, mapping, text, message):
    path = tmp_path / "log.csv"
    path.write_text(text)
    printed = refused("csv", path, "--mapping", str(mapping))
    assert message in printed and "nothing imported" in printed, printed


def workbook(path, rows, header=HEADER):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("log")
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def test_xlsx_rows_become_reports_through_the_mapping(ready, tmp_path, mapping):
    # typed cells: a date cell, numbers, a row ending early (its empty cells not stored)
    rows = [
        ["ML-1", dt.datetime(2021, 3, 2), "Artillery", "Invented Oasis", 31.2, 16.5, "Shells fell short.", 1, "east"],
        ["ML-2", dt.date(2021, 3, 4), "firing", "Invented Wells"],
        [],
    ]
    path = workbook(tmp_path / "log.xlsx", rows)
    out, err = run("xlsx", path, "--mapping", str(mapping), "--progress")
    assert "2 reports filed, 0 rows imported before, 0 refused" in out and "100%" in err
    one = Report.objects.get(external_id="monitors-log:ML-1")
    assert (one.category_id, one.latitude, one.occurred_at.date()) == ("shelling", 31.2, dt.date(2021, 3, 2))
    assert [(c.kind, c.count) for c in Casualty.objects.filter(report=one)] == [("killed", 1)]
    assert Report.objects.get(external_id="monitors-log:ML-2").place_en == "Invented Wells"
    again, _ = run("xlsx", path, "--mapping", str(mapping))
    assert "0 reports filed, 2 rows imported before" in again


def test_the_mapping_or_the_command_names_the_sheet(ready, tmp_path, mapping):
    """A workbook whose log is not its first sheet: the mapping's "sheet" or --sheet reads it; a
    sheet it does not hold is refused with the sheets it does."""
    path = tmp_path / "log.xlsx"
    book = Workbook(write_only=True)
    book.create_sheet("notes").append(["not", "the", "log"])
    log_sheet = book.create_sheet("log")
    log_sheet.append(HEADER)
    log_sheet.append(["ML-1", dt.date(2021, 3, 2), "Artillery", "Invented Oasis", 31.2, 16.5])
    book.save(path)
    printed = refused("xlsx", path, "--mapping", str(mapping))  # the first sheet has none of the columns
    assert "log.xlsx: line 1: the header lacks the column(s)" in printed, printed
    printed = refused("xlsx", path, "--mapping", str(mapping), "--sheet", "Log ")
    assert "log.xlsx: line 1: sheet: the workbook has no sheet named 'Log '; its sheets: notes, log" in printed
    named = tmp_path / "named.json"
    named.write_text(json.dumps({**MAPPING, "sheet": "log"}))
    out, _ = run("xlsx", path, "--mapping", str(named))
    assert "1 reports filed" in out
    out, _ = run("xlsx", path, "--mapping", str(mapping), "--sheet", "log")
    assert "0 reports filed, 1 rows imported before" in out


def test_a_malformed_workbook_is_named_by_its_row_and_writes_nothing(ready, tmp_path, mapping):
    rows = [
        ["ML-1", dt.date(2021, 3, 2), "Artillery", "Invented Oasis", 31.2, 16.5],
        ["ML-2", dt.date(2021, 3, 4), "firing", "Invented Wells", 231.0, 16.5],
    ]
    printed = refused("xlsx", workbook(tmp_path / "log.xlsx", rows), "--mapping", str(mapping))
    assert "log.xlsx: line 3: Lat: 231 is out of range (-90 to 90)" in printed
    not_a_workbook = tmp_path / "log2.xlsx"
    not_a_workbook.write_text(csv_text(GOOD))
    assert "line 1: the file is not an XLSX workbook" in refused("xlsx", not_a_workbook, "--mapping", str(mapping))
    truncated = tmp_path / "log3.xlsx"
    truncated.write_bytes((tmp_path / "log.xlsx").read_bytes()[:900])
    assert "line 1: the file is not an XLSX workbook" in refused("xlsx", truncated, "--mapping", str(mapping))
    # a readable archive whose sheet is cut short inside
    damaged = tmp_path / "log4.xlsx"
    with zipfile.ZipFile(tmp_path / "log.xlsx") as whole, zipfile.ZipFile(damaged, "w") as cut:
        for item in whole.infolist():
            data = whole.read(item.filename)
            cut.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    assert "line 1: the file is not an XLSX workbook" in refused("xlsx", damaged, "--mapping", str(mapping))


def test_skip_bad_with_a_workbook(ready, tmp_path, mapping):
    rows = [
        ["ML-1", dt.date(2021, 3, 2), "Artillery", "Invented Oasis", 31.2, 16.5],
        ["ML-2", "someday", "firing", "Invented Wells"],
    ]
    rejects = tmp_path / "rejects.csv"
    out, _ = run("xlsx", workbook(tmp_path / "log.xlsx", rows), "--mapping", str(mapping), "--skip-bad", str(rejects))
    assert "1 reports filed, 0 rows imported before, 1 refused" in out
    header, *bad = list(csv.reader(open(rejects, newline="", encoding="utf-8")))
    assert header[:3] == ["line", "problem", "Ref"] and [(r[0], r[2]) for r in bad] == [("3", "ML-2")]
    assert bad[0][1].startswith("When: 'someday' is not a date")


def test_a_problem_in_arabic(actors, typology, tmp_path, mapping):
    """The command line speaks the shell's language: Arabic, naming the same line and column."""
    path = tmp_path / "log.csv"
    path.write_text(csv_text([GOOD[0][:4] + ["91"] + GOOD[0][5:]]))
    with translation.override("ar"):
        printed = refused("csv", path, "--mapping", str(mapping), "--progress")
    assert "السطر 2: Lat: " in printed and "خارج النطاق" in printed, printed
    assert "لم يُستورد شيء: رُفض 1 صف" in printed and "قُرئ 1 صفًا" in printed  # the summary and the bar


def test_our_xlsx_export_read_back_through_a_mapping(ready, tmp_path, mapping):
    """The XLSX export (the HXL columns, hashtags on the second row) imports again unchanged."""
    path = tmp_path / "log.csv"
    path.write_text(csv_text(GOOD))
    run("csv", path, "--mapping", str(mapping))
    _checkpoint, pieces = exchange.export(ready["facilitator"], queries.Filters(), "xlsx")
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(b"".join(pieces))
    back = tmp_path / "back.json"
    columns = {
        "external_id": "Reference", "date": "Date", "time_precision": "Date precision", "category": "Category",
        "place": "Location", "latitude": "Latitude", "longitude": "Longitude", "geo_precision": "Location precision",
        "alleged": "Alleged party", "killed": "Killed (claimed)", "description": "Notes",
    }  # fmt: skip
    back.write_text(json.dumps({"dataset": "ours", "columns": columns}))
    out, _ = run("xlsx", exported, "--mapping", str(back))
    assert "2 reports filed, 0 rows imported before" in out  # the hashtag row is no report
    for original in Report.objects.filter(external_id__startswith="monitors-log:"):
        copy = Report.objects.get(external_id=f"ours:{original.reference}")
        fields = ("category_id", "alleged_party_id", "time_precision", "geo_precision", "latitude", "longitude")
        assert [getattr(copy, f) for f in fields] == [getattr(original, f) for f in fields]
        assert copy.occurred_at.date() == original.occurred_at.date() and copy.narrative_en == original.narrative_en

"""Importing UCDP GED CSV (`ceasefire import ucdp FILE --as USERNAME`): rows become reports from a
dataset source with UCDP's precision mapped onto the committee's scale, importing again changes
nothing, and every malformed file or row is named by its line and column and writes nothing.

The rows are invented (fictional ids, places and figures), written in GED's column layout."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ceasefire.incidents import exchange
from ceasefire.incidents.models import Casualty, Finding, Report
from ceasefire.record import log
from ceasefire.record.models import Event

pytestmark = pytest.mark.django_db

COLUMNS = exchange.UCDP_COLUMNS


def row(**values) -> str:
    base = {
        "id": "900001",
        "year": "2021",
        "type_of_violence": "3",
        "side_a": "Western region",
        "side_b": "Civilians",
        "source_article": "Invented Gazette, 2021-04-03",
        "source_headline": "Houses hit at an invented village",
        "where_prec": "1",
        "where_coordinates": "Qaryat al-Khayal village",
        "adm_1": "Invented district",
        "latitude": "31.100000",
        "longitude": "16.200000",
        "country": "Libya",
        "date_prec": "1",
        "date_start": "2021-04-02",
        "date_end": "2021-04-02",
        "deaths_civilians": "2",
        "best": "3",
        "low": "2",
        "high": "5",
    }
    base.update(values)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([base.get(c, "") for c in COLUMNS])
    return out.getvalue()


HEADER = ",".join(COLUMNS) + "\n"


def write(tmp_path, text: str | bytes, name="ged.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("importdata", "ucdp", str(path), "--as", "facilitator", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def ready(actors, typology):
    # The command line speaks the shell's language (cli.py); these tests read its English.
    with translation.override("en"):
        yield actors


def test_rows_become_reports_from_a_dataset(ready, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + row()
        + row(id="900002", type_of_violence="1", side_b="Eastern region", date_prec="4", date_start="2021-05-03",
              date_end="2021-05-23", where_prec="4", deaths_civilians="0", best="0", low="0", high="0")
        + row(id="900003", where_prec="6", date_prec="2", date_start="2021-06-01", date_end="2021-06-05",
              where_coordinates="", where_description="", adm_1=""),
    )  # fmt: skip
    out, err = run(path, "--progress")
    assert "3 reports filed, 0 rows imported before, 0 refused, from 3 rows" in out
    assert "100%" in err and "rows/s" in err
    one = Report.objects.get(external_id="ucdp:900001")
    assert (one.source_type, one.source_party_id, one.status) == ("dataset", None, "received")
    assert (one.category_id, one.alleged_party_id, one.affected_party_id, one.alleged_unit) == (
        "killing",
        "west",
        None,
        "",
    )
    assert (one.time_precision, one.geo_precision, one.latitude, one.longitude) == (1, 1, 31.1, 16.2)
    assert one.place_en == "Qaryat al-Khayal village, Invented district"
    assert one.occurred_at.date().isoformat() == "2021-04-02"
    assert one.source_en == "UCDP GED 900001: Invented Gazette, 2021-04-03"
    assert "best estimate 3 (low 2, high 5)" in one.narrative_en
    assert sorted((c.kind, c.group, c.count) for c in Casualty.objects.filter(report=one)) == [
        ("killed", "civilian", 2),
        ("killed", "unknown", 1),
    ]
    two = Report.objects.get(external_id="ucdp:900002")
    # a span of three weeks: the month (3), on the span's middle day; only the province known: 3
    assert (two.category_id, two.time_precision, two.geo_precision) == ("firing", 3, 3)
    assert (two.affected_party_id, two.occurred_at.date().isoformat()) == ("east", "2021-05-13")
    assert not Casualty.objects.filter(report=two).exists()
    three = Report.objects.get(external_id="ucdp:900003")
    # only the country known: no point on the map, the country's name kept
    assert (three.latitude, three.geo_precision, three.place_en, three.time_precision) == (None, None, "Libya", 2)
    assert not Finding.objects.exists()  # claims, never findings


def test_importing_again_changes_nothing(ready, tmp_path):
    path = write(tmp_path, HEADER + row() + row(id="900002"))
    run(path)
    size = log.size()
    out, _ = run(path)
    assert "0 reports filed, 2 rows imported before" in out and log.size() == size


@pytest.mark.parametrize(
    "text, message",
    [
        ("id,year,side_a\n1,2021,x\n", "line 1: the header lacks UCDP GED's column(s) type_of_violence, side_b"),
        ("", "line 1: the file is empty"),
        (HEADER + row() + "900002,2021,3,", "line 3: 4 fields where the header has 49"),
        (HEADER + row() + row(id="900002").replace("Houses", '"Houses'), "cannot be read as CSV"),
        (HEADER + row(date_start="2021-02-30"), "line 2: date_start: '2021-02-30' is not a date"),
        (HEADER + row(date_end="2021-04-01"), "line 2: date_end: 2021-04-01 is before date_start 2021-04-02"),
        (
            HEADER + row(date_start="2999-01-01", date_end="2999-01-01"),
            "line 2: date_start: 2999-01-01 is in the future",
        ),
        (HEADER + row(date_prec="5"), "line 2: date_prec: the date is known only within more than a month"),
        (HEADER + row(date_end="2021-06-02"), "line 2: date_prec: the date is known only within more than a month"),
        (HEADER + row(year="2019"), "line 2: year: 2019 is not the year"),
        (HEADER + row(latitude="91"), "line 2: latitude: 91 is out of range (-90 to 90)"),
        (HEADER + row(longitude="east"), "line 2: longitude: 'east' is not a number"),
        (HEADER + row(longitude=""), "line 2: longitude: give both latitude and longitude, or neither"),
        (HEADER + row(where_prec="8"), "line 2: where_prec: '8' is not one of the codes 1, 2, 3, 4, 5, 6, 7"),
        (HEADER + row(type_of_violence="4"), "line 2: type_of_violence: '4' is not one of the codes 1, 2, 3"),
        (HEADER + row() + row(), "line 3: id: 900001 again: it was on line 2 already"),
        (HEADER + row(id="GED-1"), "line 2: id: 'GED-1' is not a whole number"),
        (HEADER + row(best="some"), "line 2: best: 'some' is not a whole number"),
        (HEADER + row(low="4"), "line 2: low: 4 is above best 3"),
        (HEADER + row(high="1"), "line 2: high: 1 is below best 3"),
        (HEADER + row(deaths_civilians="9"), "line 2: deaths_civilians: 9 is above best 3"),
    ],
)
def test_a_malformed_file_is_named_by_its_line_and_writes_nothing(ready, tmp_path, text, message):
    path = write(tmp_path, text)
    before = (Event.objects.count(), log.size())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("importdata", "ucdp", str(path), "--as", "facilitator", stdout=out, stderr=err)
    assert "nothing imported" in str(caught.value)
    assert message in err.getvalue(), err.getvalue()
    assert (Event.objects.count(), log.size()) == before
    assert not Report.objects.filter(source_type="dataset").exists()


def test_a_bad_row_among_good_ones_writes_nothing_and_skip_bad_sets_it_aside(ready, tmp_path):
    path = write(tmp_path, HEADER + row() + row(id="900002", latitude="95") + row(id="900003"))
    with pytest.raises(CommandError):
        run(path)
    assert not Report.objects.exists()
    rejects = tmp_path / "rejects.csv"
    out, _ = run(path, "--skip-bad", str(rejects))
    assert "2 reports filed, 0 rows imported before, 1 refused" in out
    header, *rows = list(csv.reader(open(rejects, newline="", encoding="utf-8")))
    assert header[:3] == ["line", "problem", "id"]
    assert [(r[0], r[2]) for r in rows] == [("3", "900002")] and rows[0][1].startswith("latitude:")


def test_dry_run_writes_nothing(ready, tmp_path):
    before = log.size()
    out, _ = run(write(tmp_path, HEADER + row()), "--dry-run")
    assert out.startswith("dry run, nothing written: 1 reports would be filed")
    assert log.size() == before


def test_our_ucdp_export_read_back(ready, tmp_path):
    """Our UCDP-style export imported: each report once, as UCDP's claim, with the same precision."""
    run(write(tmp_path, HEADER + row() + row(id="900002", type_of_violence="1", date_prec="3",
                                             date_start="2021-05-03", date_end="2021-05-09", where_prec="2")))  # fmt: skip
    from ceasefire.incidents import queries

    _checkpoint, pieces = exchange.export(ready["facilitator"], queries.Filters(), "ucdp")
    exported = write(tmp_path, "".join(pieces), "export.csv")
    out, _ = run(exported)
    assert "2 reports filed, 0 rows imported before" in out
    for original in Report.objects.filter(external_id__in=["ucdp:900001", "ucdp:900002"]):
        copy = Report.objects.get(external_id=f"ucdp:{original.id}")
        fields = ("category_id", "alleged_party_id", "time_precision", "geo_precision", "latitude", "longitude")
        assert [getattr(copy, f) for f in fields] == [getattr(original, f) for f in fields]
        assert copy.occurred_at.date() == original.occurred_at.date()

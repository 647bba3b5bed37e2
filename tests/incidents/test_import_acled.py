"""Importing ACLED CSV (`ceasefire import acled FILE --as USERNAME`): rows become reports from a
dataset source (claims, with ACLED's precision codes), importing again changes nothing, every
malformed file or row is named by its line and writes nothing, --skip-bad writes the bad rows
aside, --dry-run writes nothing, and an export read back in changes nothing."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ceasefire.incidents import exchange, queries
from ceasefire.incidents.models import Casualty, Finding, Report
from ceasefire.record import log
from ceasefire.record.models import Event

pytestmark = pytest.mark.django_db

CURRENT = ",".join(exchange.ACLED_COLUMNS)


def row(**values) -> str:
    base = {
        "event_id_cnty": "LBY1001",
        "event_date": "2021-03-02",
        "year": "2021",
        "time_precision": "2",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Eastern region",
        "assoc_actor_1": "Brigade 128",
        "actor2": "Military Forces of Libya",
        "location": "Abu Qurayn",
        "admin1": "Misrata",
        "latitude": "31.4500",
        "longitude": "15.2500",
        "geo_precision": "2",
        "source": "Libya Observer",
        "notes": "Shells fell near the checkpoint.",
        "fatalities": "3",
    }
    base.update(values)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([base.get(c, "") for c in exchange.ACLED_COLUMNS])
    return out.getvalue()


def write(tmp_path, text: str | bytes, name="acled.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def run(path, *args, who="facilitator"):
    out, err = io.StringIO(), io.StringIO()
    call_command("importdata", "acled", str(path), "--as", who, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args) -> str:
    before = (Event.objects.count(), log.size())
    with pytest.raises(CommandError) as caught:
        run(path, *args)
    assert (Event.objects.count(), log.size()) == before  # nothing written
    return str(caught.value)


@pytest.fixture
def ready(actors, typology):
    # The command line speaks the shell's language (cli.py); these tests read its English.
    with translation.override("en"):
        yield actors


def test_rows_become_reports_from_a_dataset(ready, tmp_path):
    path = write(
        tmp_path,
        CURRENT
        + "\n"
        + row()
        + row(
            event_id_cnty="LBY1002",
            actor1="Unknown armed group",
            fatalities="0",
            event_type="Battles",
            sub_event_type="Armed clash",
            latitude="",
            longitude="",
        ),
    )
    out, err = run(path)
    assert "2 reports filed, 0 rows imported before, 0 refused, from 2 rows" in out
    assert err == ""  # no progress unless a terminal shows it or it is asked for
    first = Report.objects.get(external_id="acled:LBY1001")
    assert (first.source_type, first.source_party_id, first.status) == ("dataset", None, "received")
    assert (first.category_id, first.time_precision, first.geo_precision) == ("shelling", 2, 2)
    assert (first.alleged_party_id, first.alleged_unit, first.affected_party_id) == ("east", "Brigade 128", None)
    assert first.occurred_at.date().isoformat() == "2021-03-02" and first.place_en == "Abu Qurayn, Misrata"
    assert (
        first.source_en == "ACLED LBY1001: Libya Observer" and first.narrative_en == "Shells fell near the checkpoint."
    )
    assert [(c.kind, c.group, c.count) for c in Casualty.objects.filter(report=first)] == [("killed", "unknown", 3)]
    second = Report.objects.get(external_id="acled:LBY1002")
    assert (second.category_id, second.alleged_party_id, second.alleged_unit) == (
        "firing",
        None,
        "Unknown armed group; Brigade 128",
    )
    assert (second.latitude, second.geo_precision, second.place_en) == (None, None, "Abu Qurayn, Misrata")
    assert not Finding.objects.exists()  # claims, never findings


def test_importing_again_changes_nothing(ready, tmp_path):
    path = write(tmp_path, CURRENT + "\n" + row() + row(event_id_cnty="LBY1002"))
    run(path)
    size = log.size()
    out, _ = run(path)
    assert "0 reports filed, 2 rows imported before" in out
    assert log.size() == size and Report.objects.filter(source_type="dataset").count() == 2


def test_the_older_layout(ready, tmp_path):
    header = "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES"
    line = '620,LBY77,77,15 March 2016,2016,1,Remote violence,West,Militia 9,3,,,0,30,Libya,Sirte,,,Sirte,31.2,16.59,1,Reuters,"Shelling, reportedly",0'
    path = write(tmp_path, header + "\n" + line + "\n")
    out, _ = run(path)
    assert "1 reports filed" in out
    r = Report.objects.get(external_id="acled:LBY77")
    assert (r.category_id, r.alleged_party_id, r.alleged_unit) == ("shelling", "west", "Militia 9")
    assert r.occurred_at.date().isoformat() == "2016-03-15" and r.narrative_en == "Shelling, reportedly"


@pytest.mark.parametrize(
    "text, message",
    [
        (b"event_id_cnty,event_date\n", "line 1: the header lacks ACLED's column(s) event_type"),
        (b"", "line 1: the file is empty"),
        ((CURRENT + "\n" + row() + "LBY9,2021-0").encode(), "line 3: 2 fields where the header has 31"),
        (
            (CURRENT + "\n" + row() + row(event_id_cnty="LBY2", notes="caf\xe9")).encode("latin-1"),
            "line 3: the file is not UTF-8",
        ),
        (
            (CURRENT + "\n" + row() + row(event_id_cnty="LBY2").replace("Shells", '"Shells')).encode(),
            "cannot be read as CSV",
        ),
        ((CURRENT + "\n" + row(event_date="2021-02-30")).encode(), "line 2: event_date: '2021-02-30' is not a date"),
        ((CURRENT + "\n" + row(latitude="95")).encode(), "line 2: latitude: 95 is out of range"),
        ((CURRENT + "\n" + row(longitude="east")).encode(), "line 2: longitude: 'east' is not a number"),
        ((CURRENT + "\n" + row() + row()).encode(), "line 3: event_id_cnty: LBY1001 again: it was on line 2 already"),
        (
            (CURRENT + "\n" + row(event_type="Protests", sub_event_type="Peaceful protest")).encode(),
            "line 2: event_type: no category",
        ),
        ((CURRENT + "\n" + row(fatalities="many")).encode(), "line 2: fatalities: 'many' is not a whole number"),
        (
            (CURRENT + "\n" + row(time_precision="7")).encode(),
            "line 2: time_precision: '7' is not one of the codes 1, 2, 3",
        ),
        ((CURRENT + "\n" + row(event_date="2999-01-01")).encode(), "line 2: event_date: 2999-01-01 is in the future"),
    ],
)
def test_a_malformed_file_is_named_by_its_line_and_writes_nothing(ready, tmp_path, capsys, text, message):
    path = write(tmp_path, text)
    with pytest.raises(CommandError) as caught:
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("importdata", "acled", str(path), "--as", "facilitator", stdout=out, stderr=err)
        finally:
            printed = err.getvalue()
    assert "nothing imported" in str(caught.value)
    assert message in printed, printed
    assert not Report.objects.filter(source_type="dataset").exists()


def test_skip_bad_imports_the_others_and_writes_the_rejected_rows(ready, tmp_path):
    path = write(
        tmp_path, CURRENT + "\n" + row() + row(event_id_cnty="LBY2", latitude="95") + row(event_id_cnty="LBY3")
    )
    rejects = tmp_path / "rejects.csv"
    out, err = run(path, "--skip-bad", str(rejects))
    assert "2 reports filed, 0 rows imported before, 1 refused" in out and str(rejects) in out
    assert set(Report.objects.filter(source_type="dataset").values_list("external_id", flat=True)) == {
        "acled:LBY1001",
        "acled:LBY3",
    }
    header, *rows = list(csv.reader(open(rejects, newline="", encoding="utf-8")))
    assert header[:3] == ["line", "problem", "event_id_cnty"]
    assert [(r[0], r[2]) for r in rows] == [("3", "LBY2")] and "latitude" in rows[0][1]


def test_dry_run_writes_nothing(ready, tmp_path):
    path = write(tmp_path, CURRENT + "\n" + row() + row(event_id_cnty="LBY2"))
    before = log.size()
    out, _ = run(path, "--dry-run")
    assert out.startswith("dry run, nothing written: 2 reports would be filed")
    assert log.size() == before and not Report.objects.filter(source_type="dataset").exists()


def test_only_the_facilitator_imports(ready, tmp_path):
    path = write(tmp_path, CURRENT + "\n" + row())
    from ceasefire.errors import Forbidden

    with pytest.raises(Forbidden):
        run(path, who="west-head")
    assert not Report.objects.filter(source_type="dataset").exists()


def test_a_dataset_source_is_never_filed_by_hand(ready):
    from ceasefire.errors import Invalid
    from ceasefire.incidents import commands
    from tests.samples import REPORT

    with pytest.raises(Invalid) as caught:
        commands.file_report(ready["facilitator"], {**REPORT, "source_type": "dataset"})
    assert caught.value.field == "source_type"


def test_an_export_read_back_changes_nothing(ready, tmp_path):
    """Our own ACLED export imported: its reports, once, as the dataset's claims; then again, nothing."""
    path = write(tmp_path, CURRENT + "\n" + row() + row(event_id_cnty="LBY2", actor1="Western region", fatalities="0"))
    run(path)
    _checkpoint, pieces = exchange.export(ready["facilitator"], queries.Filters(), "acled")
    exported = write(tmp_path, "".join(pieces), "export.csv")
    out, _ = run(exported)
    assert "2 reports filed, 0 rows imported before" in out  # our references are new ids in the dataset "acled"
    again, _ = run(exported)
    assert "0 reports filed, 2 rows imported before" in again
    copies = Report.objects.filter(external_id__startswith="acled:R-").order_by("external_id")
    originals = {r.reference: r for r in Report.objects.filter(external_id__startswith="acled:LBY")}
    for copy in copies:
        original = originals[copy.external_id.removeprefix("acled:")]
        fields = (
            "category_id",
            "alleged_party_id",
            "time_precision",
            "geo_precision",
            "latitude",
            "longitude",
            "narrative_en",
        )
        assert [getattr(copy, f) for f in fields] == [getattr(original, f) for f in fields]
        assert copy.occurred_at.date() == original.occurred_at.date()


def test_replay_rebuilds_the_imported_reports_with_their_ids(ready, tmp_path):
    from ceasefire.record import replay

    run(write(tmp_path, CURRENT + "\n" + row() + row(event_id_cnty="LBY2")))
    result = replay.check(progress=None)
    assert result.ok, result.difference
    replay.rebuild(progress=None)
    assert set(Report.objects.filter(source_type="dataset").values_list("external_id", flat=True)) == {
        "acled:LBY1001",
        "acled:LBY2",
    }

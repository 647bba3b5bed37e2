"""POST /api/v1/reports/import: what `ceasefire import` does, for a file a browser uploads. The
facilitator only (the command's own refusal); a dry run says what would be imported and writes
nothing; a refused row answers 422 naming the file, the line and the column, and writes nothing;
an upload over the limit 413. The rows are invented."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from ceasefire.incidents.models import Finding, Report
from ceasefire.record import log

pytestmark = pytest.mark.django_db

HEADER = "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,latitude,longitude,fatalities"
ROW = "LBY{i},{day},Explosions/Remote violence,Shelling/artillery/missile attack,east,Sirte,31.2,16.5,0"


def acled(n: int, bad: dict | None = None) -> bytes:
    bad = bad or {}
    rows = [ROW.format(i=i, day=bad.get(i, "2021-03-01")) for i in range(1, n + 1)]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def send(client, content: bytes, name="acled.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv"), "format": "acled", **fields}
    return client.client.post(client.url("/reports/import"), data, headers=client.headers)


def test_a_dry_run_then_the_import(api, typology):
    facilitator = api("facilitator", "en")
    size = log.size()
    preview = send(facilitator, acled(3), dry_run="true")
    assert preview.status_code == 200, preview.content
    assert preview.json() == {
        "file": "acled.csv", "format": "acled", "dry_run": True, "read": 3, "imported": 3, "already": 0, "refused": [],
    }  # fmt: skip
    assert (Report.objects.count(), log.size()) == (0, size)
    done = send(facilitator, acled(3))
    assert (done.status_code, done.json()["imported"], done.json()["dry_run"]) == (200, 3, False)
    assert set(Report.objects.values_list("source_type", flat=True)) == {"dataset"}
    assert not Finding.objects.exists()
    again = send(facilitator, acled(4), dry_run="true")
    assert (again.json()["imported"], again.json()["already"]) == (1, 3)  # new against already present


def test_a_refused_row_is_named_by_file_line_and_column_and_nothing_is_written(api, typology):
    size = log.size()
    r = send(api("facilitator", "en"), acled(5, {2: "2021-13-01", 4: "someday"}))
    assert r.status_code == 422, r.content
    messages = [(e["field"], e["message"]) for e in r.json()["detail"]]
    assert messages[0][0] == "file"
    assert messages[0][1].startswith("acled.csv: line 3: event_date: '2021-13-01' is not a date"), messages
    assert messages[1][1].startswith("acled.csv: line 5: event_date: 'someday'"), messages
    assert (Report.objects.count(), log.size()) == (0, size)


def test_skip_bad_imports_the_others_and_lists_the_refused(api, typology):
    r = send(api("facilitator", "en"), acled(3, {2: "2021-13-01"}), skip_bad="true")
    assert r.status_code == 200, r.content
    [refused] = r.json()["refused"]
    assert refused["line"] == 3 and refused["message"].startswith("event_date:") and refused["row"][0] == "LBY2"
    assert sorted(Report.objects.values_list("external_id", flat=True)) == ["acled:LBY1", "acled:LBY3"]


@pytest.mark.parametrize("who", ["west-member", "east-head", "observer"])
def test_only_the_facilitator_imports(api, typology, who):
    r = send(api(who, "en"), acled(1))
    assert r.status_code == 403 and "facilitator" in r.json()["detail"][0]["message"]
    assert not Report.objects.exists()


def test_a_broken_file_or_mapping_is_a_4xx_never_a_500(api, typology):
    facilitator = api("facilitator", "en")
    for content, name, fields, field, said in [
        (b"\xff\xfe junk\n", "acled.csv", {}, "file", "acled.csv: line 1: the file is not UTF-8 text"),
        (b"", "acled.csv", {}, "file", "acled.csv: line 1: the file is empty"),
        (b"a,b\n1,2\n", "acled.csv", {}, "file", "acled.csv: line 1: the header lacks ACLED's column(s)"),
        (acled(1), "acled.csv", {"mapping": "{}"}, "mapping", "is for csv and xlsx"),
        (acled(1), "x.csv", {"format": "csv"}, "mapping", "give the column mapping"),
        (acled(1), "x.csv", {"format": "csv", "mapping": "{"}, "mapping", "not JSON"),
        (acled(1), "x.xlsx", {"format": "xlsx", "mapping": json.dumps(MAPPING)}, "file", "x.xlsx: line 1: the file is not an XLSX"),
        (acled(1), "x.csv", {"format": "dbase"}, "format", ""),
    ]:  # fmt: skip
        r = send(facilitator, content, name, **fields)
        assert r.status_code in (400, 422), (name, fields, r.content)
        detail = r.json()["detail"][0]
        assert detail["field"] == field and detail["message"].startswith(said), (fields, detail)
    assert not Report.objects.exists()


MAPPING = {"dataset": "log", "columns": {"external_id": "Ref", "date": "When", "category": "Type", "place": "Town"}}


def test_an_xlsx_sheet_named_by_the_mapping(api, typology):
    book = Workbook()
    book.active.title = "notes"
    sheet = book.create_sheet("log")
    sheet.append(["Ref", "When", "Type", "Town"])
    sheet.append(["L-1", "2021-03-01", "shelling", "Sirte"])
    out = io.BytesIO()
    book.save(out)
    facilitator = api("facilitator", "en")
    missing = send(
        facilitator, out.getvalue(), "log.xlsx", format="xlsx", mapping=json.dumps({**MAPPING, "sheet": "Log"})
    )
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["message"] == (
        "log.xlsx: line 1: sheet: the workbook has no sheet named 'Log'; its sheets: notes, log"
    )
    r = send(facilitator, out.getvalue(), "log.xlsx", format="xlsx", mapping=json.dumps({**MAPPING, "sheet": "log"}))
    assert (r.status_code, r.json()["imported"]) == (200, 1), r.content


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused_with_413(api, typology):
    r = send(api("facilitator", "en"), acled(40))
    assert r.status_code == 413
    [error] = r.json()["detail"]
    assert error["field"] == "file" and error["message"].startswith("is larger than 0 MB: import it with the command")
    assert not Report.objects.exists()


def test_a_mapping_nested_too_deep_is_refused_naming_the_mapping(api, typology):
    """JSON nested deeper than the parser goes raises RecursionError, not JSONDecodeError."""
    r = send(
        api("facilitator", "en"), b"Ref,Date\n1,2021-03-01\n", name="table.csv", format="csv", mapping="[" * 100_000
    )
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["field"] == "mapping"
    assert not Report.objects.exists()

"""A long import committed in batches (`--batch N`): interrupted, it keeps what its batches
committed, and the same import run again files the rest, each row exactly once. Without
`--batch` it stays all or nothing: interrupted, it leaves nothing. The rows are invented."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ceasefire.incidents import commands, imports
from ceasefire.incidents.models import Report
from ceasefire.record import log

pytestmark = pytest.mark.django_db

HEADER = "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,latitude,longitude,fatalities"


def acled(tmp_path, n: int, bad: int | None = None):
    lines = [HEADER]
    for i in range(1, n + 1):
        day = "2021-13-01" if i == bad else "2021-03-01"
        lines.append(
            f"LBY{i},{day},Explosions/Remote violence,Shelling/artillery/missile attack,east,Sirte,31.2,16.5,0"
        )
    path = tmp_path / "acled.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def ready(actors, typology):
    with translation.override("en"):
        yield actors


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("importdata", "acled", str(path), "--as", "facilitator", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def interrupt(monkeypatch):
    """Interrupts (as Ctrl-C does) the filing of the `at`-th row filed."""
    real = commands.import_report
    seen = {"n": 0, "at": None}

    def filing(actor, data, external_id):
        seen["n"] += 1
        if seen["n"] == seen["at"]:
            raise KeyboardInterrupt
        return real(actor, data, external_id)

    monkeypatch.setattr(commands, "import_report", filing)
    return seen


def imported() -> list[str]:
    return sorted(Report.objects.filter(external_id__startswith="acled:").values_list("external_id", flat=True))


def test_an_interrupted_batched_import_goes_on_where_it_stopped(ready, tmp_path, interrupt):
    path = acled(tmp_path, 25)
    interrupt["at"] = 18  # in the second batch of 10
    with pytest.raises(CommandError) as caught:
        run(path, "--batch", "10")
    said = str(caught.value)
    assert "interrupted: 10 rows committed, up to line 11; run the same command again" in said, said
    assert imported() == sorted(f"acled:LBY{i}" for i in range(1, 11))
    out, _ = run(path, "--batch", "10")
    assert "15 reports filed, 10 rows imported before, 0 refused, from 25 rows" in out
    assert imported() == sorted(f"acled:LBY{i}" for i in range(1, 26))  # each exactly once
    assert Report.objects.count() == 25
    out, _ = run(path, "--batch", "10")
    assert "0 reports filed, 25 rows imported before" in out


def test_without_batches_an_interrupted_import_leaves_nothing(ready, tmp_path, interrupt):
    path = acled(tmp_path, 25)
    size = log.size()
    interrupt["at"] = 18
    with pytest.raises(CommandError) as caught:
        run(path)
    assert "interrupted: nothing imported (all or nothing" in str(caught.value)
    assert (imported(), log.size()) == ([], size)


def test_a_refused_row_stops_a_batched_import_at_its_batch(ready, tmp_path):
    path = acled(tmp_path, 25, bad=14)
    with pytest.raises(CommandError) as caught:
        run(path, "--batch", "10")
    said = str(caught.value)
    assert "the import stopped at the batch holding line 15; 10 rows of the batches before it" in said, said
    assert imported() == sorted(f"acled:LBY{i}" for i in range(1, 11))
    acled(tmp_path, 25)  # fixed
    out, _ = run(path, "--batch", "10")
    assert "15 reports filed, 10 rows imported before, 0 refused" in out
    assert len(imported()) == 25


def test_a_row_the_filing_refuses_rolls_its_batch_back(ready, tmp_path, monkeypatch):
    """Refused by import_report itself (not by the reading): the rows of its batch filed before it
    are not kept, the batches before stay, and the record stays whole."""
    from ceasefire.errors import Invalid
    from ceasefire.record.models import Event

    real = commands.import_report

    def filing(actor, data, external_id):
        if external_id == "acled:LBY14":
            raise Invalid("refused here", "category")
        return real(actor, data, external_id)

    monkeypatch.setattr(commands, "import_report", filing)
    path = acled(tmp_path, 25)
    size = log.size()
    with pytest.raises(CommandError) as caught:
        run(path, "--batch", "10")
    assert "the import stopped at the batch holding line 15; 10 rows" in str(caught.value)
    assert imported() == sorted(f"acled:LBY{i}" for i in range(1, 11))
    assert log.size() == size + 10 == Event.objects.count()
    monkeypatch.setattr(commands, "import_report", real)
    out, _ = run(path, "--batch", "10")
    assert "15 reports filed, 10 rows imported before, 0 refused" in out
    assert log.size() == size + 25 == Event.objects.count()


def test_the_progress_shows_the_rate_and_the_time_left(ready, tmp_path):
    """Asked for (not a terminal here), the progress goes to stderr with rows/s and what is left."""
    shown = []
    path = acled(tmp_path, 5)
    layout = imports.Acled()
    with open(path, "rb") as binary:
        rows, where = imports.table("acled", binary, layout, path.stat().st_size)
        run_ = imports.Import(ready["facilitator"], layout, batch=2, progress=lambda r, part, final: shown.append(part))
        run_.run(rows, where)
    assert (run_.imported, run_.committed, run_.last) == (5, 5, 6)
    assert 0 < shown[0] < 1 and shown[-1] == 1.0 and shown == sorted(shown)
    _, err = run(acled(tmp_path, 5), "--progress")
    assert "rows/s" in err and "100%" in err

"""Situation reports (ceasefire.sitrep): every figure against a brute-force count over the same
history for every reader; the public version holds nothing of the parties'; the Arabic PDF's first
page holds right-to-left, shaped text; `sitrep verify` recomputes an untouched PDF from a bundle
and names the figure that was altered; issuing enters the PDF's hash in the record."""

import datetime as dt
import hashlib
import io
import json
import math
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ceasefire import audience
from ceasefire.errors import Forbidden, Invalid
from ceasefire.incidents import chain, commands, queries
from ceasefire.incidents.models import Report
from ceasefire.record import bundle
from ceasefire.sitrep import build as builder
from ceasefire.sitrep import check
from ceasefire.sitrep.commands import issue
from ceasefire.sitrep.figures import CELL, compute, parse_period
from ceasefire.sitrep.models import Issued
from tests import once
from tests.conftest import FACILITATOR
from tests.helpers import signed_in
from tests.incidents.steps import advance, file

PERIOD = parse_period("2021-01")
AS_OF = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
PARTY_ONLY = "pxpartyonlyzq"  # planted in a report the parties keep: never in the public version
READERS = ("parties", "observers", "public")


@once.fixture
def history(monitors, typology):
    """Reports of January 2021 and December 2020, each shared differently, one without coordinates."""
    a = monitors
    A = advance(a, file(a, occurred_at="2021-01-05", latitude=31.2, longitude=16.6), "concluded")
    commands.set_visibility(FACILITATOR, A.id, {"visibility": "public"})
    B = advance(a, file(a, occurred_at="2021-01-20", latitude=32.9, longitude=13.2), "findings")
    commands.set_visibility(FACILITATOR, B.id, {"visibility": "observers"})
    C = file(
        a,
        "east-member",
        category="air-strike",
        alleged_party="west",
        affected_party="east",
        occurred_at="2021-01-21",
        title=PARTY_ONLY,
        latitude=30.7,
        longitude=20.1,
    )
    D = advance(
        a,
        file(
            a,
            "un-monitor",
            category="firing",
            alleged_party="",
            occurred_at="2021-01-28",
            latitude=None,
            longitude=None,
            geo_precision=None,
        ),
        "disputed",
    )
    E = advance(a, file(a, occurred_at="2020-12-30", latitude=31.21, longitude=16.61), "duplicate")
    commands.set_visibility(FACILITATOR, E.id, {"visibility": "public"})
    return {k: r.id for k, r in zip("ABCDE", (A, B, C, D, E), strict=True)}


def seen_by(reader):
    return [r for r in Report.objects.prefetch_related("findings") if audience.report_reads(reader, r)]


def brute_force(reader) -> dict:
    """What every report-counting figure should be, counted over the rows in Python."""
    seen = seen_by(reader)
    start = dt.datetime.combine(PERIOD.start, dt.time(), dt.UTC)
    end = dt.datetime.combine(PERIOD.end + dt.timedelta(days=1), dt.time(), dt.UTC)
    period = [r for r in seen if start <= r.occurred_at < end]
    out = Counter()
    out["reports"] = len(period)
    out["incidents"] = len({r.incident_id for r in period})
    for r in period:
        out[f"reports.category.{r.category_id}"] += 1
        out[f"reports.alleged_party.{r.alleged_party_id or '-'}"] += 1
        out[f"reports.status.{r.status}"] += 1
        held = sorted(
            {
                f.attributed_to_id
                for f in r.findings.all()
                if f.result == "violation" and f.attributed_to_id and r.status == "concluded"
            }
        )
        for party in held or ["-"]:
            out[f"reports.attributed_party.{party}"] += 1
        if r.latitude is None:
            out["map.unplaced"] += 1
        else:
            out[f"map.{math.floor(r.longitude / CELL) * CELL:g},{math.floor(r.latitude / CELL) * CELL:g}"] += 1
    for r in seen:
        month = r.occurred_at.astimezone(dt.UTC).strftime("%Y-%m")
        if "2020-02" <= month <= "2021-01":
            out[f"trend.{month}"] += 1
        if r.status in chain.STAGES:
            out[f"chain.{r.status}"] += 1
    overdue = queries.overdue_q(AS_OF)
    out["chain.overdue"] = Report.objects.filter(id__in=[r.id for r in seen]).filter(overdue).count()
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("reader", READERS)
def test_every_figure_is_the_brute_force_count_of_what_the_reader_reads(history, reader):
    figures = compute(reader, PERIOD, AS_OF).figures
    expected = brute_force(reader)
    for key, n in expected.items():
        assert figures.get(key, 0) == n, key
    counted = {k: v for k, v in figures.items() if k.startswith(("reports.", "map.", "chain.")) and v}
    assert counted == {k: v for k, v in expected.items() if k.startswith(("reports.", "map.", "chain.")) and v}
    assert figures["trend.2021-01"] == figures["reports"]
    assert sum(v for k, v in figures.items() if k.startswith("trend.")) == sum(
        v for k, v in expected.items() if k.startswith("trend.")
    )


@pytest.mark.django_db
def test_readers_count_only_what_they_may_read(history):
    counts = {reader: compute(reader, PERIOD, AS_OF).figures["reports"] for reader in READERS}
    assert counts == {"parties": 4, "observers": 2, "public": 1}


@pytest.mark.django_db
def test_each_number_of_the_page_links_to_the_list_that_shows_as_many(history, monitors, accounts):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(client, accounts["facilitator"])
    s = builder.live("parties", PERIOD)
    builder.context(s, links=True)
    lines = [line for name, lines in s.sections.items() for line in lines if name not in ("findings",)]
    lines += [line for _corner, line in s.cells]
    checked = 0
    for line in lines:
        if not line.url.startswith("/reports/"):
            continue
        page = client.get(line.url)
        assert page.status_code == 200, line.url
        assert page.context["page"].paginator.count == line.count, (line.key, line.url)
        checked += 1
    assert checked >= 10
    answer = client.get(f"/sitrep/{PERIOD.name}/")
    assert answer.status_code == 200
    assert f'href="{s.sections["totals"][0].url}"'.replace("&", "&amp;") in answer.content.decode()


@pytest.mark.django_db
def test_the_public_version_holds_nothing_of_the_parties(history, accounts):
    s = builder.live("public", PERIOD)
    for language in ("en", "ar"):
        assert PARTY_ONLY not in builder.html(s, language)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(client, accounts["facilitator"])
    parties = client.get(f"/sitrep/{PERIOD.name}/").content.decode()
    public = client.get(f"/sitrep/{PERIOD.name}/?audience=public").content.decode()
    assert "Public version" in public and "Not for publication" in parties
    # an observer cannot ask for a wider version than theirs
    observer = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(observer, accounts["observer"])
    assert "Observers' version" in observer.get(f"/sitrep/{PERIOD.name}/?audience=parties").content.decode()


def _tamper(pdf: bytes, key: str, value: int) -> bytes:
    """The same PDF with one figure of its attached sitrep.json changed."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    meta = json.loads(reader.attachments[builder.ATTACHMENT][-1])
    meta["figures"][key] = value
    writer = PdfWriter(clone_from=reader)
    writer._root_object.pop("/Names", None)  # drop the original attachment, keep the pages
    writer.add_attachment(builder.ATTACHMENT, json.dumps(meta).encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@once.fixture
def report(history):
    """The parties' Arabic report of January 2021 and the bytes of a parties' bundle of the record
    after it (the PDF is the slowest thing the module makes: once for the tests that read it)."""
    b = builder.build("parties", PERIOD, "ar")
    with tempfile.TemporaryDirectory(prefix="ceasefire-sitrep-test-") as tmp:
        path = Path(tmp, "record.bundle")
        bundle.export(path, "parties")
        return b, path.read_bytes()


@pytest.fixture
def built(report, tmp_path):
    """The report, its PDF and the bundle as files of the test's own."""
    b, exported = report
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b.pdf)
    bundle_path = tmp_path / "record.bundle"
    bundle_path.write_bytes(exported)
    return b, pdf, bundle_path


@pytest.mark.django_db
def test_verify_recomputes_every_figure_of_an_untouched_report(built):
    b, pdf, bundle_path = built
    out = io.StringIO()
    assert check.verify(str(pdf), str(bundle_path), out=out, err=io.StringIO()) == 0
    assert f"all {len(b.sitrep.figures)} figures" in out.getvalue()


@pytest.mark.django_db
def test_verify_names_the_figure_that_was_altered(built, tmp_path):
    b, pdf, bundle_path = built
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(_tamper(b.pdf, "reports.category.shelling", b.sitrep.figures["reports.category.shelling"] + 1))
    with pytest.raises(
        check.Failed, match=r"figure reports\.category\.shelling: the report says 3, the record gives 2"
    ):
        check.verify(str(altered), str(bundle_path), out=io.StringIO(), err=io.StringIO())


@pytest.mark.django_db
def test_verify_refuses_a_bundle_that_withholds_what_was_counted(built, tmp_path):
    _b, pdf, _bundle = built
    public = tmp_path / "public.bundle"
    bundle.export(public, "public")
    with pytest.raises(check.Unusable, match="withholds"):
        check.verify(str(pdf), str(public), out=io.StringIO(), err=io.StringIO())


@pytest.mark.django_db
def test_the_arabic_pdf_has_right_to_left_shaped_text_on_its_first_page(built, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing: apt-get install poppler-utils (.ci/run installs it)")
    _b, pdf, _bundle = built
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # "تقرير الحالة" extracted in logical order: the shaper's glyphs map back to the Arabic letters,
    # and pdftotext reads a right-to-left line in reading order
    assert "تقرير الحالة" in text
    assert not any("\ufe70" <= ch <= "\ufeff" for ch in text)  # no presentation forms: shaping by the font, not by hand
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert any(r[0].split("+")[-1].replace("-", "").startswith("DejaVuSans") for r in rows), fonts
    assert all("yes" == r[-5] for r in rows), fonts  # every font embedded (the "emb" column)


@pytest.mark.django_db
def test_issuing_enters_the_pdfs_hash_in_the_record(built, monitors):
    b, _pdf, _bundle = built
    size, root = b.sitrep.checkpoint
    data = {
        "period": "2021-01",
        "language": "ar",
        "audience": "parties",
        "size": size,
        "root": root,
        "sha256": b.sha256,
    }
    with pytest.raises(Forbidden):
        issue(monitors["west-head"], data)
    issued = issue(FACILITATOR, data)
    assert Issued.objects.get(id=issued.id).sha256 == hashlib.sha256(b.pdf).hexdigest()


@pytest.mark.django_db
def test_the_facilitator_issues_from_the_page_and_only_its_audience_downloads_it(history, accounts):
    west = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(west, accounts["west-head"])
    assert west.post(f"/sitrep/{PERIOD.name}/issue/", {"lang": "en"}).status_code == 302
    assert not Issued.objects.exists()  # refused: only the facilitator issues
    fac = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(fac, accounts["facilitator"])
    assert fac.post(f"/sitrep/{PERIOD.name}/issue/", {"lang": "en"}).status_code == 302
    issued = Issued.objects.get()
    assert (issued.period, issued.audience, issued.language) == ("2021-01", "parties", "en")
    answer = fac.get(f"/sitrep/issued/{issued.sha256}.pdf")
    pdf = b"".join(answer.streaming_content)
    assert answer.status_code == 200 and hashlib.sha256(pdf).hexdigest() == issued.sha256
    observer = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(observer, accounts["observer"])
    assert observer.get(f"/sitrep/issued/{issued.sha256}.pdf").status_code == 404
    assert fac.get(f"/sitrep/{PERIOD.name}/report.pdf?lang=xx").status_code == 400
    assert fac.get("/sitrep/2021-13/").status_code == 404


@pytest.mark.parametrize("period", ["9999-12", "0001-01-01..0001-01-02", "9999-12-30..9999-12-31", "1900-01"])
def test_a_period_beyond_the_records_bounds_is_refused_naming_the_period(period):
    with pytest.raises(Invalid) as refused:
        parse_period(period)
    assert refused.value.field == "period"


@pytest.mark.django_db
def test_out_of_range_periods_answer_404_and_a_one_line_cli_error(history, accounts, tmp_path):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(client, accounts["west-head"])
    for period in ("9999-12", "0001-01-01..0001-01-02", "9999-12-30..9999-12-31"):
        assert client.get(f"/sitrep/{period}/").status_code == 404
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError) as failed:
        call_command("sitrep", "build", "--period", "9999-12", "--lang", "ar", str(out))
    assert str(failed.value).startswith("--period: ") and "\n" not in str(failed.value)
    assert not out.exists()


@pytest.mark.django_db
def test_issue_refused_to_a_non_facilitator_writes_no_file(history, accounts, tmp_path):
    out = tmp_path / "e2.pdf"
    with pytest.raises(CommandError) as failed:
        call_command("sitrep", "issue", "--period", PERIOD.name, "--lang", "en", "--as", "observer", str(out))
    assert "Only the facilitator" in str(failed.value)
    assert not out.exists() and not list(tmp_path.iterdir())
    assert not Issued.objects.exists()


@pytest.mark.django_db
def test_a_decision_falls_in_the_month_of_the_committees_day(history):
    """Adopted at 23:30 UTC on 31 January 2021: already 1 February in Tripoli (UTC+2)."""
    from ceasefire.mechanism import commands as mechanism
    from ceasefire.mechanism.models import Decision
    from ceasefire.sitrep.figures import decisions_adopted
    from tests.incidents.steps import meeting_ahead

    decision = mechanism.record_decision(FACILITATOR, meeting_ahead(5, "Round").id, {"text": "Open the road"})
    # the projection as a `decision.adopted` entry written at that instant, without a source's day, leaves it
    at = dt.datetime(2021, 1, 31, 23, 30, tzinfo=dt.UTC)
    Decision.objects.filter(id=decision.id).update(adopted=True, adopted_at=at, adopted_on=None)
    assert decision.id not in [d.id for d in decisions_adopted("parties", parse_period("2021-01"))]
    assert decision.id in [d.id for d in decisions_adopted("parties", parse_period("2021-02"))]


@pytest.mark.django_db
def test_the_withdrawal_section_counts_departures_by_the_periods_last_day_as_each_reader_reads(
    history, monitors, accounts
):
    from ceasefire.forces import commands as forces
    from tests.forces.steps import DEPARTURE, GROUP

    a = monitors
    group = forces.register_group(a["west-head"], GROUP)
    forces.claim_departure(a["east-head"], group.id, {**DEPARTURE, "claimed": 300, "departed_on": "2021-01-10"})
    forces.claim_departure(a["east-head"], group.id, {**DEPARTURE, "claimed": 70, "departed_on": "2021-02-03"})
    plan = forces.record_plan(FACILITATOR, {"title_en": "Action plan", "agreed_on": "2020-12-01", "source": "[17]"})
    forces.add_stage(FACILITATOR, plan.id, {"title_en": "Pull back", "source": "[18]"})
    for reader in ("parties", "observers"):
        figures = compute(reader, PERIOD, AS_OF).figures
        assert (figures["withdrawal.claimed.east"], figures["withdrawal.departures"]) == (300, 1), (
            reader
        )  # not February's
        assert not any(k.startswith("withdrawal.claimed.") and k != "withdrawal.claimed.east" for k in figures)
        assert (figures["withdrawal.verified"], figures["withdrawal.verified_departures"]) == (0, 0), reader
        assert (figures["withdrawal.stages"], figures["withdrawal.stages_complete"]) == (1, 0), reader
    public = compute("public", PERIOD, AS_OF).figures
    assert not any(k.startswith("withdrawal.") for k in public)  # departures and completion are not the public's
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(client, accounts["observer"])
    html = client.get(f"/sitrep/{PERIOD.name}/").content.decode()
    assert "Foreign forces and the withdrawal" in html and "People claimed departed by Eastern region" in html

"""A sign-off names the exact draft it agrees to (`draft`, the entry number of the findings
drafted): after the east's member read a "no violation" draft and the west's member redrafted to
"violation attributed to the east", the east's "agree" to what it read must not conclude the new
draft, however the two requests race."""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.db import connection

from ceasefire.errors import Conflict, Invalid
from ceasefire.incidents import commands
from ceasefire.incidents.models import SignOff
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused
from tests.record.test_concurrent_append import (
    ROOT,
    shared_database,  # noqa: F401  (a fixture)
)

from . import signoff_race, steps


@pytest.fixture
def read(actors, filed):
    """The east's member has read the "no violation" draft; the west's member and the facilitator signed it."""
    r = steps.advance(actors, filed, "investigated")
    r = commands.draft_findings(actors["east-member"], r.id, signoff_race.NO_VIOLATION)
    steps.sign(actors["west-member"], r)
    steps.sign(FACILITATOR, r)
    return r


def test_the_agreement_to_a_draft_replaced_meanwhile_is_refused(actors, read):
    redrafted = commands.draft_findings(actors["west-member"], read.id, signoff_race.ATTRIBUTED)
    assert redrafted.draft > read.draft
    before = Event.objects.count()
    with refused(Conflict, "draft"):
        commands.sign_findings(actors["east-member"], read.id, {"agrees": True, "draft": read.draft})
    assert Event.objects.count() == before and not SignOff.objects.filter(report=read).exists()
    redrafted.refresh_from_db()
    assert redrafted.status == "findings"
    # Signing what is before the sides now is what an agreement takes.
    r = steps.sign(actors["east-member"], redrafted)
    assert r.status == "findings" and list(r.signoffs.values_list("side", flat=True)) == ["east"]


def test_a_sign_off_names_its_draft(actors, read):
    for data in ({"agrees": True}, {"agrees": True, "draft": ""}):
        with refused(Invalid, "draft"):
            commands.sign_findings(actors["east-member"], read.id, data)
    for draft in ("seven", -1, 1.5, True):
        with refused(Invalid, "draft"):
            commands.sign_findings(actors["east-member"], read.id, {"agrees": True, "draft": draft})
    for draft in (read.draft - 1, read.draft + 1, 0):
        with refused(Conflict, "draft"):
            commands.sign_findings(actors["east-member"], read.id, {"agrees": True, "draft": draft})
    r = commands.sign_findings(actors["east-member"], read.id, {"agrees": True, "draft": str(read.draft)})
    assert r.status == "concluded"
    assert Event.objects.filter(type="findings.signed").order_by("-seq").first().payload["draft"] == read.draft


def _no_signoff_outside_its_draft(results, out, read):
    assert results.count("ok") >= 1, results
    assert set(results) <= {"ok", "409 draft", "409 status", "409 agrees"}, results
    # Every sign-off in the record names the draft that was before the sides when it was signed.
    assert out["signed"] and all(s["named"] == s["before_the_sides"] for s in out["signed"]), out["signed"]
    if out["status"] == "concluded":  # the east's agreement came first: what it read is concluded
        assert (out["draft"], out["results"]) == (read, ["no_violation"])
        assert results.count("ok") == 1  # one agreement, then nothing: a concluded report is not redrafted
    else:  # a redraft came first: nobody's agreement carried over to it
        assert out["status"] == "findings" and out["draft"] != read and out["results"] == ["violation"]
        assert out["signoffs"] == [] and "409 draft" in results


@pytest.mark.django_db(transaction=True)
def test_a_redraft_racing_a_sign_off_never_concludes_what_was_not_signed(request, actors, typology, tmp_path):
    """~20 requests at once, redrafts and the east's agreement to what it read, in threads on
    PostgreSQL (each its own connection) and in processes on SQLite (a file they share)."""
    if connection.vendor == "postgresql":
        report_id, read = signoff_race.setup(actors)
        results, out = _in_threads(actors, report_id, read), signoff_race.outcome(report_id)
    else:
        results, out, read = _in_processes(request.getfixturevalue("shared_database"), tmp_path)
    _no_signoff_outside_its_draft(results, out, read)


def _in_threads(actors, report_id, read) -> list:
    start = threading.Barrier(signoff_race.REQUESTS)
    results = [None] * signoff_race.REQUESTS

    def send(i):
        try:
            start.wait()
            results[i] = signoff_race.attempt(actors, i, report_id, read)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(signoff_race.REQUESTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _in_processes(database, tmp_path):
    paths = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    env = dict(os.environ, DATABASE_URL=database, CEASEFIRE_DATA_DIR=str(tmp_path), PYTHONPATH=paths)
    cmd = [sys.executable, "-m", "tests.incidents.signoff_race"]

    def run(*args):
        return json.loads(
            subprocess.run([*cmd, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
        )

    report_id, read = run("setup")
    workers, each = 4, signoff_race.REQUESTS // 4
    procs = [
        subprocess.Popen(
            [*cmd, "race", str(w * each), str(each), str(report_id), str(read)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        results += json.loads(out)
    return results, run("outcome", str(report_id)), read

"""`ceasefire replay --check` reproduces every state after a long random history that takes
reports through the whole chain, with evidence, protected identities and the committee's
decisions on disputes; and a rebuild from the record gives the same tables, the vault untouched."""

import collections
import random

import pytest

from ceasefire.incidents.models import ProtectedIdentity, Report
from ceasefire.record import replay
from ceasefire.record.models import Event, Head
from tests import history

# What the history must have done for the check to mean something.
COVERED = {
    "report.filed",
    "report.triaged",
    "report.tasked",
    "report.investigated",
    "report.investigation_confirmed",
    "findings.drafted",
    "findings.signed",
    "report.settlement_proposed",
    "decision.position_taken",
    "report.disagreement_recorded",
    "report.visibility_set",
    "evidence.added",
    "evidence.accessed",
    "identity.protected",
    "identity.erased",
    "category.defined",
}


@pytest.fixture(autouse=True)
def store_dir(settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"


def test_replay_reproduces_every_state_after_a_long_history_of_reports(monitors):
    accepted, refused = history.run(random.Random(3), monitors, steps=800, incidents=True)
    assert accepted > 300 and refused > 100  # both paths, in good measure
    history.adopt_one(monitors)
    types = collections.Counter(Event.objects.values_list("type", flat=True))
    assert COVERED <= set(types), COVERED - set(types)
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {"concluded", "disagreement", "duplicate", "outside_mandate"} <= statuses, statuses
    assert Report.objects.filter(related_report__isnull=False).exists()  # an obstruction report, filed by the chain
    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference

    vault = list(ProtectedIdentity.objects.order_by("id").values())
    state = replay.dump()
    assert replay.rebuild() == Event.objects.count()
    assert replay.dump() == state
    assert list(ProtectedIdentity.objects.order_by("id").values()) == vault

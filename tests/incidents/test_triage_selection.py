"""Triage at volume: the facilitator triages a selection of received reports in one action, each
still its own entry in the record, asked of the triage's own refusal; all or nothing."""

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps


def duplicates_of(original, reports, reason="The same shelling"):
    return {"reports": [r.id for r in reports], "decision": "duplicate", "duplicate_of": original.id, "reason": reason}


def test_three_duplicates_of_one_original_in_one_action_each_its_own_entry(actors, typology):
    original, *copies = [steps.file(actors) for _ in range(4)]
    before = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    triaged = commands.triage_selection(FACILITATOR, duplicates_of(original, copies))
    assert [r.id for r in triaged] == [r.id for r in copies]
    entries = list(Event.objects.filter(seq__gt=before).order_by("seq"))
    assert [(e.type, e.payload["report"], e.payload["duplicate_of"]) for e in entries] == [
        ("report.triaged", r.id, original.id) for r in copies
    ]
    for r in copies:
        r = Report.objects.get(id=r.id)
        assert (r.status, r.duplicate_of_id, r.incident_id, r.triage_reason_en) == (
            "duplicate",
            original.id,
            original.incident_id,
            "The same shelling",
        )
    assert Report.objects.get(id=original.id).status == "received"


def test_admissible_or_outside_the_mandate_at_once(actors, typology):
    a, b, c = [steps.file(actors) for _ in range(3)]
    commands.triage_selection(FACILITATOR, {"reports": [a.id, b.id], "decision": "admissible"})
    commands.triage_selection(FACILITATOR, {"reports": [str(c.id)], "decision": "outside_mandate", "reason": "Land"})
    assert [Report.objects.get(id=r.id).status for r in (a, b, c)] == ["inquiry", "inquiry", "outside_mandate"]


def test_one_report_that_may_not_be_triaged_writes_nothing_and_is_named(actors, typology):
    original, fresh, admitted, other = [steps.file(actors) for _ in range(4)]
    commands.triage(FACILITATOR, admitted.id, {"decision": "admissible"})
    with refused(Conflict, "reports") as caught:
        commands.triage_selection(FACILITATOR, duplicates_of(original, [fresh, admitted, other]))
    message = str(caught.value)
    # the triage's own reason, naming the report
    assert str(commands.triage_refusal(FACILITATOR, Report.objects.get(id=admitted.id))) in message
    assert admitted.reference in message and fresh.reference not in message
    assert Report.objects.filter(id__in=[fresh.id, other.id], status="received").count() == 2


def test_a_failure_of_a_later_report_rolls_back_the_earlier_ones(actors, typology):
    """One rule fails only inside the triage itself (a reason is required): nothing is kept."""
    a, b = steps.file(actors), steps.file(actors)
    with refused(Invalid, "reason"):
        commands.triage_selection(FACILITATOR, {"reports": [a.id, b.id], "decision": "outside_mandate"})
    with refused(NotFound, "duplicate_of"):
        commands.triage_selection(
            FACILITATOR, {"reports": [a.id, b.id], "decision": "duplicate", "duplicate_of": 10**9, "reason": "x"}
        )
    assert set(Report.objects.filter(id__in=[a.id, b.id]).values_list("status", flat=True)) == {"received"}


@pytest.mark.parametrize(
    ("reports", "error", "field"),
    [
        (None, Invalid, "reports"),
        ([], Invalid, "reports"),
        ("1,2", Invalid, "reports"),
        (["x"], Invalid, "reports[0]"),
        ([-1], Invalid, "reports[0]"),
        ([10**9], NotFound, "reports[0]"),
        (["FIRST", "FIRST"], Invalid, "reports[1]"),
        (["FIRST"] * (commands.MAX_SELECTION + 1), Invalid, "reports"),
    ],
)
def test_a_bad_selection_is_named(actors, typology, reports, error, field):
    r = steps.file(actors)
    if isinstance(reports, list):
        reports = [r.id if x == "FIRST" else x for x in reports]
    with refused(error, field):
        commands.triage_selection(FACILITATOR, {"reports": reports, "decision": "admissible"})


def test_the_original_is_not_among_its_duplicates(actors, typology):
    original, copy = steps.file(actors), steps.file(actors)
    with refused(Invalid, "reports") as caught:
        commands.triage_selection(FACILITATOR, duplicates_of(original, [copy, original]))
    assert original.reference in str(caught.value)


@pytest.mark.parametrize("who", ["west-head", "west-member", "east-head", "east-member", "observer"])
def test_only_the_facilitator_triages_a_selection(actors, typology, who):
    a, b = steps.file(actors), steps.file(actors)
    with refused(Forbidden):
        commands.triage_selection(actors[who], duplicates_of(a, [b]))
    with refused(Forbidden):  # before anything of the selection is looked at
        commands.triage_selection(actors[who], {"reports": [10**9], "decision": "admissible"})
    with refused(Forbidden):
        commands.triage_selection(None, {"reports": [b.id], "decision": "admissible"})

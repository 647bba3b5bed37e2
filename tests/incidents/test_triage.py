"""The facilitator's triage: admissible, a duplicate (linked to the first report of the event, its
incident merged, never deleted) or outside the mandate, the last two with a reason."""

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.incidents import commands, queries
from ceasefire.incidents.models import Incident, Report
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps


def duplicate(r, of, reason="The same shelling, reported twice"):
    return commands.triage(FACILITATOR, r.id, {"decision": "duplicate", "duplicate_of": of.id, "reason": reason})


def test_an_admissible_report_goes_to_a_preliminary_inquiry(actors, filed):
    r = commands.triage(FACILITATOR, filed.id, {"decision": "admissible"})
    assert (r.status, r.triage_reason_en, r.duplicate_of_id) == ("inquiry", "", None)
    r = commands.triage(
        FACILITATOR, steps.file(actors).id, {"decision": "admissible", "reason": "Within the ceasefire area"}
    )
    assert r.triage_reason_en == "Within the ceasefire area"


@pytest.mark.parametrize("decision", ["duplicate", "outside_mandate"])
def test_a_dismissal_needs_a_reason(actors, filed, decision):
    other = steps.file(actors, "east-member")
    data = {"decision": decision, "duplicate_of": other.id if decision == "duplicate" else None}
    with refused(Invalid, "reason"):
        commands.triage(FACILITATOR, filed.id, data)
    with refused(Invalid, "reason"):
        commands.triage(FACILITATOR, filed.id, {**data, "reason": "   "})
    r = commands.triage(FACILITATOR, filed.id, {**data, "reason_ar": "خارج نطاق الولاية"})
    assert (r.status, r.triage_reason_ar) == (decision, "خارج نطاق الولاية")


def test_outside_the_mandate_closes_the_report_with_its_reason(actors, filed):
    r = commands.triage(FACILITATOR, filed.id, {"decision": "outside_mandate", "reason": "A tribal dispute over land"})
    assert (r.status, r.closed, r.triage_reason_en) == ("outside_mandate", True, "A tribal dispute over land")
    assert Report.objects.filter(id=filed.id).exists()


OTHERS = ["west-head", "west-member", "east-head", "east-member", "observer"]


def test_only_the_facilitator_triages(actors, filed, subtests):
    for who in OTHERS:
        with subtests.test(who=who):
            other = steps.file(actors, "east-member")
            for data in (
                {"decision": "admissible"},
                {"decision": "outside_mandate", "reason": "x"},
                {"decision": "duplicate", "duplicate_of": other.id, "reason": "x"},
            ):
                with refused(Forbidden):
                    commands.triage(actors[who], filed.id, data)


def test_bad_triage_is_named(actors, filed):
    with refused(Invalid, "decision"):
        commands.triage(FACILITATOR, filed.id, {"decision": "dismissed", "reason": "x"})
    with refused(Invalid, "decision"):
        commands.triage(FACILITATOR, filed.id, {})
    with refused(Invalid, "duplicate_of"):
        commands.triage(FACILITATOR, filed.id, {"decision": "duplicate", "reason": "x"})
    with refused(Invalid, "duplicate_of"):
        commands.triage(FACILITATOR, filed.id, {"decision": "duplicate", "duplicate_of": "R-2026-0001", "reason": "x"})
    with refused(NotFound, "duplicate_of"):
        commands.triage(FACILITATOR, filed.id, {"decision": "duplicate", "duplicate_of": 424242, "reason": "x"})
    with refused(Invalid, "duplicate_of"):
        duplicate(filed, filed)
    with refused(Invalid, "duplicate_of"):
        commands.triage(FACILITATOR, filed.id, {"decision": "admissible", "duplicate_of": filed.id})
    with refused(NotFound, "report"):
        commands.triage(FACILITATOR, 424242, {"decision": "admissible"})


def test_a_duplicate_is_linked_and_its_incident_merged_not_deleted(actors, filed):
    second = steps.file(actors, "east-member", title="Artillery at Abu Qurayn")
    left = second.incident
    incidents = Incident.objects.count()
    r = duplicate(second, filed)
    assert (r.status, r.closed, r.duplicate_of_id, r.incident_id) == ("duplicate", True, filed.id, filed.incident_id)
    assert list(filed.duplicates.all()) == [r]
    assert set(Incident.objects.get(id=filed.incident_id).reports.all()) == {filed, r}
    left.refresh_from_db()
    assert left.merged_into_id == filed.incident_id and not left.reports.exists()
    assert Incident.objects.count() == incidents and Report.objects.count() == 2
    # Readers see one incident of the event, holding both reports.
    assert list(queries.visible_incidents(FACILITATOR)) == [filed.incident]


def test_a_duplicate_of_a_duplicate_is_linked_to_the_first_report(actors, filed):
    second, third = steps.file(actors, "east-member"), steps.file(actors, "west-head")
    duplicate(second, filed)
    r = duplicate(third, second)
    assert (r.duplicate_of_id, r.incident_id) == (filed.id, filed.incident_id)
    assert Incident.objects.get(id=third.incident_id).merged_into_id == filed.incident_id


def test_when_a_report_with_duplicates_turns_out_a_duplicate_they_all_follow_the_first(actors, filed):
    later, copy = steps.file(actors, "east-member"), steps.file(actors, "west-head")
    duplicate(copy, later)  # triaged before the first report of the event came to light
    with refused(Invalid, "duplicate_of"):
        duplicate(later, copy)  # it would duplicate itself through its copy
    duplicate(later, filed)
    for r in Report.objects.filter(id__in=[later.id, copy.id]):
        assert (r.duplicate_of_id, r.incident_id) == (filed.id, filed.incident_id)
    merged = Incident.objects.filter(id__in=[later.incident_id, copy.incident_id])
    assert [i.merged_into_id for i in merged] == [filed.incident_id] * 2
    assert list(queries.visible_incidents(FACILITATOR)) == [filed.incident]


def test_a_report_is_triaged_once(actors, filed):
    commands.triage(FACILITATOR, filed.id, {"decision": "admissible"})
    with refused(Conflict, "status"):
        commands.triage(FACILITATOR, filed.id, {"decision": "outside_mandate", "reason": "second thoughts"})

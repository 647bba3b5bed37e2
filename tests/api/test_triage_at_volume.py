"""Triage at volume through the API: the reports awaiting triage with their duplicate candidates
and why, a report's candidates, and a selection triaged in one call; the facilitator's alone."""

import pytest
from django.test import Client

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from tests.conftest import FACILITATOR
from tests.samples import REPORT

from .conftest import assert_error, events

OTHERS = ["west-head", "west-member", "east-head", "east-member", "observer", "monitor"]


@pytest.fixture
def filed(actors, typology):
    """An original and two reports of the same shelling, 1 km apart; a report of another category."""
    original = commands.file_report(actors["west-member"], REPORT)
    copies = [commands.file_report(actors["east-member"], {**REPORT, "latitude": 31.45 + k / 111}) for k in (1, 2)]
    other = commands.file_report(actors["west-member"], {**REPORT, "category": "raid"})
    return original, copies, other


def test_the_reports_awaiting_triage_with_their_candidates_and_why(api, filed):
    original, copies, other = filed
    body = api("facilitator").get("/reports/awaiting-triage").json()
    assert [item["report"]["number"] for item in body["items"]] == [r.reference for r in (original, *copies, other)]
    first = body["items"][0]
    assert [c["report"]["id"] for c in first["candidates"]] == [r.id for r in copies]
    c = first["candidates"][0]
    assert (c["km"], c["district"], c["hours"], c["similarity"], c["earlier"]) == (1.0, "", 0.0, 1.0, False)
    assert body["items"][3]["candidates"] == []


def test_one_reports_candidates(api, filed):
    original, copies, _other = filed
    body = api("facilitator").get(f"/reports/{copies[1].id}/duplicates").json()
    assert body["report"]["id"] == copies[1].id
    assert [(c["report"]["number"], c["km"], c["earlier"]) for c in body["candidates"]] == [
        (copies[0].reference, 1.0, True),
        (original.reference, 2.0, True),
    ]


def test_a_selection_triaged_in_one_call_each_its_own_entry(api, filed):
    original, copies, _other = filed
    before = events()
    body = {"reports": [r.id for r in copies], "decision": "duplicate", "duplicate_of": original.id, "reason": "Same"}
    r = api("facilitator").post("/reports/triage", body)
    assert r.status_code == 200, r.content
    assert r.json()["count"] == 2 and [i["status"] for i in r.json()["items"]] == ["duplicate", "duplicate"]
    assert events() == before + 2
    assert {Report.objects.get(id=c.id).duplicate_of_id for c in copies} == {original.id}


def test_one_report_refused_names_it_and_writes_nothing(api, filed):
    original, copies, other = filed
    commands.triage(FACILITATOR, copies[0].id, {"decision": "admissible"})
    before = events()
    r = api("facilitator").post("/reports/triage", {"reports": [copies[1].id, copies[0].id], "decision": "admissible"})
    assert_error(r, 409, "reports", contains=copies[0].reference)
    assert events() == before
    r = api("facilitator").post("/reports/triage", {"reports": [other.id, 10**9], "decision": "admissible"})
    assert_error(r, 404, "reports[1]")
    r = api("facilitator").post("/reports/triage", {"reports": "all", "decision": "admissible"})
    assert_error(r, 422, "reports")
    assert events() == before


@pytest.mark.parametrize("who", OTHERS)
def test_every_other_role_is_refused(api, filed, monitor, who):
    original, copies, _other = filed
    before = events()
    assert_error(api(who).get("/reports/awaiting-triage"), 403, None)
    assert_error(api(who).get(f"/reports/{original.id}/duplicates"), 403, None)
    assert_error(api(who).get("/reports/999999999/duplicates"), 403, None)  # nothing learnt of what exists
    assert_error(api(who).post("/reports/triage", {"reports": [copies[0].id], "decision": "admissible"}), 403, None)
    assert events() == before


def test_without_credentials_none_answers(api, filed):
    original, copies, _other = filed
    assert_error(api(None).get("/reports/awaiting-triage"), 401, None)
    assert_error(api(None).get(f"/reports/{original.id}/duplicates"), 401, None)
    assert_error(api(None).post("/reports/triage", {"reports": [copies[0].id], "decision": "admissible"}), 401, None)


def test_the_schema_lists_them_with_unique_names(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    operations = {
        ("get", "/api/v1/reports/awaiting-triage"): "awaiting_triage",
        ("get", "/api/v1/reports/{report_id}/duplicates"): "report_duplicates",
        ("post", "/api/v1/reports/triage"): "triage_selection",
    }
    for (method, path), name in operations.items():
        assert paths[path][method]["operationId"] == name
        assert {} not in paths[path][method]["security"]  # credentials needed
    ids = [op["operationId"] for ops in paths.values() for op in ops.values()]
    assert len(ids) == len(set(ids))

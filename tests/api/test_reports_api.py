"""A report travels the whole verification chain through the API, and what each answer holds."""

import hashlib
import re

from ceasefire.incidents.models import Report
from ceasefire.mechanism.models import Meeting
from ceasefire.record.models import Event
from tests.helpers import hold

from .conftest import assert_error, events, upload
from .endpoints import FINDINGS, NEXT_MEETING, REPORT, TEAM, at

NUMBER = re.compile(r"^R-\d{4}-\d{4}$")


def test_filing_answers_the_number_the_status_and_the_whole_report(api, typology):
    before = events()
    r = api("west-member").post("/reports", REPORT)
    assert r.status_code == 201, r.content
    body = r.json()
    assert isinstance(body["id"], int)
    assert NUMBER.match(body["number"]) and body["number"] == Report.objects.get(id=body["id"]).reference
    assert body["status"] == "received"
    assert events() == before + 1
    assert Event.objects.get(seq=body["id"]).type == "report.filed"
    # the whole report, as GET answers it
    assert body == api("west-member").get(f"/reports/{body['id']}").json()
    assert body["submitted_by"] == "west-member"
    assert (body["source_type"], body["source_party"]) == ("delegation", "west")
    assert (body["alleged_party"], body["affected_party"], body["category"]) == ("east", "west", "shelling")
    assert body["casualties"] == [{"kind": "injured", "group": "civilian", "count": 2, "source": "local clinic"}]
    assert [s["stage"] for s in body["stages"]] == ["received"]
    assert body["stages"][0]["left_at"] is None and body["stages"][0]["target_days"] == 2
    assert body["next_steps"] == ["triage"]
    assert body["visibility"] == "parties" and body["evidence"] == []
    assert body["links"]["incident"]["number"].startswith("I-")


def test_numbers_follow_one_another(api, typology):
    first = api("west-member").post("/reports", REPORT).json()["number"]
    second = api("east-member").post("/reports", REPORT).json()["number"]
    assert int(second[-4:]) == int(first[-4:]) + 1


def test_texts_come_in_the_readers_language(api, typology):
    body = {**REPORT, "title_ar": "قصف قرب أبو قرين", "title_en": "Shelling near Abu Qurayn"}
    del body["title"]
    report_id = api("west-member").post("/reports", body).json()["id"]
    assert api("east-head", language="en").get(f"/reports/{report_id}").json()["title"] == "Shelling near Abu Qurayn"
    answer = api("east-head", language="ar").get(f"/reports/{report_id}").json()
    assert answer["title"] == "قصف قرب أبو قرين"
    assert (answer["title_ar"], answer["title_en"]) == ("قصف قرب أبو قرين", "Shelling near Abu Qurayn")


def test_the_whole_chain_with_a_dissent_settled_by_the_committee(api, typology):
    west, east, facilitator = api("west-member"), api("east-member"), api("facilitator")
    report_id = west.post("/reports", REPORT).json()["id"]

    r = facilitator.post(f"/reports/{report_id}/triage", {"decision": "admissible"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "inquiry"

    r = facilitator.post(
        f"/reports/{report_id}/team", {"team": TEAM, "instructions": "Visit the site", "due_on": "2021-03-20"}
    )
    assert r.json()["status"] == "tasked", r.content
    assert sorted((m["username"], m["party"]) for m in r.json()["team"]) == [
        ("east-member", "east"),
        ("west-member", "west"),
    ]
    assert r.json()["team_due_on"] == "2021-03-20"

    investigation = {
        "site_visited": True,
        "visited_on": "2021-03-04",
        "access": "partial",
        "denied_by": "Brigade 128",
        "methods": "Crater analysis, interviews",
        "limitations": "The eastern ridge was closed to the team",
    }
    r = east.post(f"/reports/{report_id}/investigation", investigation)
    assert r.json()["status"] == "tasked", r.content  # the east's member wrote it: the west has not confirmed it
    assert r.json()["investigation"]["access"] == "partial"
    assert r.json()["investigation"]["submitted_by"] == "east-member"
    assert (r.json()["investigation"]["confirmed_by"], r.json()["investigation"]["confirmed"]) == (["east"], False)
    assert r.json()["links"]["related_reports"] == []  # no obstruction report before the team's report is the team's
    entry = r.json()["investigation"]["entry"]
    assert west.get(f"/reports/{report_id}").json()["may"]["confirm_investigation"] is True
    r = west.post(f"/reports/{report_id}/investigation/confirmations", {"investigation": entry})
    assert r.json()["status"] == "investigated", r.content
    assert r.json()["investigation"]["confirmed"] is True
    # the denied access is an obstruction report of its own, linked both ways
    obstruction = r.json()["links"]["related_reports"]
    assert len(obstruction) == 1
    o = west.get(f"/reports/{obstruction[0]['id']}").json()
    assert o["category"] == "access-denied" and o["links"]["related_report"]["id"] == report_id

    meeting = facilitator.post("/meetings", NEXT_MEETING).json()
    hold(Meeting.objects.get(id=meeting["id"]))  # held today, each party's quorum present
    r = west.post(f"/reports/{report_id}/findings", FINDINGS)
    assert r.json()["status"] == "findings", r.content
    [finding] = r.json()["findings"]
    assert (finding["result"], finding["attributed_to"]) == ("violation", "east")
    assert finding["recommendations"][0]["addressee_party"] == "east"

    draft = r.json()["draft"]
    assert isinstance(draft, int) and west.get(f"/reports/{report_id}").json()["draft"] == draft
    assert west.post(f"/reports/{report_id}/signoffs", {"agrees": True, "draft": draft}).json()["status"] == "findings"
    r = east.post(f"/reports/{report_id}/signoffs", {"agrees": False, "reasons": "No crater was found", "draft": draft})
    assert r.json()["status"] == "disputed", r.content
    signoffs = {s["party"]: s for s in r.json()["signoffs"]}
    assert signoffs["west"]["agrees"] is True and signoffs["east"]["agrees"] is False
    assert signoffs["east"]["reasons"] == "No crater was found" and signoffs["east"]["username"] == "east-member"
    agenda = r.json()["links"]["agenda_item"]
    assert agenda["meeting"] == meeting["id"]
    # the dispute is on the next meeting's agenda by itself
    titles = [a["title_en"] for a in facilitator.get(f"/meetings/{meeting['id']}").json()["agenda"]]
    assert any(r.json()["number"] in t for t in titles), titles

    r = facilitator.post(f"/reports/{report_id}/settlement-proposal", {"text": "The findings are upheld"})
    decision = r.json()["links"]["decision"]
    assert isinstance(decision, int), r.content
    # not adopted yet: settling now is refused
    assert_error(facilitator.post(f"/reports/{report_id}/settlement", {}), 409, "decision")
    for head in ("west-head", "east-head"):
        assert api(head).post(f"/decisions/{decision}/positions", {"position": "approve"}).status_code == 200

    r = facilitator.post(f"/reports/{report_id}/settlement", {"note": "Settled by the committee's decision"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "concluded" and body["next_steps"] == []
    stages = body["stages"]
    assert [s["stage"] for s in stages] == [
        "received",
        "inquiry",
        "tasked",
        "investigated",
        "findings",
        "disputed",
        "concluded",
    ]
    assert all(s["left_at"] for s in stages[:-1]) and stages[-1]["left_at"] is None
    assert all(s["entered_by"] for s in stages)
    assert stages[-1]["target_days"] is None and stages[0]["target_days"] == 2
    assert all(s["days"] >= 0 and s["overdue"] is False for s in stages)

    # the recommendation is followed up: the addressed party reports progress, the facilitator closes it
    assert api("observer").get("/recommendations", {"addressee_party": "east"}).json() == []  # not shared with them
    [rec] = facilitator.get("/recommendations", {"addressee_party": "east"}).json()
    assert rec["report"] == report_id and rec["status"] == "open"
    assert (
        api("east-head").post(f"/recommendations/{rec['id']}/status", {"status": "in_progress"}).json()["status"]
        == "in_progress"
    )
    assert_error(api("east-head").post(f"/recommendations/{rec['id']}/status", {"status": "done"}), 403, "status")
    assert facilitator.post(f"/recommendations/{rec['id']}/status", {"status": "done"}).json()["status"] == "done"
    assert facilitator.get("/recommendations", {"status": "open"}).json() == []


def test_a_disagreement_is_recorded_when_the_committee_cannot_agree(api, typology, actors):
    r = at(actors, "disputed")
    facilitator = api("facilitator")
    proposal = facilitator.post(f"/reports/{r.id}/settlement-proposal", {"text": "The findings are upheld"})
    decision = proposal.json()["links"]["decision"]
    api("west-head").post(f"/decisions/{decision}/positions", {"position": "approve"})
    api("east-head").post(f"/decisions/{decision}/positions", {"position": "object", "reason": "No crater"})
    answer = facilitator.post(f"/reports/{r.id}/disagreement", {"note": "The parties disagree on the attribution"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "disagreement"
    assert answer.json()["closing_note"] == "The parties disagree on the attribution"


def test_a_step_out_of_order_is_refused_and_writes_nothing(api, typology):
    report_id = api("west-member").post("/reports", REPORT).json()["id"]
    before = events()
    assert_error(api("facilitator").post(f"/reports/{report_id}/team", {"team": TEAM}), 409, "status")
    assert_error(api("west-member").post(f"/reports/{report_id}/findings", FINDINGS), 403, None)
    assert events() == before


def test_evidence_is_uploaded_listed_downloaded_and_every_download_is_in_its_custody(api, typology):
    west = api("west-member")
    report_id = west.post("/reports", REPORT).json()["id"]
    content = "Photographs taken at 06:10; three craters.\n".encode()
    r = upload(west, report_id, "notes.txt", content, description="Field notes")
    assert r.status_code == 201, r.content
    e = r.json()
    assert e["sha256"] == hashlib.sha256(content).hexdigest()
    assert (e["size"], e["media_type"], e["name"], e["description"]) == (
        len(content),
        "text/plain",
        "notes.txt",
        "Field notes",
    )
    assert Event.objects.get(seq=e["id"]).data["payload"]["sha256"] == e["sha256"]
    assert [x["id"] for x in api("east-head").get(f"/reports/{report_id}/evidence").json()] == [e["id"]]
    assert [x["id"] for x in api("east-head").get(f"/reports/{report_id}").json()["evidence"]] == [e["id"]]
    assert api("facilitator").get(f"/evidence/{e['id']}/custody").json() == []

    for who in ("east-member", "facilitator"):
        before = events()
        r = api(who).get(f"/evidence/{e['id']}/file")
        assert r.status_code == 200
        assert b"".join(r.streaming_content) == content
        assert r["Content-Type"].startswith("text/plain")
        assert r["Content-Disposition"].startswith("attachment") and "notes.txt" in r["Content-Disposition"]
        assert r["X-Content-Type-Options"] == "nosniff"
        assert events() == before + 1  # the download, in the record
    custody = api("west-head").get(f"/evidence/{e['id']}/custody").json()
    assert [(c["username"], c["action"]) for c in custody] == [("east-member", "download"), ("facilitator", "download")]


def test_a_sources_identity_stays_in_the_facilitators_vault(api, typology):
    facilitator = api("facilitator")
    body = {
        **REPORT,
        "source_type": "public",
        "source": "A caller to the hotline",
        "source_identity": {"name": "Salem the shepherd", "contact": "+218 91 555 0101"},
    }
    r = facilitator.post("/reports", body)
    assert r.status_code == 201, r.content
    report_id = r.json()["id"]
    for who in ("west-head", "east-member", "facilitator"):
        assert b"Salem" not in api(who).get(f"/reports/{report_id}").content
    assert b"Salem" not in b"".join(Event.objects.values_list("body", flat=True))
    assert_error(api("west-head").get(f"/reports/{report_id}/identities"), 403, None)

    [source] = facilitator.get(f"/reports/{report_id}/identities").json()
    assert source["relation"] == "source" and source["identity"]["name"] == "Salem the shepherd"
    assert source["created_by"] == "facilitator" and source["erased_at"] is None
    witness = facilitator.post(f"/reports/{report_id}/identities", {"identity": {"name": "A teacher"}})
    assert witness.status_code == 201, witness.content
    assert witness.json()["relation"] == "witness" and witness.json()["identity"]["name"] == "A teacher"

    r = facilitator.post(f"/identities/{source['id']}/erase", {"reason": "A threat to the caller"})
    assert r.status_code == 200, r.content
    assert r.json()["identity"] is None and r.json()["erased_at"]
    kept = {i["relation"]: i for i in facilitator.get(f"/reports/{report_id}/identities").json()}
    assert kept["source"]["identity"] is None and kept["source"]["commitment"] == source["commitment"]
    assert kept["witness"]["identity"]["name"] == "A teacher"
    assert_error(facilitator.post(f"/identities/{source['id']}/erase", {"reason": "again"}), 409, "identity")


def test_the_typology_and_the_stage_targets(api, typology):
    codes = [c["code"] for c in api(None).get("/typology").json()]
    assert "shelling" in codes and "access-denied" in codes
    sniping = {
        "code": "sniping",
        "group": "military",
        "name": "Sniping",
        "acled_event_type": "Violence against civilians",
    }
    r = api("facilitator").post("/typology", sniping)
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "Sniping"
    assert api(None).get("/typology").json()[-1]["code"] == "sniping"

    targets = {t["stage"]: t for t in api(None).get("/stage-targets").json()}
    assert set(targets) == {"received", "inquiry", "tasked", "investigated", "findings", "disputed"}
    assert targets["received"]["days"] == targets["received"]["default_days"] == 2
    r = api("facilitator").post("/stage-targets", {"stage": "received", "days": 4})
    assert r.json() == {"stage": "received", "days": 4, "default_days": 2}
    assert {t["stage"]: t["days"] for t in api("observer").get("/stage-targets").json()}["received"] == 4


def test_an_incident_lists_its_reports_duplicates_included(api, typology):
    west, facilitator = api("west-member"), api("facilitator")
    first = west.post("/reports", REPORT).json()
    second = api("east-member").post("/reports", REPORT).json()
    duplicate = {"decision": "duplicate", "duplicate_of": first["id"], "reason": "Same shelling"}
    r = facilitator.post(f"/reports/{second['id']}/triage", duplicate)
    assert r.json()["status"] == "duplicate", r.content
    assert r.json()["links"]["duplicate_of"] == {"id": first["id"], "number": first["number"]}
    assert west.get(f"/reports/{first['id']}").json()["links"]["duplicates"] == [
        {"id": second["id"], "number": second["number"]}
    ]
    incident = west.get(f"/incidents/{first['incident']}").json()
    assert [x["id"] for x in incident["reports"]] == [first["id"], second["id"]]
    assert incident["reports_count"] == 2
    # the incident the duplicate left is merged, not listed
    listed = {i["id"]: i["reports_count"] for i in west.get("/incidents").json()["items"]}
    assert listed[first["incident"]] == 2 and second["incident"] not in listed
    # what observers are shown of it: the report the committee shared with them, not its duplicate
    facilitator.post(f"/reports/{first['id']}/visibility", {"visibility": "observers"})
    [shown] = api("observer").get("/incidents").json()["items"]
    assert (shown["id"], shown["reports_count"]) == (first["incident"], 1)

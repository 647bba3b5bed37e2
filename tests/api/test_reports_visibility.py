"""Who sees what of reports and incidents, and who may do what: every endpoint × every role × every
visibility level.

The parties' people (delegates, monitors) and the facilitator read every report in full;
observers read what the committee shared with them, the public what it published, both without
the names of the people behind a report, its source's description and its evidence. A report a
reader may not see is a 404, as if it did not exist. Protected identities: the facilitator only.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client

from ceasefire.incidents import commands as incidents
from ceasefire.record import log

from .conftest import Api, assert_error, events, upload
from .endpoints import (
    OPEN_READS,
    REPORT_PUBLIC_OPERATIONS,
    REPORT_READS,
    REPORT_WRITES,
    VISIBILITY,
    advance,
    file_report,
    place,
    report_body,
)

FULL = ("west-member", "west-head", "east-member", "east-head", "facilitator", "monitor")
WHO = [None, "observer", *FULL]
SECRET = "Salem the shepherd"  # a protected identity: in no answer but the vault's


@pytest.fixture
def levels(actors, typology, monitor):
    """A report at each visibility level, each with an evidence file and a protected witness:
    kept with the parties (received), shared with the observers (tasked to a team), published
    (concluded, with team, investigation, findings, sign-offs and a recommendation)."""
    f = actors["facilitator"]
    out = {}
    for level, stage in (("parties", "received"), ("observers", "tasked"), ("public", "concluded")):
        r = file_report(actors, title=f"Report kept at {level}", source=f"Patrol of the {level} report")
        e = incidents.add_evidence(actors["west-member"], r.id, [b"Field notes\n"], f"{level}.txt", "text/plain")
        incidents.protect_identity(f, r.id, {"identity": {"name": SECRET}})
        r = advance(actors, r.id, stage)
        if level != "parties":
            incidents.set_visibility(f, r.id, {"visibility": level})
        out[level] = SimpleNamespace(report=r.id, incident=r.incident_id, evidence=e.id)
    return out


def sees(who, level) -> bool:
    return who in FULL or (who == "observer" and level != "parties") or (who is None and level == "public")


def expected(read, who, level) -> int:
    if read in ("report", "incident"):
        return 200 if sees(who, level) else 404
    if who is None:
        return 401
    if read == "identities":
        return 200 if who == "facilitator" else 403
    return 200 if who in FULL else 403  # evidence: the parties' people and the facilitator


def path(read, ids) -> str:
    return REPORT_READS[read].format(report=ids.report, incident=ids.incident, evidence=ids.evidence)


@pytest.mark.parametrize("who", WHO, ids=str)
def test_reads_about_a_report_by_role_and_visibility(api, levels, who):
    actual, wanted = {}, {}
    for level in VISIBILITY:
        for read in REPORT_READS:
            before = events()
            r = api(who).get(path(read, levels[level]))
            actual[read, level], wanted[read, level] = r.status_code, expected(read, who, level)
            if r.status_code >= 400:
                assert_error(r, r.status_code)
            # reading writes nothing, except a download: into the evidence's chain of custody
            assert events() == before + (read == "evidence-file" and r.status_code == 200)
    assert actual == wanted


@pytest.mark.parametrize("who", WHO, ids=str)
def test_what_each_reader_reads_of_a_report(api, levels, who):
    for level in VISIBILITY:
        if not sees(who, level):
            continue
        r = api(who).get(f"/reports/{levels[level].report}")
        assert SECRET.encode() not in r.content
        body = r.json()
        full = who in FULL
        assert body["title"] == f"Report kept at {level}" and body["visibility"] == level
        assert body["submitted_by"] == ("west-member" if full else None)
        assert body["source"] == (f"Patrol of the {level} report" if full else None)
        assert body["source_en"] == (f"Patrol of the {level} report" if full else None)
        assert body["evidence"] == ([{**body["evidence"][0], "name": f"{level}.txt"}] if full else None)
        assert all((s["entered_by"] is not None) == full for s in body["stages"])
        if level == "parties":
            continue
        assert {m["party"] for m in body["team"]} == {"west", "east"}
        assert sorted(m["username"] or "-" for m in body["team"]) == (
            ["east-member", "west-member"] if full else ["-", "-"]
        )
        if level == "public":
            if full:
                assert {s["party"] for s in body["signoffs"]} == {"west", "east", None}
                assert all(s["username"] is not None for s in body["signoffs"])
            else:  # who signed what, and why, stays with the parties: the status says it concluded
                assert body["signoffs"] is None and body["status"] == "concluded"
            assert (body["investigation"]["submitted_by"] is not None) == full
            assert body["findings"][0]["recommendations"][0]["addressee_party"] == "east"


@pytest.mark.parametrize("who", WHO, ids=str)
def test_the_lists_hold_what_the_reader_may_see(api, levels, who, monkeypatch):
    seen = {levels[level].report for level in VISIBILITY if sees(who, level)}
    client = api(who)
    assert {i["id"] for i in client.get("/reports").json()["items"]} == seen
    assert client.get("/reports").json()["count"] == len(seen)
    incidents_seen = {levels[level].incident for level in VISIBILITY if sees(who, level)}
    assert {i["id"] for i in client.get("/incidents").json()["items"]} == incidents_seen
    # the only recommendation is the published report's
    assert [x["report"] for x in client.get("/recommendations").json()] == [levels["public"].report]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=40)
    monkeypatch.setattr(log, "_clock", lambda: later)
    waiting = {levels[level].report for level in ("parties", "observers") if sees(who, level)}
    assert {i["id"] for i in client.get("/reports/overdue").json()["items"]} == waiting
    assert {i["id"] for i in client.get("/reports", {"overdue": "true"}).json()["items"]} == waiting


@pytest.mark.parametrize("who", WHO, ids=str)
def test_an_incident_lists_only_the_reports_the_reader_may_see(api, actors, levels, who):
    # a duplicate kept with the parties joins the published report's incident
    dup = file_report(actors)
    triage = {"decision": "duplicate", "duplicate_of": levels["public"].report, "reason": "Same"}
    incidents.triage(actors["facilitator"], dup.id, triage)
    body = api(who).get(f"/incidents/{levels['public'].incident}").json()
    wanted = [levels["public"].report, dup.id] if who in FULL else [levels["public"].report]
    assert [r["id"] for r in body["reports"]] == wanted
    assert body["reports_count"] == len(wanted)
    links = api(who).get(f"/reports/{levels['public'].report}").json()["links"]
    assert [d["id"] for d in links["duplicates"]] == wanted[1:]


@pytest.mark.parametrize("who", WHO, ids=str)
@pytest.mark.parametrize("read", OPEN_READS)
def test_anyone_reads_the_typology_and_the_stage_targets(api, typology, monitor, who, read):
    r = api(who).get(read)
    assert r.status_code == 200 and r.json()


def test_the_schema_says_which_operations_need_no_login(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    roots = (
        "reports",
        "incidents",
        "evidence",
        "identities",
        "recommendations",
        "typology",
        "stage-targets",
        "stats",
        "coverage",
    )
    mine = {(m, p) for p, ops in paths.items() for m in ops if p.split("/")[3] in roots}
    assert REPORT_PUBLIC_OPERATIONS <= mine
    for method, path in mine:
        security = paths[path][method]["security"]
        assert {"BearerToken": []} in security
        assert ({} in security) == ((method, path) in REPORT_PUBLIC_OPERATIONS), (method, path)


def test_a_wrong_token_is_refused_even_where_none_is_needed(levels):
    for read in ("/reports", f"/reports/{levels['public'].report}", "/incidents", "/typology"):
        assert_error(Api(Client(), "not-a-token").get(read), 401, None)


# ---------------------------------------------------------------- writes


@pytest.mark.parametrize("write", list(REPORT_WRITES))
def test_each_write_is_refused_to_every_other_role_and_writes_nothing(api, actors, typology, monitor, write):
    template, _body, allowed = REPORT_WRITES[write]
    target = place(template, actors)
    for who in WHO:
        if who in allowed:
            continue
        before = events()
        assert_error(api(who).post(target, report_body(write, who)), 401 if who is None else 403, None)
        assert events() == before, who


ALLOWED = [(write, who) for write, (_p, _b, allowed) in REPORT_WRITES.items() for who in allowed]


@pytest.mark.parametrize("write, who", ALLOWED, ids=[f"{w}-{r}" for w, r in ALLOWED])
def test_each_write_is_allowed_to_the_roles_its_command_allows(api, actors, typology, monitor, write, who):
    template, _body, allowed = REPORT_WRITES[write]
    target = place(template, actors)
    before = events()
    r = api(who).post(target, report_body(write, who))
    assert r.status_code == allowed[who], r.content
    assert isinstance(r.json(), dict) and r.json()
    assert events() > before


@pytest.mark.parametrize("who", WHO, ids=str)
def test_evidence_is_added_by_the_parties_people_and_the_facilitator(api, actors, typology, monitor, who):
    report_id = file_report(actors).id
    before = events()
    r = upload(api(who), report_id, "notes.txt", b"Three craters\n")
    if who in FULL:
        assert r.status_code == 201, r.content
        assert events() == before + 1
    else:
        assert_error(r, 401 if who is None else 403, None)
        assert events() == before

"""Bad input to the reports API: a clear 4xx naming the field, never a 500, and nothing written."""

import os

import pytest

from ceasefire.incidents import commands as incidents

from .conftest import assert_error, events, upload
from .endpoints import (
    FINDINGS,
    INVESTIGATION,
    REPORT,
    REPORT_PATH_IDS,
    REPORT_TEXT_FIELDS,
    REPORT_WRITES,
    TEAM,
    file_report,
    place,
    report_body,
    report_writer,
)

HUGE_TEXT = "x" * 1_000_000


def sender(write: str) -> str:
    """Who sends the write here: a role allowed to, west-member for filing (a delegate's body is the plainest)."""
    return "west-member" if write == "file" else report_writer(write)


def spoil(body, dotted: str, value):
    """A copy of body with the field at `dotted` ("findings.0.allegation") set to value."""
    head, _, rest = dotted.partition(".")
    if isinstance(body, list):
        copy, index = list(body), int(head)
        copy[index] = spoil(copy[index], rest, value) if rest else value
        return copy
    copy = dict(body)
    copy[head] = spoil(copy.get(head) or {}, rest, value) if rest else value
    return copy


@pytest.fixture
def post(api, actors, typology):
    """post(write, body=..., raw=..., path=...) as a role allowed to make that write, in English;
    checks that a refused write leaves nothing in the record."""

    def send(write, body=..., *, path=None, target=None, **kw):
        template = REPORT_WRITES[write][0]
        who = sender(write)
        target = target or place(path or template, actors)
        before = events()
        r = api(who, language="en").post(target, report_body(write, who) if body is ... else body, **kw)
        if r.status_code >= 400:
            assert events() == before, "a refused write left an event behind"
        return r

    return send


WRITES = list(REPORT_WRITES)


@pytest.mark.parametrize("write", WRITES)
def test_the_valid_body_of_each_write_is_accepted(post, write):
    assert post(write).status_code in (200, 201)


@pytest.mark.parametrize("write", WRITES)
def test_a_body_that_is_not_a_json_object_is_named(post, actors, write):
    target = place(REPORT_WRITES[write][0], actors)
    for raw, status in (('{"title": ', 400), ("[]", 422), ('"text"', 422), ("", 422), (b'{"a": "\xff"}', 400)):
        assert_error(post(write, raw=raw, target=target), status, "body")


@pytest.mark.parametrize("write", WRITES)
def test_an_unknown_field_is_named(post, write):
    body = report_body(write, sender(write))
    assert_error(post(write, {**body, "no_such_field": 1}), 422, "no_such_field")


@pytest.mark.parametrize("write", WRITES)
def test_a_huge_text_is_named(post, write):
    dotted, field = REPORT_TEXT_FIELDS[write]
    assert_error(post(write, spoil(report_body(write, sender(write)), dotted, HUGE_TEXT)), 422, field)


@pytest.mark.parametrize("write", WRITES)
def test_a_value_of_the_wrong_type_is_named(post, actors, write):
    dotted, field = REPORT_TEXT_FIELDS[write]
    target = place(REPORT_WRITES[write][0], actors)
    body = report_body(write, sender(write))
    for value in (12, 1.5, True, ["a list"], {"an": "object"}):
        assert_error(post(write, spoil(body, dotted, value), target=target), 422, field)


PATHS_WITH_IDS = [w for w in WRITES if "{" in REPORT_WRITES[w][0]]


def _broken(write, value) -> tuple[str, str]:
    template = REPORT_WRITES[write][0]
    prefix = next(p for p in REPORT_PATH_IDS if template.startswith(p))
    start = template.index("{")
    return template[:start] + value + template[template.index("}") + 1 :], REPORT_PATH_IDS[prefix]


@pytest.mark.parametrize("write", PATHS_WITH_IDS)
def test_a_path_id_that_is_not_an_id_is_named_and_an_unknown_one_is_not_found(post, write):
    for bad in ("abc", "1.5", "-1", "9" * 30, "%20"):
        target, field = _broken(write, bad)
        assert_error(post(write, target="/api/v1" + target), 422, field)
    for unknown in ("424242", str(2**63 - 1)):
        target, field = _broken(write, unknown)
        assert_error(post(write, target="/api/v1" + target), 404, field)


@pytest.mark.parametrize(
    "path, status, field",
    [
        ("/reports/abc", 422, "report"),
        ("/reports/424242", 404, "report"),
        (f"/reports/{2**63}", 422, "report"),
        ("/reports/424242/evidence", 404, "report"),
        ("/reports/424242/identities", 404, "report"),
        ("/incidents/abc", 422, "incident"),
        ("/incidents/424242", 404, "incident"),
        ("/evidence/abc/file", 422, "evidence"),
        ("/evidence/424242/file", 404, "evidence"),
        ("/evidence/424242/custody", 404, "evidence"),
        ("/recommendations?status=closed", 422, "status"),
        ("/recommendations?addressee_party=WEST", 422, "addressee_party"),
        ("/incidents?limit=0", 422, "limit"),
        ("/incidents?offset=-1", 422, "offset"),
    ],
)
def test_a_bad_read_is_named(api, typology, path, status, field):
    before = events()
    assert_error(api("facilitator").get(path), status, field)
    assert events() == before


# Field by field: the commands' rules, each naming the field at fault.
NOW_PLUS = "2099-01-01"
CASES = [
    ("file", {**REPORT, "title": None}, 422, "title"),
    ("file", {k: v for k, v in REPORT.items() if k != "category"}, 422, "category"),
    ("file", {**REPORT, "category": "sniping"}, 422, "category"),
    ("file", {**REPORT, "category": 7}, 422, "category"),
    ("file", {k: v for k, v in REPORT.items() if k != "occurred_at"}, 422, "occurred_at"),
    ("file", {**REPORT, "occurred_at": NOW_PLUS}, 422, "occurred_at"),
    ("file", {**REPORT, "occurred_at": "2099-01-01T10:00+02:00"}, 422, "occurred_at"),
    ("file", {**REPORT, "occurred_at": "2021-03-02T05:40"}, 422, "occurred_at"),
    ("file", {**REPORT, "occurred_at": "2021-02-30"}, 422, "occurred_at"),
    ("file", {**REPORT, "occurred_at": "yesterday"}, 422, "occurred_at"),
    ("file", {**REPORT, "occurred_at": 20210302}, 422, "occurred_at"),
    ("file", {**REPORT, "latitude": 91}, 422, "latitude"),
    ("file", {**REPORT, "latitude": -90.5}, 422, "latitude"),
    ("file", {**REPORT, "longitude": 180.01}, 422, "longitude"),
    ("file", {**REPORT, "longitude": -181}, 422, "longitude"),
    ("file", {**REPORT, "latitude": "31.4"}, 422, "latitude"),
    ("file", {**REPORT, "latitude": True}, 422, "latitude"),
    ("file", {**REPORT, "longitude": None}, 422, "longitude"),
    (
        "file",
        {**REPORT, "latitude": None, "longitude": None, "geo_precision": None, "place_en": "", "place_ar": ""},
        422,
        "place",
    ),
    ("file", {**REPORT, "geo_precision": 4}, 422, "geo_precision"),
    ("file", {**REPORT, "time_precision": 0}, 422, "time_precision"),
    ("file", {**REPORT, "alleged_party": "south"}, 404, "alleged_party"),
    ("file", {**REPORT, "narrative": ""}, 422, "narrative"),
    ("file", {**REPORT, "casualties": "two injured"}, 422, "casualties"),
    ("file", {**REPORT, "casualties": [{"kind": "dead", "count": 1}]}, 422, "casualties[0].kind"),
    ("file", {**REPORT, "casualties": [{"kind": "killed", "count": -1}]}, 422, "casualties[0].count"),
    ("file", {**REPORT, "casualties": [{"kind": "killed", "count": "3"}]}, 422, "casualties[0].count"),
    ("file", {**REPORT, "casualties": [{"kind": "killed", "count": 1, "age": 30}]}, 422, "casualties[0].age"),
    ("file", {**REPORT, "source_identity": {"contact": "+218"}}, 422, "source_identity.name"),
    ("file", {**REPORT, "source_identity": {"name": "X", "address": "Y"}}, 422, "source_identity.address"),
    ("file", {**REPORT, "source_type": "rumour"}, 422, "source_type"),
    ("triage", {}, 422, "decision"),
    ("triage", {"decision": "maybe"}, 422, "decision"),
    ("triage", {"decision": "outside_mandate"}, 422, "reason"),
    ("triage", {"decision": "duplicate", "reason": "Same"}, 422, "duplicate_of"),
    ("triage", {"decision": "duplicate", "reason": "Same", "duplicate_of": 424242}, 404, "duplicate_of"),
    ("triage", {"decision": "duplicate", "reason": "Same", "duplicate_of": -1}, 422, "duplicate_of"),
    ("triage", {"decision": "duplicate", "reason": "Same", "duplicate_of": "12"}, 422, "duplicate_of"),
    ("triage", {"decision": "admissible", "duplicate_of": 1}, 422, "duplicate_of"),
    ("team", {}, 422, "team"),
    ("team", {"team": []}, 422, "team"),
    ("team", {"team": "west-member,east-member"}, 422, "team"),
    ("team", {"team": ["west-member", "west-head"]}, 422, "team"),
    ("team", {"team": ["west-member", "nobody"]}, 422, "team[1]"),
    ("team", {"team": ["west-member", "observer", "east-member"]}, 422, "team[1]"),
    ("team", {"team": ["west-member", "east-member", "west-member"]}, 422, "team"),
    ("team", {"team": TEAM, "due_on": "2021-02-30"}, 422, "due_on"),
    ("investigation", {k: v for k, v in INVESTIGATION.items() if k != "site_visited"}, 422, "site_visited"),
    ("investigation", {**INVESTIGATION, "site_visited": "yes"}, 422, "site_visited"),
    ("investigation", {**INVESTIGATION, "visited_on": NOW_PLUS}, 422, "visited_on"),
    ("investigation", {**INVESTIGATION, "visited_on": "2021-03-01"}, 422, "visited_on"),
    ("investigation", {**INVESTIGATION, "access": "closed"}, 422, "access"),
    ("investigation", {**INVESTIGATION, "denied_by": "Brigade 128"}, 422, "denied_by"),
    ("investigation", {**INVESTIGATION, "access": "denied"}, 422, "denied_by"),
    ("investigation", {**INVESTIGATION, "access": "denied", "denied_by_party": "south"}, 404, "denied_by_party"),
    ("investigation", {**INVESTIGATION, "methods": ""}, 422, "methods"),
    ("findings", {}, 422, "findings"),
    ("findings", {"findings": []}, 422, "findings"),
    ("findings", {"findings": [{"allegation": "A"}]}, 422, "findings[0].result"),
    ("findings", {"findings": [{"allegation": "A", "result": "guilty"}]}, 422, "findings[0].result"),
    ("findings", {"findings": [{"result": "violation"}]}, 422, "findings[0].allegation"),
    (
        "findings",
        {"findings": [{"allegation": "A", "result": "no_violation", "attributed_to": "east"}]},
        422,
        "findings[0].attributed_to",
    ),
    (
        "findings",
        {"findings": [{"allegation": "A", "result": "violation", "provisions": [424242]}]},
        404,
        "findings[0].provisions[0]",
    ),
    (
        "findings",
        {"findings": [{"allegation": "A", "result": "violation", "recommendations": [{"text": "Withdraw"}]}]},
        422,
        "findings[0].recommendations[0].addressee",
    ),
    (
        "findings",
        {
            "findings": [
                {
                    "allegation": "A",
                    "result": "violation",
                    "recommendations": [{"addressee_party": "east", "text": "W", "due_on": "x"}],
                }
            ]
        },
        422,
        "findings[0].recommendations[0].due_on",
    ),
    ("findings", {"findings": [FINDINGS["findings"][0]] * 21}, 422, "findings"),
    ("signoff", {}, 422, "agrees"),
    ("signoff", {"agrees": "no"}, 422, "agrees"),
    ("signoff", {"agrees": False}, 422, "reasons"),
    ("settlement-proposal", {}, 422, "text"),
    ("settlement", {"note": 5}, 422, "note"),
    ("disagreement", {}, 422, "note"),
    ("visibility", {}, 422, "visibility"),
    ("visibility", {"visibility": "everyone"}, 422, "visibility"),
    ("visibility", {"visibility": "parties"}, 409, "visibility"),
    ("visibility", {"visibility": "public"}, 409, "visibility"),
    ("identity", {}, 422, "identity"),
    ("identity", {"identity": "Salem"}, 422, "identity"),
    ("identity", {"identity": {"name": ""}}, 422, "identity.name"),
    ("erase", {}, 422, "reason"),
    ("recommendation", {}, 422, "status"),
    ("recommendation", {"status": "closed"}, 422, "status"),
    ("recommendation", {"status": "open"}, 409, "status"),
    ("category", {}, 422, "code"),
    ("category", {"code": "Sniping", "group": "military", "name": "S"}, 422, "code"),
    ("category", {"code": "sniping", "group": "naval", "name": "S"}, 422, "group"),
    ("category", {"code": "sniping", "group": "military"}, 422, "name"),
    (
        "category",
        {"code": "sniping", "group": "military", "name": "S", "acled_event_type": "Riots?"},
        422,
        "acled_event_type",
    ),
    ("category", {"code": "sniping", "group": "military", "name": "S", "provisions": [424242]}, 404, "provisions[0]"),
    ("stage-target", {}, 422, "stage"),
    ("stage-target", {"stage": "concluded", "days": 3}, 422, "stage"),
    ("stage-target", {"stage": "received"}, 422, "days"),
    ("stage-target", {"stage": "received", "days": 0}, 422, "days"),
    ("stage-target", {"stage": "received", "days": 366}, 422, "days"),
    ("stage-target", {"stage": "received", "days": "3"}, 422, "days"),
]


@pytest.mark.parametrize("write, body, status, field", CASES, ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_a_bad_field_is_named(post, write, body, status, field):
    assert_error(post(write, body), status, field)


def test_a_nan_coordinate_is_named(post):
    raw = '{"title": "T", "category": "shelling", "occurred_at": "2021-03-02", "latitude": NaN, "longitude": 15, "narrative": "N"}'
    assert_error(post("file", raw=raw), 422, "latitude")


def test_a_report_cannot_duplicate_itself(post, api, actors):
    r = file_report(actors)
    body = {"decision": "duplicate", "reason": "Same", "duplicate_of": r.id}
    assert_error(post("triage", body, target=f"/api/v1/reports/{r.id}/triage"), 422, "duplicate_of")


# ---------------------------------------------------------------- evidence files

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def stored(settings) -> set:
    """Every file in the evidence store (os.walk of a folder not made yet: nothing)."""
    return {os.path.join(d, f) for d, _, files in os.walk(settings.EVIDENCE_DIR) for f in files}


@pytest.mark.parametrize(
    "name, content, content_type, status",
    [
        ("big.txt", b"x" * 101, "text/plain", 413),
        ("empty.txt", b"", "text/plain", 422),
        ("photo.png", b"Just some words\n", "image/png", 422),  # the name says PNG, the content is text
        ("notes.txt", PNG, "text/plain", 422),  # the name says text, the content is PNG
        ("photo.png", PNG, "application/pdf", 422),  # sent as a PDF, is a PNG
        ("tool.exe", b"MZ\x90\x00", "application/octet-stream", 422),
        ("blob.png", b"\x00\x01\x02\x03" * 10, "image/png", 422),  # no type the mechanism accepts
    ],
    ids=[
        "oversized",
        "empty",
        "text-named-png",
        "png-named-text",
        "png-sent-as-pdf",
        "unknown-type",
        "unknown-content",
    ],
)
def test_a_bad_file_is_refused_naming_it_and_nothing_is_kept(
    api, actors, typology, settings, name, content, content_type, status
):
    settings.EVIDENCE_MAX_BYTES = 100
    report_id = file_report(actors).id
    before, files = events(), stored(settings)
    r = upload(api("west-member", language="en"), report_id, name, content, content_type)
    assert_error(r, status, "file")
    assert events() == before
    assert stored(settings) == files


def test_an_upload_without_a_file_is_named(api, actors, typology):
    report_id = file_report(actors).id
    client = api("west-member")
    r = client.client.post(
        client.url(f"/reports/{report_id}/evidence"), {"description": "no file"}, headers=client.headers
    )
    assert_error(r, 422, "file")
    assert_error(client.post(f"/reports/{report_id}/evidence", {"file": "notes.txt"}), 422, "file")
    # a file part without a file name is no file to Django's parser
    raw = b'--B\r\nContent-Disposition: form-data; name="file"; filename=""\r\nContent-Type: text/plain\r\n\r\nwords\r\n--B--\r\n'
    r = client.post(f"/reports/{report_id}/evidence", raw=raw, content_type="multipart/form-data; boundary=B")
    assert_error(r, 422, "file")


def test_a_description_too_long_is_named(api, actors, typology):
    report_id = file_report(actors).id
    r = upload(api("west-member"), report_id, "notes.txt", b"words\n", description="x" * 2001)
    assert_error(r, 422, "description")


def test_a_closed_report_takes_no_more_evidence(api, actors, typology):
    r = file_report(actors)
    incidents.triage(actors["facilitator"], r.id, {"decision": "outside_mandate", "reason": "Before the ceasefire"})
    assert_error(upload(api("west-member"), r.id, "notes.txt", b"words\n"), 409, "report")
    assert_error(upload(api("west-member"), 424242, "notes.txt", b"words\n"), 404, "report")

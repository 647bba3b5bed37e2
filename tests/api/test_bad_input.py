"""Bad input on every writing endpoint: a 4xx naming the field, never a 500, and nothing written."""

import pytest

from ceasefire.mechanism import commands

from .conftest import assert_error, events
from .endpoints import HUGE, PATH_IDS, WRITES, fill, with_field, writer

HUGE_TEXT = "x" * 1_000_000


def refused(response, status, field=...):
    """The error shape with `status` (naming `field`), and the record untouched."""
    return assert_error(response, status, field)


@pytest.fixture
def setup(api, actors, committee):
    """post(write, body=..., raw=..., path=...) as a role allowed to make that write; checks that
    nothing reaches the record whatever the answer."""

    def post(write, body=None, *, path=None, who=None, **kw):
        template, valid, _allowed, prepare = WRITES[write]
        if prepare:
            prepare(actors, committee)
        before = events()
        client = api(who or writer(write), language="en")  # the messages some tests check are English
        r = client.post(fill(path or template, committee), body, **kw)
        if r.status_code >= 400:
            assert events() == before, "a refused write left an event behind"
        return r

    return post


WRITE_NAMES = list(WRITES)


@pytest.mark.parametrize("write", WRITE_NAMES)
def test_the_valid_body_of_each_write_is_accepted(setup, write):
    # The bodies the tests below spoil are good ones to begin with.
    r = setup(write, WRITES[write][1])
    assert r.status_code in (200, 201), r.content


@pytest.mark.parametrize("write", WRITE_NAMES)
@pytest.mark.parametrize(
    "raw, status, message",
    [
        ('{"title": ', 400, "JSON"),
        ('{"title": "a",}', 400, "JSON"),
        ("{'title': 'single quotes'}", 400, "JSON"),
        ("title=x&city=y", 400, "JSON"),
        (b'{"title": "\xff\xfe"}', 400, "UTF-8"),
        ("[" * 100_000 + "]" * 100_000, 400, "JSON"),
        ('{"n": 1' + "0" * 5000 + "}", 400, "JSON"),
        ("[]", 422, "object"),
        ('["title"]', 422, "object"),
        ('"a string"', 422, "object"),
        ("42", 422, "object"),
        ("null", 422, None),
        ("", 422, "JSON object"),
    ],
    ids=[
        "truncated",
        "trailing-comma",
        "single-quotes",
        "form-encoded",
        "not-utf8",
        "deeply-nested",
        "huge-integer",
        "empty-array",
        "array",
        "string",
        "number",
        "null",
        "empty-body",
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(setup, write, raw, status, message):
    detail = refused(setup(write, raw=raw), status, "body")
    if message:
        assert any(message in e["message"] for e in detail), detail


@pytest.mark.parametrize("write", WRITE_NAMES)
def test_a_body_too_large_to_read_is_refused(setup, write):
    refused(setup(write, raw='{"title": "' + "x" * 3_000_000 + '"}'), 413, "body")


@pytest.mark.parametrize("write", WRITE_NAMES)
def test_an_unknown_field_is_named(setup, write):
    refused(setup(write, {**WRITES[write][1], "no_such_field": 1}), 422, "no_such_field")


@pytest.mark.parametrize("write", WRITE_NAMES)
def test_a_huge_string_is_refused_naming_its_field(setup, write):
    dotted, field = HUGE[write]
    refused(setup(write, with_field(WRITES[write][1], dotted, HUGE_TEXT)), 422, field)


@pytest.mark.parametrize("write", WRITE_NAMES)
@pytest.mark.parametrize("value", [12, 1.5, True, ["a list"], {"an": "object"}])
def test_a_value_of_the_wrong_type_is_refused_naming_its_field(setup, write, value):
    dotted, field = HUGE[write]
    if write == "attendance" and isinstance(value, list):
        field = "present[0]"  # a list, but not of ids
    refused(setup(write, with_field(WRITES[write][1], dotted, value)), 422, field)


IDS_IN_PATHS = [w for w in WRITE_NAMES if any(k in WRITES[w][0] for k in PATH_IDS)]


def _id_key(write):
    return next(k for k in PATH_IDS if k in WRITES[write][0])


@pytest.mark.parametrize("write", IDS_IN_PATHS)
@pytest.mark.parametrize("bad", ["abc", "1.5", "-1", "1e3", "0x10", "9" * 30, "%20"])
def test_a_path_id_that_is_not_an_id_is_refused_naming_it(setup, write, bad):
    key = _id_key(write)
    path = WRITES[write][0].replace(key, bad)
    refused(setup(write, WRITES[write][1], path=path), 422, PATH_IDS[key])


@pytest.mark.parametrize("write", IDS_IN_PATHS)
@pytest.mark.parametrize("unknown", ["424242", str(2**63 - 1)])
def test_an_unknown_id_is_not_found(setup, write, unknown):
    key = _id_key(write)
    path = WRITES[write][0].replace(key, unknown)
    refused(setup(write, WRITES[write][1], path=path), 404, PATH_IDS[key])


@pytest.mark.parametrize("write", ["suspend", "resume"])
@pytest.mark.parametrize("party", ["south", "WEST", "x" * 33, "%00"])
def test_an_unknown_party_is_refused(setup, write, party):
    r = setup(write, WRITES[write][1], path=WRITES[write][0].replace("west", party))
    assert r.status_code in (404, 422)
    refused(r, r.status_code, "party")


# Field by field: the command's own rules, each naming the field at fault.
CASES = [
    ("appoint", {"name_latin": "X", "role": "member", "party": "east", "seat": "four"}, 422, "seat"),
    ("appoint", {"name_latin": "X", "role": "member", "party": "east", "seat": 6}, 422, "seat"),
    ("appoint", {"name_latin": "X", "role": "member", "party": "east", "seat": 2**70}, 422, "seat"),
    ("appoint", {"name_latin": "X", "role": "general", "party": "east", "seat": 4}, 422, "role"),
    ("appoint", {"name_latin": "X", "role": "member", "party": "south", "seat": 4}, 404, "party"),
    ("appoint", {"name_latin": "X", "role": "member", "party": "east", "seat": 1}, 409, "seat"),
    ("appoint", {"name_latin": "", "role": "member", "party": "east", "seat": 4}, 422, "name_ar"),
    (
        "appoint",
        {"name_latin": "X", "role": "member", "party": "east", "seat": 4, "tenure_start": "2023-02-30"},
        422,
        "tenure_start",
    ),
    (
        "appoint",
        {"name_latin": "X", "role": "member", "party": "east", "seat": 4, "tenure_start": "30/01/2023"},
        422,
        "tenure_start",
    ),
    ("appoint", {"name_latin": "X\x00", "role": "member", "party": "east", "seat": 4}, 422, "name_latin"),
    ("replace", {"on": "2023-02-30", "successor": {"name_latin": "S"}}, 422, "on"),
    ("replace", {"successor": {"name_latin": "S"}}, 422, "on"),
    ("replace", {"on": "2021-01-01"}, 422, "successor"),
    ("replace", {"on": "2021-01-01", "successor": "S"}, 422, "successor"),
    ("replace", {"on": "2021-01-01", "successor": {"name_latin": "S", "seat": 9}}, 422, "successor.seat"),
    ("replace", {"on": "2021-01-01", "successor": {"name_latin": "S", "bogus": 1}}, 422, "successor.bogus"),
    ("leave", {}, 422, "on"),
    ("leave", {"on": "2023-02-30"}, 422, "on"),
    ("leave", {"on": "2021-01-01T00:00:00"}, 422, "on"),
    ("suspend", {}, 422, "since"),
    ("suspend", {"since": "2023-02-30"}, 422, "since"),
    ("suspend", {"since": "2021-01-01", "reason": "x" * 5001}, 422, "reason"),
    ("resume", {"on": "2020-12-31"}, 422, "on"),
    ("agreement", {}, 422, "title"),
    ("agreement", {"title": "   "}, 422, "title"),
    ("agreement", {"title": "A", "signed_on": "2023-02-30"}, 422, "signed_on"),
    ("agreement", {"title": "A", "signed_on": "2023-2-3"}, 422, "signed_on"),
    ("provision", {"number": "2", "text": "Again"}, 409, "number"),
    ("provision", {"number": "9"}, 422, "text"),
    ("provision", {"text": "T"}, 422, "number"),
    ("provision", {"number": 9, "text": "T"}, 422, "number"),
    ("provision", {"number": "9", "text": "T", "deadline_months": -1}, 422, "deadline_months"),
    ("provision", {"number": "9", "text": "T", "deadline_months": "3"}, 422, "deadline_months"),
    ("provision", {"number": "9", "text": "T", "deadline_on": "2023-02-30"}, 422, "deadline_on"),
    (
        "provision",
        {"number": "9", "text": "T", "deadline_on": "2021-01-01", "deadline_months": 3},
        422,
        "deadline_months",
    ),
    ("provision", {"number": "9", "text": "T", "kind": "clause"}, 422, "kind"),
    ("provision", {"number": "9", "text": "T", "committee_role": "owns"}, 422, "committee_role"),
    ("interpretation", {"reading": "R"}, 422, "held_by"),
    ("interpretation", {"held_by": "UNSMIL"}, 422, "reading"),
    ("meeting", {"title": "T", "city": "C", "country": "K"}, 422, "starts_on"),
    ("meeting", {"title": "T", "starts_on": "2023-02-30", "city": "C", "country": "K"}, 422, "starts_on"),
    ("meeting", {"title": "T", "starts_on": "2023-02-28T10:00", "city": "C", "country": "K"}, 422, "starts_on"),
    ("meeting", {"title": "T", "starts_on": 20230228, "city": "C", "country": "K"}, 422, "starts_on"),
    (
        "meeting",
        {"title": "T", "starts_on": "2023-03-02", "ends_on": "2023-03-01", "city": "C", "country": "K"},
        422,
        "ends_on",
    ),
    (
        "meeting",
        {"title": "T", "starts_on": "2023-03-02", "ends_on": "2023-02-29", "city": "C", "country": "K"},
        422,
        "ends_on",
    ),
    ("meeting", {"starts_on": "2023-03-02", "city": "C", "country": "K"}, 422, "title"),
    ("meeting", {"title": "T", "starts_on": "2023-03-02", "country": "K"}, 422, "city"),
    ("meeting", {"title": "T", "starts_on": "2023-03-02", "city": "C"}, 422, "country"),
    ("attendance", {}, 422, "present"),
    ("attendance", {"present": "1,2"}, 422, "present"),
    ("attendance", {"present": ["1"]}, 422, "present[0]"),
    ("attendance", {"present": [424242]}, 404, "present[0]"),
    ("attendance", {"present": [2**63]}, 422, "present[0]"),
    ("attendance", {"present": [-1]}, 422, "present[0]"),
    ("agenda", {}, 422, "title"),
    ("minutes", {}, 422, "minutes"),
    ("minutes", {"minutes": "x" * 100_001}, 422, "minutes"),
    ("decision", {}, 422, "text"),
    ("decision", {"text": None}, 422, "text"),
    ("decision", {"text": "x" * 10_001}, 422, "text"),
    ("position", {}, 422, "position"),
    ("position", {"position": "yes"}, 422, "position"),
    ("action-item", {"text": "T"}, 422, "owner"),
    ("action-item", {"owner_party": "west"}, 422, "text"),
    ("action-item", {"text": "T", "owner_party": "south"}, 404, "owner_party"),
    ("action-item", {"text": "T", "owner_party": "west", "deadline": "2023-02-30"}, 422, "deadline"),
    ("action-item", {"text": "T", "owner_party": "west", "decision": "1"}, 422, "decision"),
    ("action-item", {"text": "T", "owner_party": "west", "decision": 424242}, 404, "decision"),
    ("action-status", {}, 422, "status"),
    ("action-status", {"status": "closed"}, 422, "status"),
    ("action-status", {"status": "open"}, 409, "status"),
]


@pytest.mark.parametrize("write, body, status, field", CASES, ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_a_bad_field_is_refused_naming_it(setup, write, body, status, field):
    refused(setup(write, body), status, field)


def test_the_ids_in_a_body_belong_where_they_are_used(setup, api, actors, committee):
    other = commands.record_meeting(
        actors["facilitator"], {"title": "Other", "starts_on": "2021-01-01", "city": "Tunis", "country": "Tunisia"}
    )
    body = {"text": "T", "owner_party": "west", "decision": committee.decision.id}
    refused(setup("action-item", body, path=f"/meetings/{other.id}/action-items"), 422, "decision")
    member = committee.members["west-head"].id
    refused(setup("attendance", {"present": [member, member]}), 422, "present")

"""signed_type reads an entry's type from the end of its canonical bytes (RFC 8785 sorts the keys,
so the top-level "type" is the member just before "v", the last one) and answers exactly what
json.loads reads, whatever the payload holds: a "type" key of its own, nested or not, or a string
that looks like the ending. A body without that ending is parsed as before."""

import json

import pytest
import rfc8785

from ceasefire.record import log, models
from ceasefire.record.models import Event, signed_type

from .test_bundle_helpers import record  # noqa: F401 (fixture)

PAYLOADS = [
    {},
    {"type": "decision.adopted"},  # a payload's own "type" key, of another event type
    {"type": "x", "v": 9, "z": {"type": "provision.added", "v": 1}},
    {"items": [{"type": "report.filed"}, {"kind": "a", "type": "meeting.minutes"}]},
    {"text": ',"type":"report.filed","v":2}'},  # a string that looks like the ending
    {"text": 'He said "type" then \\ and ,"type":"public","v":2} \u0645\u062d\u0636\u0631'},
    {"zz": ',"type":"report.filed","v":2}', "type": "agreement.recorded"},
]


def canonical(event_type: str, payload: dict, **more) -> bytes:
    """An entry as log.append writes it."""
    entry = {
        "v": log.SCHEMA_VERSION,
        "seq": 41,
        "type": event_type,
        "time": "2021-01-01T00:00:00.000000Z",
        "actor": "west-head",
        "party": "west",
        "payload": payload,
        "salt": "c2FsdHNhbHRzYWx0c2FsdA==",
    }
    return rfc8785.dumps({**entry, **more})


@pytest.fixture
def no_parse(monkeypatch):
    """Fail any read of a body that goes through JSON: the canonical ending must be enough."""

    def parsed(body):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(models, "signed_fields", parsed)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_type_read_from_the_ending_is_the_one_json_reads(payload, no_parse):
    assert len(log._projectors) > 30  # every app's event types are registered
    for event_type in log._projectors:
        body = canonical(event_type, payload)
        assert signed_type(body) == json.loads(body)["type"] == event_type
        assert signed_type(memoryview(body)) == event_type  # as PostgreSQL's driver may hand it


def test_every_entry_of_a_record_is_read_from_its_ending(record, no_parse):
    bodies = [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)]
    assert len({json.loads(b)["type"] for b in bodies}) > 2
    assert [signed_type(b) for b in bodies] == [json.loads(b)["type"] for b in bodies]


@pytest.mark.parametrize(
    "body",
    [
        canonical("meeting.minutes", {}, w="a key after v"),
        canonical("meeting.minutes", {}, v="2"),
        canonical("meeting.minutes", {}) + b" ",
        canonical("meeting.minutes", {}).replace(b',"type":"meeting.minutes"', b', "type":"meeting.minutes"'),
        canonical("meeting.minutes", {}).replace(b"meeting.minutes", b"Meeting Minutes"),
        canonical("meeting.minutes", {}).replace(b"meeting.minutes", b"meeting.\\u006dinutes"),
    ],
)
def test_a_body_without_the_canonical_ending_is_parsed(body):
    assert signed_type(body) == json.loads(body)["type"]


@pytest.mark.parametrize("body", [b"", b"not json", b'{"type":"meeting.recorded"}', b"[1]", b'{"v":2}'])
def test_a_body_that_is_not_an_entry_has_no_type(body):
    assert signed_type(body) == ""  # which only the parties may read

import base64
import json

import pytest
import rfc8785
from django.db import transaction

from ceasefire.errors import Invalid
from ceasefire.mechanism import commands
from ceasefire.record import log
from ceasefire.record.models import Event, Head
from tests.conftest import FACILITATOR


def test_events_are_numbered_densely_from_zero(accounts):
    for n in range(3):
        commands.record_meeting(
            FACILITATOR, {"title": f"Round {n}", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
        )
    seqs = list(Event.objects.values_list("seq", flat=True))
    assert seqs == list(range(len(seqs))) and Head.objects.get().size == len(seqs)
    assert [e.type for e in Event.objects.order_by("-seq")[:3]] == ["meeting.recorded"] * 3


def test_each_event_is_stored_as_its_canonical_rfc8785_bytes(mechanism):
    meeting = commands.record_meeting(
        FACILITATOR,
        {
            "title": "اجتماع غدامس",
            "starts_on": "2020-11-02",
            "ends_on": "2020-11-03",
            "city": "Ghadames",
            "country": "Libya",
        },
    )
    event = Event.objects.get(seq=meeting.id)
    body = bytes(event.body)
    data = json.loads(body)
    assert rfc8785.dumps(data) == body
    assert set(data) == {"v", "seq", "type", "time", "actor", "account", "party", "payload", "salt"}
    assert (data["v"], data["seq"], data["type"], data["actor"], data["party"]) == (
        4,
        meeting.id,
        "meeting.recorded",
        "facilitator",
        None,
    )
    assert data["payload"]["title_ar"] == "اجتماع غدامس"
    assert log.parse_time(data["time"]) == event.time
    assert "اجتماع غدامس".encode() in body  # UTF-8, not \u escapes


def test_every_entry_carries_a_salt_of_its_own(mechanism):
    """So that the leaf hash of an entry withheld from an audience cannot be found by hashing the
    few values it could hold (a party's position, say)."""
    for n in range(3):
        commands.record_meeting(
            FACILITATOR, {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
        )
    salts = [e.data["salt"] for e in Event.objects.all()]
    assert (
        len(salts) >= 4
        and len(set(salts)) == len(salts)
        and all(len(base64.b64decode(s, validate=True)) == 16 for s in salts)
    )


def test_the_actors_party_is_recorded(actors):
    meeting = commands.record_meeting(
        FACILITATOR, {"title": "x", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    )
    decision = commands.record_decision(FACILITATOR, meeting.id, {"text": "y"})
    commands.take_position(actors["east-head"], decision.id, {"position": "object"})
    last = Event.objects.last()
    assert (last.actor, last.account, last.party, last.data["party"]) == ("head", "east-head", "east", "east")


def test_a_command_that_fails_after_appending_leaves_nothing(mechanism, monkeypatch):
    def broken_projector(event):
        raise RuntimeError("projection failed")

    before = Event.objects.count()
    monkeypatch.setitem(log._projectors, "meeting.recorded", broken_projector)
    with pytest.raises(RuntimeError):
        commands.record_meeting(
            FACILITATOR, {"title": "x", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
        )
    assert Event.objects.count() == before and Head.objects.get().size == before


def test_append_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        log.append("meeting.minutes", {}, FACILITATOR)


def test_append_refuses_an_event_type_nobody_projects(mechanism):
    with transaction.atomic(), pytest.raises(RuntimeError, match="no projector"):
        log.append("meeting.cancelled", {}, FACILITATOR)


def test_invalid_input_appends_nothing(mechanism):
    before = Event.objects.count()
    with pytest.raises(Invalid):
        commands.record_meeting(FACILITATOR, {"title": "x", "starts_on": "never"})
    assert Event.objects.count() == before


def test_times_round_trip_with_microseconds():
    import datetime as dt

    t = dt.datetime(2026, 11, 29, 10, 15, 0, 123456, tzinfo=dt.UTC)
    assert log.format_time(t) == "2026-11-29T10:15:00.123456Z"
    assert log.parse_time(log.format_time(t)) == t


def test_append_in_a_callers_own_transaction_appends_as_a_batch_of_one(mechanism):
    from ceasefire.record import tree

    meeting = commands.record_meeting(
        FACILITATOR, {"title": "x", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    )
    with transaction.atomic():
        event = log.append(
            "meeting.minutes", {"meeting": meeting.id, "minutes_ar": "", "minutes_en": "Agreed."}, FACILITATOR
        )
        assert (
            Head.objects.get().size == event.seq + 1 == meeting.id + 2
        )  # the head and the tree are written before append returns
        assert tree.size() == event.seq + 1
    assert Event.objects.get(seq=event.seq).body == event.body and tree.check() is None


@pytest.mark.parametrize(
    "key", [None, "", "abc", "1", " 1 ", 1.7, True, -1, 2**63, 10**30, [], {}, "west\x00", "nowhere"]
)
def test_a_read_by_key_answers_not_found_naming_the_field_for_any_key_a_request_may_send(mechanism, key):
    from ceasefire.errors import NotFound
    from ceasefire.mechanism.models import Meeting, Party

    meeting = commands.record_meeting(
        FACILITATOR, {"title": "x", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    )
    assert commands.get(Meeting, meeting.id, "meeting") == meeting
    assert commands.get(Party, "west", "party").code == "west"
    for model, field in ((Meeting, "meeting"), (Party, "party")):
        if model is Meeting and key in ("1", " 1 ", True) or model is Party and key == "west":
            continue  # names a row that may exist
        with pytest.raises(NotFound) as refused:
            commands.get(model, key, field)
        assert refused.value.field == field

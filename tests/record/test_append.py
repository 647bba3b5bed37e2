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
        commands.record_meeting(FACILITATOR, {"title": f"Round {n}", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"})
    seqs = list(Event.objects.values_list("seq", flat=True))
    assert seqs == list(range(len(seqs))) and Head.objects.get().size == len(seqs) == 4


def test_each_event_is_stored_as_its_canonical_rfc8785_bytes(mechanism):
    meeting = commands.record_meeting(
        FACILITATOR, {"title": "اجتماع غدامس", "starts_on": "2020-11-02", "ends_on": "2020-11-03", "city": "Ghadames", "country": "Libya"}
    )
    event = Event.objects.get(seq=meeting.id)
    body = bytes(event.body)
    data = json.loads(body)
    assert rfc8785.dumps(data) == body
    assert set(data) == {"v", "seq", "type", "time", "actor", "party", "payload"}
    assert (data["v"], data["seq"], data["type"], data["actor"], data["party"]) == (1, 1, "meeting.recorded", "facilitator", None)
    assert data["payload"]["title_ar"] == "اجتماع غدامس"
    assert log.parse_time(data["time"]) == event.time
    assert "اجتماع غدامس".encode() in body  # UTF-8, not \u escapes


def test_the_actors_party_is_recorded(actors):
    meeting = commands.record_meeting(FACILITATOR, {"title": "x", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"})
    decision = commands.record_decision(FACILITATOR, meeting.id, {"text": "y"})
    commands.take_position(actors["east-head"], decision.id, {"position": "object"})
    last = Event.objects.last()
    assert (last.actor, last.party, last.data["party"]) == ("east-head", "east", "east")


def test_a_command_that_fails_after_appending_leaves_nothing(mechanism, monkeypatch):
    def broken_projector(event):
        raise RuntimeError("projection failed")

    monkeypatch.setitem(log._projectors, "meeting.recorded", broken_projector)
    with pytest.raises(RuntimeError):
        commands.record_meeting(FACILITATOR, {"title": "x", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"})
    assert Event.objects.count() == 1 and Head.objects.get().size == 1


def test_append_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        log.append("meeting.minutes", {}, FACILITATOR)


def test_append_refuses_an_event_type_nobody_projects(mechanism):
    with transaction.atomic(), pytest.raises(RuntimeError, match="no projector"):
        log.append("meeting.cancelled", {}, FACILITATOR)


def test_invalid_input_appends_nothing(mechanism):
    with pytest.raises(Invalid):
        commands.record_meeting(FACILITATOR, {"title": "x", "starts_on": "never"})
    assert Event.objects.count() == 1


def test_times_round_trip_with_microseconds():
    import datetime as dt

    t = dt.datetime(2026, 11, 29, 10, 15, 0, 123456, tzinfo=dt.UTC)
    assert log.format_time(t) == "2026-11-29T10:15:00.123456Z"
    assert log.parse_time(log.format_time(t)) == t

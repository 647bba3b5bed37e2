"""An event's `type`, `actor`, `party` and `time` columns copy fields of its signed body, for the
database to select by; nothing reads them as the truth. With only the columns of a party-only event
changed to look public (as whoever can write the database could), no answer, page or bundle shows
it to the public or an observer, the pages name the actor the body names, and `replay --check`
names the event and the column."""

import datetime as dt

import pytest
from django.test import Client

from ceasefire.api.tokens import create_token
from ceasefire.mechanism import commands
from ceasefire.record import bundle, guard, replay
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import signed_in

MEETING = {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
SECRET = "Minutes nobody outside the parties may read"


@pytest.fixture
def forged(accounts):
    """A meeting (public) and its minutes (parties only), the minutes' columns then made to look
    like a public meeting.recorded entry by a forged actor of the other party. -> its seq."""
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    commands.record_minutes(FACILITATOR, meeting.id, {"minutes_en": SECRET})
    seq = Event.objects.order_by("-seq").values_list("seq", flat=True)[0]
    with guard.lifted():
        Event.objects.filter(seq=seq).update(
            type="meeting.recorded", actor="east-head", party="east", time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        )
    return seq


def test_the_event_read_from_the_database_is_its_body(forged):
    event = Event.objects.get(seq=forged)
    assert (event.type, event.actor, event.party) == ("meeting.minutes", "facilitator", "")
    assert event.time.year > 2020
    assert event.columns["type"] == "meeting.recorded" and event.columns["actor"] == "east-head"


def test_the_api_withholds_it_from_observers_and_the_public(forged, accounts):
    observer = {"HTTP_AUTHORIZATION": f"Bearer {create_token(accounts['observer'], 'tests')}"}
    answer = Client().get("/api/v1/record/events", {"after": forged - 1}, **observer).json()
    assert answer["withheld"] == [forged] and answer["events"] == []
    for headers in ({}, observer):
        entries = Client().get("/api/v1/record/entries", {"start": forged, "end": forged + 1}, **headers).json()
        assert "entry" not in entries["entries"][0]
        assert SECRET not in str(entries)


def test_the_parties_read_it_as_the_record_signed_it(forged, accounts):
    member = {"HTTP_AUTHORIZATION": f"Bearer {create_token(accounts['west-member'], 'tests')}"}
    [event] = Client().get("/api/v1/record/events", {"after": forged - 1}, **member).json()["events"]
    assert (event["type"], event["actor"], event["party"]) == ("meeting.minutes", "facilitator", None)


def test_the_pages_withhold_it_and_name_the_signed_actor(forged, accounts):
    client = Client()
    signed_in(client, accounts["observer"])
    for url in ("/record/", f"/record/events/{forged}/"):
        page = client.get(url).content.decode()
        assert SECRET not in page, url
    signed_in(client, accounts["west-member"])
    page = client.get(f"/record/events/{forged}/").content.decode()
    assert SECRET in page and "east-head" not in page


def test_a_public_bundle_carries_only_its_leaf_hash(forged, tmp_path):
    path = tmp_path / "public.bundle"
    bundle.export(path, "public")
    assert SECRET.encode() not in path.read_bytes()


@pytest.mark.parametrize(
    ("column", "value", "column_says", "body_says"),
    [
        ("type", "meeting.recorded", "'meeting.recorded'", "'meeting.minutes'"),
        ("actor", "east-head", "'east-head'", "'facilitator'"),
        ("party", "east", "'east'", "''"),
    ],
)
def test_replay_check_names_the_event_and_the_column(accounts, column, value, column_says, body_says):
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    commands.record_minutes(FACILITATOR, meeting.id, {"minutes_en": SECRET})
    seq = Event.objects.order_by("-seq").values_list("seq", flat=True)[0]
    assert replay.check(progress=None).ok
    with guard.lifted():
        Event.objects.filter(seq=seq).update(**{column: value})
    assert replay.check(progress=None).difference == (
        f"record: event {seq}: its {column} column says {column_says}, but its signed body says {body_says} "
        "(the column was changed in the database)"
    )


def test_replay_check_names_a_changed_time_column(accounts):
    commands.record_meeting(FACILITATOR, MEETING)
    with guard.lifted():
        Event.objects.filter(seq=1).update(time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    difference = replay.check(progress=None).difference
    assert difference.startswith(
        "record: event 1: its time column says '2020-01-01T00:00:00.000000Z', but its signed body says '"
    )

"""GET /record/events: the joint record read in order, page by page.

`after` defaults to -1: a first call without it starts at the first event (seq 0).
"""

import pytest
from django.test import Client

from ceasefire.api.tokens import create_token
from ceasefire.mechanism import commands
from ceasefire.mechanism.accounts import create_account
from ceasefire.record import log
from ceasefire.record.models import Event
from tests.conftest import PASSWORD

from .conftest import Api, assert_error, events


def test_events_from_the_start_by_default_with_the_size_of_the_record(api, committee):
    body = api("west-member").get("/record/events").json()
    n = events()
    assert body["size"] == n and body["after"] == -1 and body["limit"] == 100
    assert [e["seq"] for e in body["events"]] == list(range(n))
    first = next(e for e in body["events"] if e["type"] == "mechanism.established")
    assert set(first) == {"seq", "type", "time", "actor", "account", "opened_account", "party", "payload"}
    assert (first["actor"], first["opened_account"], first["party"]) == ("facilitator", "facilitator", None)
    assert first["payload"]["parties"][0]["code"] == "west"
    assert first["time"].endswith("Z")
    for e in body["events"]:
        data = Event.objects.get(seq=e["seq"]).data
        opened = e.pop("opened_account")
        assert data == {"v": 4, "salt": data["salt"], **e}  # the entry itself, as the record holds it
        assert opened == log.account_of(data) != ""


def test_an_event_names_the_role_and_party_of_whoever_acted_and_the_parties_open_the_account(api, committee):
    api("east-head").post(f"/decisions/{committee.decision.id}/positions", {"position": "object"})
    last = api("west-member").get("/record/events", {"after": events() - 2}).json()["events"]
    assert len(last) == 1
    assert (last[0]["type"], last[0]["actor"], last[0]["party"]) == ("decision.position_taken", "head", "east")
    assert last[0]["opened_account"] == "east-head" and len(last[0]["account"]) == 64
    assert last[0]["payload"]["position"] == "object"


def test_the_parties_can_open_the_commitment_from_the_entries_alone(api, committee):
    """What the server says (`opened_account`) a party can check itself: the secret is in the
    account.enrolled entry it reads, the commitment in the entry."""
    import base64
    import hashlib

    everything = api("east-member").get("/record/events", {"limit": 1000}).json()["events"]
    secrets = {
        e["payload"]["username"]: base64.b64decode(e["payload"]["secret"])
        for e in everything
        if e["type"] == "account.enrolled"
    }
    assert {"east-head", "west-head", "facilitator"} <= set(secrets)
    for e in everything:
        if e["account"] is None:
            continue
        opened = [
            u
            for u, k in secrets.items()
            if hashlib.sha256(b"ceasefire account\x00" + k + e["seq"].to_bytes(8, "big")).hexdigest() == e["account"]
        ]
        assert opened == [e["opened_account"]], e


def test_an_observer_reads_roles_only_and_no_enrollment(api, committee):
    seen = api("observer").get("/record/events", {"limit": 1000}).json()
    assert seen["events"] and all(e["opened_account"] is None for e in seen["events"])
    assert "account.enrolled" not in {e["type"] for e in seen["events"]}
    enrollments = set(Event.objects.filter(type="account.enrolled").values_list("seq", flat=True))
    assert enrollments and enrollments <= set(seen["withheld"])


def test_paging_through_the_record_gives_every_event_once_in_order(api, committee):
    seen, after = [], -1
    while True:
        page = api("west-member").get("/record/events", {"after": after, "limit": 4}).json()
        assert len(page["events"]) <= 4
        if not page["events"]:
            break
        seen += [e["seq"] for e in page["events"]]
        after = page["events"][-1]["seq"]
    assert seen == list(range(events()))


def test_limit_defaults_to_100_and_goes_up_to_1000(api, actors, committee):
    for i in range(100):
        commands.add_agenda_item(actors["facilitator"], committee.meeting.id, {"title": f"Item {i}"})
    n = events()
    observer = api("west-member")  # a delegate reads every event
    assert len(observer.get("/record/events").json()["events"]) == 100
    everything = observer.get("/record/events", {"limit": 1000}).json()
    assert everything["size"] == n and len(everything["events"]) == n > 100
    assert observer.get("/record/events", {"after": 100}).json()["events"][0]["seq"] == 101
    assert observer.get("/record/events", {"after": n - 1}).json()["events"] == []
    assert observer.get("/record/events", {"after": 5000}).json() == {
        "size": n,
        "after": 5000,
        "limit": 100,
        "events": [],
        "withheld": [],
    }
    assert observer.get("/record/events", {"limit": 0}).json()["events"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": -1}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"after": -2}, "after"),
        ({"after": "x"}, "after"),
        ({"after": "1e3"}, "after"),
        ({"after": str(2**64)}, "after"),
    ],
)
def test_bad_paging_is_refused_naming_the_parameter(api, committee, params, field):
    assert_error(api("west-member").get("/record/events", params), 422, field)


def test_a_new_record_holds_only_the_enrollment_of_its_first_account(db):
    user = create_account("un", PASSWORD, "facilitator")
    body = Api(Client(), create_token(user)).get("/record/events").json()
    assert body["size"] == 1 and body["withheld"] == []
    (only,) = body["events"]
    assert (only["type"], only["actor"], only["opened_account"], only["payload"]["username"]) == (
        "account.enrolled",
        "facilitator",
        "un",
        "un",
    )


def test_an_observer_reads_what_observers_may_and_is_told_which_seqs_are_withheld(api, actors, committee):
    commands.add_agenda_item(actors["facilitator"], committee.meeting.id, {"title": "Withdrawal timetable"})
    full = api("west-member").get("/record/events").json()
    seen = api("observer").get("/record/events").json()
    readable = [{**e, "opened_account": None} for e in full["events"] if log.readable(e["type"], "observers")]
    assert seen["events"] == readable
    assert seen["withheld"] == [e["seq"] for e in full["events"] if not log.readable(e["type"], "observers")]
    assert "agenda.item_added" in {full["events"][s]["type"] for s in seen["withheld"]}
    assert full["withheld"] == []


def test_an_entry_written_before_version_4_names_its_account_to_the_parties_only(api, actors, committee, monkeypatch):
    """Before version 4 an entry named the account in its `actor`; the entry is signed as it is, so
    the parties read it whole and everyone else reads the account's role instead."""
    import dataclasses

    monkeypatch.setattr(log, "SCHEMA_VERSION", 3)
    from ceasefire.agreements import commands as agreements

    agreements.add_interpretation(
        dataclasses.replace(actors["east-head"], system=True),
        committee.provision.id,
        {"reading_en": "Within ninety days."},
    )
    monkeypatch.undo()
    after = events() - 2
    (party_sees,) = api("west-member").get("/record/events", {"after": after}).json()["events"]
    (observer_sees,) = api("observer").get("/record/events", {"after": after}).json()["events"]
    assert (party_sees["type"], party_sees["actor"]) == ("provision.interpretation_added", "east-head")
    assert observer_sees["actor"] == "head"
    assert observer_sees == {**party_sees, "actor": "head", "opened_account": None}

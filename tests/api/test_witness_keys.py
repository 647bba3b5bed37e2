"""GET /mechanism/witness-keys (anyone) and POST /mechanism/witness-keys (a party's speaker for its
witness, the facilitator for the mission's): each registration is one event, and retires the
holder's previous key."""

import time

import pytest
from django.test import Client

from ceasefire.record import checkpoints, note

from .conftest import Api, assert_error, events


def key(name):
    return note.generate_cosigner_key(name)


@pytest.fixture
def public(db):
    return Api(Client())


def test_nobody_has_registered_a_key_yet(public, committee):
    r = public.get("/mechanism/witness-keys")
    assert r.status_code == 200 and r.json() == []


def test_a_speaker_registers_the_party_key_and_anyone_reads_it(api, public, committee):
    skey, vkey = key("jmc-west-witness")
    before = events()
    r = api("west-head").post("/mechanism/witness-keys", {"party": "west", "vkey": vkey})
    assert r.status_code == 201, r.content
    body = r.json()
    assert events() == before + 1
    parsed = note.parse_verifier_key(vkey)
    assert body["party"] == "west" and body["vkey"] == vkey and body["name"] == "jmc-west-witness"
    assert body["key_id"] == parsed.key_id.hex() and body["active"] is True
    assert body["retired_at"] is None and body["last_cosigned"] is None and body["id"] == before
    listed = public.get("/mechanism/witness-keys").json()
    assert listed == [body]


def test_the_facilitator_registers_the_mission_key(facilitator, committee):
    _, vkey = key("unsmil-witness")
    r = facilitator.post("/mechanism/witness-keys", {"vkey": vkey})
    assert r.status_code == 201, r.content
    assert r.json()["party"] is None


def test_a_new_key_retires_the_old_one(api, public, committee):
    _, first = key("jmc-west-witness")
    _, second = key("jmc-west-witness")
    west = api("west-head")
    assert west.post("/mechanism/witness-keys", {"party": "west", "vkey": first}).status_code == 201
    assert west.post("/mechanism/witness-keys", {"party": "west", "vkey": second}).status_code == 201
    old, new = public.get("/mechanism/witness-keys").json()
    assert old["vkey"] == first and old["active"] is False and old["retired_at"] is not None
    assert new["vkey"] == second and new["active"] is True and new["retired_at"] is None


def test_the_list_says_the_newest_checkpoint_each_key_cosigned(api, public, committee, settings):
    settings.CHECKPOINT_EVERY_SECONDS = 1_000_000
    west_skey, west_vkey = key("jmc-west-witness")
    _, east_vkey = key("jmc-east-witness")
    api("west-head").post("/mechanism/witness-keys", {"party": "west", "vkey": west_vkey})
    api("east-head").post("/mechanism/witness-keys", {"party": "east", "vkey": east_vkey})
    for _ in range(2):
        cp = checkpoints.sign_now()
        body = note.parse_note(cp.note)[0]
        cosigned = note.add_signatures(cp.note, [note.cosign(body, west_skey, int(time.time()))])
        assert (
            public.post("/record/checkpoint/cosignatures", raw=cosigned, content_type="text/plain").status_code == 200
        )
        api("facilitator").post(
            "/meetings", {"title": "More", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
        )
    listed = {k["name"]: k for k in public.get("/mechanism/witness-keys").json()}
    assert listed["jmc-west-witness"]["last_cosigned"] == cp.size
    assert listed["jmc-east-witness"]["last_cosigned"] is None


CASES = [
    ("west-head", {"party": "west"}, 422, "vkey"),
    ("west-head", {"party": "west", "vkey": "not a key"}, 422, "vkey"),
    ("west-head", {"party": "west", "vkey": 12}, 422, "vkey"),
    ("west-head", {"party": "west", "vkey": "x" * 10_000}, 422, "vkey"),
    ("west-head", {"party": "west", "vkey": note.generate_key("jmc-west-log")[1]}, 422, "vkey"),
    ("west-head", {"party": "west", "vkey": "@@", "extra": 1}, 422, "extra"),
    ("west-head", {"party": "south", "vkey": "@@"}, 404, "party"),
    ("west-head", {"party": "east", "vkey": "@@"}, 403, None),
    ("west-member", {"party": "west", "vkey": "@@"}, 403, None),
    ("west-head", {"vkey": "@@"}, 403, None),
    ("facilitator", {"party": "west", "vkey": "@@"}, 403, None),
    ("observer", {"vkey": "@@"}, 403, None),
]


@pytest.mark.parametrize("who, body, status, field", CASES)
def test_a_bad_registration_is_refused_naming_the_field(api, committee, who, body, status, field):
    if body.get("vkey") == "@@":
        body = {**body, "vkey": key("jmc-witness")[1]}
    before = events()
    assert_error(api(who).post("/mechanism/witness-keys", body), status, field)
    assert events() == before


def test_the_log_key_name_and_a_key_twice_are_refused(api, committee):
    _, vkey = key(checkpoints.log_key().name)
    assert_error(api("west-head").post("/mechanism/witness-keys", {"party": "west", "vkey": vkey}), 422, "vkey")
    _, vkey = key("jmc-west-witness")
    assert api("west-head").post("/mechanism/witness-keys", {"party": "west", "vkey": vkey}).status_code == 201
    assert_error(api("west-head").post("/mechanism/witness-keys", {"party": "west", "vkey": vkey}), 409, "vkey")
    assert_error(api("facilitator").post("/mechanism/witness-keys", {"vkey": vkey}), 409, "vkey")

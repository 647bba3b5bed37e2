"""GET /record/checkpoint, /record/log-key and /record/proof/{inclusion,consistency}: what anyone
needs to check the record without trusting the server, served without login. Every proof the API
gives verifies with merkle.verify_*, against the roots of the record's own tree; every bad
parameter is a 422 naming it, never a 500."""

import base64

import pytest
from django.test import Client

from ceasefire.record import checkpoints, merkle, note, tree
from ceasefire.record.models import Checkpoint, Event

from .conftest import Api, assert_error, events


def b64(s: str) -> bytes:
    return base64.b64decode(s, validate=True)


@pytest.fixture
def public(db):
    return Api(Client())


def test_the_checkpoint_is_plain_text_signed_by_the_log_key_and_public(public, api, committee):
    r = public.get("/record/checkpoint")
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "text/plain; charset=utf-8"
    cp, cosigners = note.verify_checkpoint(r.content.decode(), checkpoints.log_vkey())
    assert cosigners == {}
    assert cp.origin == checkpoints.log_key().name
    assert cp.root == tree.root(cp.size) and 1 <= cp.size <= events()
    assert api("observer").get("/record/checkpoint").content == r.content  # the same for everyone


def test_the_checkpoint_is_the_newest_one(public, committee, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 1_000_000
    settings.CHECKPOINT_EVERY_SECONDS = 1_000_000
    checkpoints.sign_now()
    cp = note.parse_checkpoint(note.parse_note(public.get("/record/checkpoint").content.decode())[0])
    assert cp.size == events() == Checkpoint.objects.order_by("-size").first().size


def test_a_checkpoint_due_is_signed_when_it_is_read(public, committee, settings):
    settings.CHECKPOINT_EVERY_SECONDS = 0  # any unsigned event is overdue
    before = Checkpoint.objects.count()
    text = public.get("/record/checkpoint").content.decode()
    assert note.parse_checkpoint(note.parse_note(text)[0]).size == events()
    assert Checkpoint.objects.count() == before + 1


def test_no_checkpoint_while_the_record_is_empty(public):
    assert events() == 0
    assert_error(public.get("/record/checkpoint"), 404, None)


def test_the_log_key_is_plain_text_and_verifies_the_checkpoint(public, committee):
    r = public.get("/record/log-key")
    assert r.status_code == 200 and r["Content-Type"] == "text/plain; charset=utf-8"
    vkey = r.content.decode()
    assert vkey.endswith("\n") and vkey.count("\n") == 1
    key = note.parse_verifier_key(vkey.strip())
    assert key.alg == note.ED25519 and str(key) == checkpoints.log_vkey()
    note.verify_checkpoint(public.get("/record/checkpoint").content.decode(), vkey.strip())


def test_every_inclusion_proof_verifies(public, committee):
    n = events()
    bodies = {e.seq: bytes(e.body) for e in Event.objects.all()}
    for size in range(1, n + 1):
        root = tree.root(size)
        for index in range(size):
            r = public.get("/record/proof/inclusion", {"index": index, "size": size})
            assert r.status_code == 200, r.content
            body = r.json()
            assert set(body) == {"index", "size", "leaf_hash", "hashes"}
            assert (body["index"], body["size"]) == (index, size)
            leaf = b64(body["leaf_hash"])
            assert leaf == merkle.leaf_hash(bodies[index])
            proof = [b64(h) for h in body["hashes"]]
            assert merkle.verify_inclusion(leaf, index, size, proof, root), (index, size)


def test_an_inclusion_proof_checks_against_the_served_checkpoint(public, committee):
    text = public.get("/record/checkpoint").content.decode()
    cp, _ = note.verify_checkpoint(text, checkpoints.log_vkey())
    body = public.get("/record/proof/inclusion", {"index": cp.size - 1, "size": cp.size}).json()
    assert merkle.verify_inclusion(
        b64(body["leaf_hash"]), cp.size - 1, cp.size, [b64(h) for h in body["hashes"]], cp.root
    )


def test_every_consistency_proof_verifies(public, committee):
    n = events()
    roots = {size: tree.root(size) for size in range(n + 1)}
    for second in range(1, n + 1):
        for first in range(1, second + 1):
            r = public.get("/record/proof/consistency", {"first": first, "second": second})
            assert r.status_code == 200, r.content
            body = r.json()
            assert set(body) == {"first", "second", "hashes"} and (body["first"], body["second"]) == (first, second)
            proof = [b64(h) for h in body["hashes"]]
            assert merkle.verify_consistency(first, second, roots[first], roots[second], proof), (first, second)
            if first == second:
                assert proof == []


@pytest.mark.parametrize("second", [0, 1, 5])
def test_first_0_answers_the_empty_proof_as_tlog_witness_old_0(public, committee, second):
    r = public.get("/record/proof/consistency", {"first": 0, "second": second})
    assert r.status_code == 200, r.content
    assert r.json() == {"first": 0, "second": second, "hashes": []}


def test_a_proof_names_no_sizes_the_record_does_not_have_yet(public, committee):
    n = events()
    assert public.get("/record/proof/inclusion", {"index": n - 1, "size": n}).status_code == 200
    assert_error(public.get("/record/proof/inclusion", {"index": 0, "size": n + 1}), 422, "size")
    assert public.get("/record/proof/consistency", {"first": 1, "second": n}).status_code == 200
    assert_error(public.get("/record/proof/consistency", {"first": 1, "second": n + 1}), 422, "second")


BIG = str(2**63)
HUGE = "9" * 40

INCLUSION = [
    ({"size": "3"}, "index"),
    ({"index": "0"}, "size"),
    ({"index": "-1", "size": "3"}, "index"),
    ({"index": "abc", "size": "3"}, "index"),
    ({"index": "1.5", "size": "3"}, "index"),
    ({"index": "0x1", "size": "3"}, "index"),
    ({"index": BIG, "size": "3"}, "index"),
    ({"index": HUGE, "size": "3"}, "index"),
    ({"index": "3", "size": "3"}, "index"),
    ({"index": "4", "size": "3"}, "index"),
    ({"index": "0", "size": "0"}, "size"),
    ({"index": "0", "size": "-1"}, "size"),
    ({"index": "0", "size": "1000"}, "size"),
    ({"index": "0", "size": str(2**63 - 1)}, "size"),
    ({"index": "0", "size": BIG}, "size"),
    ({"index": "0", "size": HUGE}, "size"),
    ({"index": "0", "size": ""}, "size"),
]

CONSISTENCY = [
    ({"second": "3"}, "first"),
    ({"first": "1"}, "second"),
    ({"first": "-1", "second": "3"}, "first"),
    ({"first": "x", "second": "3"}, "first"),
    ({"first": "4", "second": "3"}, "first"),
    ({"first": BIG, "second": "3"}, "first"),
    ({"first": "1", "second": "-3"}, "second"),
    ({"first": "1", "second": "1000"}, "second"),
    ({"first": "1", "second": str(2**63 - 1)}, "second"),
    ({"first": "1", "second": BIG}, "second"),
    ({"first": "1", "second": HUGE}, "second"),
    ({"first": "1", "second": "\x00"}, "second"),
]


@pytest.mark.parametrize("params, field", INCLUSION)
def test_a_bad_inclusion_parameter_is_a_422_naming_it(public, committee, params, field):
    assert_error(public.get("/record/proof/inclusion", params), 422, field)


@pytest.mark.parametrize("params, field", CONSISTENCY)
def test_a_bad_consistency_parameter_is_a_422_naming_it(public, committee, params, field):
    assert_error(public.get("/record/proof/consistency", params), 422, field)


def test_no_proof_of_an_empty_record(public):
    assert_error(public.get("/record/proof/inclusion", {"index": 0, "size": 1}), 422, "size")
    assert public.get("/record/proof/consistency", {"first": 0, "second": 0}).json()["hashes"] == []
    assert_error(public.get("/record/proof/consistency", {"first": 1, "second": 1}), 422, "second")


@pytest.mark.parametrize("path", ["/record/checkpoint", "/record/log-key", "/record/proof/inclusion?index=0&size=1"])
def test_a_wrong_token_is_still_a_401_on_a_public_route(committee, path):
    assert_error(Api(Client(), "not-a-token").get(path), 401, None)


def test_reading_proofs_writes_nothing(public, committee, settings):
    settings.CHECKPOINT_EVERY_SECONDS = 1_000_000
    before = (events(), Checkpoint.objects.count())
    public.get("/record/checkpoint")
    public.get("/record/proof/inclusion", {"index": 0, "size": 2})
    public.get("/record/proof/consistency", {"first": 1, "second": 2})
    assert (events(), Checkpoint.objects.count()) == before

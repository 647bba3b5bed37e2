"""POST /record/checkpoint/cosignatures: a witness sends the checkpoint note with its cosignature.
No login and no CSRF token (the signature is the credential); only a cosignature that verifies
against an ACTIVE registered witness key is kept, and then served with the checkpoint."""

import base64
import time

import pytest
from django.test import Client

from ceasefire.mechanism import commands
from ceasefire.record import checkpoints, note
from ceasefire.record.models import Cosignature, Event
from tests.helpers import register_witnesses, signed_in

from .conftest import Api, assert_error, events

PATH = "/record/checkpoint/cosignatures"


@pytest.fixture
def witnesses(actors, committee, settings):
    """The western and eastern witnesses' signer keys, registered; a checkpoint of the whole record."""
    settings.CHECKPOINT_EVERY_SECONDS = 1_000_000
    return {party: skey for party, (skey, _) in register_witnesses(actors).items()}


def cosigned(cp, *skeys, at=None):
    body = note.parse_note(cp.note)[0]
    return note.add_signatures(cp.note, [note.cosign(body, k, at or int(time.time())) for k in skeys])


def post(text, client=None):
    return (client or Api(Client())).post(PATH, raw=text, content_type="text/plain")


def served():
    return Api(Client()).get("/record/checkpoint").content.decode()


def vkeys(*skeys):
    return [str(note.parse_signer_key(k).verifier) for k in skeys]


def test_a_cosignature_is_kept_and_served_with_the_checkpoint(witnesses):
    cp = checkpoints.sign_now()
    before = events()
    r = post(cosigned(cp, witnesses["west"]))
    assert r.status_code == 200, r.content
    assert r.json() == {"size": cp.size, "added": ["jmc-west-witness"], "cosigned_by": ["jmc-west-witness"]}
    # The log commits to it: one public entry records it, and no checkpoint is signed for that entry alone.
    assert events() == before + 1
    entry = Event.objects.order_by("-seq").first()
    assert (entry.type, entry.payload["size"], [c["name"] for c in entry.payload["cosignatures"]]) == (
        "checkpoint.cosigned",
        cp.size,
        ["jmc-west-witness"],
    )
    assert checkpoints.latest().size == cp.size
    r = post(cosigned(cp, witnesses["east"]))
    assert r.json() == {
        "size": cp.size,
        "added": ["jmc-east-witness"],
        "cosigned_by": ["jmc-east-witness", "jmc-west-witness"],
    }
    checked, cosigners = note.verify_checkpoint(
        served(), checkpoints.log_vkey(), vkeys(witnesses["west"], witnesses["east"])
    )
    assert checked.size == cp.size and set(cosigners) == {"jmc-west-witness", "jmc-east-witness"}


def test_both_at_once_and_again_is_harmless(witnesses):
    cp = checkpoints.sign_now()
    assert post(cosigned(cp, witnesses["west"], witnesses["east"])).json()["added"] == [
        "jmc-west-witness",
        "jmc-east-witness",
    ]
    again = post(cosigned(cp, witnesses["west"]))
    assert again.status_code == 200
    assert again.json() == {"size": cp.size, "added": [], "cosigned_by": ["jmc-east-witness", "jmc-west-witness"]}
    assert Cosignature.objects.count() == 2


def test_the_served_note_with_its_cosignatures_may_be_sent_back(witnesses):
    cp = checkpoints.sign_now()
    post(cosigned(cp, witnesses["west"]))
    body = note.parse_note(cp.note)[0]
    text = note.add_signatures(served(), [note.cosign(body, witnesses["east"], int(time.time()))])
    assert post(text).json()["cosigned_by"] == ["jmc-east-witness", "jmc-west-witness"]


def test_no_csrf_token_is_asked_even_of_a_signed_in_browser(witnesses, accounts):
    cp = checkpoints.sign_now()
    browser = Client(enforce_csrf_checks=True)
    signed_in(browser, accounts["west-head"])
    r = browser.post("/api/v1" + PATH, cosigned(cp, witnesses["west"]), content_type="text/plain")
    assert r.status_code == 200, r.content
    # ... while the writes that need a login still do.
    r = browser.post("/api/v1/mechanism/witness-keys", {"vkey": "x"}, content_type="application/json")
    assert_error(r, 403, None, contains="CSRF")


def test_a_forged_cosignature_is_refused(witnesses):
    cp = checkpoints.sign_now()
    text = cosigned(cp, witnesses["west"])
    head, _, last = text[:-1].rpartition("\n")
    name, raw = last.rsplit(" ", 1)
    sig = bytearray(base64.b64decode(raw))
    sig[-1] ^= 1
    forged = f"{head}\n{name} {base64.b64encode(bytes(sig)).decode()}\n"
    assert_error(post(forged), 422, "checkpoint", contains="jmc-west-witness")
    assert Cosignature.objects.count() == 0


def test_a_cosignature_over_another_time_than_it_claims_is_refused(witnesses):
    cp = checkpoints.sign_now()
    body = note.parse_note(cp.note)[0]
    line = note.cosign(body, witnesses["west"], 1_700_000_000)
    s = note.parse_signature_line(line)
    moved = note.Signature(s.name, s.key_id, (1_700_000_001).to_bytes(8, "big") + s.sig[8:]).line
    assert_error(post(note.add_signatures(cp.note, [moved])), 422, "checkpoint")


def test_an_unknown_key_is_refused(witnesses):
    cp = checkpoints.sign_now()
    stranger, _ = note.generate_cosigner_key("jmc-south-witness")
    assert_error(post(cosigned(cp, stranger)), 422, "checkpoint", contains="registered")
    # A key of a registered name but another key ID is unknown too.
    impostor, _ = note.generate_cosigner_key("jmc-west-witness")
    assert_error(post(cosigned(cp, impostor)), 422, "checkpoint")
    assert Cosignature.objects.count() == 0


def test_a_retired_key_no_longer_counts(witnesses, actors):
    cp = checkpoints.sign_now()
    assert post(cosigned(cp, witnesses["west"])).status_code == 200
    _, new = note.generate_cosigner_key("jmc-west-witness")
    commands.register_witness_key(actors["west-head"], {"party": "west", "vkey": new})
    cp = checkpoints.sign_now()
    assert_error(post(cosigned(cp, witnesses["west"])), 422, "checkpoint")
    assert not Cosignature.objects.filter(checkpoint=cp).exists()


def test_a_cosignature_from_the_future_is_refused(witnesses, settings):
    cp = checkpoints.sign_now()
    late = int(time.time()) + settings.COSIGNATURE_MAX_SKEW_SECONDS + 60
    assert_error(post(cosigned(cp, witnesses["west"], at=late)), 422, "checkpoint", contains="future")
    assert post(cosigned(cp, witnesses["west"], at=int(time.time()) + 30)).status_code == 200  # some skew is fine


def test_another_root_for_a_size_is_a_conflict(witnesses):
    cp = checkpoints.sign_now()
    fork = note.Checkpoint(checkpoints.log_key().name, cp.size, bytes(32)).body()
    signed = note.sign(fork, checkpoints.log_key())  # as the log would sign a fork
    assert_error(
        post(note.add_signatures(signed, [note.cosign(fork, witnesses["west"], int(time.time()))])), 409, "checkpoint"
    )
    assert Cosignature.objects.count() == 0


def test_a_size_never_signed_is_not_found(witnesses):
    cp = checkpoints.sign_now()
    other = note.Checkpoint(checkpoints.log_key().name, cp.size + 5, bytes(32)).body()
    signed = note.sign(other, checkpoints.log_key())
    assert_error(
        post(note.add_signatures(signed, [note.cosign(other, witnesses["west"], int(time.time()))])), 404, "checkpoint"
    )


def test_a_note_the_log_did_not_sign_is_refused(witnesses):
    cp = checkpoints.sign_now()
    body = note.parse_note(cp.note)[0]
    other_log, _ = note.generate_key(checkpoints.log_key().name)
    text = note.add_signatures(note.sign(body, other_log), [note.cosign(body, witnesses["west"], int(time.time()))])
    assert_error(post(text), 422, "checkpoint")


def test_a_checkpoint_without_a_cosignature_is_refused(witnesses):
    cp = checkpoints.sign_now()
    assert_error(post(cp.note), 422, "checkpoint")


@pytest.mark.parametrize(
    "raw, status, field",
    [
        (b"", 422, "body"),
        (b"\xff\xfe", 400, "body"),
        (b"hello\n", 422, "checkpoint"),
        (b"origin\n1\nAAAA\n\n\xe2\x80\x94 x AAAA\n", 422, "checkpoint"),
        (b"a\r\nb\n\n", 422, "checkpoint"),
        (b"\x00", 422, "checkpoint"),
    ],
)
def test_a_body_that_is_not_a_note_is_refused(witnesses, raw, status, field):
    checkpoints.sign_now()
    assert_error(Api(Client()).post(PATH, raw=raw, content_type="text/plain"), status, field)


def test_a_huge_body_is_refused(witnesses):
    assert_error(Api(Client()).post(PATH, raw="x" * 3_000_000, content_type="text/plain"), 413, "body")


def test_a_cosignature_needs_a_checkpoint(db):
    skey, _ = note.generate_cosigner_key("jmc-west-witness")
    text = note.sign(note.Checkpoint(checkpoints.log_key().name, 3, bytes(32)).body(), checkpoints.log_key())
    assert_error(post(text), 404, "checkpoint")

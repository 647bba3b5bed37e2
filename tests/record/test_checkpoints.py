"""Checkpoints: signed by the log key every CHECKPOINT_EVERY_EVENTS events, after
CHECKPOINT_EVERY_SECONDS, or on demand; one per size; and the rules for keeping a witness's
cosignature (checkpoints.add_cosignatures)."""

import datetime as dt
import time

import pytest

from ceasefire.errors import Conflict, Invalid, NotFound
from ceasefire.mechanism import commands
from ceasefire.record import checkpoints, merkle, note, tree
from ceasefire.record.models import Checkpoint, Cosignature, Head
from tests.conftest import FACILITATOR
from tests.helpers import register_witnesses


def meeting(i=0):
    return commands.record_meeting(
        FACILITATOR, {"title": f"Round {i}", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
    )


def sizes():
    return sorted(Checkpoint.objects.values_list("size", flat=True))


def head():
    return Head.objects.get(id=1).size


def check(cp):
    """A checkpoint as the log signed it: the note verifies and states the tree's own root."""
    parsed, cosigners = note.verify_checkpoint(cp.note, checkpoints.log_vkey())
    assert (parsed.size, parsed.root, cosigners) == (cp.size, bytes(cp.root), {})
    assert parsed.origin == checkpoints.log_key().name
    assert bytes(cp.root) == tree.root(cp.size)


def test_every_n_events(mechanism, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 3
    settings.CHECKPOINT_EVERY_SECONDS = 1_000_000
    assert (
        sizes() == [2]
    )  # the first batch (the facilitator's enrollment, the establishment) is signed at once: there was no checkpoint yet
    for i in range(9):
        meeting(i)
    assert head() == 11 and sizes() == [2, 5, 8, 11]
    for cp in Checkpoint.objects.all():
        check(cp)


def test_after_t_seconds(mechanism, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 1_000_000
    settings.CHECKPOINT_EVERY_SECONDS = 60
    meeting()
    assert sizes() == [2]  # one event unsigned, but the last checkpoint is young
    last = checkpoints.latest()
    now = last.signed_at
    assert not checkpoints.due(last, 3, now + dt.timedelta(seconds=59))
    assert checkpoints.due(last, 3, now + dt.timedelta(seconds=60))
    assert not checkpoints.due(last, 2, now + dt.timedelta(days=1))  # nothing unsigned: nothing due
    settings.CHECKPOINT_EVERY_SECONDS = 0  # as if the minute had passed
    assert checkpoints.current().size == 3  # reading the newest checkpoint signs the one due
    meeting(1)  # ... and so does an append
    assert sizes() == [2, 3, 4]


def test_on_demand_and_once_per_size(mechanism, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 1_000_000
    settings.CHECKPOINT_EVERY_SECONDS = 1_000_000
    meeting()
    meeting(1)
    cp = checkpoints.sign_now()
    assert cp.size == 4 and sizes() == [2, 4]
    check(cp)
    again = checkpoints.sign_now()
    assert again.size == 4 and again.note == cp.note and sizes() == [2, 4]  # never a second statement of a size
    assert checkpoints.sign(2).note == Checkpoint.objects.get(size=2).note
    assert checkpoints.current().size == 4


def test_the_empty_record_signs_the_empty_root(db):
    assert checkpoints.current() is None
    cp = checkpoints.sign_now()
    assert cp.size == 0 and bytes(cp.root) == merkle.EMPTY_ROOT
    check(cp)


def test_the_log_key_is_made_once_and_kept(db, settings, tmp_path):
    settings.LOG_KEY_FILE = tmp_path / "keys" / "log.key"
    vkey = checkpoints.log_vkey()
    assert (settings.LOG_KEY_FILE.stat().st_mode & 0o777) == 0o600
    assert checkpoints.log_vkey() == vkey
    assert note.parse_verifier_key(vkey).name == settings.LOG_ORIGIN


# ---------------------------------------------------------------------------- cosignatures


@pytest.fixture
def witnesses(actors, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 1_000_000
    settings.CHECKPOINT_EVERY_SECONDS = 1_000_000
    return register_witnesses(actors, prefix="")


def cosigned(cp, *skeys, at=None):
    body = note.parse_note(cp.note)[0]
    return note.add_signatures(cp.note, [note.cosign(body, k, int(time.time()) if at is None else at) for k in skeys])


def test_a_registered_witness_cosignature_is_kept_once(witnesses):
    cp = checkpoints.sign_now()
    (west, west_v), (east, east_v) = witnesses["west"], witnesses["east"]
    assert checkpoints.add_cosignatures(cosigned(cp, west), [west_v, east_v]) == ["west-witness"]
    assert checkpoints.add_cosignatures(cosigned(cp, west, east), [west_v, east_v]) == ["east-witness"]
    assert checkpoints.add_cosignatures(cosigned(cp, west), [west_v, east_v]) == []
    served = checkpoints.served(cp)
    _, cosigners = note.verify_checkpoint(served, checkpoints.log_vkey(), [west_v, east_v])
    assert set(cosigners) == {"west-witness", "east-witness"}
    row = Cosignature.objects.get(name="west-witness")
    assert row.key_id == note.parse_verifier_key(west_v).key_id.hex() and row.line in served


def test_an_unknown_key_is_refused(witnesses):
    cp = checkpoints.sign_now()
    stranger, _ = note.generate_cosigner_key("south-witness")
    with pytest.raises(Invalid) as e:
        checkpoints.add_cosignatures(cosigned(cp, stranger), [witnesses["west"][1]])
    assert e.value.field == "checkpoint"
    assert not Cosignature.objects.exists()


def test_a_retired_key_is_refused_when_only_active_keys_are_given(witnesses, actors):
    from ceasefire.mechanism.models import WitnessKey

    old, _ = witnesses["west"]
    commands.register_witness_key(
        actors["west-head"], {"party": "west", "vkey": note.generate_cosigner_key("west-witness")[1]}
    )
    active = list(WitnessKey.objects.filter(retired_at__isnull=True).values_list("vkey", flat=True))
    cp = checkpoints.sign_now()
    with pytest.raises(Invalid):
        checkpoints.add_cosignatures(cosigned(cp, old), active)
    assert not Cosignature.objects.exists()


def test_a_bad_signature_is_refused(witnesses):
    cp = checkpoints.sign_now()
    skey, vkey = witnesses["west"]
    line = note.parse_signature_line(note.cosign(note.parse_note(cp.note)[0], skey, int(time.time())))
    bad = note.Signature(line.name, line.key_id, line.sig[:-1] + bytes([line.sig[-1] ^ 0x80])).line
    with pytest.raises(Invalid) as e:
        checkpoints.add_cosignatures(note.add_signatures(cp.note, [bad]), [vkey])
    assert "west-witness" in str(e.value.message)
    # A cosignature of another checkpoint's body, moved onto this one, fails the same way.
    other = note.Checkpoint(checkpoints.log_key().name, cp.size + 1, bytes(32)).body()
    moved = note.cosign(other, skey, int(time.time()))
    with pytest.raises(Invalid):
        checkpoints.add_cosignatures(note.add_signatures(cp.note, [moved]), [vkey])
    assert not Cosignature.objects.exists()


def test_a_future_timestamp_is_refused(witnesses, settings):
    cp = checkpoints.sign_now()
    skey, vkey = witnesses["west"]
    future = int(time.time()) + settings.COSIGNATURE_MAX_SKEW_SECONDS + 30
    with pytest.raises(Invalid) as e:
        checkpoints.add_cosignatures(cosigned(cp, skey, at=future), [vkey])
    assert str(future) in str(e.value.message)
    assert not Cosignature.objects.exists()
    assert checkpoints.add_cosignatures(cosigned(cp, skey, at=int(time.time()) + 60), [vkey]) == ["west-witness"]


def test_a_timestamp_from_before_the_checkpoint_is_refused(witnesses, settings):
    """A cosignature says "as of this time": one dated before the checkpoint existed is false."""
    cp = checkpoints.sign_now()
    skey, vkey = witnesses["west"]
    for past in (0, int(cp.signed_at.timestamp()) - settings.COSIGNATURE_MAX_SKEW_SECONDS - 30):
        with pytest.raises(Invalid) as e:
            checkpoints.add_cosignatures(cosigned(cp, skey, at=past), [vkey])
        assert "before the checkpoint was signed" in str(e.value.message)
    assert not Cosignature.objects.exists()
    assert checkpoints.add_cosignatures(cosigned(cp, skey, at=int(cp.signed_at.timestamp()) - 60), [vkey]) == [
        "west-witness"
    ]


def test_another_root_for_a_size_is_a_conflict(witnesses):
    cp = checkpoints.sign_now()
    skey, vkey = witnesses["west"]
    fork = note.Checkpoint(checkpoints.log_key().name, cp.size, merkle.EMPTY_ROOT).body()
    forged = note.add_signatures(note.sign(fork, checkpoints.log_key()), [note.cosign(fork, skey, int(time.time()))])
    with pytest.raises(Conflict) as e:
        checkpoints.add_cosignatures(forged, [vkey])
    assert e.value.field == "checkpoint"


def test_a_size_never_signed_is_not_found(witnesses):
    cp = checkpoints.sign_now()
    skey, vkey = witnesses["west"]
    later = note.Checkpoint(checkpoints.log_key().name, cp.size + 1, merkle.EMPTY_ROOT).body()
    with pytest.raises(NotFound):
        checkpoints.add_cosignatures(
            note.add_signatures(note.sign(later, checkpoints.log_key()), [note.cosign(later, skey, 1)]), [vkey]
        )


@pytest.mark.parametrize("text", ["", "not a note", "a\n1\nAAAA\n\n\u2014 a AAAA\n"])
def test_a_malformed_note_is_invalid(witnesses, text):
    with pytest.raises(Invalid) as e:
        checkpoints.add_cosignatures(text, [witnesses["west"][1]])
    assert e.value.field == "checkpoint"
